// The one place that opens a client connection to Temporal.
import { Client, Connection } from '@temporalio/client';
import type { TemporalConfig } from './config';

export async function connectClient(config: Pick<TemporalConfig, 'address' | 'namespace'>): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.address, connectTimeout: '5s' });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${config.address}: ${err instanceof Error ? err.message : String(err)}\n` +
        'start it with `clocker up`, or point at a running server with --temporal HOST:PORT (or CLOCKER_TEMPORAL_ADDRESS)',
    );
  }
  return new Client({ connection, namespace: config.namespace });
}
