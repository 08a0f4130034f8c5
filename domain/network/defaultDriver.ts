// Which driver a network gets when its blueprint names none: the infrastructure decides. A
// bridge lives on one host, so on an infrastructure that has (or may get) more than one host
// the default is Docker's swarm overlay, one L2 segment across the hosts, where members reach
// each other by name and address wherever they are placed. One host (the local engine, a
// single byon host with no spares) keeps the bridge: no swarm is formed for nothing.
//
// The application decides once, when it starts (workflows/application.ts, app-overlay-default),
// and keeps the choice for every network it adds later: a running network never changes driver.
import type { NetworkDriver, NetworkSpec } from '../blueprint/model';

/** What the infrastructure says of its size when the application starts. */
export interface InfrastructureShape {
  /** Whether the infrastructure answered (absent: the preflight refuses the application anyway). */
  found: boolean;
  /** Every host it lists, whatever its status: a FAILED or PROVISIONING host may take members later. */
  hosts: number;
  /** Spare machines it may provision (headroom, `infra add-host --spare`): the pool may grow onto them. */
  spares: number;
}

export type DefaultDriver = Extract<NetworkDriver, 'bridge' | 'overlay'>;

export interface DriverChoice {
  driver: DefaultDriver;
  /** Why, in words for status and the notice. */
  reason: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function defaultNetworkDriver(infrastructure: string, shape: InfrastructureShape): DriverChoice {
  if (!shape.found) return { driver: 'bridge', reason: `infrastructure "${infrastructure}" was not found` };
  const size = `${plural(shape.hosts, 'host')}${shape.spares > 0 ? ` and ${plural(shape.spares, 'spare')}` : ''}`;
  if (shape.hosts + shape.spares > 1) return { driver: 'overlay', reason: `infrastructure "${infrastructure}" has ${size}` };
  return { driver: 'bridge', reason: `infrastructure "${infrastructure}" has ${size}` };
}

/** The networks with the default driver where none was written; `chosen` lists the ids it was given to. */
export function withDefaultDriver<N extends Pick<NetworkSpec, 'id' | 'driver'>>(networks: readonly N[], driver: DefaultDriver): { networks: N[]; chosen: string[] } {
  const chosen = networks.filter((n) => n.driver === undefined).map((n) => n.id);
  return { networks: networks.map((n) => (n.driver === undefined ? { ...n, driver } : n)), chosen };
}

/** The one notice an application records when networks that named no driver become overlay. */
export function overlayDefaultNotice(ids: readonly string[], choice: DriverChoice): string {
  const which = ids.length === 1 ? `network ${ids[0]}` : `networks ${ids.join(', ')}`;
  return `${which}: no driver written, so "overlay" (${choice.reason}: one network across the hosts; write \`driver: bridge\` to keep a bridge per host)`;
}

/**
 * Whether a new version's network is the running one. A driver not written takes the running
 * network's (the application chose it); one written must be the driver the network runs with.
 * `running` is the application's networks as made (drivers chosen).
 */
export function sameNetwork(current: NetworkSpec, next: NetworkSpec | undefined, running: readonly Pick<NetworkSpec, 'id' | 'driver'>[] = []): boolean {
  if (!next) return false;
  const made = running.find((r) => r.id === current.id)?.driver;
  const driverOf = (n: NetworkSpec) => n.driver ?? made ?? current.driver;
  const rest = (n: NetworkSpec) => JSON.stringify({ ...n, driver: undefined });
  return rest(current) === rest(next) && driverOf(current) === driverOf(next);
}
