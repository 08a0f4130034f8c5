// The `deploy` update's validator: a new blueprint version is refused before it enters history
// when it cannot be applied to the running application.
import { unsupportedFeatures } from '../domain/application/preflight';
import type { Blueprint } from '../domain/blueprint/model';

export function validateNextBlueprint(current: Blueprint, next: Blueprint): void {
  if (next?.name !== current.name) throw new Error(`this is application "${current.name}"; the blueprint is for "${next?.name}"`);
  if (next.location !== current.location) {
    throw new Error(`moving "${current.name}" from "${current.location}" to "${next.location}" is not supported; destroy and deploy it there`);
  }
  if (JSON.stringify(next.networks) !== JSON.stringify(current.networks)) {
    throw new Error('changing the networks of a running application is not supported yet; destroy and deploy it again');
  }
  const unsupported = unsupportedFeatures(next);
  if (unsupported.length > 0) throw new Error(`not supported yet: ${unsupported.join('; ')}`);
}
