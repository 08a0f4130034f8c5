// Durations ("1m30s", "500ms", a number of seconds) and byte sizes ("512m", "1GiB", a number
// of bytes) as people write them in blueprints and Compose files.

export const durationPattern = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const durationPart = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const msPerUnit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a duration text; call only on text matching `durationPattern`. */
export function durationMs(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(durationPart)) total += Number(amount) * (msPerUnit[unit ?? 's'] ?? 1000);
  return Math.round(total);
}

export const byteSizePattern = /^\d+(\.\d+)?\s*([kmgt]i?b?|b)?$/i;
const bytesPerUnit: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Bytes in a size text; Docker's convention: k/m/g are binary multiples. */
export function byteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)/i.exec(text.trim());
  if (!match) return Number.NaN;
  return Math.round(Number(match[1]) * (bytesPerUnit[(match[2] ?? '').toLowerCase()] ?? 1));
}
