// A secret reaches a container only through its environment (`env`, resolved by the activity
// that creates the container, never stored) — and the process reads it there, e.g.
// `command: [sh, -c, 'exec app --password "$DB_PASSWORD"']`. A `${secret:NAME}` anywhere else
// (command, entrypoint, labels, a health `exec`, the image, …) would be used as literal text,
// or would put the value where `docker inspect` and `ps` show it: refused at validate, at its
// place. (`reload.exec` refuses its own, in buildService.)
import type { Reporter } from '../reporter';
import type { RawService } from '../schema/service';

/** `${secret:…}` not escaped as `$${`; and Brooklyn's `$brooklyn:external(…)`. */
const secretReference = /(^|[^$])\$\{secret:|\$brooklyn:external\(/;

/** Parsed as templates elsewhere (env) or checked there (reload); `config` is only substituted into those. */
const checkedElsewhere = new Set(['env', 'reload', 'config']);

function walk(value: unknown, path: (string | number)[], found: (path: (string | number)[], text: string) => void): void {
  if (typeof value === 'string') {
    if (secretReference.test(value)) found(path, value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      // A secret in a key (a label's name) is as literal as one in a value.
      if (secretReference.test(k)) found([...path, k], k);
      walk(v, [...path, k], found);
    }
  }
}

export function refuseStraySecrets(raw: RawService, path: (string | number)[], reporter: Reporter): void {
  for (const [key, value] of Object.entries(raw)) {
    if (checkedElsewhere.has(key)) continue;
    // The schema turns `health: { type: exec, command: […] }` into `{ probe: { kind, command }, … }`: report at the file's keys.
    const shown = key === 'health' && typeof value === 'object' && value !== null && 'probe' in value ? { ...(value as Record<string, unknown>)['probe'] as object } : value;
    walk(shown, [...path, key], (at) => {
      reporter.error(
        'secret.placement',
        at,
        `a secret reference here would reach the container as literal text (or show in \`docker inspect\`): secrets go in env only; put it in env (e.g. DB_PASSWORD: \${secret:db_password}) and read the variable in the process (command: [sh, -c, 'exec app --password "$DB_PASSWORD"'])`,
      );
    });
  }
}
