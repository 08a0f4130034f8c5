// Counts a pull's progress from the engine's stream of JSON messages (what `docker pull`
// draws as bars). Each layer announces itself by id ("Pulling fs layer", "Waiting", or
// "Already exists" when the host has it), reports "Downloading" with byte counts, and ends
// with "Pull complete". Messages without a layer id (digest, status) and the first one, whose
// id is the tag ("Pulling from clocker/x"), are not layers. Pure: messages in, counts out.
import type { Tally } from '../../domain/application/memberProgress';

export interface PullMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
}

export class PullTally {
  private readonly layers = new Map<string, { done: boolean; current: number; total: number }>();

  add(m: PullMessage): void {
    if (!m.id || !m.status || m.status.startsWith('Pulling from')) return;
    const layer = this.layers.get(m.id) ?? { done: false, current: 0, total: 0 };
    this.layers.set(m.id, layer);
    if (m.status === 'Pull complete' || m.status === 'Already exists') layer.done = true;
    if (m.status === 'Downloading' && m.progressDetail) {
      layer.current = m.progressDetail.current ?? layer.current;
      layer.total = m.progressDetail.total ?? layer.total;
    }
    // Past the download the byte count is whole (extracting reports other numbers).
    if (m.status === 'Download complete' || m.status === 'Verifying Checksum') layer.current = layer.total;
  }

  get layerTally(): Tally {
    const all = [...this.layers.values()];
    return { done: all.filter((l) => l.done).length, total: all.length };
  }

  /** Bytes of the layers that are downloaded or downloading (their size is known only then). */
  get byteTally(): Tally {
    let done = 0;
    let total = 0;
    for (const l of this.layers.values()) {
      done += l.current;
      total += l.total;
    }
    return { done, total };
  }
}
