// The `deploy` update's validator: a new blueprint version is refused before it enters history
// when it cannot be applied to the running application.
import { unsupportedFeatures } from '../domain/application/preflight';
import type { Blueprint, NetworkSpec } from '../domain/blueprint/model';
import { sameNetwork } from '../domain/network/defaultDriver';

/**
 * `started`: false for an application that could not start at all, whose networks were never made.
 * `running`: the networks as the application made them (drivers chosen where none was written).
 */
export function validateNextBlueprint(current: Blueprint, next: Blueprint, started = true, running: readonly NetworkSpec[] = []): void {
  if (next?.name !== current.name) throw new Error(`this is application "${current.name}"; the blueprint is for "${next?.name}"`);
  if (next.location !== current.location) {
    throw new Error(`moving "${current.name}" from "${current.location}" to "${next.location}" is not supported; destroy and deploy it there`);
  }
  // A version may add networks (made before its services roll onto them: an application deployed
  // before default networks gains "default" that way); one it changes or drops is refused.
  // A driver not written takes the one the running network has (chosen by the infrastructure).
  const changed = current.networks.filter((n) => !sameNetwork(n, next.networks.find((x) => x.id === n.id), running));
  if (started && changed.length > 0) {
    throw new Error(
      `changing or removing a network of a running application is not supported yet (${changed.map((n) => n.id).join(', ')}); add a new network instead, or destroy and deploy it again`,
    );
  }
  const unsupported = unsupportedFeatures(next);
  if (unsupported.length > 0) throw new Error(`not supported yet: ${unsupported.join('; ')}`);
}
