// What a resize request (`clocker resize`/`scale`, the resizeService Update) asks of a service,
// or why it is refused. An autoscaled service's size belongs to its autoscaler: a plain size
// is refused, and the request moves the autoscaler's bounds instead (`min`/`max`), the size
// then brought within them. Sizes and bounds stay within the cluster's min..max.
import type { Bounds } from './autoscaler';

export interface ResizeAsk {
  size?: number;
  by?: number;
  /** The autoscaler's new bounds (either or both). */
  min?: number;
  max?: number;
}

export interface ResizeContext {
  /** The size the latest version asks for. */
  count: number;
  cluster: Bounds;
  /** Present when the service is autoscaled: its metric and bounds in force. */
  autoscaler?: { metric: string; bounds: Bounds };
}

export interface ResizeOutcome {
  size: number;
  /** The autoscaler's bounds after the request (autoscaled services only). */
  bounds?: Bounds;
}

const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);

/** The size (and bounds) asked for; throws an Error whose message is the refusal. */
export function resolveResize(req: ResizeAsk, ctx: ResizeContext): ResizeOutcome {
  const moves = req?.min !== undefined || req?.max !== undefined;
  const { cluster, autoscaler } = ctx;
  if (req?.size !== undefined && req?.by !== undefined) throw new Error('give exactly one of "size" or "by"');
  if (!autoscaler) {
    if (moves) throw new Error('"min"/"max" move an autoscaler\'s bounds, and this service has no autoscaler: give "size" or "by"');
    if (req?.size === undefined && req?.by === undefined) throw new Error('give exactly one of "size" or "by"');
    const size = req.size !== undefined ? req.size : ctx.count + (req.by ?? 0);
    if (!Number.isInteger(size)) throw new Error(`the size must be a whole number, not ${size}`);
    if (size < cluster.min || size > cluster.max) {
      throw new Error(`${size} is outside the service's bounds ${cluster.min}..${cluster.max} (set cluster.minSize/maxSize in the blueprint, or deploy a version with other bounds)`);
    }
    return { size };
  }
  const now = autoscaler.bounds;
  if (!moves) {
    throw new Error(
      `the service is autoscaled (${autoscaler.metric}, ${now.min}..${now.max} members): its autoscaler sets the size; move its bounds instead (clocker resize APP SERVICE --min N --max M)`,
    );
  }
  const bounds = { min: req.min ?? now.min, max: req.max ?? now.max };
  for (const [name, n] of Object.entries(bounds)) if (!whole(n)) throw new Error(`"${name}" must be a whole number, not ${String(n)}`);
  if (bounds.min > bounds.max) throw new Error(`min ${bounds.min} is above max ${bounds.max}`);
  if (bounds.min < cluster.min || bounds.max > cluster.max) {
    throw new Error(`the autoscaler's bounds ${bounds.min}..${bounds.max} leave the cluster's bounds ${cluster.min}..${cluster.max} (set cluster.minSize/maxSize in the blueprint)`);
  }
  const wanted = req.size !== undefined ? req.size : req.by !== undefined ? ctx.count + req.by : Math.min(bounds.max, Math.max(bounds.min, ctx.count));
  if (!Number.isInteger(wanted)) throw new Error(`the size must be a whole number, not ${wanted}`);
  if (wanted < bounds.min || wanted > bounds.max) throw new Error(`${wanted} is outside the autoscaler's new bounds ${bounds.min}..${bounds.max}`);
  return { size: wanted, bounds };
}
