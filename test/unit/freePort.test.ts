// The tests' free ports: below the ephemeral range, so no outgoing connection takes one before
// the server it was picked for binds it; and really free.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { freePort } from '../support/ports';

test('freePort picks ports below the ephemeral range that a server can listen on', async () => {
  const ephemeral = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  for (let i = 0; i < 5; i++) {
    const port = await freePort();
    assert.ok(port >= 20_000 && port < ephemeral, `${port} is in [20000, ${ephemeral})`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '0.0.0.0', resolve));
    await new Promise((resolve) => server.close(resolve));
  }
});
