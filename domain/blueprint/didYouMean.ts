// "Did you mean" suggestions for misspelt keys and values.

/** Edit distance (insert, delete, substitute, swap neighbours). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The closest candidate if it is close enough to be a plausible typo, compared case-insensitively. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/**
 * Keys other blueprint dialects (Brooklyn, Clocker 1.x) spell differently: no typo distance
 * finds these, so they are looked up first. The first candidate the caller offers wins.
 */
const otherSpellings: Record<string, readonly string[]> = {
  serviceType: ['type', 'image'],
  'brooklyn.config': ['config'],
  locations: ['location'],
  openPorts: ['ports'],
  directPorts: ['ports'],
  portBindings: ['ports'],
  'docker.container.openPorts': ['ports'],
  'docker.container.environment': ['env'],
  environment: ['env'],
  'shell.env': ['env'],
  imageName: ['image'],
  'docker.image.name': ['image'],
  initialSize: ['count'],
};

/** The key this one is another dialect's spelling of, if the caller offers it. */
export function otherSpellingOf(word: string, candidates: readonly string[]): string | undefined {
  return Object.hasOwn(otherSpellings, word) ? otherSpellings[word]?.find((c) => candidates.includes(c)) : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = otherSpellingOf(word, candidates) ?? closest(word, candidates);
  return guess === undefined ? '' : ` (did you mean "${guess}"?)`;
}
