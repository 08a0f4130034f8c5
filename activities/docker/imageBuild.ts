// A service with `build` gets its image built on the host that runs the member, from the
// context on the worker's disk (the path the client resolved: the worker must see the same
// folder, on the same machine or a shared one). The image is content-addressed: its tag and
// label carry the context's hash, so a host that has it skips the build, and a changed context
// is a new image.
import type Docker from 'dockerode';
import { BUILD_HASH_LABEL, builtImageTag } from '../../domain/blueprint/build/builtImage';
import type { BuildSpec } from '../../domain/blueprint/model';
import { ImageBuildError } from '../errors';
import { contextFiles, contextHash, contextProblem, type BuildInputs } from './contextFiles';
import { dockerError, statusCodeOf } from './dockerErrors';

const BUILD_TICK_MS = 2_000;
const TAIL_LINES = 20;

/**
 * Builds in progress in this worker, by host and tag: the members of one service often land on
 * one host at the same moment, and one build serves them all (a second would only be slow).
 */
const inFlight = new Map<string, Promise<void>>();

export interface BuildTarget {
  app: string;
  service: string;
  /** The name the members are created from: the content tag, or the blueprint's `image`. */
  image: string;
  build: BuildSpec;
}

export async function ensureBuiltImage(docker: Docker, where: string, target: BuildTarget, onProgress: () => void, abort?: AbortSignal): Promise<void> {
  const { build, image } = target;
  if (build.contextPath === undefined || build.hash === undefined) {
    throw new ImageBuildError(image, where, 'the build context was never read: load the blueprint with the clocker client (`clocker deploy FILE`), which resolves and hashes it');
  }
  const hash = build.hash;
  if ((await builtHash(docker, where, image)) === hash) return;
  const tag = builtImageTag(target.app, target.service, hash);
  const key = `${where} ${tag}`;
  let running = inFlight.get(key);
  if (!running) {
    running = buildOnce(docker, where, tag, { contextPath: build.contextPath, ...(build.dockerfile !== undefined && { dockerfile: build.dockerfile }), ...(build.args !== undefined && { args: build.args }) }, hash, onProgress, abort).finally(() => inFlight.delete(key));
    inFlight.set(key, running);
  }
  // Every caller stays alive on a timer, the one waiting for another's build too (a long RUN
  // step prints nothing for a while); a cancelled caller stops waiting.
  const ticker = setInterval(onProgress, BUILD_TICK_MS);
  try {
    await (abort ? Promise.race([running, aborted(abort)]) : running);
  } finally {
    clearInterval(ticker);
  }
  // The blueprint's own name for the image follows the content tag (also back to an older
  // build on a rollback, whose content tag is still on the host).
  if (image !== tag) await retag(docker, where, tag, image);
}

/** The context hash an image on the host was built from; undefined when absent or not built by Clocker. */
async function builtHash(docker: Docker, where: string, image: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(image).inspect()).Config.Labels?.[BUILD_HASH_LABEL];
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw dockerError(where, `inspect image ${image}`, err);
  }
}

async function buildOnce(docker: Docker, where: string, tag: string, inputs: BuildInputs, hash: string, onProgress: () => void, abort?: AbortSignal): Promise<void> {
  if ((await builtHash(docker, where, tag)) === hash) return;
  const problem = contextProblem(inputs);
  if (problem !== undefined) throw new ImageBuildError(tag, where, `${problem} on the worker's machine (the worker reads the context where the client found it: run it there, or share the folder)`);
  let files: string[];
  let now: string;
  try {
    files = contextFiles(inputs.contextPath);
    now = contextHash(inputs, files);
  } catch (err) {
    throw new ImageBuildError(tag, where, `cannot read the context ${inputs.contextPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (now !== hash) {
    throw new ImageBuildError(tag, where, `the context ${inputs.contextPath} changed since the blueprint was loaded (hash ${now.slice(0, 12)}, deployed ${hash.slice(0, 12)}): deploy again`);
  }
  const output: string[] = [];
  let failure: string | undefined;
  try {
    const stream = await docker.buildImage(
      { context: inputs.contextPath, src: files },
      {
        t: tag,
        ...(inputs.dockerfile !== undefined && { dockerfile: inputs.dockerfile }),
        ...(inputs.args !== undefined && { buildargs: inputs.args }),
        labels: { [BUILD_HASH_LABEL]: hash },
        rm: true,
        forcerm: true,
        ...(abort && { abortSignal: abort }),
      },
    );
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (event: { stream?: string; error?: string; errorDetail?: { message?: string } }) => {
          onProgress();
          if (event.stream) output.push(...event.stream.split('\n').filter((l) => l.trim() !== ''));
          if (output.length > TAIL_LINES * 4) output.splice(0, output.length - TAIL_LINES);
          if (event.error) failure = event.errorDetail?.message ?? event.error;
        },
      ),
    );
  } catch (err) {
    if (abort?.aborted) throw err;
    // Refused before the stream started (a bad option): not retried; a lost connection is.
    throw dockerError(where, `build ${tag}`, err);
  }
  if (failure !== undefined) throw new ImageBuildError(tag, where, `${failure}\n${output.slice(-TAIL_LINES).join('\n')}`);
  if ((await builtHash(docker, where, tag)) !== hash) throw new ImageBuildError(tag, where, `the engine reported no error but has no image ${tag}:\n${output.slice(-TAIL_LINES).join('\n')}`);
}

async function retag(docker: Docker, where: string, from: string, image: string): Promise<void> {
  // `repo:tag`, where a ':' before the last '/' belongs to a registry address, not a tag.
  const colon = image.lastIndexOf(':');
  const [repo, tag] = colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, 'latest'];
  try {
    await docker.getImage(from).tag({ repo, tag });
  } catch (err) {
    throw dockerError(where, `tag ${from} as ${image}`, err);
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
