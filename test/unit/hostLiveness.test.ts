// The host probe: liveness is one request whatever the host runs, and an engine that does not
// answer is evidence (alive: false) rather than an activity failure; usage is measured a few
// containers at a time, and a container that does not answer is left out.
import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { dockerProbeActivities } from '../../activities/hosts/dockerProbe';
import type { EngineConnection } from '../../activities/monitoring/engineConnection';

const endpoint = { kind: 'tcp' as const, host: '192.0.2.7', port: 2376 };
const stats = (total: number) => ({ cpu_stats: { cpu_usage: { total_usage: total }, system_cpu_usage: 2000, online_cpus: 2 }, precpu_stats: { cpu_usage: { total_usage: 0 }, system_cpu_usage: 1000 }, memory_stats: { usage: 1024 } });

function fakeDocker(
  over: Partial<Record<'info' | 'listContainers', () => Promise<unknown>>> & { stats?: (id: string) => Promise<unknown>; connection?: EngineConnection },
  calls: string[] = [],
) {
  const client = {
    info: over.info ?? (async () => ({ ContainersRunning: 3 })),
    listContainers: over.listContainers ?? (async () => []),
    getContainer: (id: string) => ({ stats: () => (calls.push(`stats ${id}`), (over.stats ?? (async () => stats(100)))(id)) }),
  };
  return dockerProbeActivities(() => client as unknown as Docker, async () => over.connection ?? 'open');
}

test('an engine that answers is alive, with its running container count, in one request', async () => {
  const calls: string[] = [];
  const probe = fakeDocker({ listContainers: async () => (calls.push('list'), []) }, calls);
  assert.deepEqual(await probe.checkHostAlive({ docker: endpoint, timeoutMs: 1_000 }), { alive: true, containers: 3 });
  assert.deepEqual(calls, [], 'no listing, no stats: the cost does not grow with the containers');
});

test('an engine that refuses or stays silent is evidence against the host, not a thrown failure', async () => {
  const refused = fakeDocker({ info: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 192.0.2.7:2376'), { code: 'ECONNREFUSED' })) });
  const answer = await refused.checkHostAlive({ docker: endpoint, timeoutMs: 1_000 });
  assert.equal(answer.alive, false);
  assert.match(answer.alive ? '' : answer.reason, /ECONNREFUSED/);
  const silent = fakeDocker({ info: () => new Promise(() => undefined) });
  const started = Date.now();
  const quiet = await silent.checkHostAlive({ docker: endpoint, timeoutMs: 200 });
  assert.equal(quiet.alive, false);
  assert.match(quiet.alive ? '' : quiet.reason, /no answer within 200 ms/);
  assert.ok(Date.now() - started < 2_000);
});

test('usage adds up what answered, at most four containers at a time; a silent one is left out', async () => {
  let inFlight = 0;
  let peak = 0;
  const ids = Array.from({ length: 10 }, (_, i) => ({ Id: `c${i}` }));
  const probe = fakeDocker({
    listContainers: async () => ids,
    stats: async (id) => {
      peak = Math.max(peak, ++inFlight);
      try {
        if (id === 'c3') return await new Promise(() => undefined);
        await new Promise((r) => setTimeout(r, 10));
        return stats(100);
      } finally {
        inFlight--;
      }
    },
  });
  const measured = await probe.measureHostUsage({ docker: endpoint, perContainerTimeoutMs: 100 });
  assert.equal(measured.containers, 10);
  assert.equal(measured.usage.memoryBytes, 9 * 1024, 'the silent container is left out');
  assert.equal(measured.usage.cpuPercent, 9 * 20, '100/1000 of the system times 2 CPUs, nine times');
  // Four at a time, plus the silent one, which is given up on (not awaited) when the next four start.
  assert.ok(peak <= 5, `at most four at once beside the abandoned one (saw ${peak})`);
});

test('a wait that ran long because the worker was busy is no evidence either way', async () => {
  let asked: () => void = () => undefined;
  const requestSent = new Promise<void>((r) => (asked = r));
  const silent = fakeDocker({ info: () => (asked(), new Promise(() => undefined)) });
  const answer = silent.checkHostAlive({ docker: endpoint, timeoutMs: 100 });
  await requestSent;
  // The worker's event loop is held up well past the timeout (a busy worker): the timer fires late.
  const until = Date.now() + 1_400;
  while (Date.now() < until) {
    // busy
  }
  const seen = await answer;
  assert.equal(seen.alive, 'unknown');
  assert.match(seen.alive === 'unknown' ? seen.reason : '', /no answer within 100 ms, but this worker was busy \(its timer fired \d+ ms late\)/);
});

test('an answer that came in while the worker was held up wins over the timer that fired late', async () => {
  // A real socket pair on loopback: the answer sits in the kernel while the loop is held up, as an engine's reply would.
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  const engine = await accepted;
  try {
    let asked: () => void = () => undefined;
    const requestSent = new Promise<void>((r) => (asked = r));
    const probe = fakeDocker({ info: () => (asked(), new Promise((r) => client.once('data', () => r({ ContainersRunning: 1 })))) });
    const answer = probe.checkHostAlive({ docker: endpoint, timeoutMs: 50 });
    await requestSent;
    engine.write('answer');
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // busy: the timer is due and the answer has come when the loop turns again
    }
    assert.deepEqual(await answer, { alive: true, containers: 1 });
  } finally {
    client.destroy();
    engine.destroy();
    server.close();
  }
});

test('an engine that refuses a new connection is not alive, though a pooled connection might still be answered', async () => {
  const calls: string[] = [];
  const stopping = fakeDocker({ connection: 'refused', info: async () => (calls.push('info'), { ContainersRunning: 3 }) });
  assert.deepEqual(await stopping.checkHostAlive({ docker: endpoint, timeoutMs: 1_000 }), { alive: false, reason: 'tcp://192.0.2.7:2376 refuses new connections' });
  assert.deepEqual(calls, [], 'no request on an old connection');
  // Silence on the new connection is left to the request's own timeout (with its busy-worker check).
  const quiet = fakeDocker({ connection: 'silent' });
  assert.deepEqual(await quiet.checkHostAlive({ docker: endpoint, timeoutMs: 1_000 }), { alive: true, containers: 3 });
});
