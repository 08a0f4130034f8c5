// Turns what dockerode throws into the named errors Temporal retries, or does not.
import { DockerBusyError, DockerRequestError, DockerUnavailableError } from '../errors';

interface DockerodeError {
  statusCode?: number;
  code?: string;
  message?: string;
  json?: { message?: string } | null;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN']);

export function statusCodeOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as DockerodeError).statusCode : undefined;
}

/** The engine's own words for a refusal (its JSON body), else the error's message; '' when neither. */
export function engineMessageOf(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as DockerodeError;
  return e.json?.message ?? e.message ?? '';
}

/**
 * The engine's words when a call inside it timed out or dropped. Docker answers those 500 (its
 * errdefs give a deadline or a cancelled call no status of its own), beside refusals a retry
 * cannot change (a port already allocated, a bad mount), so the words decide.
 */
const ENGINE_TIMEOUT = /context deadline exceeded|\bi\/o timeout\b|connection reset by peer|transport is closing|resource temporarily unavailable|code = (?:Unavailable|DeadlineExceeded|ResourceExhausted)\b/i;

export function dockerError(endpoint: string, operation: string, err: unknown): Error {
  const e = (typeof err === 'object' && err !== null ? err : {}) as DockerodeError;
  if (e.code && CONNECTION_CODES.has(e.code)) return new DockerUnavailableError(endpoint, `${e.code} (${operation})`);
  const detail = e.json?.message ?? e.message ?? String(err);
  // The engine answering 5xx while starting or shutting down is transient; a refused request is not.
  if (e.statusCode === 503) return new DockerUnavailableError(endpoint, detail);
  if (e.statusCode !== undefined && e.statusCode >= 500 && e.statusCode !== 501 && ENGINE_TIMEOUT.test(detail)) return new DockerBusyError(endpoint, operation, e.statusCode, detail);
  return new DockerRequestError(endpoint, operation, e.statusCode, detail);
}
