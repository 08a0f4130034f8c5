// docker-compose.yml is the container form of scripts/prod-stack.sh: the same versions, the
// same services, ports, namespace, task queue, TLS and environment names. The script's
// settings block and its client_env are read from the script itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { CLOCKER_ENV } from '../../client/temporal/config';
import { KEYS_FILE_ENV } from '../../client/temporal/encryption/keyring';

const root = join(__dirname, '..', '..');
const script = readFileSync(join(root, 'scripts', 'prod-stack.sh'), 'utf8');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; environment?: Record<string, unknown>; ports?: string[]; command?: string[] }>;
};
const services = compose.services;

function setting(name: string): string {
  const m = new RegExp(`^${name}=(\\S+)`, 'm').exec(script);
  assert.ok(m, `prod-stack.sh sets ${name}`);
  return m[1]!;
}
const env = (service: string) => services[service]?.environment ?? {};
const COMPOSE_BASE = 7000; // docker-compose.yml publishes the stack at base 7000: 7233, 8233, 8888

test('the same Temporal server, UI and PostgreSQL versions', () => {
  const server = setting('TEMPORAL_SERVER_VERSION');
  for (const s of ['temporal-history', 'temporal-matching', 'temporal-frontend', 'temporal-worker']) {
    assert.equal(services[s]?.image, `temporalio/server:${server}`, s);
  }
  assert.equal(services['temporal-schema']?.image, `temporalio/admin-tools:${server}`);
  assert.equal(services['temporal-ui']?.image, `temporalio/ui:${setting('TEMPORAL_UI_VERSION')}`);
  assert.equal(services.postgresql?.image, `postgres:${setting('POSTGRES_MAJOR')}`);
  // The script builds the very same versions (the cache folders carry them too).
  assert.match(script, /cmd\/server@v\$TEMPORAL_SERVER_VERSION/);
  assert.match(script, /ui-server\/v2\/cmd\/server@v\$TEMPORAL_UI_VERSION|\$UI_MODULE\/cmd\/server@v\$TEMPORAL_UI_VERSION/);
});

test('four Temporal services as separate processes, on the same database settings and shard count', () => {
  assert.deepEqual(
    ['temporal-history', 'temporal-matching', 'temporal-frontend', 'temporal-worker'].map((s) => env(s).SERVICES),
    ['history', 'matching', 'frontend', 'worker'],
  );
  for (const s of ['history', 'matching', 'frontend', 'worker']) assert.match(script, new RegExp(`for service in .*\\b${s}\\b`));
  const e = env('temporal-frontend');
  assert.equal(e.DB, setting('DB_PLUGIN'));
  assert.equal(e.POSTGRES_USER, setting('POSTGRES_USER'));
  assert.equal(String(e.NUM_HISTORY_SHARDS), setting('NUM_HISTORY_SHARDS'));
  assert.equal(env('postgresql').POSTGRES_USER, setting('POSTGRES_USER'));
  // The script trusts loopback connections; Compose trusts its private network the same way.
  assert.match(script, /--auth=trust/);
  assert.equal(env('postgresql').POSTGRES_HOST_AUTH_METHOD, 'trust');
});

test('mTLS on the frontend with the same server name and the certificate files the script makes', () => {
  const e = env('temporal-frontend');
  assert.equal(e.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH, 'true');
  assert.match(script, /requireClientAuth: true/);
  const serverName = setting('FRONTEND_NAME');
  assert.equal(e.TEMPORAL_TLS_FRONTEND_SERVER_NAME, serverName);
  assert.equal(env('worker')[CLOCKER_ENV.tlsServerName], serverName);
  assert.equal(env('temporal-ui').TEMPORAL_TLS_SERVER_NAME, serverName);
  for (const file of ['ca.pem', 'frontend.pem', 'frontend.key', 'client.pem', 'client.key']) {
    assert.match(script, new RegExp(`\\$DIR/tls/${file.replace('.', '\\.')}`), `the script makes ${file}`);
  }
  for (const value of [e.TEMPORAL_TLS_FRONTEND_CERT, e.TEMPORAL_TLS_FRONTEND_KEY, e.TEMPORAL_TLS_CLIENT1_CA_CERT]) {
    assert.match(String(value), /^\/etc\/clocker-tls\/(frontend\.pem|frontend\.key|ca\.pem)$/);
  }
});

test('the same ports (at base 7000), namespace and task queue', () => {
  assert.deepEqual(services['temporal-frontend']?.ports, [`127.0.0.1:${COMPOSE_BASE + Number(setting('FRONTEND_OFFSET'))}:7233`]);
  assert.deepEqual(services['temporal-ui']?.ports, [`127.0.0.1:${COMPOSE_BASE + Number(setting('UI_OFFSET'))}:8080`]);
  const codecPort = COMPOSE_BASE + Number(setting('CODEC_OFFSET'));
  assert.deepEqual(services['codec-server']?.ports, [`127.0.0.1:${codecPort}:${codecPort}`]);
  assert.equal(env('temporal-ui').TEMPORAL_CODEC_ENDPOINT, `http://127.0.0.1:${codecPort}`);
  assert.equal(env('worker')[CLOCKER_ENV.address], `127.0.0.1:${COMPOSE_BASE + Number(setting('FRONTEND_OFFSET'))}`);
  assert.equal(env('worker')[CLOCKER_ENV.namespace], setting('NAMESPACE'));
  assert.equal(env('worker')[CLOCKER_ENV.taskQueue], setting('TASK_QUEUE'));
  assert.match(String(services['temporal-namespace']?.command), new RegExp(`namespace create -n ${setting('NAMESPACE')}\\b`));
});

test("the workers get the same environment names in both, and each is one Clocker reads", () => {
  const block = /client_env\(\) \{\n  cat <<EOF\n([\s\S]*?)\nEOF/.exec(script);
  assert.ok(block, 'prod-stack.sh has a client_env block');
  const scriptNames = block[1]!
    .split('\n')
    .map((l) => l.slice(0, l.indexOf('=')))
    .filter((n) => !n.startsWith('CLOCKER_STACK_'));
  const read = new Set<string>([...Object.values(CLOCKER_ENV), KEYS_FILE_ENV]);
  for (const name of scriptNames) assert.ok(read.has(name), `${name} is a variable Clocker reads`);
  const composeNames = Object.keys(env('worker')).filter((n) => n !== 'CLOCKER_SECRETS_DIR');
  assert.deepEqual([...composeNames].sort(), [...scriptNames].sort());
  // Secrets: a folder every worker of the stack reads, in both.
  assert.match(script, /CLOCKER_SECRETS_DIR="\$DIR\/secrets"/);
  assert.equal(env('worker').CLOCKER_SECRETS_DIR, '/etc/clocker-secrets');
  assert.equal(env('codec-server')[KEYS_FILE_ENV], env('worker')[KEYS_FILE_ENV]);
});
