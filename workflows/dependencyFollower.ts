// Keeping dependents in step with what their dependencies publish. When a service's members
// change (a rolling update, a resize, a host replaced), the values its dependents reference
// change too (`${web.members.8080}`):
// - a dependent with `reload` gets its reload argv run in every running member, and its new
//   values for members it starts later: a balancer follows its backends without restarting;
// - any other dependent is rolled onto the new values, once everything it references is
//   RUNNING again (the application's main loop does that: see `pass`'s answer).
// A service about to remove members marks them DRAINING and waits for `dependentsSynced`:
// it is sent once the reloads that drop those members have run.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { specFingerprint } from '../domain/application/specFingerprint';
import { referencedSecrets } from '../domain/blueprint/references/resolveValue';
import type { ServiceView } from '../domain/application/status';
import type { ServiceSpec } from '../domain/blueprint/model';
import { memberCommand } from './activityOptions';
import type { ApplicationState } from './applicationState';
import { failureText } from './failureText';
import { dependentsSyncedSignal, reconfiguredSignal } from './messages';
import type { ServiceChildren } from './serviceChildren';
import type { ServiceVersion } from './serviceMembers';

/** A service's version with its references bound now, and its reload argv bound the same way. */
export interface BoundVersion {
  version: ServiceVersion;
  reloadArgv: string[];
}

/** What the follower remembers across continue-as-new. */
export interface FollowerSnapshot {
  /** Per service: what it was last given (a key over spec, env, dns, reload argv). */
  given: Record<string, string>;
  /** Per service: values whose rollout was rolled back, not to be tried again as they are. */
  refused: Record<string, string>;
  /** Per service: the last `syncRequested` answered. */
  synced: Record<string, number>;
}

const run = proxyActivities<Activities>(memberCommand);

export class DependencyFollower {
  private readonly given: Map<string, string>;
  private readonly refused: Map<string, string>;
  private readonly synced: Map<string, number>;
  /** Services the main loop is handing a version to right now: a pass leaves them alone. */
  readonly busy = new Set<string>();

  constructor(
    private readonly state: ApplicationState,
    private readonly children: ServiceChildren,
    /** Binds a spec's references to what is published now; a string says what is missing. */
    private readonly bind: (spec: ServiceSpec) => BoundVersion | string,
    carried?: FollowerSnapshot,
  ) {
    this.given = new Map(Object.entries(carried?.given ?? {}));
    this.refused = new Map(Object.entries(carried?.refused ?? {}));
    this.synced = new Map(Object.entries(carried?.synced ?? {}));
  }

  snapshot(): FollowerSnapshot {
    return { given: Object.fromEntries(this.given), refused: Object.fromEntries(this.refused), synced: Object.fromEntries(this.synced) };
  }

  /** The service was handed these values (started or upgraded with them). */
  record(id: string, bound: BoundVersion): void {
    this.given.set(id, bindingKey(bound));
  }

  /** The rollout onto `bound` was rolled back: the service runs what it had before, and `bound` is not retried. */
  refuse(id: string, bound: BoundVersion, before: string | undefined): void {
    if (before === undefined) this.given.delete(id);
    else this.given.set(id, before);
    this.refused.set(id, bindingKey(bound));
  }

  givenKey(id: string): string | undefined {
    return this.given.get(id);
  }

  /** Whether the service has these values already, or refused them. */
  isSettled(id: string, bound: BoundVersion): boolean {
    const key = bindingKey(bound);
    return this.given.get(id) === key || this.refused.get(id) === key;
  }

  /** The service left the application: a new one by the same id starts from nothing. */
  forget(id: string): void {
    this.given.delete(id);
    this.refused.delete(id);
    this.synced.delete(id);
  }

  /**
   * One pass over every service: reloads dependents with `reload` whose values changed, then
   * answers the drains asked before the pass began. Answers whether a dependent without
   * `reload` should be rolled onto new values.
   */
  async pass(): Promise<boolean> {
    const asked = this.state.view.services.flatMap((s) => ((s.syncRequested ?? 0) > (this.synced.get(s.id) ?? 0) ? [[s.id, s.syncRequested ?? 0] as const] : []));
    let rollWanted = false;
    const reloads: Promise<void>[] = [];
    for (const spec of this.state.blueprint.services) {
      const view = this.state.view.services.find((s) => s.id === spec.id);
      if (!view || this.busy.has(spec.id) || !this.children.has(spec.id) || (view.status !== 'RUNNING' && view.status !== 'UPDATING')) continue;
      const bound = this.bind(spec);
      if (typeof bound === 'string' || this.isSettled(spec.id, bound)) continue;
      if (spec.reload) reloads.push(this.reload(spec, view, bound));
      else if (view.status === 'RUNNING' && spec.dependsOn.every((d) => this.state.view.services.find((s) => s.id === d)?.status === 'RUNNING')) rollWanted = true;
    }
    await Promise.all(reloads);
    for (const [id, seq] of asked) {
      if (await this.children.tell(id, (h) => h.signal(dependentsSyncedSignal, { seq }))) this.synced.set(id, seq);
    }
    return rollWanted;
  }

  /** Runs the reload argv in every running member, then gives the service the new values. */
  private async reload(spec: ServiceSpec, view: ServiceView, bound: BoundVersion): Promise<void> {
    const running = view.members.filter((m) => m.state === 'RUNNING');
    // A member still starting was made with the old values and cannot be reloaded yet: the
    // values count as given only once every member has them (a later pass tries again).
    const starting = view.members.some((m) => m.state === 'PLACED' || m.state === 'CREATED');
    const timeoutMs = spec.reload?.timeoutMs ?? 30_000;
    const outcomes = await Promise.allSettled(
      running.flatMap((m) => {
        const endpoint = view.hostEndpoints[m.hostId];
        return endpoint ? [run.runInMember({ endpoint, containerName: m.containerName, argv: bound.reloadArgv, timeoutMs, secretNames: referencedSecrets(Object.values(bound.version.env)) })] : [];
      }),
    );
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [failureText(o.reason)] : []));
    if (failures.length === 0 && !starting) this.record(spec.id, bound);
    await this.children.tell(spec.id, (h) => h.signal(reconfiguredSignal, { env: bound.version.env, dns: bound.version.dns, spec: specFingerprint(spec) }));
    this.state.view.lastEvent =
      failures.length === 0
        ? `${spec.id}: reload ran in ${running.length} member${running.length === 1 ? '' : 's'}`
        : `${spec.id}: reload failed in ${failures.length} of ${running.length} members: ${failures.join('; ')}`;
  }
}

function bindingKey(bound: BoundVersion): string {
  return JSON.stringify([specFingerprint(bound.version.spec), bound.version.env, bound.version.dns, bound.reloadArgv]);
}
