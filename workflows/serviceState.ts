// A service's state and the rules for changing it; plain data so it can be queried and carried.
import type { MemberView, ServiceView } from '../domain/application/status';
import type { Assignment } from '../domain/infra/model';
import { containerName } from '../domain/naming';
import type { ContainerInfo } from '../activities/docker/containers';
import { emptyBooks, type RecoveryBooks } from '../domain/application/memberRecovery';

/** What a service carries into its next run when it continues as new. */
export interface ServiceSnapshot {
  view: ServiceView;
  nextMember: number;
  /** The highest generation ever handed out (absent in runs carried before it existed). */
  lastGeneration?: number;
  /** The failure chain's books (absent in runs carried before monitoring existed). */
  recovery?: RecoveryBooks;
}

export class ServiceState {
  readonly view: ServiceView;
  /** Member ids are never reused, so a replacement never collides with what it replaces. */
  private nextMember: number;
  /** Generations are never reused either: members of a refused version never pass for a later one. */
  private lastGeneration: number;

  /** When members were restarted and replaced, and whether the chain gave up (domain/application/memberRecovery.ts). */
  recovery: RecoveryBooks;

  constructor(private readonly app: string, id: string, desired: number, carried?: ServiceSnapshot) {
    this.view = carried?.view ?? { id, status: 'PENDING', desired, members: [], hostEndpoints: {}, generation: 1 };
    this.nextMember = carried?.nextMember ?? 1;
    this.lastGeneration = carried?.lastGeneration ?? this.view.generation;
    this.recovery = carried?.recovery ?? emptyBooks();
  }

  snapshot(): ServiceSnapshot {
    return { view: this.view, nextMember: this.nextMember, lastGeneration: this.lastGeneration, recovery: this.recovery };
  }

  /** A new version, `restart` or `start`: ON_FIRE is over and restarts count afresh. */
  clearRecovery(): void {
    this.recovery = emptyBooks();
  }

  nextGeneration(): number {
    this.lastGeneration = Math.max(this.lastGeneration, this.view.generation) + 1;
    return this.lastGeneration;
  }

  /** Fresh member ids, in order. */
  newMemberIds(count: number): string[] {
    return Array.from({ length: count }, () => String(this.nextMember++));
  }

  setStatus(status: ServiceView['status']): void {
    this.view.status = status;
  }

  placed(assignments: Assignment[], generation: number): void {
    for (const a of assignments) {
      this.view.hostEndpoints[a.host.id] = a.host.docker;
      if (this.view.members.some((m) => m.member === a.member)) continue;
      this.view.members.push({
        member: a.member,
        hostId: a.host.id,
        hostAddress: a.host.address,
        containerName: containerName({ app: this.app, service: this.view.id, member: a.member }),
        state: 'PLACED',
        ports: [],
        generation,
      });
    }
  }

  created(member: string, info: ContainerInfo): void {
    Object.assign(this.member(member), { state: 'CREATED', containerId: info.containerId, ports: info.ports, networks: info.networks });
  }

  memberRunning(member: string): void {
    const m = this.member(member);
    m.state = 'RUNNING';
    delete m.error; // a member restarted after a failure runs again; the failure chain's record says what happened
  }

  memberStopped(member: string): void {
    this.member(member).state = 'STOPPED';
  }

  memberDraining(member: string): void {
    this.member(member).state = 'DRAINING';
  }

  memberFailed(member: string, error: string): void {
    Object.assign(this.member(member), { state: 'FAILED', error });
  }

  failed(error: string): void {
    this.view.status = 'FAILED';
    this.view.error = error;
  }

  removed(member: string): void {
    this.member(member).state = 'REMOVED';
  }

  /** Removed members leave the view once their room is released. */
  forget(members: string[]): void {
    this.view.members = this.view.members.filter((m) => !members.includes(m.member));
  }

  liveMembers(): MemberView[] {
    return this.view.members.filter((m) => m.state !== 'REMOVED');
  }

  membersOf(generation: number): MemberView[] {
    return this.liveMembers().filter((m) => m.generation === generation);
  }

  private member(id: string): MemberView {
    const m = this.view.members.find((x) => x.member === id);
    if (!m) throw new Error(`no member ${id} in service ${this.view.id}`);
    return m;
  }
}
