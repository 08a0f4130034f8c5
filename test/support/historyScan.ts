// Reads every workflow history of a namespace as the server stores it (a client without the
// codec) and says where a forbidden string appears: the proof that secrets and private keys
// stay out of histories. Payload bytes are searched in the encoded history, so a value is
// found wherever it sits (inputs, results, signals, memos, failures, search attributes).
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface HistoryScan {
  workflows: number;
  events: number;
  encryptedPayloads: number;
  clearPayloads: number;
  /** `workflowId/runId: "needle"` for each history that holds a needle. */
  findings: string[];
}

export async function scanHistories(raw: Client, needles: string[]): Promise<HistoryScan> {
  const scan: HistoryScan = { workflows: 0, events: 0, encryptedPayloads: 0, clearPayloads: 0, findings: [] };
  for await (const wf of raw.workflow.list()) {
    const history = await raw.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    scan.workflows++;
    scan.events += history.events?.length ?? 0;
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const needle of needles) {
      if (bytes.includes(Buffer.from(needle))) scan.findings.push(`${wf.workflowId}/${wf.runId}: ${JSON.stringify(needle)}`);
    }
    countPayloads(history, scan);
  }
  return scan;
}

/** Counts the payloads of the history by their outer encoding (encrypted or not). */
function countPayloads(value: unknown, scan: HistoryScan): void {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
  if (Array.isArray(value)) {
    for (const v of value) countPayloads(v, scan);
    return;
  }
  const record = value as Record<string, unknown>;
  const metadata = record.metadata as Record<string, Uint8Array> | undefined;
  if (metadata && metadata.encoding instanceof Uint8Array && 'data' in record) {
    if (Buffer.from(metadata.encoding).toString() === 'binary/encrypted') scan.encryptedPayloads++;
    else scan.clearPayloads++;
    return;
  }
  for (const v of Object.values(record)) countPayloads(v, scan);
}
