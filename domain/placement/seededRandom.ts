// Deterministic randomness for workflow code: the same seed gives the same sequence on every
// replay. The workflow derives the seed (e.g. from its id and the update id); nothing here
// reads a clock or Math.random.

/** A function returning numbers in [0, 1), fully determined by `seed`. */
export type RandomSource = () => number;

/** FNV-1a over the seed's text: spreads similar seeds ("run-1", "run-2") apart. */
function hashSeed(seed: string | number): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast, and good enough to shuffle hosts (not for cryptography). */
export function seededRandom(seed: string | number): RandomSource {
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
