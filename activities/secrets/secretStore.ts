// Secrets are resolved here, by the activity that needs them, so their values never enter
// workflow history. Looked up in order: the environment variable CLOCKER_SECRET_<NAME>
// (non-alphanumerics as '_'), then the file <CLOCKER_SECRETS_DIR or $CLOCKER_HOME/secrets>/<NAME>.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clockerHome } from '../../client/stateDir';
import { SecretNotFoundError } from '../errors';

export type SecretStore = (name: string) => string;

export function envVarFor(name: string): string {
  return `CLOCKER_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function createSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  const dir = env.CLOCKER_SECRETS_DIR ?? join(clockerHome(env), 'secrets');
  return (name) => {
    const fromEnv = env[envVarFor(name)];
    if (fromEnv !== undefined) return fromEnv;
    // Names are checked by the blueprint loader, but a path never comes from a name unchecked.
    if (/^[A-Za-z0-9_.-]+$/.test(name) && !name.startsWith('.')) {
      const file = join(dir, name);
      if (existsSync(file)) return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    }
    throw new SecretNotFoundError(name, envVarFor(name), join(dir, name));
  };
}
