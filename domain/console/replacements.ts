// How many members a service's newest event says were replaced. The service writes these
// events itself (workflows/serviceRecovery.ts: `…: replaced by member 4 on h2 …`;
// workflows/serviceOperations.ts: `host h2 failed (…): replaced members 1, 2 with 4, 5`);
// test/unit/console.test.ts pins both forms, so a reworded event shows up there.

export function replacementsBetween(before: string | undefined, now: string | undefined): number {
  if (now === undefined || now === before) return 0;
  if (/: replaced by member \S+ on /.test(now)) return 1;
  const hostMove = /: replaced members? (.+?) with ([^;]+)/.exec(now);
  return hostMove ? hostMove[2]!.split(',').filter((s) => s.trim() !== '').length : 0;
}
