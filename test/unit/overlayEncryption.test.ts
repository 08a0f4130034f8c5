// `encrypted: true`: said only with the overlay driver, made as Docker's `--opt encrypted`, and
// refused with the kernel's reason where IPsec ESP cannot run (Docker itself only logs it and
// then drops every packet between hosts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBlueprint } from '../../domain/blueprint/load';
import { networkCreateOptions } from '../../activities/docker/networks';
import { ESP_AEAD, espProbeCommand, espVerdict } from '../../activities/network/overlayEncryption';

const blueprint = (network: string) => `name: sealed
networks:
  - id: secure
${network}
services:
  - id: a
    image: clocker/busybox:1
    networks: [secure]
`;

test('encrypted: true loads with driver overlay and reaches the network spec', () => {
  const result = loadBlueprint(blueprint('    driver: overlay\n    encrypted: true'), 'sealed.yaml');
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.blueprint.networks.find((n) => n.id === 'secure')?.encrypted, true);
});

test('a network that does not say encrypted carries no field (old blueprints keep their fingerprint)', () => {
  const result = loadBlueprint(blueprint('    driver: overlay'), 'sealed.yaml');
  assert.ok(result.ok);
  assert.equal('encrypted' in (result.blueprint.networks.find((n) => n.id === 'secure') ?? {}), false);
});

for (const [driver, said] of [['    driver: bridge', 'driver "bridge"'], ['    driver: routed', 'driver "routed"'], ['', 'a network that names no driver']] as const) {
  test(`encrypted: true with ${said} is an error at the field, naming the fix`, () => {
    const text = blueprint(`${driver ? `${driver}\n` : ''}    encrypted: true`);
    const result = loadBlueprint(text, 'sealed.yaml');
    assert.equal(result.ok, false);
    const error = (result.ok ? [] : result.errors).find((e) => e.code === 'network.encrypted');
    assert.ok(error, JSON.stringify(result));
    assert.equal(error.line, text.split('\n').findIndex((l) => l.includes('encrypted: true')) + 1);
    assert.match(error.message, new RegExp(`${said.replace(/"/g, '"')} cannot encrypt: add \`driver: overlay\``));
  });
}

test('an encrypted overlay is created with Docker\'s encrypted option; a plain one without', () => {
  const base = { id: 'secure', driver: 'overlay' as const, labels: {} };
  assert.deepEqual(networkCreateOptions('sealed', { ...base, encrypted: true }).Options, { encrypted: '' });
  assert.equal(networkCreateOptions('sealed', base).Options, undefined);
});

test('the kernel probe adds one ESP state with Docker\'s AEAD in a namespace of its own', () => {
  const cmd = espProbeCommand();
  assert.deepEqual(cmd.argv.slice(0, 3), ['unshare', '--net', 'ip']);
  assert.equal(cmd.argv[cmd.argv.indexOf('aead') + 1], ESP_AEAD);
  assert.ok(cmd.okExitCodes?.includes(2), 'a refusal is an answer, not a failed command');
});

test('the probe\'s answers: able, no ESP, no AES-GCM, anything else quoted', () => {
  assert.equal(espVerdict(0, ''), undefined);
  assert.match(espVerdict(2, 'Error: Requested type not found.\n') ?? '', /no IPsec ESP \(CONFIG_INET_ESP\).*Requested type not found/);
  assert.match(espVerdict(2, 'Error: Requested AEAD algorithm not found.\n') ?? '', /rfc4106\(gcm\(aes\)\) \(CONFIG_CRYPTO_GCM\)/);
  assert.match(espVerdict(1, 'unshare: unshare failed: Operation not permitted') ?? '', /exited 1: unshare: unshare failed: Operation not permitted/);
});
