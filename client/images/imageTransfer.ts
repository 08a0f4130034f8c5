// Image plumbing shared by the local image builders: following the engine's JSON progress
// streams (build, import, load) and failing with the engine's own error text, and copying an
// image from one engine to another without a registry (`docker save | docker load`).
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';

/** One line of an engine progress stream (build, import, load, pull). */
export interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Reads an engine progress stream to its end. Resolves with every event; rejects when the
 * stream breaks or an event carries an error (the engine reports a failed `RUN` that way,
 * with HTTP 200), the message ending with the last lines of output for context.
 */
export function followProgressStream(docker: Docker, stream: NodeJS.ReadableStream, what: string): Promise<ProgressEvent[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: ProgressEvent[]) => {
      if (err) return reject(new Error(`${what}: ${err.message}`));
      const failed = events.find((e) => e.error || e.errorDetail?.message);
      if (!failed) return resolve(events);
      const output = events
        .map((e) => e.stream ?? e.status ?? '')
        .join('')
        .trimEnd()
        .split('\n')
        .slice(-25)
        .join('\n');
      reject(new Error(`${what} failed: ${failed.error ?? failed.errorDetail?.message}${output ? `\n--- last output ---\n${output}` : ''}`));
    });
  });
}

/** The image id an engine holds under `ref`, or undefined when it has no such image. */
export async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/**
 * Copies image `ref` (name:tag, with its tag) from one engine to another by streaming
 * `docker save` into `docker load`: for hosts that cannot reach a registry. Nothing is copied
 * when the target already has the same image id under that name.
 */
export async function copyImage(from: Docker, to: Docker, ref: string): Promise<{ image: string; id: string; copied: boolean }> {
  const id = await imageId(from, ref);
  if (!id) throw new Error(`copyImage: the source engine has no image ${ref}`);
  if ((await imageId(to, ref)) === id) return { image: ref, id, copied: false };

  const saved = (await from.getImage(ref).get()) as Readable;
  // A broken source must fail the copy rather than leave the load waiting for more bytes.
  const sourceFailed = new Promise<never>((_, reject) => saved.once('error', (err) => reject(new Error(`copyImage: saving ${ref} failed: ${err.message}`))));
  sourceFailed.catch(() => undefined);
  const load = (async () => {
    const res = await to.loadImage(saved, { quiet: true });
    await followProgressStream(to, res, `loading ${ref}`);
  })();
  try {
    await Promise.race([load, sourceFailed]);
  } finally {
    saved.destroy();
  }
  const loaded = await imageId(to, ref);
  if (loaded !== id) throw new Error(`copyImage: after loading, the target's ${ref} is ${loaded ?? 'missing'}, not ${id}`);
  return { image: ref, id, copied: true };
}
