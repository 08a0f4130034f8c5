// A network that names no driver gets its infrastructure's (app-overlay-default): on two hosts
// the application forms the swarm and its members join the overlay network, status says which
// driver and why; on one host it stays a bridge; a network a later version adds takes the same
// driver, and the same file deployed again is no change of network.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ClockerClient } from '../../client/clockerClient';
import { defaultNetworkSpec } from '../../domain/blueprint/build/defaultNetwork';
import type { Blueprint } from '../../domain/blueprint/model';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'default-driver';

/** One service on the default network, which names no driver (as the loader leaves it). */
function onDefault(app: string, infrastructure: string): Blueprint {
  const bp = blueprint(app, [serviceSpec({ id: 'one', image: 'one:1', networks: [{ network: 'default', aliases: [] }] })], infrastructure);
  bp.networks = [defaultNetworkSpec()];
  return bp;
}

describe('the default network driver by infrastructure', { skip: skipUnlessPresent('temporal') }, () => {
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();
  const containerOf = (app: string, service: string) => [...engine.containers.values()].find((c) => c.name.startsWith(`${app}.${service}.`));

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ clocker } = tier);
  });

  after(() => tier?.stop());

  test('on two hosts a network with no driver is overlay: the swarm is formed, members join it, status says why', async () => {
    await clocker.ensureInfrastructure(fakeHosts('dd-two', { dockerHost: (id) => `two-${id}` }));
    await clocker.deploy(onDefault('dd-two', 'dd-two'));
    const view = await clocker.waitFor('dd-two', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    assert.deepEqual([...engine.swarm].filter((h) => h.startsWith('two-')).sort(), ['two-h1', 'two-h2']);
    // The application formed the swarm; the service's members found their hosts in it and asked for nothing more (svc-overlay-join-on-need).
    assert.deepEqual(engine.swarmCalls.filter((c) => c.some((h) => h.startsWith('two-'))), [['two-h1', 'two-h2']]);
    assert.deepEqual(containerOf('dd-two', 'one')?.networks, ['dd-two_default']);
    assert.equal(view.networks?.length, 1);
    const [network] = view.networks ?? [];
    assert.equal(network?.driver, 'overlay');
    assert.equal(network?.chosen, 'infrastructure "dd-two" has 2 hosts');
    assert.match(network?.cidr ?? '', /^\d+\.\d+\.\d+\.\d+\/\d+$/);

    // The same file again: not a change of network (its driver was chosen, not written).
    const again = await clocker.deploy({ ...onDefault('dd-two', 'dd-two'), services: [serviceSpec({ id: 'one', image: 'one:2', networks: [{ network: 'default', aliases: [] }] })] });
    assert.equal(again.kind, 'updated');
    // A network the version adds with no driver takes the application's choice.
    const grown = onDefault('dd-two', 'dd-two');
    grown.networks = [defaultNetworkSpec(), { id: 'back', dnsServers: [], shared: false, addIptablesRules: false, labels: {} }];
    grown.services = [serviceSpec({ id: 'one', image: 'one:2', networks: [{ network: 'default', aliases: [] }] }), serviceSpec({ id: 'two', image: 'two:1', networks: [{ network: 'back', aliases: [] }] })];
    const third = await clocker.deploy(grown);
    const v3 = third.kind === 'updated' ? third.version : 0;
    const after3 = await clocker.waitFor('dd-two', (v) => v.version === v3 && v.status === 'RUNNING', 30_000);
    assert.deepEqual(after3.networks?.map((n) => [n.id, n.driver, n.chosen]), [
      ['default', 'overlay', 'infrastructure "dd-two" has 2 hosts'],
      ['back', 'overlay', 'infrastructure "dd-two" has 2 hosts'],
    ]);
    assert.deepEqual(containerOf('dd-two', 'two')?.networks, ['dd-two_back']);
    // A written driver other than the one the network runs on is a change, refused before it enters history.
    await assert.rejects(clocker.deploy({ ...grown, networks: [{ ...defaultNetworkSpec(), driver: 'bridge' }, grown.networks[1]!] }), /changing or removing a network of a running application is not supported yet \(default\)/);
    await clocker.destroy('dd-two', 30_000);
  });

  test('a host out of the swarm (it left, or came after the application formed it) joins when a member of a new service is placed there', async () => {
    await clocker.ensureInfrastructure(fakeHosts('dd-late', { dockerHost: (id) => `late-${id}` }));
    await clocker.deploy(onDefault('dd-late', 'dd-late'));
    assert.equal((await clocker.waitFor('dd-late', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    engine.swarm.delete('late-h2');
    const grown = onDefault('dd-late', 'dd-late');
    grown.services = [...grown.services, serviceSpec({ id: 'extra', image: 'extra:1', count: 2, networks: [{ network: 'default', aliases: [] }] })];
    const answer = await clocker.deploy(grown);
    const version = answer.kind === 'updated' ? answer.version : 0;
    const view = await clocker.waitFor('dd-late', (v) => v.version === version && v.status !== 'UPDATING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const extra = [...engine.containers.values()].filter((c) => c.name.startsWith('dd-late.extra.'));
    assert.deepEqual(extra.map((c) => c.host).sort(), ['late-h1', 'late-h2'], 'one member on each host');
    for (const c of extra) assert.deepEqual(c.networks, ['dd-late_default']);
    assert.ok(engine.swarm.has('late-h2'), 'late-h2 joined the swarm again');
    // The application's ensureSwarm, then one from the service, for the host its engine said was out.
    assert.equal(engine.swarmCalls.filter((c) => c.some((h) => h.startsWith('late-'))).length, 2);
    await clocker.destroy('dd-late', 30_000);
  });

  test('on one host it stays a bridge, and no swarm is formed', async () => {
    await clocker.ensureInfrastructure(fakeHosts('dd-one', { count: 1, dockerHost: (id) => `one-${id}` }));
    await clocker.deploy(onDefault('dd-one', 'dd-one'));
    const view = await clocker.waitFor('dd-one', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    assert.deepEqual([...engine.swarm].filter((h) => h.startsWith('one-')), []);
    assert.deepEqual(containerOf('dd-one', 'one')?.networks, ['dd-one.default']);
    assert.deepEqual(view.networks?.map((n) => [n.id, n.driver, n.chosen]), [['default', 'bridge', 'infrastructure "dd-one" has 1 host']]);
    await clocker.destroy('dd-one', 30_000);
  });
});
