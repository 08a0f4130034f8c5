// `clocker status` without the Temporal SDK: the list of applications (ListWorkflowExecutions
// with the visibility query the SDK path sends) and one application's status query, over one
// plaintext HTTP/2 connection. It serves the default shape (`clocker up`'s dev server, a
// cluster reached without TLS); anything else, or an answer it cannot read (encrypted
// payloads), makes the caller take the SDK's path (FastPathDeclined).
import type { AppView } from '../../domain/application/status';
import { workflowIds } from '../../domain/naming';
import type { TemporalConfig } from '../temporal/config';
import { GRPC_DEADLINE_EXCEEDED, GRPC_NOT_FOUND, GrpcCallError, openSession, unaryCall } from './grpcUnary';
import { listRequest, listResponse, queryRequest, queryResponse, UnreadablePayloadError } from './workflowMessages';

const SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';
const TIMEOUT_MS = 10_000;
/** workflows/searchAttributes.ts's names (a unit test keeps them equal; importing it would load the SDK). */
export const SA = { kind: 'ClockerKind', app: 'ClockerApp', status: 'ClockerStatus' } as const;

export class FastPathDeclined extends Error {
  constructor(why: string) {
    super(`status fast path declined: ${why}`);
    this.name = 'FastPathDeclined';
  }
}

export interface AppRow {
  name: string;
  status: string;
  workflowStatus: string;
}

function usable(config: TemporalConfig): void {
  if (config.tls || config.apiKey) throw new FastPathDeclined('TLS or an API key is configured');
}

async function withSession<T>(config: TemporalConfig, run: (call: (method: string, message: Uint8Array) => Promise<Uint8Array>) => Promise<T>): Promise<T> {
  usable(config);
  // Not reaching the server is said in the SDK path's words (with how to start one).
  const session = await openSession(config.address, TIMEOUT_MS).catch((err: unknown) => {
    throw new FastPathDeclined(err instanceof Error ? err.message : String(err));
  });
  try {
    return await run((method, message) => unaryCall(session, SERVICE, method, message, TIMEOUT_MS, { 'temporal-namespace': config.namespace }));
  } catch (err) {
    if (err instanceof UnreadablePayloadError) throw new FastPathDeclined(err.message);
    throw err;
  } finally {
    session.close();
  }
}

/** The same query as ClockerClient.listApplications, newest first as the server orders them. */
export function listQuery(includeEnded: boolean): string {
  return `${SA.kind} = "application"${includeEnded ? '' : ' AND ExecutionStatus = "Running"'}`;
}

export async function fastListApplications(config: TemporalConfig, includeEnded: boolean): Promise<AppRow[]> {
  return withSession(config, async (call) => {
    const rows: AppRow[] = [];
    let token: Uint8Array | undefined;
    do {
      const page = listResponse(await call('ListWorkflowExecutions', listRequest(config.namespace, listQuery(includeEnded), token)));
      for (const e of page.executions) {
        const app = e.searchAttributes[SA.app];
        const status = e.searchAttributes[SA.status];
        rows.push({ name: typeof app === 'string' ? app : e.workflowId, status: typeof status === 'string' ? status : '?', workflowStatus: e.status });
      }
      token = page.nextPageToken;
    } while (token.length > 0);
    return rows;
  });
}

export async function fastAppStatus(config: TemporalConfig, app: string): Promise<AppView> {
  return withSession(config, async (call) => {
    try {
      const answer = queryResponse(await call('QueryWorkflow', queryRequest(config.namespace, workflowIds.application(app), 'status')));
      if ('rejected' in answer) throw new FastPathDeclined(`query rejected (${answer.rejected})`);
      return answer.value as AppView;
    } catch (err) {
      if (err instanceof GrpcCallError && err.code === GRPC_NOT_FOUND) throw new Error(`no application "${app}"`);
      if (err instanceof GrpcCallError && err.code === GRPC_DEADLINE_EXCEEDED) {
        throw new Error(`no worker answered the status query of "${app}" in time: is \`clocker up\` (or \`clocker worker\`) running?`);
      }
      // Any other answer: the SDK's path says it in its own words.
      if (err instanceof GrpcCallError) throw new FastPathDeclined(err.message);
      throw err;
    }
  });
}
