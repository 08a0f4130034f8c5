// Which of a blueprint's secrets the worker's secret store does not have. Only names travel
// back: a value never leaves the store here.
import { SecretNotFoundError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';

export function missingSecrets(secrets: SecretStore, names: readonly string[]): string[] {
  return names.filter((name) => {
    try {
      secrets(name);
      return false;
    } catch (err) {
      if (err instanceof SecretNotFoundError) return true;
      throw err;
    }
  });
}
