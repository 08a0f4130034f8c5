// A new member's steps as its activity reports them: the pull counted from the engine's
// messages, every heartbeat of startMember carrying the step it is on (Temporal keeps only
// the latest details, so a bare one would wipe it), and the words a client shows for them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import type Docker from 'dockerode';
import { containerActivities, memberContainers } from '../../activities/docker/containers';
import { startMemberActivities, type StartMemberInput, type StartMembersInput } from '../../activities/docker/startMember';
import { DockerUnavailableError, HealthTimeoutError } from '../../activities/errors';
import { beat } from '../../activities/docker/memberProgressReport';
import { PullTally, type PullMessage } from '../../activities/docker/pullTally';
import { batchProgressOf, memberProgressOf, memberProgressText, type MemberProgress } from '../../domain/application/memberProgress';
import { serviceSpec } from '../support/specs';

/** What an engine streams for an image of three layers, one of which the host already has. */
const PULL: PullMessage[] = [
  { status: 'Pulling from e2e/app', id: '1' },
  { status: 'Already exists', id: 'aaa' },
  { status: 'Pulling fs layer', id: 'bbb', progressDetail: {} },
  { status: 'Pulling fs layer', id: 'ccc', progressDetail: {} },
  { status: 'Downloading', id: 'bbb', progressDetail: { current: 500_000, total: 2_000_000 } },
  { status: 'Downloading', id: 'ccc', progressDetail: { current: 100_000, total: 1_000_000 } },
  { status: 'Download complete', id: 'bbb' },
  { status: 'Extracting', id: 'bbb', progressDetail: { current: 32_768, total: 2_000_000 } },
  { status: 'Pull complete', id: 'bbb' },
  { status: 'Download complete', id: 'ccc' },
  { status: 'Pull complete', id: 'ccc' },
  { status: 'Digest: sha256:0123' },
  { status: 'Status: Downloaded newer image for e2e/app:1' },
];

describe('pull tally', () => {
  test('layers announced, done when complete or already there; bytes of the layers downloading', () => {
    const tally = new PullTally();
    const seen: string[] = [];
    for (const m of PULL) {
      tally.add(m);
      seen.push(`${tally.layerTally.done}/${tally.layerTally.total} ${tally.byteTally.done}/${tally.byteTally.total}`);
    }
    assert.deepEqual(seen, [
      '0/0 0/0', // the tag is not a layer
      '1/1 0/0',
      '1/2 0/0',
      '1/3 0/0',
      '1/3 500000/0', // ccc's size is not known yet: no total
      '1/3 600000/3000000',
      '1/3 2100000/3000000',
      '1/3 2100000/3000000', // extracting reports other numbers
      '2/3 2100000/3000000',
      '2/3 3000000/3000000',
      '3/3 3000000/3000000',
      '3/3 3000000/3000000',
      '3/3 3000000/3000000',
    ]);
  });
});

describe('member progress in words', () => {
  test('each step, the pull with its counts when known', () => {
    const p = (x: Omit<MemberProgress, 'member'>) => memberProgressText({ member: '1', ...x });
    assert.equal(p({ step: 'pulling', image: 'clocker/x:1', layers: { done: 3, total: 7 } }), 'pulling clocker/x:1 (3/7 layers)');
    assert.equal(p({ step: 'pulling', image: 'clocker/x:1', layers: { done: 1, total: 3 }, bytes: { done: 2_100_000, total: 3_000_000 } }), 'pulling clocker/x:1 (1/3 layers, 2.1 of 3.0 MB)');
    assert.equal(p({ step: 'pulling', image: 'clocker/x:1', layers: { done: 0, total: 0 }, bytes: { done: 0, total: 0 } }), 'pulling clocker/x:1');
    assert.equal(p({ step: 'pulling', image: 'clocker/x:1', layers: { done: 2, total: 4 }, bytes: { done: 400_000, total: 0 } }), 'pulling clocker/x:1 (2/4 layers, 0.4 MB so far)');
    assert.equal(p({ step: 'building', image: 'shop/web:1' }), 'building shop/web:1');
    assert.equal(p({ step: 'creating' }), 'creating the container');
    assert.equal(p({ step: 'starting' }), 'starting the container');
    assert.equal(p({ step: 'waiting for health' }), 'created; waiting until healthy');
    assert.equal(p({ step: 'healthy' }), "healthy; its host's other new members are still starting");
  });

  test('heartbeat details from any worker: only a well-formed progress is taken', () => {
    assert.deepEqual(memberProgressOf({ member: '2', step: 'pulling', image: 'a:1', layers: { done: 1, total: 2 }, extra: true }), { member: '2', step: 'pulling', image: 'a:1', layers: { done: 1, total: 2 } });
    assert.deepEqual(memberProgressOf({ member: '2', step: 'creating', layers: 'many' }), { member: '2', step: 'creating' });
    for (const bad of [undefined, null, 3, 'pulling', { step: 'pulling' }, { member: '1', step: 'dancing' }, { member: 1, step: 'creating' }]) assert.equal(memberProgressOf(bad), undefined, JSON.stringify(bad));
  });

  test("a batch's details: each well-formed member progress is taken, the rest left out", () => {
    assert.deepEqual(batchProgressOf({ members: [{ member: '1', step: 'healthy' }, { member: '2', step: 'dancing' }, { member: '3', step: 'pulling', image: 'a:1' }] }), [
      { member: '1', step: 'healthy' },
      { member: '3', step: 'pulling', image: 'a:1' },
    ]);
    for (const bad of [undefined, null, { member: '1', step: 'creating' }, { members: 'all' }]) assert.deepEqual(batchProgressOf(bad), [], JSON.stringify(bad));
  });
});

/** An engine without the image: the pull streams PULL, then create and start succeed. */
function engineToPullFrom(): Docker {
  const notFound = () => Object.assign(new Error('not found'), { statusCode: 404 });
  let pulled = false;
  let running = false;
  return {
    getContainer: () => ({
      inspect: async () => {
        if (!running) throw notFound();
        return { Id: 'c1', Config: { Labels: {} }, State: { Running: true }, NetworkSettings: { Ports: {}, Networks: {} } };
      },
      start: async () => void (running = true),
    }),
    getImage: () => ({
      inspect: async () => {
        if (!pulled) throw notFound();
        return {};
      },
    }),
    pull: async () => ({}),
    modem: {
      followProgress: (_stream: unknown, done: (err: Error | null) => void, onProgress: (m: PullMessage) => void) => {
        for (const m of PULL) onProgress(m);
        pulled = true;
        done(null);
      },
    },
    createContainer: async () => ({ id: 'c1' }),
  } as unknown as Docker;
}

describe('startMember reports its steps', () => {
  test('every heartbeat carries the step: pulling (with counts), creating, starting, waiting for health', async () => {
    const members = memberContainers(() => engineToPullFrom(), () => '', {} as Client);
    let healthWaitSaw: unknown;
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const { startMember } = startMemberActivities(members, async () => {
      healthWaitSaw = beats.at(-1);
    });
    const input: StartMemberInput = {
      endpoint: { kind: 'socket', socketPath: '/fake.sock' },
      ref: { app: 'cp', service: 'web', member: '4' },
      spec: serviceSpec({ id: 'web', image: 'e2e/app:1', ports: [] }),
      hostAddress: '127.0.0.1',
      healthTimeoutMs: 1_000,
    };
    await env.run((i: StartMemberInput) => startMember(i), input);
    // Bare until the first step is known (the image looked up), then never bare again.
    const first = beats.findIndex((d) => d !== undefined);
    assert.ok(first > 0, JSON.stringify(beats));
    const progress = beats.slice(first).map((d) => memberProgressOf(d));
    assert.ok(
      progress.every((p) => p?.member === '4'),
      `a bare heartbeat would wipe the step: ${JSON.stringify(beats)}`,
    );
    // The steps in order, each once (consecutive repeats folded).
    const steps = progress.map((p) => p!.step).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(steps, ['pulling', 'creating', 'starting', 'waiting for health']);
    const lastPull = progress.filter((p) => p?.step === 'pulling').at(-1);
    assert.deepEqual(lastPull, { member: '4', step: 'pulling', image: 'e2e/app:1', layers: { done: 3, total: 3 }, bytes: { done: 3_000_000, total: 3_000_000 } });
    assert.equal(memberProgressOf(healthWaitSaw)?.step, 'waiting for health');
  });

  test('ensureContainer on its own (the path before startMember) heartbeats bare, as before', async () => {
    const containers = containerActivities(() => engineToPullFrom(), () => '', {} as Client);
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    await env.run(() => containers.ensureContainer({ endpoint: { kind: 'socket', socketPath: '/fake.sock' }, ref: { app: 'cp', service: 'web', member: '1' }, spec: serviceSpec({ id: 'web', image: 'e2e/app:1', ports: [] }) }));
    assert.ok(beats.length > 0);
    assert.ok(beats.every((d) => d === undefined), JSON.stringify(beats));
  });
});

describe("startMembers: a host's new members in one activity", () => {
  const endpoint = { kind: 'socket', socketPath: '/fake.sock' } as const;
  const input = (members: string[]): StartMembersInput => ({
    endpoint,
    hostAddress: '127.0.0.1',
    spec: serviceSpec({ id: 'web', image: 'e2e/app:1', ports: [] }),
    healthTimeoutMs: 1_000,
    members: members.map((member) => ({ ref: { app: 'cp', service: 'web', member } })),
  });

  test("each member's outcome is its own: healthy, a failure no retry mends, one a retry may", async () => {
    const members = memberContainers(() => engineToPullFrom(), () => '', {} as Client);
    const { startMembers } = startMemberActivities(members, async ({ containerName }) => {
      if (containerName.endsWith('.2')) throw new HealthTimeoutError(containerName, 1_000, 'connection refused');
      if (containerName.endsWith('.3')) throw new DockerUnavailableError('/fake.sock', 'socket hang up');
    });
    const outcome = await new MockActivityEnvironment().run((i: StartMembersInput) => startMembers(i), input(['1', '2', '3']));
    assert.deepEqual(outcome, [
      { member: '1', info: { containerId: 'c1', running: true, ports: [], networks: {} } },
      { member: '2', failure: { type: 'HealthTimeoutError', message: 'container cp.web.2 was not healthy within 1000 ms: connection refused', retryable: false } },
      { member: '3', failure: { type: 'DockerUnavailableError', message: 'Docker engine at /fake.sock is not answering: socket hang up', retryable: true } },
    ]);
  });

  test('every heartbeat carries every member it knows a step of; one done says healthy while the others go on', async () => {
    const members = memberContainers(() => engineToPullFrom(), () => '', {} as Client);
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    let sawOtherHealthy = false;
    const { startMembers } = startMemberActivities(members, async ({ containerName }) => {
      if (!containerName.endsWith('.2')) return;
      // Member 2 is still waiting once member 1 is done: its next beat carries both.
      await new Promise((r) => setTimeout(r, 50));
      beat();
    });
    await env.run((i: StartMembersInput) => startMembers(i), input(['1', '2']));
    const boards = beats.filter((d) => d !== undefined).map((d) => batchProgressOf(d));
    assert.ok(boards.length > 0 && boards.every((b) => b.length > 0), `a bare heartbeat would wipe the steps: ${JSON.stringify(beats)}`);
    assert.ok(boards.some((b) => b.length === 2), `both members on one board: ${JSON.stringify(boards)}`);
    for (const b of boards) if (b.some((p) => p.member === '1' && p.step === 'healthy') && b.some((p) => p.member === '2' && p.step === 'waiting for health')) sawOtherHealthy = true;
    assert.ok(sawOtherHealthy, JSON.stringify(boards));
  });
});
