// An application's state: its services' latest reports, and the rules for its own status.
import type { AppView, ServiceView } from '../domain/application/status';
import type { Blueprint } from '../domain/blueprint/model';

export class ApplicationState {
  readonly view: AppView;
  private readonly teardownProblems: string[] = [];

  constructor(blueprint: Blueprint) {
    this.view = {
      name: blueprint.name,
      location: blueprint.location,
      status: 'DEPLOYING',
      services: blueprint.services.map((s) => ({ id: s.id, status: 'PENDING', desired: s.count, members: [], hostEndpoints: {} })),
    };
  }

  report(service: ServiceView): void {
    const i = this.view.services.findIndex((s) => s.id === service.id);
    if (i >= 0) this.view.services[i] = service;
  }

  /** The service's workflow ended with an error instead of a report. */
  serviceCrashed(id: string, error: string): void {
    Object.assign(this.service(id), { status: 'FAILED', error });
  }

  /** A service has finished deploying, one way or the other. */
  settled(id: string): boolean {
    const s = this.service(id);
    return s.status === 'RUNNING' || s.status === 'FAILED';
  }

  failedServices(): ServiceView[] {
    return this.view.services.filter((s) => s.status === 'FAILED');
  }

  /** The application cannot start at all (unsupported features, no subnet): nothing starts. */
  cannotStart(error: string): void {
    this.view.error = error;
  }

  /** After the start sequence: RUNNING if every service is, else FAILED naming the failures. */
  finishDeploy(): void {
    const failed = this.failedServices();
    this.view.status = failed.length === 0 && !this.view.error ? 'RUNNING' : 'FAILED';
    if (failed.length > 0) this.view.error = failed.map((s) => `${s.id}: ${s.error ?? 'failed'}`).join('; ');
  }

  destroying(): void {
    this.view.status = 'DESTROYING';
  }

  /** Something the teardown could not remove, kept for the final status. */
  leftBehind(problem: string): void {
    this.teardownProblems.push(problem);
  }

  /** DESTROYED when every service is and nothing was left behind; otherwise FAILED, saying what. */
  destroyed(): void {
    const left = this.view.services.filter((s) => s.status === 'DESTROYING' || (s.status === 'FAILED' && s.members.some((m) => m.state !== 'REMOVED')));
    const problems = [...left.map((s) => `${s.id}: ${s.error ?? s.status}`), ...this.teardownProblems];
    this.view.status = problems.length === 0 ? 'DESTROYED' : 'FAILED';
    this.view.error = problems.length === 0 ? undefined : problems.join('; ');
  }

  private service(id: string): ServiceView {
    const s = this.view.services.find((x) => x.id === id);
    if (!s) throw new Error(`no service ${id} in application ${this.view.name}`);
    return s;
  }
}
