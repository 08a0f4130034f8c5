// Where a new member is inside the one activity that makes it (startMember: pull, create,
// start, wait for health). The activity puts this in its heartbeat details as it goes; the
// workflow never sees it (it learns the outcome only), but a client reads it from the service
// workflow's description (pending activities), so `clocker deploy` can say "pulling".

// 'healthy': started in a batch (startMembers, one activity per host) and healthy, while others
// of its host's batch are still on their way: the workflow learns of all of them at once.
export type MemberStep = 'pulling' | 'building' | 'creating' | 'starting' | 'waiting for health' | 'healthy';

const STEPS: readonly MemberStep[] = ['pulling', 'building', 'creating', 'starting', 'waiting for health', 'healthy'];

export interface Tally {
  done: number;
  total: number;
}

export interface MemberProgress {
  /** The member id within its service (heartbeat details say whose they are: activity ids do not). */
  member: string;
  step: MemberStep;
  /** The image being pulled or built. */
  image?: string;
  /** Layers of a pull: pulled (or already there) of those the manifest has, as far as known. */
  layers?: Tally;
  /** Bytes downloaded, of a total that is 0 while some layer's size is not known yet. */
  bytes?: Tally;
}

const isTally = (v: unknown): v is Tally => typeof v === 'object' && v !== null && Number.isFinite((v as Tally).done) && Number.isFinite((v as Tally).total);

/**
 * Heartbeat details come from another process (any worker version): only a well-formed
 * progress is taken, anything else is no progress at all.
 */
export function memberProgressOf(details: unknown): MemberProgress | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const d = details as Record<string, unknown>;
  if (typeof d.member !== 'string' || !STEPS.includes(d.step as MemberStep)) return undefined;
  return {
    member: d.member,
    step: d.step as MemberStep,
    ...(typeof d.image === 'string' ? { image: d.image } : {}),
    ...(isTally(d.layers) ? { layers: { done: d.layers.done, total: d.layers.total } } : {}),
    ...(isTally(d.bytes) ? { bytes: { done: d.bytes.done, total: d.bytes.total } } : {}),
  };
}

/** The heartbeat details of a batch (startMembers): each member's progress, as far as known. */
export interface BatchProgress {
  members: MemberProgress[];
}

/** The well-formed progresses in a batch's heartbeat details (anything else: none). */
export function batchProgressOf(details: unknown): MemberProgress[] {
  if (typeof details !== 'object' || details === null) return [];
  const members = (details as Record<string, unknown>).members;
  if (!Array.isArray(members)) return [];
  return members.flatMap((m) => {
    const progress = memberProgressOf(m);
    return progress ? [progress] : [];
  });
}

const MB = 1_000_000;

/** `pulling clocker/x:1 (3/7 layers, 12.1 of 40.3 MB)`, `creating the container`, … */
export function memberProgressText(p: MemberProgress): string {
  switch (p.step) {
    case 'pulling': {
      const parts = [
        ...(p.layers && p.layers.total > 0 ? [`${p.layers.done}/${p.layers.total} layers`] : []),
        ...(p.bytes && p.bytes.total > 0 ? [`${(p.bytes.done / MB).toFixed(1)} of ${(p.bytes.total / MB).toFixed(1)} MB`] : []),
        ...(p.bytes && p.bytes.total === 0 && p.bytes.done > 0 ? [`${(p.bytes.done / MB).toFixed(1)} MB so far`] : []),
      ];
      return `pulling ${p.image ?? 'the image'}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
    }
    case 'building':
      return `building ${p.image ?? 'the image'}`;
    case 'creating':
      return 'creating the container';
    case 'starting':
      return 'starting the container';
    case 'waiting for health':
      return 'created; waiting until healthy';
    case 'healthy':
      return "healthy; its host's other new members are still starting";
  }
}
