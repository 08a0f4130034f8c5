// What a Docker engine really holds, for end-to-end assertions.
import type Docker from 'dockerode';
import { LABEL } from '../../domain/naming';

export async function appContainers(docker: Docker, app: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL.app}=${app}`] } });
}

/**
 * Removes whatever containers and networks these applications left on an engine (a test's
 * cleanup). Networks too: one left by a failed test holds its subnet, and a later network on
 * that subnet (every infrastructure's IPAM carves from one pool) meets it.
 */
export async function removeAppLeftovers(docker: Docker, ...apps: string[]): Promise<void> {
  for (const app of apps) {
    for (const c of await appContainers(docker, app)) await docker.getContainer(c.Id).remove({ force: true });
    for (const n of await docker.listNetworks({ filters: { label: [`${LABEL.app}=${app}`] } })) await docker.getNetwork(n.Id).remove();
  }
}

/** GET over loopback or to a rig host; returns the body, or the error text. */
export async function httpGet(url: string): Promise<{ ok: boolean; body: string }> {
  // AbortSignal.timeout's timer does not hold the event loop: a request the server accepted but
  // never answered left nothing alive, and node's test runner gave up on the test ("Promise
  // resolution is still pending but the event loop has already resolved"). This one does.
  const holder = setTimeout(() => undefined, 3_500);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return { ok: res.ok, body: await res.text() };
  } catch (err) {
    // fetch says only "fetch failed": the cause (ECONNRESET, ECONNREFUSED…) is what tells.
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { ok: false, body: err instanceof Error ? `${err.message}${cause}` : String(err) };
  } finally {
    clearTimeout(holder);
  }
}
