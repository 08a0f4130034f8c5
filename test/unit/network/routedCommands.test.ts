// The host commands of a routed network: exact argv.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listRoutesCommand, removalScript, routedHostScript, ruleRemovals } from '../../../activities/network/routedCommands';

test('one script per host: withdraw, replace each route, then the chain and the rules only where -C says they are missing (ACCEPT and RETURN at the top, DROP at the end)', () => {
  const argv = routedHostScript({
    owner: 'shop/mesh',
    subnet: '10.9.0.0/24',
    ownBlocks: ['10.9.0.32/27'],
    routes: [{ block: '10.9.0.0/27', via: '10.213.5.11' }],
    stale: ['10.9.0.96/27'],
  });
  assert.deepEqual(argv, [
    'sh',
    '-c',
    [
      'ip route del 10.9.0.96/27 proto 201 2>/dev/null || true',
      'ip route replace 10.9.0.0/27 via 10.213.5.11 proto 201 || exit $?',
      'iptables -w 5 -n -L CLOCKER-ROUTED >/dev/null 2>&1 || iptables -w 5 -N CLOCKER-ROUTED || exit $?',
      'iptables -w 5 -C DOCKER-USER -j CLOCKER-ROUTED >/dev/null 2>&1 || iptables -w 5 -I DOCKER-USER 1 -j CLOCKER-ROUTED || exit $?',
      'iptables -w 5 -C CLOCKER-ROUTED -s 10.9.0.0/24 -d 10.9.0.32/27 -m comment --comment clocker-routed:shop/mesh -j ACCEPT >/dev/null 2>&1 || iptables -w 5 -I CLOCKER-ROUTED 1 -s 10.9.0.0/24 -d 10.9.0.32/27 -m comment --comment clocker-routed:shop/mesh -j ACCEPT || exit $?',
      'iptables -w 5 -C CLOCKER-ROUTED -d 10.9.0.32/27 -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -m comment --comment clocker-routed:shop/mesh -j RETURN >/dev/null 2>&1 || iptables -w 5 -I CLOCKER-ROUTED 1 -d 10.9.0.32/27 -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -m comment --comment clocker-routed:shop/mesh -j RETURN || exit $?',
      'iptables -w 5 -C CLOCKER-ROUTED -d 10.9.0.32/27 -m comment --comment clocker-routed:shop/mesh -j DROP >/dev/null 2>&1 || iptables -w 5 -A CLOCKER-ROUTED -d 10.9.0.32/27 -m comment --comment clocker-routed:shop/mesh -j DROP || exit $?',
      "iptables -w 5 -t nat -C POSTROUTING -s 10.9.0.32/27 '!' -d 10.9.0.0/24 -m comment --comment clocker-routed:shop/mesh -j MASQUERADE >/dev/null 2>&1 || iptables -w 5 -t nat -I POSTROUTING 1 -s 10.9.0.32/27 '!' -d 10.9.0.0/24 -m comment --comment clocker-routed:shop/mesh -j MASQUERADE || exit $?",
    ].join('\n'),
  ]);
  assert.deepEqual(routedHostScript({ owner: 'a/n', subnet: '10.9.0.0/24', ownBlocks: [], routes: [], stale: [] }), ['sh', '-c', 'true']);
  assert.deepEqual(listRoutesCommand('10.9.0.0/24'), ['ip', '-o', 'route', 'show', 'root', '10.9.0.0/24', 'proto', '201']);
});

test("destroy: the network's rules found by comment in both tables (quoted or not), its routes flushed by protocol", () => {
  const listing = [
    'filter -P FORWARD DROP',
    'filter -N CLOCKER-ROUTED',
    'filter -A CLOCKER-ROUTED -s 10.9.0.0/24 -d 10.9.0.32/27 -m comment --comment "clocker-routed:shop/mesh" -j ACCEPT',
    'filter -A CLOCKER-ROUTED -s 10.7.0.0/24 -d 10.7.0.0/27 -m comment --comment clocker-routed:shop/other -j ACCEPT',
    'filter -A CLOCKER-ROUTED -d 10.9.0.32/27 -m comment --comment clocker-routed:shop/mesh -j DROP',
    'nat -A POSTROUTING -s 10.9.0.32/27 ! -d 10.9.0.0/24 -m comment --comment clocker-routed:shop/mesh -j MASQUERADE',
  ].join('\n');
  const removals = ruleRemovals(listing, 'shop/mesh');
  assert.deepEqual(removals, [
    ['iptables', '-w', '5', '-D', 'CLOCKER-ROUTED', '-s', '10.9.0.0/24', '-d', '10.9.0.32/27', '-m', 'comment', '--comment', 'clocker-routed:shop/mesh', '-j', 'ACCEPT'],
    ['iptables', '-w', '5', '-D', 'CLOCKER-ROUTED', '-d', '10.9.0.32/27', '-m', 'comment', '--comment', 'clocker-routed:shop/mesh', '-j', 'DROP'],
    ['iptables', '-w', '5', '-t', 'nat', '-D', 'POSTROUTING', '-s', '10.9.0.32/27', '!', '-d', '10.9.0.0/24', '-m', 'comment', '--comment', 'clocker-routed:shop/mesh', '-j', 'MASQUERADE'],
  ]);
  assert.equal(removalScript('10.9.0.0/24', removals.slice(0, 1))[2], [
    'ip route flush root 10.9.0.0/24 proto 201',
    'iptables -w 5 -D CLOCKER-ROUTED -s 10.9.0.0/24 -d 10.9.0.32/27 -m comment --comment clocker-routed:shop/mesh -j ACCEPT; rc=$?; [ $rc -le 1 ] || exit $rc',
  ].join('\n'));
});
