// The data converter every Clocker process uses: the encrypting codec when a keyring is
// configured, the SDK's default otherwise. Workers and clients must agree, so both call this.
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aesGcmCodec';
import { loadKeyring, type Keyring } from './keyring';

export function clockerDataConverter(keyring: Keyring | undefined = loadKeyring()): DataConverter | undefined {
  return keyring ? { payloadCodecs: [new AesGcmCodec(keyring)] } : undefined;
}

/** Whether this process writes encrypted payloads (then secrets may travel in workflow state). */
export function payloadsEncrypted(env: NodeJS.ProcessEnv = process.env): boolean {
  return loadKeyring(env) !== undefined;
}
