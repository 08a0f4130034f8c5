// Which real components this machine has. An end-to-end test whose component is missing
// fails under CI=true (naming the component) and skips with that message elsewhere.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findTemporalBinary } from '../../client/temporal/temporalBinary';

export type Component = 'temporal' | 'docker' | 'rig' | 'registry' | 'debootstrap' | 'prodstack';

const checks: Record<Component, () => string | undefined> = {
  temporal: () => (findTemporalBinary() ? undefined : 'no Temporal CLI (run `node bin/clocker.js temporal-bin` to build it)'),
  docker: () => dockerProblem(process.env.DOCKER_SOCKET ?? '/var/run/docker.sock'),
  debootstrap: () => {
    if (process.getuid?.() !== 0) return 'building clocker/debian:bookworm needs root (debootstrap)';
    return onPath('debootstrap') ? undefined : "no debootstrap (Debian's debootstrap package)";
  },
  prodstack: () => {
    // scripts/prod-stack.sh: Debian's PostgreSQL 15, openssl, and the Temporal server and UI
    // (cached builds, or Go to build them).
    const pg = existsSync('/usr/lib/postgresql/15/bin/pg_ctl') || onPath('pg_ctl');
    if (!pg) return "no PostgreSQL 15 (Debian's postgresql package)";
    if (!onPath('openssl')) return 'no openssl';
    const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'clocker');
    const built = existsSync(join(cache, 'temporal-server', 'v1.29.1', 'server')) && existsSync(join(cache, 'temporal-ui', 'v2.42.1', 'ui-server'));
    if (!built && !onPath('go')) return 'no Temporal server build (scripts/prod-stack.sh build) and no Go to make one';
    return findTemporalBinary() ? undefined : 'no Temporal CLI (node bin/clocker.js temporal-bin)';
  },
  registry: () => (onPath('docker-registry') ? undefined : "no docker-registry (Debian's docker-registry package)"),
  rig: () => {
    if (process.getuid?.() !== 0) return 'the SSH rig needs root (network namespaces)';
    const missing = ['sshd', 'ssh-keygen', 'nsenter', 'ip', 'iptables', 'dockerd'].filter((bin) => !onPath(bin));
    return missing.length === 0 ? undefined : `the SSH rig needs ${missing.join(', ')} (Debian: openssh-server, iproute2, iptables, util-linux, docker.io)`;
  },
};

/** The first missing component's description, or undefined when all are here. */
export function missingComponent(...needed: Component[]): string | undefined {
  for (const c of needed) {
    const problem = checks[c]();
    if (problem) return `${c}: ${problem}`;
  }
  return undefined;
}

/**
 * For `describe(name, { skip: skipUnlessPresent(...) })`: false when everything is here; under
 * CI a missing component throws, failing the file loudly instead of skipping it.
 */
export function skipUnlessPresent(...needed: Component[]): string | false {
  const missing = missingComponent(...needed);
  if (!missing) return false;
  if (process.env.CI === 'true') throw new Error(`required component missing under CI: ${missing}`);
  return `skipped: ${missing}`;
}

function onPath(bin: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin'];
  return dirs.some((d) => d && existsSync(join(d, bin)));
}

function dockerProblem(socket: string): string | undefined {
  if (!existsSync(socket)) return `no Docker engine socket at ${socket} (install docker.io and start dockerd)`;
  const ping = spawnSync(
    process.execPath,
    ['-e', `require('http').get({socketPath:${JSON.stringify(socket)},path:'/_ping',timeout:5000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))`],
    { timeout: 10_000 },
  );
  return ping.status === 0 ? undefined : `the Docker engine at ${socket} does not answer /_ping (start dockerd)`;
}
