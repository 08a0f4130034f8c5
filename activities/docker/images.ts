// An image is used from the host's store when present, else pulled (with progress reported,
// so a long pull keeps its activity alive).
import type Docker from 'dockerode';
import { ImageNotFoundError } from '../errors';
import { dockerError, statusCodeOf } from './dockerErrors';
import { reportStep } from './memberProgressReport';
import { PullTally, type PullMessage } from './pullTally';

const PULL_TICK_MS = 2_000;

/** `abort` (the activity's cancellation) stops a pull under way. */
export async function ensureImage(docker: Docker, where: string, image: string, onProgress: () => void, abort?: AbortSignal): Promise<void> {
  if (!(await imagePresent(docker, where, image))) await pullImage(docker, where, image, onProgress, abort);
}

/** One image inspect: whether the host's store has it. */
export async function imagePresent(docker: Docker, where: string, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw dockerError(where, `inspect image ${image}`, err);
    return false;
  }
}

export async function pullImage(docker: Docker, where: string, image: string, onProgress: () => void, abort?: AbortSignal): Promise<void> {
  // The engine may say nothing for a long while (resolving a registry that does not answer):
  // the activity stays alive on a timer too, not only on progress messages.
  const ticker = setInterval(onProgress, PULL_TICK_MS);
  // Inside a member's start the heartbeats say how far the pull is (memberProgressReport.ts).
  const tally = new PullTally();
  reportStep('pulling', { image });
  const onMessage = (m: PullMessage) => {
    tally.add(m);
    reportStep('pulling', { image, layers: tally.layerTally, bytes: tally.byteTally });
    onProgress();
  };
  try {
    const stream = await docker.pull(image, abort ? { abortSignal: abort } : {});
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()), onMessage),
    );
  } catch (err) {
    const status = statusCodeOf(err);
    // The engine answers 404 (no such image) or 500 (registry unreachable, access denied).
    if (status === 404 || status === 500) {
      throw new ImageNotFoundError(image, where, err instanceof Error ? err.message : String(err));
    }
    throw dockerError(where, `pull ${image}`, err);
  } finally {
    clearInterval(ticker);
  }
}
