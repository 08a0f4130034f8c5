// An application's resting status, derived from its services, as `docker compose ps` would
// sum it up: every service up with every member → RUNNING; every service stopped → STOPPED;
// nothing up → FAILED; anything in between → DEGRADED. The reasons name what is not up.
import type { AppStatus, ServiceView } from './status';

export interface AppHealth {
  status: Extract<AppStatus, 'RUNNING' | 'DEGRADED' | 'STOPPED' | 'FAILED'>;
  /** One line per service that is not fully up, e.g. `web: 1 of 3 members running`. */
  problems: string[];
}

/** Services still moving (placing, starting, updating) count as up: the operation reports its own outcome. */
const MOVING = ['PLACING', 'STARTING', 'UPDATING'];

export function serviceProblem(s: ServiceView): string | undefined {
  const running = s.members.filter((m) => m.state === 'RUNNING').length;
  if (s.status === 'FAILED') return `${s.id}: ${s.error ?? 'failed'}`;
  if (s.status === 'ON_FIRE') return `${s.id}: on fire: ${s.error ?? 'members keep failing'}`;
  if (s.status === 'PENDING') return `${s.id}: not started`;
  if (s.status === 'STOPPED') return `${s.id}: stopped`;
  if (s.status === 'DESTROYED' || s.status === 'DESTROYING') return `${s.id}: ${s.status.toLowerCase()}`;
  if (MOVING.includes(s.status)) return undefined;
  if (running < s.desired) return `${s.id}: ${running} of ${s.desired} member${s.desired === 1 ? '' : 's'} running`;
  return undefined;
}

export function appHealth(services: readonly ServiceView[]): AppHealth {
  const problems = services.flatMap((s) => serviceProblem(s) ?? []);
  if (problems.length === 0) return { status: 'RUNNING', problems };
  if (services.length > 0 && services.every((s) => s.status === 'STOPPED')) return { status: 'STOPPED', problems: [] };
  const up = services.filter((s) => serviceProblem(s) === undefined || ((s.status === 'RUNNING' || s.status === 'ON_FIRE') && s.members.some((m) => m.state === 'RUNNING')));
  return { status: up.length === 0 ? 'FAILED' : 'DEGRADED', problems };
}
