// The application makes its networks on every live host before any service starts, and a
// running infrastructure that recorded a loopback host address is corrected by ensureInfrastructure.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClockerClient } from '../../client/clockerClient';
import { defaultNetworkSpec } from '../../domain/blueprint/build/defaultNetwork';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'app-networks';

const hosts = (name: string, address?: (i: number) => string) => fakeHosts(name, address ? { address } : {});

describe('application networks', { skip: skipUnlessPresent('temporal') }, () => {
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ clocker } = tier);
  });

  after(() => tier?.stop());

  test('a bridge network is made on every live host up front, also where no member lands', async () => {
    await clocker.ensureInfrastructure(hosts('upfront'));
    const bp = blueprint('upfront', [serviceSpec({ id: 'one', image: 'one:1', networks: [{ network: 'default', aliases: [] }] })], 'upfront');
    // Written: with no driver, two hosts would make it overlay (test/workflow/defaultDriver.test.ts).
    bp.networks = [{ ...defaultNetworkSpec(), driver: 'bridge' }];
    await clocker.deploy(bp);
    const view = await clocker.waitFor('upfront', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    assert.equal(view.services[0]?.members.length, 1);
    assert.deepEqual([...engine.networks].filter((n) => n.endsWith('/upfront.default')).sort(), ['h1/upfront.default', 'h2/upfront.default']);
    await clocker.destroy('upfront', 30_000);
  });

  test('a running infrastructure that recorded 127.0.0.1 takes the address ensureInfrastructure brings; new members publish it', async () => {
    await clocker.ensureInfrastructure(hosts('moved', () => '127.0.0.1'));
    assert.deepEqual((await clocker.infrastructureStatus('moved')).hosts.map((h) => h.address), ['127.0.0.1', '127.0.0.1']);
    assert.equal(await clocker.ensureInfrastructure(hosts('moved', (i) => `172.17.0.${i + 1}`)), 'existing');
    assert.deepEqual((await clocker.infrastructureStatus('moved')).hosts.map((h) => h.address), ['172.17.0.1', '172.17.0.2']);
    await clocker.deploy(blueprint('moved', [serviceSpec({ id: 'one', image: 'one:1', count: 2 })], 'moved'));
    const view = await clocker.waitFor('moved', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    assert.deepEqual(view.services[0]?.members.map((m) => m.hostAddress).sort(), ['172.17.0.1', '172.17.0.2']);
    await clocker.destroy('moved', 30_000);
  });
});
