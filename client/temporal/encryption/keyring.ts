// The payload encryption keys of a Clocker installation: every worker and every client that
// reads workflow state holds the same keyring. One key is active (new payloads are encrypted
// with it); the others stay to decrypt what was written before a rotation.
//
// Where it comes from: CLOCKER_PAYLOAD_KEYS_FILE (a file), else CLOCKER_PAYLOAD_KEYS (the same
// text inline). The text has one key a line, `<id> <32 bytes in base64>`; blank lines and
// lines starting with # are skipped. The FIRST key is the active one. To rotate: put a new
// key on top, roll the workers and clients, and keep the old lines for as long as any
// workflow history written with them is still read (a running workflow's whole history).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  active: PayloadKey;
  byId: ReadonlyMap<string, PayloadKey>;
}

export const KEYS_FILE_ENV = 'CLOCKER_PAYLOAD_KEYS_FILE';
export const KEYS_ENV = 'CLOCKER_PAYLOAD_KEYS';
const ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function parseKeyring(text: string, source: string): Keyring {
  const keys: PayloadKey[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source}:${index + 1}`;
    const [id, encoded, ...rest] = line.split(/\s+/);
    if (!id || !encoded || rest.length > 0) throw new Error(`${where}: expected "<key id> <base64 key>"`);
    if (!ID.test(id)) throw new Error(`${where}: key id "${id}" must be 1-64 of A-Z a-z 0-9 _ . -`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || key.toString('base64') !== encoded) throw new Error(`${where}: key "${id}" is not 32 bytes in base64 (AES-256)`);
    if (keys.some((k) => k.id === id)) throw new Error(`${where}: key id "${id}" appears twice`);
    keys.push({ id, key });
  });
  const [active] = keys;
  if (!active) throw new Error(`${source}: no key (one line: "<key id> <base64 of 32 random bytes>"; \`clocker keygen\` prints one)`);
  return { active, byId: new Map(keys.map((k) => [k.id, k])) };
}

/** The installation's keyring, or undefined when none is configured (payloads stay in clear). */
export function loadKeyring(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const file = env[KEYS_FILE_ENV];
  if (file) return parseKeyring(readFileSync(file, 'utf8'), file);
  const inline = env[KEYS_ENV];
  if (inline) return parseKeyring(inline.replace(/;/g, '\n'), KEYS_ENV);
  return undefined;
}

/** A new keyring line: `<id> <base64 key>`. */
export function newKeyLine(id: string = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`): string {
  return `${id} ${randomBytes(32).toString('base64')}`;
}
