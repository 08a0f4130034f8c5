// Is an image on the host, or could the host pull it? Only a name with an explicit registry
// host (`registry.example:5000/app:1`, `localhost/app`) is asked about, through the engine's
// distribution endpoint (the engine asks its registry, with its own credentials and network),
// briefly. A Docker Hub name absent from the host is presumed pullable: the preflight never
// asks a public registry.
import type Docker from 'dockerode';
import { statusCodeOf } from '../docker/dockerErrors';

const ASK_REGISTRY_MS = 5_000;

/** The registry host named by an image reference, if it names one (Docker's own rule: a '.' or ':' in the first part, or `localhost`). */
export function explicitRegistry(image: string): string | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

/** Why the host cannot have the image, or undefined when it has it or may pull it. */
export async function imageProblem(docker: Docker, hostId: string, image: string): Promise<string | undefined> {
  try {
    await docker.getImage(image).inspect();
    return undefined;
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
  }
  const registry = explicitRegistry(image);
  if (registry === undefined) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${ASK_REGISTRY_MS / 1000}s`), ASK_REGISTRY_MS);
  });
  try {
    const asked = docker
      .getImage(image)
      .distribution()
      .then(() => undefined)
      .catch((err: unknown) => (err instanceof Error ? (err.message.split('\n')[0] ?? '').trim() : String(err)));
    const failure = await Promise.race([asked, timeout]);
    return failure === undefined ? undefined : `not on host ${hostId} and registry ${registry} did not answer for it (${failure})`;
  } finally {
    clearTimeout(timer);
  }
}
