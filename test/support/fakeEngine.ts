// An in-memory Docker engine for the workflow tier: it implements the container activities'
// contract (idempotent create/adopt, delete-if-present, health) so workflow logic can be
// tested against a real Temporal server without Docker. End-to-end tests never use it.
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import type { Activities } from '../../activities';
import type { EnsureContainerInput, MemberRemoval } from '../../activities/docker/containers';
import { failureOutcome } from '../../activities/docker/memberFailure';
import type { MemberStart } from '../../activities/docker/startMember';
import { templateText } from '../../domain/blueprint/references/resolveValue';
import type { Client } from '@temporalio/client';
import { containerName, workflowIds, type MemberRef } from '../../domain/naming';
import { memberEventSignal, type MemberEvent } from '../../workflows/messages';

type ContainerActivities = Pick<
  Activities,
  | 'ensureContainer'
  | 'removeContainer'
  | 'removeContainers'
  | 'stopContainer'
  | 'waitHealthy'
  | 'startMember'
  | 'startMembers'
  | 'containerLogTail'
  | 'ensureNetwork'
  | 'removeAppResources'
  | 'runInMember'
  | 'removeOrphanContainers'
  | 'missingSecrets'
  | 'checkHost'
  | 'measureServiceMetric'
  | 'ensureSwarm'
>;

export interface FakeContainer {
  name: string;
  host: string;
  image: string;
  /** The environment as the activity received it: literal values plus bound templates as text. */
  env: Record<string, string>;
  /** The Docker networks it was created on, by name (`<app>.<id>` bridge, `<app>_<id>` overlay). */
  networks?: string[];
  /** Its io.clocker.infrastructure label: the infrastructure the service said it is booked in. */
  infrastructure?: string;
}

export class FakeEngine {
  readonly containers = new Map<string, FakeContainer>();
  /** Every create, in order, as `host/name`. */
  readonly created: string[] = [];
  /** Images that "do not exist": creating from them fails like a missing image does. */
  readonly missingImages = new Set<string>();
  /** Container names whose creation fails like a refused create (one member of a batch, say). */
  readonly failingNames = new Set<string>();
  /** Container names whose removal fails retryably (DockerUnavailableError) this many more times. */
  readonly flakyRemovals = new Map<string, number>();
  /** Container names whose create fails retryably (DockerUnavailableError) this many more times. */
  readonly flakyNames = new Map<string, number>();
  /** How long an orphan sweep takes (to let a test act while it runs). */
  sweepDelayMs = 0;
  /** Containers that exist but do not run (killed, exited), by `host/name`, with their exit code. */
  readonly dead = new Map<string, number>();
  /** Images whose containers die a moment after each start (a crash loop). */
  readonly crashingImages = new Set<string>();
  /** Deaths the fake watcher has not reported yet. */
  private readonly deaths: Death[] = [];

  /** `docker kill`: the container stays, stopped, and the host's watcher reports `die`. */
  kill(host: string, ref: MemberRef, exitCode = 137): void {
    const key = `${host}/${containerName(ref)}`;
    if (!this.containers.has(key)) throw new Error(`no container ${key}`);
    this.dead.set(key, exitCode);
    this.deaths.push({ host, ref, event: 'die', exitCode });
  }

  /** `docker rm -f`: the container is gone and the watcher reports `destroy`. */
  removeBehindTheBack(host: string, ref: MemberRef): void {
    const key = `${host}/${containerName(ref)}`;
    if (!this.containers.delete(key)) throw new Error(`no container ${key}`);
    this.dead.delete(key);
    this.deaths.push({ host, ref, event: 'destroy' });
  }

  /**
   * The monitor's watcher over this engine: reports deaths to the owning services by signal,
   * as the real one does (activities/monitoring/hostWatcher.ts), and returns after `runForMs`;
   * and what a service asks before it acts on one (`checkMember`).
   */
  watcherActivities(temporal: Client): Pick<Activities, 'watchHostMembers' | 'checkMember'> {
    return {
      checkMember: async ({ endpoint, ref }) => {
        const key = `${endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath}/${containerName(ref)}`;
        if (!this.containers.has(key)) return { exists: false };
        const exit = this.dead.get(key);
        return { exists: true, running: exit === undefined && !this.stopped.has(key), containerId: `id-${containerName(ref)}`, exitCode: exit ?? 0, oomKilled: false };
      },
      watchHostMembers: async ({ hostId, runForMs = 3_600_000, idleAfterMs = 600_000 }) => {
        const started = Date.now();
        let reported = 0;
        let idleSince: number | undefined;
        while (Date.now() - started < runForMs) {
          heartbeat();
          // Idle as the real watcher means it: nothing of Clocker's on the host for a while.
          if ([...this.containers.values()].some((c) => c.host === hostId)) idleSince = undefined;
          else if (Date.now() - (idleSince ??= Date.now()) >= idleAfterMs) return { ended: 'idle', reported };
          for (let i = 0; i < this.deaths.length; ) {
            const d = this.deaths[i]!;
            if (d.host !== hostId) {
              i++;
              continue;
            }
            this.deaths.splice(i, 1);
            const event: MemberEvent = { member: d.ref.member, event: d.event, at: new Date().toISOString(), ...(d.exitCode === undefined ? {} : { exitCode: d.exitCode }) };
            await temporal.workflow.getHandle(workflowIds.service(d.ref.app, d.ref.service)).signal(memberEventSignal, event);
            reported++;
          }
          await Context.current().sleep(100);
        }
        return { ended: 'rotated', reported };
      },
    };
  }

  /** Images whose containers never become healthy: the wait lasts until it is cancelled. */
  readonly hangingImages = new Set<string>();
  /** Stopped containers by `host/name`. */
  readonly stopped = new Set<string>();
  /** Subnets another network holds on the engines (made after IPAM gave them out): creating a network on one fails. */
  readonly takenSubnets = new Set<string>();
  /** Networks by `host/name`. */
  readonly networks = new Set<string>();
  /** The addresses a member's container was asked to take (IPAM's), by container name → network id → address. */
  readonly addressesAsked = new Map<string, Record<string, string>>();
  /** Hosts in the swarm (overlay networks: the default on more than one host), by Docker host name. */
  readonly swarm = new Set<string>();
  /** Every ensureSwarm call, as the hosts it was given. */
  readonly swarmCalls: string[][] = [];
  /** The most containers of one service that existed at once, by `app.service`. */
  readonly peak = new Map<string, number>();
  /** Creates, removals and execs in order: `create <name>`, `remove <name>`, `exec <name> <argv…>`. */
  readonly log: string[] = [];
  /** Secrets the worker's store "does not have": the preflight names them. */
  readonly missingSecrets = new Set<string>();
  /** Host ports held by something else, `host/port/protocol` → holder: the preflight finds them. */
  readonly heldPorts = new Map<string, string>();
  /** Hosts asked by the preflight, in order. */
  readonly checkedHosts: string[] = [];
  /**
   * What the autoscaler measures, by container name, or by `app.service` for all its members
   * (a member's own value wins); 0 when neither is set. `measured` counts the measurements.
   */
  readonly metrics = new Map<string, number>();
  measured = 0;

  activities(): ContainerActivities {
    return {
      ensureContainer: async ({ endpoint, ref, spec, env = {}, networks = [], infrastructure }: EnsureContainerInput) => {
        const host = endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath;
        const name = containerName(ref);
        const key = `${host}/${name}`;
        this.stopped.delete(key); // ensureContainer starts what it finds stopped
        this.dead.delete(key);
        const asked = networks.filter((n) => n.ipv4Address !== undefined).map((n) => [n.id, n.ipv4Address!] as const);
        if (asked.length > 0) this.addressesAsked.set(name, Object.fromEntries(asked));
        if (!this.containers.has(key)) {
          const flaky = this.flakyNames.get(name) ?? 0;
          if (flaky > 0) {
            this.flakyNames.set(name, flaky - 1);
            throw ApplicationFailure.create({ type: 'DockerUnavailableError', message: `engine on ${host} did not answer creating ${name}`, nonRetryable: false });
          }
          if (this.failingNames.has(name)) {
            throw ApplicationFailure.create({ type: 'DockerRequestError', message: `create ${name} refused`, nonRetryable: true });
          }
          if (this.missingImages.has(spec.image)) {
            throw ApplicationFailure.create({ type: 'ImageNotFoundError', message: `image ${spec.image} is not on ${host}`, nonRetryable: true });
          }
          const templated = Object.fromEntries(Object.entries(env).map(([k, t]) => [k, templateText(t)]));
          this.containers.set(key, { name, host, image: spec.image, env: { ...spec.env, ...templated }, networks: networks.map((n) => n.name), ...(infrastructure !== undefined && { infrastructure }) });
          this.created.push(key);
          this.log.push(`create ${name}`);
          const svc = `${ref.app}.${ref.service}`;
          const live = [...this.containers.values()].filter((c) => c.name.startsWith(`${svc}.`)).length;
          this.peak.set(svc, Math.max(this.peak.get(svc) ?? 0, live));
        }
        if (this.crashingImages.has(spec.image)) setTimeout(() => this.containers.has(key) && !this.dead.has(key) && this.kill(host, ref, 1), 300);
        return {
          containerId: `id-${name}`,
          running: true,
          ports: spec.ports.map((p) => ({ ...p, boundHostPort: p.hostPort || 30000 + Number(ref.member) })),
          networks: Object.fromEntries(networks.map((n, i) => [n.id, `10.9.${i}.${10 + Number(ref.member)}`])),
        };
      },
      ensureNetwork: async ({ endpoint, app, network }) => {
        const host = endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath;
        if (network.cidr !== undefined && this.takenSubnets.has(network.cidr)) {
          const message = `Docker at ${host}: network ${app}.${network.id} cannot have ${network.cidr}: network someone-else (${network.cidr}) holds that pool`;
          throw ApplicationFailure.create({ type: 'SubnetTakenError', message, nonRetryable: true });
        }
        // As the real one: an overlay network needs the engine in the swarm.
        if (network.driver === 'overlay' && !this.swarm.has(host)) {
          const message = `Docker at ${host} is not in the infrastructure's swarm (swarm state "inactive"), so it cannot carry the overlay network ${app}_${network.id}`;
          throw ApplicationFailure.create({ type: 'NotInSwarmError', message, nonRetryable: true });
        }
        this.networks.add(`${host}/${app}.${network.id}`);
        return `net-${app}.${network.id}`;
      },
      removeAppResources: async ({ app, endpoints }) => {
        const removed: string[] = [];
        for (const e of endpoints) {
          const host = e.kind === 'tcp' ? e.host : e.socketPath;
          for (const [key, c] of [...this.containers]) if (c.host === host && c.name.startsWith(`${app}.`)) (this.containers.delete(key), removed.push(`container ${c.name}`));
          for (const n of [...this.networks]) if (n.startsWith(`${host}/${app}.`)) (this.networks.delete(n), removed.push(n));
        }
        return removed;
      },
      stopContainer: async ({ endpoint, ref }) => {
        const key = `${endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath}/${containerName(ref)}`;
        if (!this.containers.has(key) || this.stopped.has(key)) return false;
        this.stopped.add(key);
        return true;
      },
      removeContainer: async ({ endpoint, ref }) => {
        const host = endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath;
        const flaky = this.flakyRemovals.get(containerName(ref)) ?? 0;
        if (flaky > 0) {
          this.flakyRemovals.set(containerName(ref), flaky - 1);
          throw ApplicationFailure.create({ type: 'DockerUnavailableError', message: `engine on ${host} did not answer removing ${containerName(ref)}`, nonRetryable: false });
        }
        const removed = this.containers.delete(`${host}/${containerName(ref)}`);
        if (removed) this.log.push(`remove ${containerName(ref)}`);
        return removed;
      },
      // A host's batch is its members' removeContainer each, every outcome answered (activities/docker/containers.ts).
      removeContainers: async ({ endpoint, members }) => {
        const own = this.activities();
        return Promise.all(
          members.map(({ ref, containerId }) =>
            own.removeContainer({ endpoint, ref, ...(containerId ? { containerId } : {}) }).then(
              (removed): MemberRemoval => ({ member: ref.member, removed }),
              (err: unknown): MemberRemoval => ({ member: ref.member, failure: failureOutcome(err) }),
            ),
          ),
        );
      },
      removeOrphanContainers: async ({ endpoint, keep, infrastructure }) => {
        await new Promise((r) => setTimeout(r, this.sweepDelayMs));
        const host = endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath;
        const kept = new Set(keep.map(containerName));
        // As the real sweep (activities/docker/orphans.ts): another infrastructure's labelled containers stay.
        const others = (c: FakeContainer) => infrastructure !== undefined && c.infrastructure !== undefined && c.infrastructure !== infrastructure;
        const removed = [...this.containers.values()].filter((c) => c.host === host && !kept.has(c.name) && !others(c)).map((c) => c.name);
        for (const name of removed) this.containers.delete(`${host}/${name}`);
        this.log.push(`sweep ${host} ${removed.join(',')}`);
        return removed;
      },
      runInMember: async ({ endpoint, containerName: name, argv }) => {
        const host = endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath;
        if (!this.containers.has(`${host}/${name}`)) throw ApplicationFailure.create({ type: 'DockerRequestError', message: `no container ${name}`, nonRetryable: true });
        this.log.push(`exec ${name} ${argv.join(' ')}`);
      },
      waitHealthy: async ({ containerName: name }) => {
        if (![...this.containers.values()].some((c) => c.name === name && this.hangingImages.has(c.image))) return;
        // Cancellation reaches an activity through its heartbeat; the activity's sleep then throws.
        for (;;) {
          heartbeat();
          await Context.current().sleep(200);
        }
      },
      // The real one is these two in one call (activities/docker/startMember.ts): so is the fake.
      startMember: async (input) => {
        const own = this.activities();
        const info = await own.ensureContainer(input);
        await own.waitHealthy({ endpoint: input.endpoint, containerName: containerName(input.ref), hostAddress: input.hostAddress, ports: info.ports, timeoutMs: input.healthTimeoutMs });
        return info;
      },
      // A host's batch is its members' startMember each, every outcome answered (activities/docker/startMember.ts).
      startMembers: async ({ members, ...common }) => {
        const own = this.activities();
        const outcomes = await Promise.all(
          members.map(({ ref, networks }) =>
            own.startMember({ ...common, ref, ...(networks ? { networks } : {}) }).then(
              (info): MemberStart => ({ member: ref.member, info }),
              (err: unknown): MemberStart => ({ member: ref.member, failure: failureOutcome(err) }),
            ),
          ),
        );
        Context.current().cancellationSignal.throwIfAborted();
        return outcomes;
      },
      containerLogTail: async () => '',
      measureServiceMetric: async ({ members }) => {
        this.measured++;
        return members.map(({ member, containerName: name }) => {
          const value = this.metrics.get(name) ?? this.metrics.get(name.split('.').slice(0, 2).join('.'));
          return { member, value: value ?? 0 };
        });
      },
      missingSecrets: async ({ names }) => names.filter((n) => this.missingSecrets.has(n)),
      // Every host joins at once; the first is the manager, as the real one picks it.
      ensureSwarm: async ({ hosts }) => {
        this.swarmCalls.push(hosts.map(endpointHost));
        const joined = hosts.filter((e) => !this.swarm.has(endpointHost(e)));
        for (const e of joined) this.swarm.add(endpointHost(e));
        return { manager: hosts[0]!, joined: joined.map((e) => `worker ${endpointHost(e)}`) };
      },
      // Images are always "there" for the preflight: `missingImages` stands for an image that fails at create.
      checkHost: async ({ hostId, docker, ports }) => {
        const host = docker.kind === 'tcp' ? docker.host : docker.socketPath;
        this.checkedHosts.push(hostId);
        const held = ports.flatMap((p) => {
          const holder = this.heldPorts.get(`${host}/${p.port}/${p.protocol}`);
          return holder === undefined ? [] : [{ ...p, holder }];
        });
        return { hostId, images: [], ports: held };
      },
    };
  }
}

/** A member's container ending behind Clocker's back, as a host's watcher would report it. */
interface Death {
  host: string;
  ref: MemberRef;
  event: MemberEvent['event'];
  exitCode?: number;
}

const endpointHost = (e: { kind: 'tcp'; host: string } | { kind: 'socket'; socketPath: string }) => (e.kind === 'tcp' ? e.host : e.socketPath);
