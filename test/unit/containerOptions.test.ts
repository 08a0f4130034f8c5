import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerCreateOptions } from '../../activities/docker/containerOptions';
import type { ServiceSpec } from '../../domain/blueprint/model';
import { serviceSpec } from '../support/specs';

test('create options carry image, argv, sorted env, ports and member labels', () => {
  const spec: ServiceSpec = serviceSpec({
    id: 'web',
    image: 'clocker/busybox:1',
    command: ['httpd', '-f', '-p', '8080'],
    env: { B: '2', A: 'x=y' },
    ports: [
      { containerPort: 8080, hostPort: 18080, protocol: 'tcp' },
      { containerPort: 9000, hostPort: 0, protocol: 'tcp' },
      { containerPort: 53, protocol: 'udp' },
    ],
    labels: { team: 'shop', 'io.clocker.app': 'spoofed' },
  });
  assert.deepEqual(containerCreateOptions({ app: 'shop', service: 'web', member: '1' }, spec, spec.env), {
    name: 'shop.web.1',
    Image: 'clocker/busybox:1',
    Cmd: ['httpd', '-f', '-p', '8080'],
    Env: ['A=x=y', 'B=2'],
    Labels: {
      team: 'shop',
      'io.clocker.managed': 'true',
      'io.clocker.app': 'shop',
      'io.clocker.service': 'web',
      'io.clocker.member': '1',
    },
    ExposedPorts: { '8080/tcp': {}, '9000/tcp': {}, '53/udp': {} },
    HostConfig: { PortBindings: { '8080/tcp': [{ HostPort: '18080' }], '9000/tcp': [{ HostPort: '' }] } },
  });
});

test('no command or entrypoint keeps the image defaults', () => {
  const options = containerCreateOptions({ app: 'a', service: 's', member: '1' }, serviceSpec({ id: 's', image: 'i' }), {});
  assert.equal('Cmd' in options, false);
  assert.equal('Entrypoint' in options, false);
});
