// Bounded concurrency (workflow code and activities alike): the items of each group (a host) go `width` at a
// time, every group at once. Deterministic: lanes take items in order, and which call ends
// first is what the history says, so a replay takes the same turns.

/** Runs `work` over every item; `work` must not throw (it records its own failures). */
export async function inLanes<T>(items: readonly T[], groupOf: (item: T) => string, width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const key = groupOf(item);
    queues.set(key, [...(queues.get(key) ?? []), item]);
  }
  const lane = async (queue: T[]) => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
  };
  await Promise.all([...queues.values()].flatMap((queue) => Array.from({ length: Math.min(width, queue.length) }, () => lane(queue))));
}
