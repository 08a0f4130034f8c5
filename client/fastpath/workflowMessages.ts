// The few WorkflowService messages `clocker status` exchanges, by their field numbers in
// temporal/api (workflowservice/v1/request_response.proto, workflow/v1/message.proto,
// common/v1/message.proto, query/v1/message.proto). Pure: bytes in, values out.
import { allBytes, lastBytes, lastString, lastVarint, ProtoWriter, readFields, type WireField } from './protoWire';

/** A payload the fast path cannot read (encrypted, binary, …): the caller goes the SDK's way. */
export class UnreadablePayloadError extends Error {
  constructor(encoding: string) {
    super(`payload encoded as "${encoding}"`);
    this.name = 'UnreadablePayloadError';
  }
}

/** Temporal's WorkflowExecutionStatus, by number, as the SDK names them. */
const EXECUTION_STATUS = ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'];

export function listRequest(namespace: string, query: string, nextPageToken?: Uint8Array): Uint8Array {
  const w = new ProtoWriter().string(1, namespace).uint(2, 1000);
  if (nextPageToken && nextPageToken.length > 0) w.bytes(3, nextPageToken);
  return w.string(4, query).finish();
}

export function queryRequest(namespace: string, workflowId: string, queryType: string): Uint8Array {
  return new ProtoWriter()
    .string(1, namespace)
    .message(2, new ProtoWriter().string(1, workflowId))
    .message(3, new ProtoWriter().string(1, queryType))
    .finish();
}

/** A JSON payload's value; anything else is not ours to read here. */
export function payloadValue(bytes: Uint8Array): unknown {
  const fields = readFields(bytes);
  let encoding = '';
  for (const entry of allBytes(fields, 1)) {
    const kv = readFields(entry);
    if (lastString(kv, 1) === 'encoding') encoding = lastString(kv, 2);
  }
  if (encoding === 'binary/null') return undefined;
  if (encoding !== 'json/plain') throw new UnreadablePayloadError(encoding);
  return JSON.parse(lastString(fields, 2));
}

export interface ListedExecution {
  workflowId: string;
  status: string;
  searchAttributes: Record<string, unknown>;
}

function execution(info: WireField[]): ListedExecution {
  const searchAttributes: Record<string, unknown> = {};
  const sa = lastBytes(info, 11);
  if (sa) {
    for (const entry of allBytes(readFields(sa), 1)) {
      const kv = readFields(entry);
      const payload = lastBytes(kv, 2);
      if (payload) searchAttributes[lastString(kv, 1)] = payloadValue(payload);
    }
  }
  return {
    workflowId: lastString(readFields(lastBytes(info, 1) ?? new Uint8Array()), 1),
    status: EXECUTION_STATUS[lastVarint(info, 5)] ?? 'UNSPECIFIED',
    searchAttributes,
  };
}

export function listResponse(bytes: Uint8Array): { executions: ListedExecution[]; nextPageToken: Uint8Array } {
  const fields = readFields(bytes);
  return { executions: allBytes(fields, 1).map((b) => execution(readFields(b))), nextPageToken: lastBytes(fields, 2) ?? new Uint8Array() };
}

/** The query's answer (its first payload), or why the server would not ask the workflow. */
export function queryResponse(bytes: Uint8Array): { value: unknown } | { rejected: string } {
  const fields = readFields(bytes);
  const rejected = lastBytes(fields, 2);
  if (rejected) return { rejected: EXECUTION_STATUS[lastVarint(readFields(rejected), 1)] ?? 'UNSPECIFIED' };
  const first = allBytes(readFields(lastBytes(fields, 1) ?? new Uint8Array()), 1)[0];
  return { value: first ? payloadValue(first) : undefined };
}
