// Members' addresses from the infrastructure's IPAM, on a real Temporal server with the in-memory
// engine: the members of one placement take theirs in one activity (svc-member-addresses-batch),
// each gets its own address inside the network's subnet, and a destroy gives them all back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import ipaddr from 'ipaddr.js';
import { ClockerClient } from '../../client/clockerClient';
import { defaultNetworkSpec } from '../../domain/blueprint/build/defaultNetwork';
import { workflowIds } from '../../domain/naming';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, replayEveryHistory, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'member-addresses';

describe('members take their addresses from IPAM', { skip: skipUnlessPresent('temporal') }, () => {
  let env: TestWorkflowEnvironment;
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ env, clocker } = tier);
  });

  after(() => tier?.stop());

  const activityCalls = async (workflowId: string, type: string) => {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).length;
  };

  /** How many Updates of this name the infrastructure took (accepted into its history). */
  const updatesTaken = async (name: string) => {
    const history = await env.client.workflow.getHandle(workflowIds.infrastructure('addr')).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === name).length;
  };

  test('the members of one placement take distinct addresses in the subnet in one activity; a resize takes the new ones in one more; destroy gives them back', async () => {
    await clocker.ensureInfrastructure(fakeHosts('addr', { maxContainers: 10 }));
    const bp = blueprint('addr', [serviceSpec({ id: 'web', image: 'web:1', count: 5, size: { initial: 5, min: 1, max: 10 }, networks: [{ network: 'default', aliases: [] }] })], 'addr');
    bp.networks = [{ ...defaultNetworkSpec(), driver: 'bridge' }]; // named: on several hosts the default would be overlay
    await clocker.deploy(bp);
    const view = await clocker.waitFor('addr', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const subnet = (await clocker.infrastructureStatus('addr')).subnets.find((s) => s.owner === 'addr/default');
    assert.ok(subnet, 'the network has its subnet');
    const range = ipaddr.parseCIDR(subnet.cidr);
    // What each member's container was asked to take on the network (Docker would give it that address).
    const addresses = () => clocker.status('addr').then((v) => v.services[0]!.members.map((m) => engine.addressesAsked.get(m.containerName)?.default ?? ''));
    const first = await addresses();
    assert.equal(first.length, 5);
    assert.equal(new Set(first).size, 5, `distinct: ${first.join(', ')}`);
    for (const a of first) assert.ok(ipaddr.parse(a).match(range), `${a} in ${subnet.cidr}`);
    const svc = workflowIds.service('addr', 'web');
    assert.equal(await activityCalls(svc, 'allocateMembersAddresses'), 1);
    assert.equal(await activityCalls(svc, 'allocateMemberAddresses'), 0);
    // One Update of the infrastructure for the placement's five members, not one per member.
    assert.equal(await updatesTaken('allocateAddresses'), 1);
    assert.equal(await updatesTaken('allocateAddress'), 0);

    await clocker.resizeService('addr', 'web', { size: 8 });
    await clocker.waitFor('addr', (v) => v.services[0]!.members.filter((m) => m.state === 'RUNNING').length === 8, 30_000);
    const grown = await addresses();
    assert.equal(new Set(grown).size, 8, `distinct: ${grown.join(', ')}`);
    assert.equal(await activityCalls(svc, 'allocateMembersAddresses'), 2);
    assert.equal(await updatesTaken('allocateAddresses'), 2);
    const held = (await clocker.infrastructureStatus('addr')).subnets.find((s) => s.owner === 'addr/default')?.addresses ?? [];
    assert.deepEqual(held.map((h) => h.address).sort(), [...grown].sort());

    assert.equal((await clocker.destroy('addr', 30_000)).status, 'DESTROYED');
    // The eight addresses went back in one Update.
    assert.equal(await updatesTaken('releaseAddresses'), 1);
    assert.equal(await updatesTaken('releaseAddress'), 0);
    const left = (await clocker.infrastructureStatus('addr')).subnets.filter((s) => s.addresses.some((h) => h.owner.startsWith('addr/')));
    assert.deepEqual(left, []);
  });

  test('every history of this file replays deterministically', async () => {
    const { replayed, failures } = await replayEveryHistory(env);
    assert.deepEqual(failures, []);
    assert.ok(replayed >= 2, `replayed ${replayed}`);
  });
});
