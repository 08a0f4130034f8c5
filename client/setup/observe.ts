// What `clocker setup` looks at before deciding (plan.ts): each fact from the command a user
// would type to find it out, with a short timeout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findTemporalBinary } from '../temporal/temporalBinary';
import type { MachineFacts } from './plan';
import { BASE_IMAGES, BASE_PACKAGES, LB_IMAGES, LB_PACKAGES } from './wants';

function run(argv: string[], timeoutSec = 10): { ok: boolean; out: string; err: string } {
  const [cmd, ...args] = argv as [string, ...string[]];
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutSec * 1000 });
  return { ok: !r.error && r.status === 0, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** `dpkg-query` prints a line per package it knows; unknown ones only on stderr. */
export function installedPackages(names: readonly string[]): string[] {
  const r = run(['dpkg-query', '-W', '-f=${Package} ${db:Status-Status}\\n', ...names]);
  return r.out
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter(([, status]) => status === 'installed')
    .map(([name]) => name ?? '');
}

export function dockerState(): MachineFacts['docker'] {
  const r = run(['docker', 'version', '--format', '{{.Server.Version}}'], 5);
  if (r.ok) return 'answers';
  return /permission denied/i.test(r.err) ? 'denied' : 'silent';
}

export function presentImages(names: readonly string[]): string[] {
  return names.filter((n) => run(['docker', 'image', 'inspect', '--format', '{{.Id}}', n], 10).ok);
}

export function goVersion(): string | undefined {
  const r = run(['go', 'env', 'GOVERSION']);
  return r.ok ? r.out.trim().replace(/^go/, '') : undefined;
}

export function observeMachine(o: { lb: boolean; distFresh: boolean }): MachineFacts {
  const apt = run(['dpkg-query', '--version']).ok && run(['apt-get', '--version']).ok;
  const docker = dockerState();
  let temporalCli: string | undefined;
  try {
    temporalCli = findTemporalBinary();
  } catch {
    // CLOCKER_TEMPORAL_BIN names a file that is not there: as if none, and the plan says what to do.
    temporalCli = undefined;
  }
  return {
    root: process.getuid?.() === 0,
    apt,
    installedPackages: apt ? installedPackages([...BASE_PACKAGES, ...LB_PACKAGES]) : [],
    docker,
    systemd: existsSync('/run/systemd/system'),
    ...(temporalCli ? { temporalCli } : {}),
    ...(goVersionOrNone()),
    distFresh: o.distFresh,
    images: docker === 'answers' ? presentImages([...BASE_IMAGES, ...(o.lb ? LB_IMAGES : [])]) : [],
  };
}

function goVersionOrNone(): { goVersion?: string } {
  const v = goVersion();
  return v ? { goVersion: v } : {};
}
