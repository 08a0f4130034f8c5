// An application's networks as `clocker status` shows them: the driver each runs with, and why,
// when the blueprint named none and the infrastructure chose it.
import type { NetworkSpec } from '../blueprint/model';
import type { DriverChoice } from '../network/defaultDriver';

export interface NetworkView {
  id: string;
  driver: string;
  cidr?: string;
  /** Set when no driver was written: why this one (e.g. `infrastructure "rig" has 3 hosts`). */
  chosen?: string;
}

/** `choice`: the application's default, when the network named no driver (absent: the blueprint named it, or bridge by default before choices). */
export function networkView(made: Pick<NetworkSpec, 'id' | 'driver' | 'cidr'>, choice?: DriverChoice): NetworkView {
  return { id: made.id, driver: made.driver ?? 'bridge', ...(made.cidr ? { cidr: made.cidr } : {}), ...(choice ? { chosen: choice.reason } : {}) };
}

/** `network default: overlay 10.128.1.0/24 (not written; infrastructure "rig" has 3 hosts)` */
export function networkLine(v: NetworkView): string {
  return `network ${v.id}: ${v.driver}${v.cidr ? ` ${v.cidr}` : ''}${v.chosen ? ` (no driver written; ${v.chosen})` : ''}`;
}

/**
 * What `clocker plan` says of a blueprint's networks: the ones it would make (a running
 * application's are kept as they are), each with the driver it would run on. `running`: the
 * application's networks as it made them (absent: a new application); `choice`: what the
 * infrastructure would give a network that names none now. A running application that chose
 * already keeps its choice.
 */
export function plannedNetworkLines(networks: readonly Pick<NetworkSpec, 'id' | 'driver' | 'cidr'>[], running: readonly NetworkView[] | undefined, choice: DriverChoice): string[] {
  const made = running?.find((v) => v.chosen !== undefined);
  const kept: DriverChoice = made ? { driver: made.driver === 'overlay' ? 'overlay' : 'bridge', reason: made.chosen ?? '' } : choice;
  return networks
    .filter((n) => !running?.some((v) => v.id === n.id))
    .map((n) => `+ ${networkLine(n.driver ? { id: n.id, driver: n.driver, ...(n.cidr ? { cidr: n.cidr } : {}) } : { id: n.id, driver: kept.driver, ...(n.cidr ? { cidr: n.cidr } : {}), chosen: kept.reason })}`);
}
