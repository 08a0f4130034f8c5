// Paths that reach the Docker host's file system: bind-mount sources must be absolute and
// never climb with '..'; build contexts stay inside the blueprint's folder; named volumes
// follow Docker's naming rule.
import type { FieldPath } from './fieldPath';
import type { ServiceSpec } from './model';
import type { Reporter } from './reporter';
import { dockerNamePattern } from './schema/primitives';

const climbs = (path: string): boolean => path.split(/[\\/]/).includes('..');

export function checkHostPaths(s: ServiceSpec, at: (...rest: (string | number)[]) => FieldPath, reporter: Reporter): void {
  s.volumes.forEach((v, j) => {
    const path = at('volumes', j);
    if (!v.target.startsWith('/')) reporter.error('path.relative', path, `volume target "${v.target}" must be an absolute path in the container`);
    else if (climbs(v.target)) reporter.error('path.traversal', path, `volume target "${v.target}" must not contain ".."`);
    if (v.type === 'bind') {
      if (climbs(v.source)) reporter.error('path.traversal', path, `host path "${v.source}" must not contain ".."`);
      else if (!v.source.startsWith('/')) reporter.error('path.relative', path, `host path "${v.source}" must be absolute: containers run on other hosts than this file`);
    }
    if (v.type === 'volume' && !dockerNamePattern.test(v.source)) {
      reporter.error('name.invalid', path, `volume name "${v.source}" must start with a letter or digit, then letters, digits, '_', '.' or '-'`);
    }
  });
  if (s.build) {
    for (const [key, path] of [['context', s.build.context], ['dockerfile', s.build.dockerfile]] as const) {
      if (path === undefined) continue;
      if (climbs(path) || path.startsWith('/') || path.startsWith('~')) {
        reporter.error('path.traversal', at('build', key), `build ${key} "${path}" must stay inside the blueprint's folder (relative, no "..")`);
      }
    }
  }
}
