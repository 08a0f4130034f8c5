// Where Clocker's Temporal is and how to reach it, for every process (CLI, worker, tests).
// Each setting is taken from the first place that has it:
//   1. flags (the overrides argument),
//   2. Clocker's environment (CLOCKER_TEMPORAL_ADDRESS, CLOCKER_NAMESPACE, CLOCKER_TEMPORAL_TLS_*,
//      CLOCKER_TEMPORAL_API_KEY),
//   3. Temporal's standard client config profile (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
//      TEMPORAL_TLS_*, TEMPORAL_API_KEY over a profile of the TOML file TEMPORAL_CONFIG_FILE or
//      ~/.config/temporalio/temporal.toml, chosen by TEMPORAL_PROFILE), the same settings the
//      `temporal` CLI and every SDK read,
//   4. the embedded default (127.0.0.1:7233, namespace "default", plaintext).
// TLS is on as soon as any TLS setting or an API key is given (as Temporal's own loader does),
// unless a profile says `tls.disabled = true` and nothing above it turns it on again.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientConfigProfile, ConfigDataSource } from '@temporalio/envconfig';

export interface TemporalTls {
  /** The client certificate and key for mTLS: both or neither. */
  clientCert?: ConfigDataSource;
  clientKey?: ConfigDataSource;
  /** The CA that signed the frontend's certificate (default: the system's roots). */
  serverCa?: ConfigDataSource;
  /** The name to check the frontend's certificate against, when the address is not it. */
  serverName?: string;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Absent: plaintext gRPC. */
  tls?: TemporalTls;
  apiKey?: string;
}

/** What flags can set; file paths for TLS material. */
export interface TemporalOverrides {
  address?: string;
  namespace?: string;
  taskQueue?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  tlsServerName?: string;
  /** Turn TLS on with nothing else given (a frontend with a publicly trusted certificate). */
  tls?: boolean;
  apiKey?: string;
  /** A profile of Temporal's client config file (default: TEMPORAL_PROFILE, then "default"). */
  profile?: string;
}

export const DEFAULT_TASK_QUEUE = 'clocker';
export const DEFAULT_ADDRESS = '127.0.0.1:7233';

/** Clocker's own environment variables, one per setting (docker-compose.yml and scripts/prod-stack.sh use these names). */
export const CLOCKER_ENV = {
  address: 'CLOCKER_TEMPORAL_ADDRESS',
  namespace: 'CLOCKER_NAMESPACE',
  taskQueue: 'CLOCKER_TASK_QUEUE',
  tlsCert: 'CLOCKER_TEMPORAL_TLS_CERT',
  tlsKey: 'CLOCKER_TEMPORAL_TLS_KEY',
  tlsCa: 'CLOCKER_TEMPORAL_TLS_CA',
  tlsServerName: 'CLOCKER_TEMPORAL_TLS_SERVER_NAME',
  tls: 'CLOCKER_TEMPORAL_TLS',
  apiKey: 'CLOCKER_TEMPORAL_API_KEY',
} as const;

export function temporalConfig(env: NodeJS.ProcessEnv = process.env, overrides: TemporalOverrides = {}): TemporalConfig {
  const profile = standardProfile(env, overrides.profile);
  const pick = (key: keyof typeof CLOCKER_ENV): string | undefined => {
    const flag = overrides[key];
    if (typeof flag === 'string' && flag !== '') return flag;
    const fromEnv = env[CLOCKER_ENV[key]];
    return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
  };
  const file = (path: string | undefined): ConfigDataSource | undefined => (path ? { path } : undefined);

  const tlsWanted = overrides.tls === true || truthy(env[CLOCKER_ENV.tls]);
  const tls: TemporalTls = {
    clientCert: file(pick('tlsCert')) ?? profile.tls?.clientCert,
    clientKey: file(pick('tlsKey')) ?? profile.tls?.clientKey,
    serverCa: file(pick('tlsCa')) ?? profile.tls?.serverCACert,
    serverName: pick('tlsServerName') ?? profile.tls?.serverName,
  };
  if (Boolean(tls.clientCert) !== Boolean(tls.clientKey)) {
    throw new Error(
      `mTLS needs both a client certificate and its key: got only the ${tls.clientCert ? 'certificate' : 'key'} ` +
        `(--tls-cert/--tls-key, ${CLOCKER_ENV.tlsCert}/${CLOCKER_ENV.tlsKey}, or TEMPORAL_TLS_CLIENT_CERT_PATH/TEMPORAL_TLS_CLIENT_KEY_PATH)`,
    );
  }
  const apiKey = pick('apiKey') ?? profile.apiKey;
  const clockerTlsSetting = tlsWanted || [pick('tlsCert'), pick('tlsKey'), pick('tlsCa'), pick('tlsServerName')].some(Boolean);
  const profileTls = profile.tls !== undefined && profile.tls.disabled !== true;
  const tlsOn = clockerTlsSetting || profileTls || (apiKey !== undefined && profile.tls?.disabled !== true);

  return {
    address: pick('address') ?? profile.address ?? DEFAULT_ADDRESS,
    namespace: pick('namespace') ?? profile.namespace ?? 'default',
    taskQueue: pick('taskQueue') ?? DEFAULT_TASK_QUEUE,
    ...(tlsOn ? { tls: withoutUndefined(tls) } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
  };
}

/**
 * Whether Temporal's loader could find anything: a TEMPORAL_* variable, or a config file where
 * it looks (TEMPORAL_CONFIG_FILE, else $XDG_CONFIG_HOME or ~/.config, macOS's Application
 * Support, Windows' APPDATA). Nothing: the loader is not even loaded (it costs a CLI command
 * a good part of its start-up).
 */
export function standardConfigPresent(env: NodeJS.ProcessEnv): boolean {
  if (Object.keys(env).some((k) => k.startsWith('TEMPORAL_'))) return true;
  const dirs = [env.XDG_CONFIG_HOME, env.HOME && join(env.HOME, '.config'), env.HOME && join(env.HOME, 'Library', 'Application Support'), env.APPDATA];
  return dirs.some((d) => d && existsSync(join(d, 'temporalio', 'temporal.toml')));
}

function standardProfile(env: NodeJS.ProcessEnv, profile: string | undefined): ClientConfigProfile {
  if (!profile && !standardConfigPresent(env)) return {};
  try {
    // Loaded only when there is something to read (see standardConfigPresent).
    const { loadClientConfigProfile } = require('@temporalio/envconfig') as typeof import('@temporalio/envconfig');
    return loadClientConfigProfile({ overrideEnvVars: definedOnly(env), ...(profile ? { profile } : {}) });
  } catch (err) {
    throw new Error(`Temporal client config profile: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** One line for logs: where and how, never the material itself. */
export function describeConnection(config: TemporalConfig): string {
  const how = config.tls ? (config.tls.clientCert ? 'mTLS' : 'TLS') : 'plaintext';
  return `${config.address} (namespace ${config.namespace}, ${how}${config.apiKey ? ', API key' : ''})`;
}
