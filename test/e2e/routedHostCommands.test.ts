// A routed network's host script (activities/network/routedCommands.ts) against real iptables
// and routes, in a rig host's own network namespace: run twice it leaves one copy of each route
// and rule; a run cut short (only the DROP there) converges to the same order; a host that lost
// another's block withdraws its route; the removal leaves nothing of the network's.
// e2e-group: beside (its own rig host; no Docker, no Temporal).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listRoutesCommand, listRulesScript, removalScript, routedHostScript, ruleRemovals, type RoutedHostPlan } from '../../activities/network/routedCommands';
import { staleRoutes } from '../../domain/network/routedBlocks';
import { createRig, type Rig } from '../rig/rig';
import { skipUnlessPresent } from '../support/components';
import { run } from '../support/exec';

describe("a routed network's host commands, in a real network namespace", { skip: skipUnlessPresent('rig') }, () => {
  let rig: Rig;
  const inHost = (argv: string[], allowFail = false) => run(['ip', 'netns', 'exec', rig.hosts[0]!.netns, ...argv], { allowFail });
  const chain = async () => (await inHost(['iptables', '-S', 'CLOCKER-ROUTED'])).trim().split('\n').filter((l) => l.startsWith('-A'));
  const natRules = async () => (await inHost(['iptables', '-t', 'nat', '-S', 'POSTROUTING'])).split('\n').filter((l) => l.includes('clocker-routed:'));
  const routes = async () => (await inHost(listRoutesCommand('10.77.0.0/24'))).trim().split('\n').filter((l) => l !== '').map((l) => l.trim().split(/\s+/).slice(0, 3).join(' '));
  let plan: RoutedHostPlan;

  before(async () => {
    rig = await createRig({ hosts: 1, docker: false });
    // Docker makes DOCKER-USER; this host has no dockerd, so the test does.
    await inHost(['iptables', '-N', 'DOCKER-USER']);
    const peer = (n: number) => rig.gateway.replace(/\.1$/, `.${200 + n}`);
    plan = {
      owner: 'shop/mesh',
      subnet: '10.77.0.0/24',
      ownBlocks: ['10.77.0.0/27'],
      routes: [
        { block: '10.77.0.32/27', via: peer(1) },
        { block: '10.77.0.64/27', via: peer(2) },
      ],
      stale: [],
    };
  });

  after(async () => {
    await rig?.teardown();
  });

  test('run twice, one copy of each route and rule, in order: ACCEPT and RETURN before DROP', async () => {
    await inHost(routedHostScript(plan));
    await inHost(routedHostScript(plan));
    assert.deepEqual(await routes(), plan.routes.map((r) => `${r.block} via ${r.via}`));
    const rules = await chain();
    assert.equal(rules.length, 3, rules.join('\n'));
    // Either order of the two that let traffic on; the DROP last.
    const [top, bottom] = [rules.slice(0, 2).sort(), rules[2]!];
    assert.match(top[0]!, /^-A CLOCKER-ROUTED -d 10\.77\.0\.0\/27 .*RELATED,ESTABLISHED,DNAT .*-j RETURN$/);
    assert.match(top[1]!, /^-A CLOCKER-ROUTED -s 10\.77\.0\.0\/24 -d 10\.77\.0\.0\/27 .*-j ACCEPT$/);
    assert.match(bottom, /^-A CLOCKER-ROUTED -d 10\.77\.0\.0\/27 .*-j DROP$/);
    assert.equal((await inHost(['iptables', '-S', 'DOCKER-USER'])).split('\n').filter((l) => l.includes('-j CLOCKER-ROUTED')).length, 1);
    assert.equal((await natRules()).length, 1);
  });

  test('a run cut short (only the DROP left) converges to the same order; a lost block is withdrawn', async () => {
    for (const rule of (await chain()).filter((l) => !l.endsWith('-j DROP'))) await inHost(['iptables', '-D', ...rule.slice(3).split(' ').map((w) => w.replace(/^"(.*)"$/, '$1'))]);
    assert.equal((await chain()).length, 1);
    const fewer = plan.routes.slice(0, 1);
    const stale = staleRoutes(await inHost(listRoutesCommand(plan.subnet)), plan.subnet, fewer);
    assert.deepEqual(stale, ['10.77.0.64/27']);
    await inHost(routedHostScript({ ...plan, routes: fewer, stale }));
    assert.deepEqual(await routes(), fewer.map((r) => `${r.block} via ${r.via}`));
    assert.deepEqual((await chain()).map((l) => l.split(' ').at(-1)), ['RETURN', 'ACCEPT', 'DROP']);
  });

  test("removal leaves nothing of the network's", async () => {
    const removals = ruleRemovals(await inHost(listRulesScript()), plan.owner);
    assert.equal(removals.length, 4, JSON.stringify(removals));
    await inHost(removalScript(plan.subnet, removals));
    await inHost(removalScript(plan.subnet, ruleRemovals(await inHost(listRulesScript()), plan.owner)));
    assert.deepEqual(await routes(), []);
    assert.deepEqual(await chain(), []);
    assert.deepEqual(await natRules(), []);
  });
});
