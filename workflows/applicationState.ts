// An application's state: the blueprint it runs, its services' latest reports, and the rules
// for its own status.
import { appHealth } from '../domain/application/appHealth';
import { SETTLED_APP_STATUSES, type AppView, type ServiceView } from '../domain/application/status';
import type { Blueprint } from '../domain/blueprint/model';
import type { DockerEndpoint } from '../domain/infra/model';

/** What an application carries into its next run when it continues as new. */
export interface ApplicationSnapshot {
  view: AppView;
  blueprint: Blueprint;
  blocked: boolean;
  formerEndpoints: Record<string, DockerEndpoint>;
}

export class ApplicationState {
  readonly view: AppView;
  private readonly teardownProblems: string[] = [];
  /** Set when the application could not start at all (until a deploy repairs it, since app-status-derived). */
  blocked = false;
  /** The status at rest is derived from the services' reports (app-status-derived); otherwise the old rules. */
  derivesStatus = false;
  blueprint: Blueprint;
  /** Hosts of services removed by a later version: the final sweep of networks visits them too. */
  private readonly formerEndpoints: Record<string, DockerEndpoint>;

  constructor(blueprint: Blueprint, carried?: ApplicationSnapshot) {
    this.blueprint = carried?.blueprint ?? blueprint;
    this.blocked = carried?.blocked ?? false;
    this.formerEndpoints = carried?.formerEndpoints ?? {};
    this.view = carried?.view ?? {
      name: blueprint.name,
      location: blueprint.location,
      status: 'DEPLOYING',
      version: 1,
      services: blueprint.services.map((s) => pendingService(s.id, s.count)),
    };
  }

  snapshot(): ApplicationSnapshot {
    return { view: this.view, blueprint: this.blueprint, blocked: this.blocked, formerEndpoints: this.formerEndpoints };
  }

  report(service: ServiceView): void {
    const i = this.view.services.findIndex((s) => s.id === service.id);
    if (i >= 0) this.view.services[i] = service;
    // Between operations a service that fails, stops or comes back changes the application's status.
    if (this.derivesStatus && !this.blocked && SETTLED_APP_STATUSES.includes(this.view.status)) this.derive();
  }

  private derive(): void {
    const health = appHealth(this.view.services);
    this.view.status = health.status;
    this.view.error = health.problems.length > 0 ? health.problems.join('; ') : undefined;
  }

  /** A deploy of a version onto a blocked application (nothing ever started) tries the start again from the beginning. */
  retryFrom(next: Blueprint): void {
    this.blocked = false;
    this.blueprint = next;
    this.view.version += 1;
    this.view.error = undefined;
    this.view.status = 'DEPLOYING';
    this.view.services = next.services.map((s) => pendingService(s.id, s.count));
  }

  /** A service that ended (crashed, or never started) is started again: it starts from PENDING. */
  restartingService(id: string): void {
    const s = this.service(id);
    Object.assign(s, { status: 'PENDING', error: undefined, final: undefined });
  }

  /** The service's workflow ended with an error instead of a report. */
  serviceCrashed(id: string, error: string): void {
    // A service already dropped by a later version has nothing left to report.
    const s = this.view.services.find((x) => x.id === id);
    if (s) Object.assign(s, { status: 'FAILED', error });
  }

  /** A new blueprint version: services it adds appear as PENDING, removed ones go once ended. */
  beginVersion(next: Blueprint): void {
    this.blueprint = next;
    this.view.version += 1;
    this.view.status = 'UPDATING';
    this.view.error = undefined;
    for (const s of next.services) if (!this.view.services.some((v) => v.id === s.id)) this.view.services.push(pendingService(s.id, s.count));
  }

  /**
   * A version that could not even begin (its new networks could not be made): counted, and
   * answered as rolled back for every service, so the deploy says why; the services keep running.
   */
  refuseVersion(next: Blueprint, why: string): void {
    this.view.version += 1;
    this.view.rolledBack = { version: this.view.version, services: next.services.map((s) => s.id) };
    this.view.lastEvent = `version ${this.view.version} refused: ${why}`;
  }

  dropService(id: string): void {
    Object.assign(this.formerEndpoints, this.view.services.find((s) => s.id === id)?.hostEndpoints);
    this.view.services = this.view.services.filter((s) => s.id !== id);
  }

  /** Every Docker endpoint the application ever had members on, once each. */
  allEndpoints(): DockerEndpoint[] {
    const byHost = new Map(Object.entries(this.formerEndpoints));
    for (const s of this.view.services) for (const [host, endpoint] of Object.entries(s.hostEndpoints)) byHost.set(host, endpoint);
    return [...byHost.values()];
  }

  /** A service has finished deploying, one way or the other. */
  settled(id: string): boolean {
    const s = this.service(id);
    return s.status === 'RUNNING' || s.status === 'FAILED' || s.status === 'ON_FIRE';
  }

  failedServices(): ServiceView[] {
    return this.view.services.filter((s) => s.status === 'FAILED');
  }

  /** The application cannot start at all (unsupported features, no subnet): nothing starts. */
  cannotStart(error: string): void {
    this.view.error = error;
    this.blocked = true;
  }

  /** After the start sequence: RUNNING if every service is, else FAILED naming the failures. */
  finishDeploy(): void {
    if (this.derivesStatus && !this.blocked) return this.derive();
    const failed = this.failedServices();
    if (failed.length > 0) this.view.error = failed.map((s) => `${s.id}: ${s.error ?? 'failed'}`).join('; ');
    this.view.status = failed.length === 0 && !this.view.error ? 'RUNNING' : 'FAILED';
  }

  destroying(): void {
    this.view.status = 'DESTROYING';
  }

  /** Something the teardown could not remove, kept for the final status. */
  leftBehind(problem: string): void {
    this.teardownProblems.push(problem);
  }

  /** A service whose workflow ended without cleaning up was cleaned after it (containers swept, room released). */
  cleanedAfter(id: string): void {
    const s = this.view.services.find((x) => x.id === id);
    if (!s) return;
    for (const m of s.members) m.state = 'REMOVED';
    s.status = 'DESTROYED';
  }

  /** DESTROYED when every service is and nothing was left behind; otherwise FAILED, saying what. */
  destroyed(): void {
    const left = this.view.services.filter((s) => s.status === 'DESTROYING' || (s.status === 'FAILED' && s.members.some((m) => m.state !== 'REMOVED')));
    const problems = [...left.map((s) => `${s.id}: ${s.error ?? s.status}`), ...this.teardownProblems];
    this.view.status = problems.length === 0 ? 'DESTROYED' : 'FAILED';
    this.view.error = problems.length === 0 ? undefined : problems.join('; ');
  }

  service(id: string): ServiceView {
    const s = this.view.services.find((x) => x.id === id);
    if (!s) throw new Error(`no service ${id} in application ${this.view.name}`);
    return s;
  }
}

function pendingService(id: string, desired: number): ServiceView {
  return { id, status: 'PENDING', desired, members: [], hostEndpoints: {}, generation: 1 };
}
