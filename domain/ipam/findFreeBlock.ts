// First fit: the lowest block of the wanted size, aligned to its size, that overlaps no
// existing subnet. Walks the pool's subnets in address order and jumps over each one, so
// the cost grows with the number of subnets, never with the number of addresses.
import type { Cidr } from './addressMath';
import { blockSize, lastOf } from './addressMath';

/** `taken` need not be sorted; undefined when the pool has no room of that size. */
export function findFreeBlock(pool: Cidr, prefixLength: number, taken: readonly Cidr[]): Cidr | undefined {
  const size = blockSize(pool.family, prefixLength);
  const poolLast = lastOf(pool);
  const sorted = [...taken].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  let candidate = pool.base;
  for (const block of sorted) {
    if (lastOf(block) < candidate) continue;
    if (block.base > candidate + size - 1n) break;
    // Overlap: the next aligned start after this block.
    const after = lastOf(block) + 1n;
    candidate = ((after + size - 1n) / size) * size;
  }
  if (candidate + size - 1n > poolLast) return undefined;
  return { family: pool.family, base: candidate, prefixLength };
}
