// What a service does by itself, on a clock, between requests: restore its size when members
// are missing (workflows/serviceRestore.ts), evaluate its autoscaler. Each duty says when it is
// next due; the service's loop sleeps until the earliest one (or a request), then runs it. A
// service with nothing due sets no timer at all, so an idle service adds nothing to its history.

/** A duty's state as carried across continue-as-new. */
export type DutyCarry = Record<string, unknown>;

export interface ServiceDuty {
  /** Unique among the service's duties; keys its carried state. */
  readonly name: string;
  /** Workflow time (ms) when it wants to run next, or undefined while it has nothing to do. */
  dueAt(): number | undefined;
  /** Runs once, in the service's loop (never beside another operation); answers whether the service should report. */
  run(): Promise<boolean>;
  /** What it carries into the next run. */
  carry(): DutyCarry;
}

/** The duty due first, if any. */
export function nextDue(duties: readonly ServiceDuty[]): { duty: ServiceDuty; at: number } | undefined {
  let best: { duty: ServiceDuty; at: number } | undefined;
  for (const duty of duties) {
    const at = duty.dueAt();
    if (at !== undefined && (!best || at < best.at)) best = { duty, at };
  }
  return best;
}

/** Every duty's carried state, by name. */
export function carryDuties(duties: readonly ServiceDuty[]): Record<string, DutyCarry> {
  return Object.fromEntries(duties.map((d) => [d.name, d.carry()]));
}
