// The health wait of a new member with no probe in the blueprint, against a real port on
// loopback and an in-memory engine: it probes often and asks the engine seldom, and a
// container that exits is failed with its exit code, not waited for until the timeout.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { healthWait, type WaitHealthyInput } from '../../activities/docker/health';
import { createPortPaths } from '../../activities/docker/portPaths';

/** A port on loopback that accepts and hangs up at once: what a published port with nothing behind it looks like. */
async function hangingUp(): Promise<{ server: Server; port: number; connections: () => number }> {
  let n = 0;
  const server = createServer((socket) => {
    n++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, connections: () => n };
}

function engine(states: { Running: boolean; ExitCode: number }[]) {
  let inspects = 0;
  const docker = {
    getContainer: () => ({
      inspect: async () => {
        const state = states[Math.min(inspects, states.length - 1)]!;
        inspects++;
        return { State: { ...state, StartedAt: new Date(Date.now() - 60_000).toISOString() }, NetworkSettings: { Networks: {} } };
      },
      logs: async () => Buffer.alloc(0),
    }),
  } as unknown as Docker;
  return { docker, inspects: () => inspects };
}

const input = (port: number, timeoutMs: number): WaitHealthyInput => ({
  endpoint: { kind: 'socket', socketPath: '/fake.sock' },
  containerName: 'cp.web.1',
  hostAddress: '127.0.0.1',
  ports: [{ containerPort: 80, protocol: 'tcp', boundHostPort: port }],
  timeoutMs,
});

test('a port that never answers: probed many times, the engine asked about once a second, then a HealthTimeoutError', async () => {
  const { server, port, connections } = await hangingUp();
  const { docker, inspects } = engine([{ Running: true, ExitCode: 0 }]);
  try {
    const wait = healthWait(() => docker, () => '');
    await assert.rejects(new MockActivityEnvironment().run(wait, input(port, 2_500)), (err: Error) => err.name === 'HealthTimeoutError' && /closed by peer/.test(err.message));
    assert.ok(inspects() >= 2 && inspects() <= 4, `inspects: ${inspects()}`);
    assert.ok(connections() >= 3 * inspects(), `${connections()} probes for ${inspects()} inspects`);
  } finally {
    server.close();
  }
});

test('a container that exits while its port does not answer fails with its exit code, long before the timeout', async () => {
  const { server, port } = await hangingUp();
  const { docker } = engine([{ Running: true, ExitCode: 0 }, { Running: false, ExitCode: 3 }]);
  try {
    const wait = healthWait(() => docker, () => '');
    const started = Date.now();
    await assert.rejects(new MockActivityEnvironment().run(wait, input(port, 60_000)), (err: Error) => err.name === 'ContainerExitedError' && /exited with code 3/.test(err.message));
    console.log(`exit seen after ${Date.now() - started} ms`);
  } finally {
    server.close();
  }
});

test('the look taken after start serves the first round: a member that answers at once costs no inspect', async () => {
  const server = createServer((socket) => socket.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const { docker, inspects } = engine([{ Running: true, ExitCode: 0 }]);
  try {
    const look = (await docker.getContainer('cp.web.1').inspect()) as Docker.ContainerInspectInfo;
    const wait = healthWait(() => docker, () => '');
    await new MockActivityEnvironment().run((i: WaitHealthyInput) => wait(i, look), input(port, 5_000));
    assert.equal(inspects(), 1, 'only the look itself');
  } finally {
    server.close();
  }
});

test('a declared http probe: asked often until its first success, a failure counted once per interval as Docker counts it', async () => {
  let requests = 0;
  const server = createHttpServer((_req, res) => {
    requests++;
    res.writeHead(503).end('starting');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const { docker } = engine([{ Running: true, ExitCode: 0 }]);
  try {
    const wait = healthWait(() => docker, () => '');
    const health = { probe: { kind: 'http' as const, port: 80, path: '/', expectStatus: 200 }, intervalMs: 1_000, timeoutMs: 1_000, retries: 1, startPeriodMs: 0 };
    await assert.rejects(new MockActivityEnvironment().run(wait, { ...input(port, 30_000), health }), (err: Error) => err.name === 'HealthTimeoutError' && /2 consecutive failed probes/.test(err.message));
    // Unhealthy after two counted failures (one interval apart), as with one probe per interval; asked more often meanwhile.
    assert.ok(requests >= 4, `${requests} requests`);
  } finally {
    server.close();
  }
});

// --- a remote engine: the exec that looks inside, and what a refusal teaches -------------------

/** A remote engine's container: running since `startedAt()`, with an exec that counts its calls and finds a listener. */
function remoteEngine(startedAt: () => string) {
  let execs = 0;
  const docker = {
    getContainer: () => ({
      inspect: async () => ({ State: { Running: true, ExitCode: 0, StartedAt: startedAt() }, NetworkSettings: { Networks: {} } }),
      exec: async () => {
        execs++;
        return {
          start: async () => {
            const out = new PassThrough();
            setImmediate(() => out.end());
            return out;
          },
          inspect: async () => ({ ExitCode: 0 }),
        };
      },
    }),
  } as unknown as Docker;
  return { docker, execs: () => execs };
}

const remoteInput = (port: number): WaitHealthyInput => ({ ...input(port, 10_000), endpoint: { kind: 'tcp', host: '127.0.0.1', port: 2375 } });

/** A port nothing listens on yet, and a way to open it (a server that holds connections silently, as httpd does). */
async function laterPort(): Promise<{ port: number; open: () => Promise<Server> }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return {
    port: port.port,
    open: async () => {
      const server = createServer(() => undefined);
      await new Promise<void>((resolve) => server.listen(port.port, '127.0.0.1', resolve));
      return server;
    },
  };
}

test('a remote member whose port accepts silently is confirmed by a look inside while the path is unknown', async () => {
  const { port, open } = await laterPort();
  const server = await open();
  const { docker, execs } = remoteEngine(() => '2026-12-04T10:00:00Z');
  try {
    await new MockActivityEnvironment().run(healthWait(() => docker, () => '', createPortPaths()), remoteInput(port));
    assert.equal(execs(), 1);
  } finally {
    server.close();
  }
});

test('a refusal from a remote member that ran throughout teaches the path: its accept and later members count with no exec', async () => {
  const paths = createPortPaths();
  const first = await laterPort();
  const { docker, execs } = remoteEngine(() => '2026-12-04T10:00:00Z');
  const opening = new Promise<Server>((resolve) => setTimeout(() => resolve(first.open()), 150));
  const servers: Server[] = [];
  try {
    await new MockActivityEnvironment().run(healthWait(() => docker, () => '', paths), remoteInput(first.port));
    servers.push(await opening);
    assert.equal(paths.direct('127.0.0.1'), true, 'learned from the refusal');
    const second = await laterPort();
    servers.push(await second.open());
    await new MockActivityEnvironment().run(healthWait(() => docker, () => '', paths), remoteInput(second.port));
    assert.equal(execs(), 0, 'no look inside either member');
  } finally {
    servers.forEach((s) => s.close());
  }
});

test('a refusal from a remote member that restarted meanwhile teaches nothing: it had no port to refuse with', async () => {
  const paths = createPortPaths();
  const { port, open } = await laterPort();
  let looks = 0;
  // Each look sees a new start: the container restarted between the refusal and the look after it.
  const { docker, execs } = remoteEngine(() => new Date(Date.UTC(2026, 11, 4, 10, 0, looks++)).toISOString());
  const opening = new Promise<Server>((resolve) => setTimeout(() => resolve(open()), 150));
  try {
    await new MockActivityEnvironment().run(healthWait(() => docker, () => '', paths), remoteInput(port));
    assert.equal(paths.direct('127.0.0.1'), false);
    assert.equal(execs(), 1, 'its accept was confirmed by a look inside');
  } finally {
    (await opening).close();
  }
});
