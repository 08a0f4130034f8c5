// A PayloadCodec that encrypts every payload with AES-256-GCM before it leaves the process,
// so workflow inputs, results, activity arguments, signals, updates and memos are ciphertext
// in the server's database and in every history. The whole payload (metadata and data) is
// sealed; the outer metadata names only the encoding and the key id, which decoding needs.
// Search attributes do not pass through codecs: they stay readable, and never hold secrets.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const ProtoPayload = temporal.api.common.v1.Payload;
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class UnknownPayloadKeyError extends Error {
  constructor(keyId: string) {
    super(`payload encrypted with key "${keyId}", which this keyring does not hold (add its line back to the keyring to read it)`);
    this.name = 'UnknownPayloadKeyError';
  }
}

export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.seal(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.open(p));
  }

  private seal(payload: Payload): Payload {
    const { id, key } = this.keyring.active;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id is authenticated too: a payload cannot be relabelled to another key.
    cipher.setAAD(Buffer.from(id));
    const plain = ProtoPayload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(id), [CIPHER_METADATA]: utf8(CIPHER) },
      data: new Uint8Array(sealed),
    };
  }

  private open(payload: Payload): Payload {
    // Payloads written before encryption was turned on pass through as they are.
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
    const entry = this.keyring.byId.get(id);
    if (!entry) throw new UnknownPayloadKeyError(id);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error(`encrypted payload (key "${id}") is too short: ${data.length} bytes`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return ProtoPayload.decode(plain) as Payload;
  }
}
