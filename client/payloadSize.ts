// A blueprint travels as one Temporal payload (the application's input, the preflight's, a
// new version's update). The server refuses a payload over its blob size limit (2 MB unless
// its operator raised `limit.blobSize.error`) with a gRPC error that reaches the CLI as a
// bare "Failed to start Workflow" after retries: so the client measures the encoded
// blueprint first and says what to do, before anything starts.
import type { Blueprint } from '../domain/blueprint/model';

/** The Temporal server's default `limit.blobSize.error`. */
export const DEFAULT_PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

/** CLOCKER_PAYLOAD_LIMIT_BYTES: for servers whose operator set another limit. */
export function payloadLimit(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['CLOCKER_PAYLOAD_LIMIT_BYTES'];
  const value = text === undefined ? NaN : Number(text);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_PAYLOAD_LIMIT_BYTES;
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;

/** The JSON payload converter's encoding (the codec adds a few dozen bytes). */
export function encodedSize(blueprint: Blueprint): number {
  return Buffer.byteLength(JSON.stringify(blueprint), 'utf8');
}

export function blueprintSizeProblem(blueprint: Blueprint, limit: number = payloadLimit()): string | undefined {
  const size = encodedSize(blueprint);
  if (size <= limit) return undefined;
  return `blueprint "${blueprint.name}" is ${megabytes(size)} encoded; the limit is ${megabytes(limit)} (the Temporal server's payload size limit): split it into several applications, or move large values (scripts, certificates, files) into images or volumes`;
}
