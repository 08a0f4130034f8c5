// "Is this image on that host?" answered once per host and image for a short while, not once
// per member: the 30 members of a service placed on one host ask Docker one image inspect
// between them. Only presence is remembered, and only briefly; an image removed meanwhile
// shows up as create's 404, and the caller then forgets the entry and checks again
// (containers.ts), so a stale answer costs one round trip, never a failed member.
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../domain/infra/model';
import { imagePresent, pullImage } from './images';

/** Long enough to cover one rollout's burst of members; short enough that the map stays small. */
const PRESENT_TTL_MS = 60_000;

export interface ImageCheck {
  /** The image is on the host when this resolves: looked up (shared by concurrent callers), else pulled. */
  ensure(endpoint: DockerEndpoint, docker: Docker, where: string, image: string, onProgress: () => void, abort?: AbortSignal): Promise<void>;
  /** Drops what is known of the image on that host (create said it is not there). */
  forget(endpoint: DockerEndpoint, image: string): void;
}

export function createImageCheck(ttlMs = PRESENT_TTL_MS, now: () => number = Date.now): ImageCheck {
  const presentUntil = new Map<string, number>();
  const lookups = new Map<string, Promise<boolean>>();
  const keyOf = (endpoint: DockerEndpoint, image: string) => `${JSON.stringify(endpoint)} ${image}`;

  function prune(at: number): void {
    for (const [key, until] of presentUntil) if (until <= at) presentUntil.delete(key);
  }

  return {
    async ensure(endpoint, docker, where, image, onProgress, abort) {
      const key = keyOf(endpoint, image);
      if ((presentUntil.get(key) ?? 0) > now()) return;
      // Concurrent members share one inspect. A pull is each caller's own: it carries that
      // activity's cancellation, which must not cut another member's pull short.
      let lookup = lookups.get(key);
      if (!lookup) {
        lookup = imagePresent(docker, where, image).finally(() => lookups.delete(key));
        lookups.set(key, lookup);
      }
      if (!(await lookup)) await pullImage(docker, where, image, onProgress, abort);
      prune(now());
      presentUntil.set(key, now() + ttlMs);
    },
    forget(endpoint, image) {
      presentUntil.delete(keyOf(endpoint, image));
    },
  };
}
