// A port bound to one host address (Compose's "127.0.0.1:9229:9229") is shown and offered where it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderApp } from '../../client/render/appTable';
import { boundAddress, publishedAddress } from '../../domain/application/publishedAddress';
import { publishedEndpoints, type ServiceView } from '../../domain/application/status';

test('every address → the host; one address → that one; loopback → nobody else', () => {
  assert.equal(publishedAddress('10.0.0.1', undefined), '10.0.0.1');
  assert.equal(publishedAddress('10.0.0.1', '0.0.0.0'), '10.0.0.1');
  assert.equal(publishedAddress('10.0.0.1', '::'), '10.0.0.1');
  assert.equal(publishedAddress('10.0.0.1', '192.168.1.7'), '192.168.1.7');
  assert.equal(publishedAddress('10.0.0.1', '127.0.0.1'), undefined);
  assert.equal(publishedAddress('10.0.0.1', '127.0.1.1'), undefined);
  assert.equal(publishedAddress('10.0.0.1', '::1'), undefined);
  assert.equal(boundAddress('10.0.0.1', '127.0.0.1'), '127.0.0.1');
  assert.equal(boundAddress('10.0.0.1', undefined), '10.0.0.1');
});

test('status and the deploy summary show a loopback port at its loopback address', () => {
  const service: ServiceView = {
    id: 'result',
    status: 'RUNNING',
    desired: 1,
    generation: 1,
    hostEndpoints: {},
    members: [
      {
        member: '1',
        hostId: 'h1',
        hostAddress: '172.17.0.1',
        containerName: 'vote.result.1',
        state: 'RUNNING',
        generation: 1,
        ports: [
          { containerPort: 80, hostPort: 8081, protocol: 'tcp', boundHostPort: 8081 },
          { containerPort: 9229, hostPort: 9229, hostIp: '127.0.0.1', protocol: 'tcp', boundHostPort: 9229 },
        ],
      },
    ],
  };
  assert.deepEqual(publishedEndpoints(service), ['172.17.0.1:8081', '127.0.0.1:9229']);
  const text = renderApp({ name: 'vote', location: 'local', status: 'RUNNING', version: 1, services: [service] });
  assert.match(text, /172\.17\.0\.1:8081->80\/tcp, 127\.0\.0\.1:9229->9229\/tcp/);
});
