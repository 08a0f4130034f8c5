// Probes against real sockets on loopback.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import { probeHttp, probeTcp } from '../../activities/docker/probes';

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

test('a closed port is not', async () => {
  const server = createServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  assert.match(await probeTcp('127.0.0.1', port, 2_000), /ECONNREFUSED/);
});

test('an http probe wants the expected status', async () => {
  const server = createHttpServer((req, res) => res.writeHead(req.url === '/ok' ? 200 : 503).end());
  const port = await listen(server);
  assert.equal(await probeHttp(`http://127.0.0.1:${port}/ok`, 200, 2_000), '');
  assert.equal(await probeHttp(`http://127.0.0.1:${port}/down`, 200, 2_000), `GET http://127.0.0.1:${port}/down answered 503, expected 200`);
  server.close();
});
