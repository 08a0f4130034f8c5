// When a routed network's steps run (workflows/routedNetworks.ts), against a real Temporal server
// with the routed activities recorded instead of run: the application ensures the network on
// every live host before its services start (withdrawing dead hosts' routes), each service for a
// host it places a member on, then the names follow the running members (written again when one
// goes), and destroy takes routes and rules off the hosts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { placementActivities } from '../../activities/infrastructure/placement';
import type { EnsureRoutedInput } from '../../activities/network/routed';
import type { WriteNamesInput } from '../../activities/network/routedNames';
import type { ClockerClient } from '../../client/clockerClient';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const APP = 'routed-wf';
const until = async (what: string, check: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('routed networks in the workflows', { skip: skipUnlessPresent('temporal') }, () => {
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();
  const ensured: { input: EnsureRoutedInput; created: number }[] = [];
  const written: WriteNamesInput[] = [];
  const removed: { app: string; network: { id: string; cidr: string } }[] = [];
  const recorded = {
    ensureRoutedNetwork: async (input: EnsureRoutedInput) => (ensured.push({ input, created: engine.created.length }), []),
    writeRoutedNames: async (input: WriteNamesInput) => (written.push(input), []),
    removeRoutedNetwork: async (input: { infrastructure: string; app: string; network: { id: string; cidr: string } }) => (removed.push(input), []),
  };

  before(async () => {
    tier = await startWorkflowTier('routed-networks', engine, (client: Client) => ({ ...placementActivities(client), ...engine.activities(), ...recorded }));
    ({ clocker } = tier);
  });

  after(() => tier?.stop());

  test('ensured up front on every live host, then per member host; names follow the running members; destroy removes', async () => {
    await clocker.ensureInfrastructure(fakeHosts(APP, { count: 2 }));
    const bp = blueprint(
      APP,
      [
        serviceSpec({ id: 'a', image: 'a:1', networks: [{ network: 'mesh', aliases: ['alpha'] }] }),
        serviceSpec({ id: 'b', image: 'b:1', count: 2, size: { initial: 2, min: 1, max: 2 }, networks: [{ network: 'mesh', aliases: [] }] }),
      ],
      APP,
    );
    bp.networks = [{ id: 'mesh', driver: 'routed', dnsServers: [], shared: false, addIptablesRules: false, labels: {} }];
    await clocker.deploy(bp);
    const view = await clocker.waitFor(APP, (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));

    const [first, ...rest] = ensured;
    assert.ok(first, 'the application ensured the network');
    assert.equal(first.created, 0, 'before any member was created');
    assert.equal(first.input.withdraw, true);
    assert.equal(first.input.hostIds, undefined, 'on every live host');
    assert.match(first.input.network.cidr ?? '', /^10\.\d+\.\d+\.0\/24$/, 'with the subnet IPAM gave');
    const hostsPlaced = [...new Set(view.services.flatMap((s) => s.members.map((m) => m.hostId)))].sort();
    const perHost = rest.filter((e) => e.input.hostIds !== undefined);
    assert.deepEqual([...new Set(perHost.flatMap((e) => e.input.hostIds!))].sort(), hostsPlaced, 'each member host, by its services');
    assert.ok(perHost.every((e) => e.input.withdraw === undefined), 'a service never withdraws');

    const running = () => view.services.flatMap((s) => s.members.map((m) => `${m.networks!['mesh']} ${s.id}`)).sort();
    const lastNames = () => (written.at(-1)?.entries ?? []).map((e) => `${e.address} ${e.names[0]}`).sort();
    await until('names of every running member written', () => JSON.stringify(lastNames()) === JSON.stringify(running()));
    const entries = written.at(-1)!.entries;
    assert.deepEqual(entries.find((e) => e.names[0] === 'a')?.names, ['a', `a.${APP}`, 'alpha']);
    assert.deepEqual(written.at(-1)!.networks, ['mesh']);
    assert.ok(ensured.slice(1).some((e) => e.input.withdraw === true && e.input.hostIds === undefined), 'routes ensured again when the members changed');

    const resized = await clocker.resizeService(APP, 'b', { size: 1 });
    assert.equal(resized.size, 1);
    await until('names written again without the removed member', () => (written.at(-1)?.entries ?? []).filter((e) => e.names[0] === 'b').length === 1);

    const gone = await clocker.destroy(APP, 30_000);
    assert.equal(gone.status, 'DESTROYED', JSON.stringify(gone));
    assert.deepEqual(removed.map((r) => `${r.app}/${r.network.id} ${r.network.cidr}`), [`${APP}/mesh ${first.input.network.cidr}`]);
  });
});
