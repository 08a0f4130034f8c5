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

test("the infrastructure the service names is labelled on the container; a blueprint cannot spoof it", () => {
  const spec = serviceSpec({ id: 'web', image: 'clocker/busybox:1', labels: { 'io.clocker.infrastructure': 'spoofed' } });
  const ref = { app: 'shop', service: 'web', member: '1' };
  assert.equal(containerCreateOptions(ref, spec, {}, [], [], 'rack-a').Labels?.['io.clocker.infrastructure'], 'rack-a');
  assert.equal(containerCreateOptions(ref, spec, {}).Labels?.['io.clocker.infrastructure'], undefined);
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

test('a host address binds the published port there only; port 0 asks Docker for a free one', () => {
  const spec = serviceSpec({
    id: 'result',
    image: 'result:1',
    ports: [
      { containerPort: 80, hostPort: 8081, protocol: 'tcp' },
      { containerPort: 9229, hostPort: 9229, hostIp: '127.0.0.1', protocol: 'tcp' },
      { containerPort: 3000, hostPort: 0, protocol: 'tcp' },
      { containerPort: 5000, hostPort: 0, hostIp: '::1', protocol: 'udp' },
      { containerPort: 7000, protocol: 'tcp' },
    ],
  });
  const options = containerCreateOptions({ app: 'vote', service: 'result', member: '1' }, spec, {});
  assert.deepEqual(options.ExposedPorts, { '80/tcp': {}, '9229/tcp': {}, '3000/tcp': {}, '5000/udp': {}, '7000/tcp': {} });
  assert.deepEqual(options.HostConfig?.PortBindings, {
    '80/tcp': [{ HostPort: '8081' }],
    '9229/tcp': [{ HostPort: '9229', HostIp: '127.0.0.1' }],
    '3000/tcp': [{ HostPort: '' }],
    '5000/udp': [{ HostPort: '', HostIp: '::1' }],
  });
});

test('one container port published on two addresses keeps both bindings', () => {
  const spec = serviceSpec({
    id: 'web',
    image: 'web:1',
    ports: [
      { containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1', protocol: 'tcp' },
      { containerPort: 80, hostPort: 8080, hostIp: '10.0.0.5', protocol: 'tcp' },
    ],
  });
  const options = containerCreateOptions({ app: 'a', service: 'web', member: '1' }, spec, {});
  assert.deepEqual(options.HostConfig?.PortBindings, { '80/tcp': [{ HostPort: '8080', HostIp: '127.0.0.1' }, { HostPort: '8080', HostIp: '10.0.0.5' }] });
});

test('user, working dir, hostname, init, stop signal, extra hosts and dns reach Docker; absent, the image decides', () => {
  const spec = serviceSpec({
    id: 'worker',
    image: 'worker:1',
    user: '1000:1000',
    workingDir: '/app',
    hostname: 'worker-host',
    init: true,
    stopSignal: 'SIGINT',
    extraHosts: ['db.local:10.0.0.9'],
    dns: ['10.0.0.2', '10.0.0.53'],
  });
  const options = containerCreateOptions({ app: 'a', service: 'worker', member: '1' }, spec, {}, [], ['10.0.0.53', '10.0.0.54']);
  assert.equal(options.User, '1000:1000');
  assert.equal(options.WorkingDir, '/app');
  assert.equal(options.Hostname, 'worker-host');
  assert.equal(options.StopSignal, 'SIGINT');
  assert.equal(options.HostConfig?.Init, true);
  assert.deepEqual(options.HostConfig?.ExtraHosts, ['db.local:10.0.0.9']);
  // The service's own servers first, then the networks' (each once).
  assert.deepEqual(options.HostConfig?.Dns, ['10.0.0.2', '10.0.0.53', '10.0.0.54']);

  const plain = containerCreateOptions({ app: 'a', service: 's', member: '1' }, serviceSpec({ id: 's', image: 'i' }), {});
  for (const key of ['User', 'WorkingDir', 'Hostname', 'StopSignal'] as const) assert.equal(key in plain, false, key);
  for (const key of ['Init', 'ExtraHosts', 'Dns'] as const) assert.equal(key in (plain.HostConfig ?? {}), false, key);
});
