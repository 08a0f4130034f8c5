// The infrastructure's rules for the hosts it provisions, over the same plain InfraState the
// scheduler uses: adding machines, pinning keys, readiness, failure (members released at
// once), drains, resize. Pure: the workflow turns the returned facts into signals and children.
import { newHostEntry } from '../domain/infra/hostView';
import { TLS_DOCKER_PORT, type ByonHost, type MachineEntry } from '../domain/infra/machines';
import type { HostEntry, HostRecord, InfraState } from '../domain/infra/model';
import type { HostReadyReport, HostUsageReport } from './messages';

/** Members of one service that were on a host. */
export interface ServiceMembers {
  app: string;
  service: string;
  members: string[];
}

export type AfterDrain = 'forget' | 'spare';

function groupByService(entry: HostEntry): ServiceMembers[] {
  const groups = new Map<string, ServiceMembers>();
  for (const r of entry.reservations) {
    const key = `${r.app}/${r.service}`;
    const group = groups.get(key) ?? { app: r.app, service: r.service, members: [] };
    group.members.push(r.member);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function provisioningRecord(host: ByonHost): HostRecord {
  const record: HostRecord = {
    id: host.id,
    address: host.address,
    docker: { kind: 'tcp', host: host.address, port: TLS_DOCKER_PORT },
    status: 'PROVISIONING',
    labels: host.labels,
    maxContainers: host.maxContainers,
  };
  if (host.region) record.region = host.region;
  if (host.zone) record.zone = host.zone;
  return record;
}

export class HostBooks {
  constructor(readonly data: InfraState) {}

  get machines(): MachineEntry[] {
    return (this.data.machines ??= []);
  }

  machine(id: string): MachineEntry | undefined {
    return this.machines.find((m) => m.host.id === id);
  }

  entry(id: string): HostEntry | undefined {
    return this.data.hosts.find((h) => h.record.id === id);
  }

  /** Returns whether it was added (an id or address already known is refused with the reason). */
  addMachine(host: ByonHost, role: MachineEntry['role']): { ok: true } | { ok: false; reason: string } {
    if (this.machine(host.id) || this.entry(host.id)) return { ok: false, reason: `host ${host.id} is already known` };
    if (this.machines.some((m) => m.host.address === host.address)) return { ok: false, reason: `address ${host.address} is already used` };
    this.machines.push({ host, role });
    if (role === 'active') this.data.hosts.push(newHostEntry(provisioningRecord(host)));
    return { ok: true };
  }

  /** Active machines whose host record is missing (a spare just taken) get one in PROVISIONING. */
  activate(id: string): void {
    const machine = this.machine(id);
    if (!machine) return;
    machine.role = 'active';
    if (!this.entry(id)) this.data.hosts.push(newHostEntry(provisioningRecord(machine.host)));
  }

  /** First use pins; an already pinned key is never replaced from here (a mismatch fails the host instead). */
  pinHostKey(id: string, fingerprint: string): void {
    const machine = this.machine(id);
    if (machine && !machine.pinnedHostKey) machine.pinnedHostKey = fingerprint;
  }

  /** Failed, and so holding no bookings: anything Clocker left on it is an orphan. */
  isFailed(id: string): boolean {
    return this.entry(id)?.record.status === 'FAILED';
  }

  failures(id: string): number {
    return this.entry(id)?.failures ?? 0;
  }

  /** Something worth an operator's eye that does not stop the host (e.g. orphans left on it). */
  noteProblem(id: string, problem: string): void {
    const entry = this.entry(id);
    if (entry) entry.record.problem = problem;
  }

  /** The members booked on a host. */
  bookedOn(id: string): { app: string; service: string; member: string }[] {
    return (this.entry(id)?.reservations ?? []).map((r) => ({ app: r.app, service: r.service, member: r.member }));
  }

  markReady(report: HostReadyReport): void {
    const entry = this.entry(report.hostId);
    if (!entry) return;
    const r = entry.record;
    if (r.status !== 'DRAINING') r.status = 'AVAILABLE';
    r.docker = report.docker;
    r.cpus = report.cpus;
    r.memoryBytes = report.memoryBytes;
    r.dockerVersion = report.dockerVersion;
    delete r.problem;
  }

  recordUsage(report: HostUsageReport): void {
    const entry = this.entry(report.hostId);
    if (entry) entry.usage = report.usage;
  }

  /** FAILED, and its members leave the books at once: they are returned so their services can be told. */
  markFailed(id: string, reason: string): ServiceMembers[] {
    const entry = this.entry(id);
    if (!entry) return [];
    if (entry.record.status !== 'DRAINING') entry.record.status = 'FAILED';
    entry.record.problem = reason;
    entry.failures = (entry.failures ?? 0) + 1;
    const released = groupByService(entry);
    entry.reservations = [];
    return released;
  }

  /** Hosts whose drain was under way when the last run handed over (continueAsNew). */
  draining(): string[] {
    return this.data.hosts.filter((h) => h.record.status === 'DRAINING').map((h) => h.record.id);
  }

  /** DRAINING takes no new members; the ones there are returned so their services move them. */
  startDrain(id: string, then: AfterDrain): ServiceMembers[] | undefined {
    const entry = this.entry(id);
    if (!entry) return undefined;
    entry.record.status = 'DRAINING';
    const machine = this.machine(id);
    if (machine) machine.afterDrain = then;
    return groupByService(entry);
  }

  membersOn(id: string): number {
    return this.entry(id)?.reservations.length ?? 0;
  }

  /** The drain timed out: whatever is left is released (and returned). */
  releaseAll(id: string): ServiceMembers[] {
    const entry = this.entry(id);
    if (!entry) return [];
    const left = groupByService(entry);
    entry.reservations = [];
    return left;
  }

  /** After a drain: the host leaves the scheduler; its machine is forgotten or kept as a spare. */
  finishDrain(id: string): void {
    const then = this.machine(id)?.afterDrain ?? 'forget';
    this.data.hosts = this.data.hosts.filter((h) => h.record.id !== id);
    if (then === 'forget') this.data.machines = this.machines.filter((m) => m.host.id !== id);
    else {
      const machine = this.machine(id);
      if (machine) {
        machine.role = 'spare';
        delete machine.afterDrain;
      }
    }
  }

  /**
   * Active hosts wanted → spares to provision (in file order) or hosts to drain back to spares
   * (FAILED first, then the emptiest, newest first among equals).
   */
  planResize(target: number): { provision: string[]; drain: string[] } {
    const active = this.machines.filter((m) => m.role === 'active' && !m.afterDrain);
    if (target > active.length) {
      const spares = this.machines.filter((m) => m.role === 'spare').slice(0, target - active.length);
      return { provision: spares.map((m) => m.host.id), drain: [] };
    }
    const order = active
      .map((m, index) => ({ id: m.host.id, index, failed: this.entry(m.host.id)?.record.status === 'FAILED' ? 0 : 1, members: this.membersOn(m.host.id) }))
      .sort((a, b) => a.failed - b.failed || a.members - b.members || b.index - a.index);
    return { provision: [], drain: order.slice(0, active.length - target).map((o) => o.id) };
  }
}
