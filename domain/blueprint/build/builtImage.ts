// Names of images Clocker builds from a service's `build` context. The tag is the context's
// content hash, so a changed context is a new image (and a new spec, which rolls the service),
// and an unchanged one is found on the host instead of built again.

/** The repository a built image goes to when the blueprint names no `image`. */
export function builtImageRepository(app: string, service: string): string {
  return `clocker-build/${`${app}-${service}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`;
}

/** What the loader sets as `image` before the context is read (the client replaces the tag). */
export function unbuiltImage(app: string, service: string): string {
  return `${builtImageRepository(app, service)}:latest`;
}

/** The content-addressed tag every build gets, whatever `image` also names it. */
export function builtImageTag(app: string, service: string, hash: string): string {
  return `${builtImageRepository(app, service)}:${hash.slice(0, 12)}`;
}

/** Label on a built image: the hash of the context it was built from. */
export const BUILD_HASH_LABEL = 'io.clocker.build.hash';
