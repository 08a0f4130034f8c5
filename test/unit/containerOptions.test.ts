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

test('volumes, resources and the first network go into the create options', () => {
  const spec = serviceSpec({
    id: 'db',
    image: 'db:1',
    volumes: [
      { type: 'volume', source: 'data', target: '/data', readOnly: false },
      { type: 'bind', source: '/srv/conf', target: '/conf', readOnly: true },
      { type: 'anonymous', target: '/tmp/cache', readOnly: false },
    ],
    resources: { cpus: 0.5, memoryBytes: 268435456 },
  });
  const options = containerCreateOptions({ app: 'shop', service: 'db', member: '1' }, spec, {}, [
    { name: 'shop.backend', aliases: ['db', 'database'], ipv4Address: '10.66.1.5' },
    { name: 'shop.admin', aliases: ['db'] },
  ]);
  assert.deepEqual(options.HostConfig, {
    PortBindings: {},
    Mounts: [
      { Type: 'volume', Source: 'shop.data', Target: '/data', ReadOnly: false, VolumeOptions: { Labels: { 'io.clocker.managed': 'true', 'io.clocker.app': 'shop', 'io.clocker.volume': 'data' } } },
      { Type: 'bind', Source: '/srv/conf', Target: '/conf', ReadOnly: true },
      { Type: 'volume', Source: '', Target: '/tmp/cache', ReadOnly: false },
    ],
    NanoCpus: 500000000,
    Memory: 268435456,
    NetworkMode: 'shop.backend',
  });
  assert.deepEqual(options.NetworkingConfig, {
    EndpointsConfig: { 'shop.backend': { Aliases: ['db', 'database'], IPAMConfig: { IPv4Address: '10.66.1.5' } } },
  });
});
