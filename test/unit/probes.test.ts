// Probes against real sockets on loopback.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { mock, test } from 'node:test';
import { directListener, probeHttp, probeTcp, type BehindPort, type PortAnswer } from '../../activities/docker/probes';

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

test('a TCP port with a server that keeps the connection open is healthy', async () => {
  const server = createServer(() => undefined);
  const port = await listen(server);
  assert.equal(await probeTcp('127.0.0.1', port, 2_000), '');
  server.close();
});

test('a port whose peer closes right after accepting (like a proxy with no backend) is not', async () => {
  const server = createServer((socket) => socket.end());
  const port = await listen(server);
  assert.equal(await probeTcp('127.0.0.1', port, 2_000), 'closed by peer right after connect');
  server.close();
});

test('a silent open connection counts at once when what is behind the port confirms a listener: no settling wait', async (t) => {
  const server = createServer(() => undefined);
  const port = await listen(server);
  // Timers frozen: were the probe to wait out its settle, it would never answer.
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  assert.equal(await probeTcp('127.0.0.1', port, 2_000, { ask: async () => '' }), '');
  server.close();
});

test('a port that stays open is still not healthy when nothing listens behind it (a proxy whose backend is down)', async () => {
  const proxy = createServer(() => undefined); // accepts and holds, like docker-proxy before it gives up
  const port = await listen(proxy);
  const closed = createServer();
  const backend = await listen(closed);
  await new Promise((r) => closed.close(r));
  assert.equal(await probeTcp('127.0.0.1', port, 2_000, directListener(['127.0.0.1'], backend, 1_000)), `nothing listens on port ${backend} inside the container (its published port accepted for it)`);
  proxy.close();
});

test('a peer that closes right after accepting fails even with a way to ask behind it', async () => {
  const server = createServer((socket) => socket.end());
  const port = await listen(server);
  const closed = createServer();
  const backend = await listen(closed);
  await new Promise((r) => closed.close(r));
  assert.notEqual(await probeTcp('127.0.0.1', port, 2_000, directListener(['127.0.0.1'], backend, 1_000)), '');
  server.close();
});

test('when nothing behind the port can be asked, the connection must stay open for the settle time', async () => {
  const server = createServer(() => undefined);
  const port = await listen(server);
  const started = Date.now();
  assert.equal(await probeTcp('127.0.0.1', port, 2_000, { ask: async () => undefined }), '');
  assert.ok(Date.now() - started >= 290, `answered after ${Date.now() - started} ms`);
  server.close();
});

test('directListener: open, refused, or cannot tell', async () => {
  const server = createServer(() => undefined);
  const open = await listen(server);
  const gone = createServer();
  const closed = await listen(gone);
  await new Promise((r) => gone.close(r));
  assert.equal(await directListener(['127.0.0.1'], open, 1_000).ask(), '');
  assert.match((await directListener(['127.0.0.1'], closed, 1_000).ask()) ?? '', /nothing listens/);
  assert.equal(await directListener([], open, 1_000).ask(), undefined);
  server.close();
});

test('a closed port is not', async () => {
  const server = createServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  assert.match(await probeTcp('127.0.0.1', port, 2_000), /ECONNREFUSED/);
});

test('what the port itself answered reaches the one behind it: a refusal, a hang-up, nothing when it holds', async () => {
  const heard = (): { answers: PortAnswer[]; behind: BehindPort } => {
    const answers: PortAnswer[] = [];
    return { answers, behind: { ask: async () => '', heard: (a) => answers.push(a) } };
  };
  const gone = createServer();
  const closed = await listen(gone);
  await new Promise((r) => gone.close(r));
  const refusing = heard();
  assert.match(await probeTcp('127.0.0.1', closed, 2_000, refusing.behind), /ECONNREFUSED/);
  assert.deepEqual(refusing.answers, ['refused']);

  const hanging = createServer((socket) => socket.end());
  const hangUp = heard();
  // Asked behind it, the answer never comes: the hang-up is what decides.
  assert.equal(await probeTcp('127.0.0.1', await listen(hanging), 2_000, { ask: () => new Promise(() => undefined), heard: hangUp.behind.heard }), 'closed by peer right after connect');
  assert.deepEqual(hangUp.answers, ['hung up']);
  hanging.close();

  const holding = createServer(() => undefined);
  const held = heard();
  assert.equal(await probeTcp('127.0.0.1', await listen(holding), 2_000, held.behind), '');
  assert.deepEqual(held.answers, []);
  holding.close();
});

test('an http probe wants the expected status', async () => {
  const server = createHttpServer((req, res) => res.writeHead(req.url === '/ok' ? 200 : 503).end());
  const port = await listen(server);
  assert.equal(await probeHttp(`http://127.0.0.1:${port}/ok`, 200, 2_000), '');
  assert.equal(await probeHttp(`http://127.0.0.1:${port}/down`, 200, 2_000), `GET http://127.0.0.1:${port}/down answered 503, expected 200`);
  server.close();
});
