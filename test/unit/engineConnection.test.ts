// Whether an engine takes new connections: asked by the host probe and by the watcher before it
// passes a member's death on. A listening engine does; a closed port or a missing socket refuses.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { engineConnection } from '../../activities/monitoring/engineConnection';

test('a listening engine is open; once its listener is closed it is refused', async () => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  assert.equal(await engineConnection({ kind: 'tcp', host: '127.0.0.1', port, tls: { certRef: 'unused' } }, 1_000), 'open');
  await new Promise((r) => server.close(r));
  assert.equal(await engineConnection({ kind: 'tcp', host: '127.0.0.1', port }, 1_000), 'refused');
});

test('a unix socket engine: open while it listens, refused once its socket is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-accepts-'));
  try {
    const socketPath = join(dir, 'docker.sock');
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(socketPath, r));
    assert.equal(await engineConnection({ kind: 'socket', socketPath }, 1_000), 'open');
    await new Promise((r) => server.close(r));
    assert.equal(await engineConnection({ kind: 'socket', socketPath }, 1_000), 'refused');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
