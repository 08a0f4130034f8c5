// Clocker 1.x built an entity's image from a Dockerfile (`dockerfileUrl`, long form
// `docker.dockerfile.url`) and named the image after the entity. Here that is a native `build`
// whose context is the Dockerfile's folder, relative to the blueprint (the image is then named
// after the application and service). A Dockerfile fetched from elsewhere (http, classpath) is
// refused: the worker builds from files it can read, and these machines reach no network.
import type { FieldPath } from '../fieldPath';
import type { Reporter } from '../reporter';

export const dockerfileUrlKeys = ['dockerfileUrl', 'docker.dockerfile.url'];

/** The `build` a Dockerfile URL stands for, or undefined (with an error at `origin`). */
export function dockerfileUrlBuild(value: unknown, origin: FieldPath, reporter: Reporter): { context: string; dockerfile: string } | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    reporter.error('brooklyn.dockerfileUrl', origin, 'dockerfileUrl must be the path of a Dockerfile, relative to the blueprint (or a file: URL)');
    return undefined;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  // `file:app/Dockerfile` and `file:///abs/Dockerfile` are local; `file://host/...` names another machine.
  const path = scheme === 'file' && !/^file:\/\/[^/]/i.test(value) ? value.replace(/^file:(\/\/(?=\/))?/i, '') : scheme === undefined ? value : undefined;
  if (path === undefined) {
    reporter.error(
      'brooklyn.dockerfileUrl',
      origin,
      `dockerfileUrl "${value}" is fetched from elsewhere: only a Dockerfile on disk can be built (a path relative to the blueprint, or a file: URL); put it beside the blueprint`,
    );
    return undefined;
  }
  const slash = path.lastIndexOf('/');
  const dockerfile = path.slice(slash + 1);
  if (dockerfile === '') {
    reporter.error('brooklyn.dockerfileUrl', origin, `dockerfileUrl "${value}" names a folder: name the Dockerfile in it`);
    return undefined;
  }
  return { context: slash < 0 ? '.' : path.slice(0, slash) || '/', dockerfile };
}
