// The production tier: a Temporal cluster on PostgreSQL (four services, mTLS on the frontend),
// two Clocker workers with encrypted payloads, all started by scripts/prod-stack.sh. A deploy
// survives worker 1's SIGKILL (worker 2 finishes it), destroy leaves nothing, and no history
// holds a secret's value or a private key.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { localInfrastructure } from '../../client/commands/up';
import { ensureBusyboxImage } from '../../client/images/busyboxImage';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { scanHistories } from '../support/historyScan';
import { ROOT, startProdStack, type ProdStack } from '../support/prodStack';

const run = promisify(execFile);
const SECRET = `s3cr3t-${process.pid}-${Date.now()}`;

describe('production stack: cluster on PostgreSQL, mTLS, two workers', { skip: skipUnlessPresent('prodstack', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const app = `prod${process.pid}`;
  let stack: ProdStack;

  before(async () => {
    await ensureBusyboxImage(docker);
    stack = await startProdStack({ workers: 2, secrets: { 'prod-db-password': SECRET } });
    console.log(`# prod-stack.sh up (fresh folder, binaries cached): ${stack.upMs} ms`);
    await stack.clocker.ensureInfrastructure(await localInfrastructure(docker));
  });

  /** The CLI as a user runs it: the connection given by flags only, the keyring by its file. */
  const cli = async (...args: string[]): Promise<string> => {
    const e = stack.env;
    const flags = [
      '--temporal', e.CLOCKER_TEMPORAL_ADDRESS!, '--namespace', 'default',
      '--tls-cert', e.CLOCKER_TEMPORAL_TLS_CERT!, '--tls-key', e.CLOCKER_TEMPORAL_TLS_KEY!,
      '--tls-ca', e.CLOCKER_TEMPORAL_TLS_CA!, '--tls-server-name', e.CLOCKER_TEMPORAL_TLS_SERVER_NAME!,
    ];
    const env = { PATH: process.env.PATH, HOME: stack.dir, CLOCKER_HOME: join(stack.dir, 'cli'), CLOCKER_PAYLOAD_KEYS_FILE: e.CLOCKER_PAYLOAD_KEYS_FILE };
    return (await run(process.execPath, [join(ROOT, 'bin', 'clocker.js'), ...flags, ...args], { env, timeout: 300_000 })).stdout;
  };

  after(async () => {
    await removeAppLeftovers(docker, app, `${app}k1`, `${app}k2`);
    await stack?.destroy();
  });

  test('the frontend answers only over mTLS: plaintext and TLS without a client certificate are refused', async () => {
    const address = stack.config.address;
    await assert.rejects(
      Connection.connect({ address, connectTimeout: '3s' }).then((c) => new Client({ connection: c }).workflowService.getSystemInfo({})),
      'plaintext is refused',
    );
    const ca = readFileSync(stack.env.CLOCKER_TEMPORAL_TLS_CA!);
    await assert.rejects(
      Connection.connect({ address, connectTimeout: '3s', tls: { serverRootCACertificate: ca, serverNameOverride: 'clocker-frontend' } }).then((c) =>
        c.workflowService.getSystemInfo({}),
      ),
      /certificate|handshake|tls|transport|deadline/i,
      'TLS without a client certificate is refused',
    );
    // The client the tests use is mutual TLS (and its workers said so).
    assert.ok(stack.config.tls?.clientCert && stack.config.tls.serverCa);
    for (const n of [1, 2]) assert.match(stack.workerLog(n), /clocker worker: .*\(namespace default, mTLS\), payloads encrypted/);
  });

  test('deployed by the CLI over mTLS (flags alone); worker 1 SIGKILLed mid-deploy, worker 2 finishes; destroy leaves nothing', async () => {
    const file = join(stack.dir, `${app}.yaml`);
    writeFileSync(
      file,
      [
        `name: ${app}`,
        'location: local',
        'services:',
        '  - id: web',
        '    image: clocker/busybox:1',
        '    count: 2',
        `    command: [sh, -c, 'sleep 4; mkdir -p /www; echo "served by a member" > /www/index.html; exec httpd -f -p 8080 -h /www']`,
        '    env:',
        '      DB_PASSWORD: $secret:prod-db-password',
        '    ports:',
        '      - "0:8080"',
        '',
      ].join('\n'),
    );
    await cli('deploy', file, '--no-wait');
    await waitUntil('a container to exist', 60_000, async () => (await appContainers(docker, app)).length > 0);
    assert.equal((await stack.clocker.status(app)).status, 'DEPLOYING');
    await stack.killWorker(1);

    const view = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 180_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const containers = await appContainers(docker, app);
    assert.equal(containers.length, 2, 'exactly the two members, none doubled by the crash');
    for (const member of view.services[0]?.members ?? []) {
      const port = member.ports[0]?.boundHostPort;
      assert.ok(port, 'a published port was recorded');
      assert.deepEqual(await httpGet(`http://127.0.0.1:${port}/`), { ok: true, body: 'served by a member\n' });
    }
    // The secret reached the containers (resolved by a worker from the stack's secrets folder).
    const inspected = await docker.getContainer(containers[0]!.Id).inspect();
    assert.ok(inspected.Config.Env.includes(`DB_PASSWORD=${SECRET}`), 'the secret is in the container');
    assert.equal((JSON.parse(await cli('status', app, '--json')) as { status: string }).status, 'RUNNING');

    await cli('destroy', app);
    assert.equal((await stack.clocker.status(app)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, app)).length, 0);
    assert.equal((await docker.listNetworks()).filter((n) => n.Name.includes(app)).length, 0, 'no network of the app is left');
  });

  test('a SIGKILL at other points: early, mid-placement and mid-destroy; the surviving worker finishes each with exactly the members', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Worker 1 died in the test above; each round has both workers, then kills one.
    for (const [round, killAfterMs] of [[1, 300], [2, 1500]] as const) {
      await stack.startWorker(1);
      const name = `${app}k${round}`;
      const file = join(stack.dir, `${name}.yaml`);
      writeFileSync(file, [`name: ${name}`, 'location: local', 'services:', '  - id: web', '    image: clocker/busybox:1', '    count: 3',
        `    command: [sh, -c, 'sleep 2; exec httpd -f -p 8080 -h /']`, '    ports:', '      - "0:8080"', ''].join('\n'));
      await cli('deploy', file, '--no-wait');
      await sleep(killAfterMs);
      await stack.killWorker(1);
      const view = await stack.clocker.waitFor(name, (v) => v.status !== 'DEPLOYING', 180_000);
      assert.equal(view.status, 'RUNNING', `round ${round}: ${JSON.stringify(view)}`);
      assert.equal((await appContainers(docker, name)).length, 3, `round ${round}: exactly three containers`);
      if (round === 2) {
        // Mid-destroy: worker 1 back, worker 2 killed once the teardown has begun.
        await stack.startWorker(1);
        await cli('destroy', name, '--timeout', '1').catch(() => undefined); // starts it; the wait may time out
        await stack.killWorker(2);
        const gone = await stack.clocker.waitFor(name, (v) => v.status === 'DESTROYED', 120_000);
        assert.equal(gone.status, 'DESTROYED');
        await stack.startWorker(2);
      } else {
        await cli('destroy', name);
      }
      assert.equal((await appContainers(docker, name)).length, 0, `round ${round}: nothing left`);
      assert.equal((await docker.listNetworks()).filter((n) => n.Name.startsWith(`${name}.`)).length, 0, `round ${round}: no network left`);
    }
  });

  test('no history of the tier holds a secret value or a private key; the payloads are ciphertext', async () => {
    const tls = ['client.key', 'frontend.key', 'ca.key'].map((f) => readFileSync(join(stack.dir, 'tls', f), 'utf8'));
    const keyBodies = tls.map((pem) => pem.split('\n')[1]!).filter(Boolean);
    const scan = await scanHistories(stack.raw, [SECRET, '-----BEGIN', 'PRIVATE KEY', ...keyBodies]);
    console.log(`# history scan: ${scan.workflows} workflows, ${scan.events} events, ${scan.encryptedPayloads} encrypted payloads, ${scan.clearPayloads} clear (search attributes)`);
    assert.ok(scan.workflows >= 3, `the tier's workflows were scanned (${scan.workflows})`);
    assert.deepEqual(scan.findings, []);
    assert.ok(scan.encryptedPayloads > 20, `payloads are encrypted (${scan.encryptedPayloads})`);
    // What the raw client cannot read, the keyring-holding client reads: the codec round-trips.
    assert.equal((await stack.clocker.status(app)).status, 'DESTROYED');
  });

  test('the Web UI is configured with the codec server, which decodes a stored payload for the UI’s origin', async () => {
    const ui = stack.env.CLOCKER_STACK_UI!;
    const codec = stack.env.CLOCKER_STACK_CODEC!;
    const settings = (await (await fetch(`${ui}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
    assert.equal(settings.Codec.Endpoint, codec);
    // The application's input as the server stores it, then as the UI would ask for it.
    const history = await stack.raw.workflow.getHandle(`clocker/app/${app}`).fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    assert.ok(input?.data && input.metadata);
    assert.equal(Buffer.from(input.metadata.encoding!).toString(), 'binary/encrypted');
    const asJson = {
      metadata: Object.fromEntries(Object.entries(input.metadata).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
      data: Buffer.from(input.data).toString('base64'),
    };
    const reply = await fetch(`${codec}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ui, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [asJson] }),
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('access-control-allow-origin'), ui);
    const decoded = ((await reply.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads[0]!;
    assert.equal(Buffer.from(decoded.metadata.encoding!, 'base64').toString(), 'json/plain');
    assert.match(Buffer.from(decoded.data, 'base64').toString(), new RegExp(`"name":"${app}"`));
  });
});
