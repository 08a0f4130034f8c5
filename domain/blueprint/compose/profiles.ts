// Compose profiles: a service that lists `profiles` runs only when one of them is active
// (`--profile NAME`, or COMPOSE_PROFILES); "*" activates every profile. A service without
// `profiles` always runs.
import { isPlainMap } from '../normalize/plainData';

export function serviceProfiles(spec: unknown): string[] {
  const profiles = isPlainMap(spec) ? spec['profiles'] : undefined;
  return Array.isArray(profiles) ? profiles.map((p) => String(p)) : [];
}

export function isActive(profiles: readonly string[], active: readonly string[]): boolean {
  return profiles.length === 0 || active.includes('*') || profiles.some((p) => active.includes(p));
}

/** COMPOSE_PROFILES is comma-separated; blanks are ignored. */
export function profilesFromEnv(value: string | undefined): string[] {
  return (value ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
}

/** How to turn a dropped service on, for messages: `--profile seed` (or `--profile a` / `--profile b`). */
export function howToActivate(profiles: readonly string[]): string {
  return profiles.map((p) => `--profile ${p}`).join(' or ');
}
