// A service's state and the rules for changing it; plain data so it can be queried and carried.
import type { MemberView, ServiceView } from '../domain/application/status';
import type { Assignment } from '../domain/infra/model';
import { containerName } from '../domain/naming';
import type { ContainerInfo } from '../activities/docker/containers';

export class ServiceState {
  readonly view: ServiceView;

  constructor(private readonly app: string, id: string, desired: number) {
    this.view = { id, status: 'PENDING', desired, members: [], hostEndpoints: {} };
  }

  placing(): void {
    this.view.status = 'PLACING';
  }

  placed(assignments: Assignment[]): void {
    this.view.status = 'STARTING';
    for (const a of assignments) {
      this.view.hostEndpoints[a.host.id] = a.host.docker;
      this.view.members.push({
        member: a.member,
        hostId: a.host.id,
        hostAddress: a.host.address,
        containerName: containerName({ app: this.app, service: this.view.id, member: a.member }),
        state: 'PLACED',
        ports: [],
      });
    }
  }

  created(member: string, info: ContainerInfo): void {
    Object.assign(this.member(member), { state: 'CREATED', containerId: info.containerId, ports: info.ports, networks: info.networks });
  }

  memberRunning(member: string): void {
    this.member(member).state = 'RUNNING';
  }

  memberFailed(member: string, error: string): void {
    Object.assign(this.member(member), { state: 'FAILED', error });
  }

  running(): void {
    this.view.status = 'RUNNING';
  }

  failed(error: string): void {
    this.view.status = 'FAILED';
    this.view.error = error;
  }

  destroying(): void {
    this.view.status = 'DESTROYING';
  }

  removed(member: string): void {
    this.member(member).state = 'REMOVED';
  }

  destroyed(): void {
    this.view.status = 'DESTROYED';
  }

  liveMembers(): MemberView[] {
    return this.view.members.filter((m) => m.state !== 'REMOVED');
  }

  private member(id: string): MemberView {
    const m = this.view.members.find((x) => x.member === id);
    if (!m) throw new Error(`no member ${id} in service ${this.view.id}`);
    return m;
  }
}
