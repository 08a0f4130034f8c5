// What blueprints may do to an infrastructure's Docker hosts: which host folders they may bind
// (and whether only read-only), and whether a container may be privileged, add capabilities or
// share the host's PID namespace. Set in the infra file (`policy:`), kept in the
// infrastructure's state, answered with every admission dry run, and checked by the preflight
// (domain/application/hostPolicyProblems.ts) before anything is created.
//
// Defaults: nothing beyond each application's own data folder (APP_DATA_ROOT/<app>), except on
// `local`, where binds inside the blueprint file's folder are allowed too: the person who runs
// the CLI there already holds the machine's Docker engine, and Compose files bind `./data`.

/** A host folder blueprints may bind; `readOnly`: only read-only mounts of it. */
export interface BindRule {
  path: string;
  readOnly: boolean;
}

export interface HostPolicy {
  binds: BindRule[];
  /** Binds inside the blueprint file's folder (and Compose's `./relative` binds). */
  blueprintFolder: boolean;
  /** `privileged: true` in a service. */
  privileged: boolean;
  /** Capabilities a service may add (`capAdd`); `ALL` allows any. */
  capAdd: string[];
  /** `pid: host` in a service. */
  hostPid: boolean;
}

/** Each application may bind under APP_DATA_ROOT/<app name>/ on any host. */
export const APP_DATA_ROOT = '/var/lib/clocker/apps';

/** Binding these gives the container the Docker engine itself: allowed only by a rule naming them exactly. */
export const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

export function defaultHostPolicy(local: boolean): HostPolicy {
  return { binds: [], blueprintFolder: local, privileged: false, capAdd: [], hostPid: false };
}

/** `/a//b/./c/` → `/a/b/c`; `/` stays `/`. Sources have no '..' (the loader refuses it). */
export function normalHostPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}

/** `path` is `folder` or inside it. */
export function isInside(path: string, folder: string): boolean {
  const p = normalHostPath(path);
  const f = normalHostPath(folder);
  return f === '/' || p === f || p.startsWith(`${f}/`);
}

/** What is wrong with a policy sent to a running infrastructure (its `setHostPolicy` update's validator); undefined: nothing. */
export function hostPolicyProblem(policy: unknown): string | undefined {
  if (typeof policy !== 'object' || policy === null) return 'expected a host policy object';
  const p = policy as Partial<Record<keyof HostPolicy, unknown>>;
  if (!Array.isArray(p.binds) || !p.binds.every((b) => typeof b === 'object' && b !== null && typeof (b as BindRule).path === 'string' && (b as BindRule).path.startsWith('/') && typeof (b as BindRule).readOnly === 'boolean')) {
    return 'binds: expected a list of { path: absolute host path, readOnly: boolean }';
  }
  for (const key of ['blueprintFolder', 'privileged', 'hostPid'] as const) if (typeof p[key] !== 'boolean') return `${key}: expected true or false`;
  if (!Array.isArray(p.capAdd) || !p.capAdd.every((c) => typeof c === 'string' && /^[A-Z][A-Z0-9_]*$/.test(c))) return 'capAdd: expected a list of capability names';
  return undefined;
}

/** One line per setting, for `clocker infra status`. */
export function policyLines(policy: HostPolicy): string[] {
  const binds = policy.binds.map((b) => `${b.path}${b.readOnly ? ' (read-only)' : ''}`);
  return [
    `binds: ${[`${APP_DATA_ROOT}/<app>`, ...(policy.blueprintFolder ? ["the blueprint file's folder"] : []), ...binds].join(', ')}`,
    `privileged: ${policy.privileged ? 'allowed' : 'refused'}`,
    `capAdd: ${policy.capAdd.length > 0 ? policy.capAdd.join(', ') : 'none'}`,
    `hostPid: ${policy.hostPid ? 'allowed' : 'refused'}`,
  ];
}

/** The infra file's policy, else the default: `local`'s when the infrastructure is one socket host. */
export function infraPolicy(state: { policy?: HostPolicy; hosts: readonly { record: { docker: { kind: string } } }[] }): HostPolicy {
  return state.policy ?? defaultHostPolicy(state.hosts.length === 1 && state.hosts.every((h) => h.record.docker.kind === 'socket'));
}
