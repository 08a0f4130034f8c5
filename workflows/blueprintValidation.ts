// The `deploy` update's validator: a new blueprint version is refused before it enters history
// when it cannot be applied to the running application.
import { unsupportedFeatures } from '../domain/application/preflight';
import { DEFAULT_NETWORK_ID, gainsDefaultNetwork } from '../domain/blueprint/build/defaultNetwork';
import type { Blueprint } from '../domain/blueprint/model';

/** `started`: false for an application that could not start at all, whose networks were never made. */
export function validateNextBlueprint(current: Blueprint, next: Blueprint, started = true): void {
  if (next?.name !== current.name) throw new Error(`this is application "${current.name}"; the blueprint is for "${next?.name}"`);
  if (next.location !== current.location) {
    throw new Error(`moving "${current.name}" from "${current.location}" to "${next.location}" is not supported; destroy and deploy it there`);
  }
  if (started && JSON.stringify(next.networks) !== JSON.stringify(current.networks)) {
    // Its services' containers are not on a default network and its subnet was never allocated.
    if (gainsDefaultNetwork(current.networks, next.networks)) {
      throw new Error(`"${current.name}" was deployed before applications had a default network (services that name no network now join "${DEFAULT_NETWORK_ID}"); destroy it and deploy it again`);
    }
    throw new Error('changing the networks of a running application is not supported yet; destroy and deploy it again');
  }
  const unsupported = unsupportedFeatures(next);
  if (unsupported.length > 0) throw new Error(`not supported yet: ${unsupported.join('; ')}`);
}
