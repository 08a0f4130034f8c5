// The isolation rules of an addIptablesRules network, as the exact argv and script a host gets,
// and the removals found in a listing as iptables-nft prints it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isolationSteps, removalCommands, removalScript, stepsScript } from '../../activities/network/isolationRules';
import { hostAccess } from '../../domain/infra/hostAccess';
import type { InfraState } from '../../domain/infra/model';

const IPT = ['iptables', '-w', '5'];

test('the chain, the jump from DOCKER-USER, then RETURN rules inserted at the top (reversed) and DROP appended, each checked first', () => {
  const steps = isolationSteps([{ app: 'shop', network: 'back', iface: 'br-0123456789ab' }]);
  const tag = ['-m', 'comment', '--comment', 'clocker:shop/back'];
  assert.deepEqual(steps, [
    { check: [...IPT, '-n', '-L', 'CLOCKER-ISOLATION'], add: [...IPT, '-N', 'CLOCKER-ISOLATION'] },
    { check: [...IPT, '-C', 'DOCKER-USER', '-j', 'CLOCKER-ISOLATION'], add: [...IPT, '-I', 'DOCKER-USER', '1', '-j', 'CLOCKER-ISOLATION'] },
    ...[
      ['-o', 'br-0123456789ab', '-m', 'conntrack', '--ctstate', 'DNAT', ...tag, '-j', 'RETURN'],
      ['-o', 'br-0123456789ab', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...tag, '-j', 'RETURN'],
      ['-i', 'br-0123456789ab', '-o', 'br-0123456789ab', ...tag, '-j', 'RETURN'],
    ].map((rule) => ({ check: [...IPT, '-C', 'CLOCKER-ISOLATION', ...rule], add: [...IPT, '-I', 'CLOCKER-ISOLATION', '1', ...rule] })),
    { check: [...IPT, '-C', 'CLOCKER-ISOLATION', '-o', 'br-0123456789ab', ...tag, '-j', 'DROP'], add: [...IPT, '-A', 'CLOCKER-ISOLATION', '-o', 'br-0123456789ab', ...tag, '-j', 'DROP'] },
  ]);
});

test('one script per host: each add runs only when its check fails, and a failed add stops it', () => {
  const [sh, c, script] = stepsScript(isolationSteps([]));
  assert.deepEqual([sh, c], ['sh', '-c']);
  assert.equal(
    script,
    [
      'iptables -w 5 -n -L CLOCKER-ISOLATION >/dev/null 2>&1 || iptables -w 5 -N CLOCKER-ISOLATION || exit $?',
      'iptables -w 5 -C DOCKER-USER -j CLOCKER-ISOLATION >/dev/null 2>&1 || iptables -w 5 -I DOCKER-USER 1 -j CLOCKER-ISOLATION || exit $?',
    ].join('\n'),
  );
});

const LISTING = [
  '-N CLOCKER-ISOLATION',
  '-A CLOCKER-ISOLATION -i br-a -o br-a -m comment --comment "clocker:shop/back" -j RETURN',
  '-A CLOCKER-ISOLATION -i br-b -o br-b -m comment --comment "clocker:shop2/back" -j RETURN',
  '-A CLOCKER-ISOLATION -o br-c -m comment --comment "clocker:shop/front" -j DROP',
  '-A CLOCKER-ISOLATION -o br-a -m comment --comment "clocker:shop/back" -j DROP',
  '',
].join('\n');

test("removal finds every rule of the application by its comment (not another application's whose name it prefixes), quotes stripped", () => {
  assert.deepEqual(removalCommands(LISTING, 'shop'), [
    [...IPT, '-D', 'CLOCKER-ISOLATION', '-i', 'br-a', '-o', 'br-a', '-m', 'comment', '--comment', 'clocker:shop/back', '-j', 'RETURN'],
    [...IPT, '-D', 'CLOCKER-ISOLATION', '-o', 'br-c', '-m', 'comment', '--comment', 'clocker:shop/front', '-j', 'DROP'],
    [...IPT, '-D', 'CLOCKER-ISOLATION', '-o', 'br-a', '-m', 'comment', '--comment', 'clocker:shop/back', '-j', 'DROP'],
  ]);
  assert.equal(removalCommands(LISTING, 'shop', 'front').length, 1);
  assert.deepEqual(removalCommands('', 'shop'), []);
});

test('a removal that finds the rule gone (exit 1) goes on; any other failure stops the script', () => {
  assert.deepEqual(removalScript([['iptables', '-D', 'X']]), ['sh', '-c', 'iptables -D X; rc=$?; [ $rc -le 1 ] || exit $rc']);
});

test('host access: byon hosts over SSH with their pinned key, other hosts by their engine only', () => {
  const record = (id: string, docker: InfraState['hosts'][number]['record']['docker']) => ({ record: { id, address: id, docker, status: 'AVAILABLE' as const, labels: {}, maxContainers: 1 }, usage: { cpuPercent: 0, memoryBytes: 0 }, reservations: [] });
  const byon = { id: 'h1', address: '10.0.0.1', port: 22, user: 'root', keyRef: '$secret:k', labels: {}, maxContainers: 1, root: '' };
  const state = {
    version: 1,
    hosts: [record('h1', { kind: 'tcp', host: '10.0.0.1', port: 2376 }), record('local', { kind: 'socket', socketPath: '/var/run/docker.sock' })],
    ipam: { version: 1, pools: [], subnets: {} },
    machines: [{ host: byon, role: 'active', pinnedHostKey: 'SHA256:x' }],
  } as InfraState;
  assert.deepEqual(hostAccess(state), [
    { id: 'h1', address: 'h1', status: 'AVAILABLE', docker: { kind: 'tcp', host: '10.0.0.1', port: 2376 }, ssh: { host: byon, pinnedHostKey: 'SHA256:x' } },
    { id: 'local', address: 'local', status: 'AVAILABLE', docker: { kind: 'socket', socketPath: '/var/run/docker.sock' } },
  ]);
});
