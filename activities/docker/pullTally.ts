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
  /** "Already exists": nothing to download, so no size will come. */
  private readonly present = new Set<string>();

  add(m: PullMessage): void {
    if (!m.id || !m.status || m.status.startsWith('Pulling from')) return;
    const layer = this.layers.get(m.id) ?? { done: false, current: 0, total: 0 };
    this.layers.set(m.id, layer);
    if (m.status === 'Pull complete' || m.status === 'Already exists') layer.done = true;
    if (m.status === 'Already exists') this.present.add(m.id);
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

  /**
   * Bytes downloaded so far. A layer's size is known only once its download starts (the
   * engine fetches a few at a time), so the total is given (non-zero) only when every layer
   * still to come has announced its size; until then it is 0, for unknown.
   */
  get byteTally(): Tally {
    let done = 0;
    let total = 0;
    let unknown = false;
    for (const [id, l] of this.layers) {
      done += l.current;
      total += l.total;
      if (!l.done && l.total === 0 && !this.present.has(id)) unknown = true;
    }
    return { done, total: unknown ? 0 : total };
  }
}
