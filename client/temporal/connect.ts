// The one place that turns connection settings into Temporal connections, for the CLI,
// the workers and the tests alike.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { ConfigDataSource } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { describeConnection, type TemporalConfig } from './config';
import { clockerDataConverter } from './encryption/dataConverter';

/** Address, TLS and API key, in the shape both Connection and NativeConnection take. */
export function connectionOptions(config: Pick<TemporalConfig, 'address' | 'tls' | 'apiKey'>): {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
} {
  const tls = config.tls;
  return {
    address: config.address,
    ...(tls
      ? {
          tls: {
            ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
            ...(tls.serverCa ? { serverRootCACertificate: load(tls.serverCa, 'server CA') } : {}),
            ...(tls.clientCert && tls.clientKey
              ? { clientCertPair: { crt: load(tls.clientCert, 'client certificate'), key: load(tls.clientKey, 'client key') } }
              : {}),
          },
        }
      : {}),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  };
}

function load(source: ConfigDataSource, what: string): Uint8Array {
  if ('data' in source) return typeof source.data === 'string' ? Buffer.from(source.data) : source.data;
  try {
    return readFileSync(source.path);
  } catch (err) {
    throw new Error(`Temporal TLS ${what}: cannot read ${source.path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export interface ConnectOptions {
  /**
   * The data converter (default: the encrypting codec when a keyring is configured). `null`
   * reads payloads raw, as they are stored: for checking that histories hold no secret.
   */
  dataConverter?: DataConverter | null;
}

export async function connectClient(
  config: Pick<TemporalConfig, 'address' | 'namespace' | 'tls' | 'apiKey'>,
  options: ConnectOptions = {},
): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: '5s' });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${describeConnection({ taskQueue: '', ...config })}: ${err instanceof Error ? err.message : String(err)}\n` +
        'start it with `clocker up`, or point at a running server with --temporal HOST:PORT (or CLOCKER_TEMPORAL_ADDRESS, ' +
        'TEMPORAL_ADDRESS, a Temporal client config profile); TLS with --tls-cert/--tls-key/--tls-ca',
    );
  }
  const dataConverter = options.dataConverter === null ? undefined : (options.dataConverter ?? clockerDataConverter());
  return new Client({ connection, namespace: config.namespace, ...(dataConverter ? { dataConverter } : {}) });
}
