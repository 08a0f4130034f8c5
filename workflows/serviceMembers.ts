// Starting and removing a service's members: place through the infrastructure, networks on
// each host, create and start, wait for health; and the reverse. Used by the first deployment,
// rolling updates, rollbacks and resizes alike.
import { ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { MemberStart, StartMembersInput } from '../activities/docker/startMember';
import type { MemberCheck } from '../activities/monitoring/hostWatcher';
import type { MemberAddressAnswer, MemberAddressRequest } from '../activities/network/memberAddresses';
import type { NetworkSpec, ServiceSpec, Template } from '../domain/blueprint/model';
import type { Assignment } from '../domain/infra/model';
import { memberPlacement } from '../domain/application/memberPlacement';
import { referencedSecrets } from '../domain/blueprint/references/resolveValue';
import { containerName, networkName } from '../domain/naming';
import { networkOwner } from '../domain/ipam';
import { heartbeating, quick, teardown } from './activityOptions';
import { failureText, isActivityFailureOfType } from './failureText';
import { inLanes } from '../domain/lanes';
import { ensureRoutedOnHost, isRouted } from './routedNetworks';
import type { ServiceState } from './serviceState';

/** One version of a service: what its members are made from. */
export interface ServiceVersion {
  spec: ServiceSpec;
  /** The templated environment with dependencies' attributes bound (secrets still references). */
  env: Record<string, Template>;
  networks: NetworkSpec[];
  dns: string[];
  /** Set by the application on the versions it hands over; the service echoes it in `rollout`. */
  request?: number;
  /** Members take their network addresses from the infrastructure's IPAM (applications started with app-member-addresses). */
  memberAddresses?: boolean;
}

const act = proxyActivities<Activities>(quick);
const sweep = proxyActivities<Activities>(teardown);
// Creating a container may pull its image first, which takes as long as it takes: heartbeated.
// So is a host's batch of removals (outside a teardown, whose sweep gives up sooner).
const slow = proxyActivities<Activities>(heartbeating);
// A member check is a quick look: an engine that does not answer is its host's monitoring's business.
const look = proxyActivities<Activities>({ ...quick, retry: { ...quick.retry, maximumAttempts: 3 } });
const HEALTH_TIMEOUT_MS = 120_000;
/** Container removals in flight on one host: a teardown goes at Docker's pace without piling 300 calls on one engine. */
const REMOVALS_PER_HOST = 16;
/** In a teardown nothing is served any more: a host's members go at once, as the floor removes them (bounded all the same). */
const TEARDOWN_REMOVALS_PER_HOST = 64;

/** A member's addresses from the batch, or IPAM's refusal as the failure the one-member activity would have raised. */
function answered(member: string, answers: Record<string, MemberAddressAnswer>): Record<string, string> {
  const answer = answers[member];
  if (answer === undefined) throw ApplicationFailure.create({ type: 'SubnetRejectedError', message: `no address was allocated for member ${member}`, nonRetryable: true });
  if ('refused' in answer) throw ApplicationFailure.create({ type: 'SubnetRejectedError', message: answer.refused, nonRetryable: true });
  return answer.addresses;
}

/** A member's own part of its container: its ref and its network attachments (the rest is the service's). */
type MemberCreate = StartMembersInput['members'][number];

/** Items grouped by host, hosts in the order they first appear, items in their order. */
function byHost<T>(items: readonly T[], hostOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(hostOf(item));
    if (group) group.push(item);
    else groups.set(hostOf(item), [item]);
  }
  return [...groups.values()];
}

export class ServiceMembers {
  /** Networks already ensured on a host (once per host and network). */
  private readonly networksReady = new Map<string, Promise<void>>();

  constructor(
    private readonly app: string,
    private readonly infrastructure: string,
    private readonly state: ServiceState,
    /** Called after members start or go, so the application's view follows a rollout live. */
    private readonly changed: () => Promise<void>,
    /** Called with running members marked DRAINING, before they go: resolves once dependents were told. */
    private readonly drain: () => Promise<void> = async () => undefined,
  ) {}

  /**
   * Places and starts `count` new members of `version`; throws the first member failure.
   * `avoidHosts`: keep off these hosts (a replacement for a member that failed there).
   */
  async start(version: ServiceVersion, generation: number, count: number, avoidHosts: readonly string[] = []): Promise<string[]> {
    const ids = this.state.newMemberIds(count);
    if (ids.length === 0) return [];
    const assignments = await act.placeMembers({
      infrastructure: this.infrastructure,
      app: this.app,
      service: version.spec.id,
      members: ids,
      resources: version.spec.resources,
      placement: memberPlacement(version.spec),
      ...(avoidHosts.length > 0 ? { avoidHosts: [...avoidHosts] } : {}),
    });
    this.state.placed(assignments, generation);
    // Every placed member's addresses in one activity (svc-member-addresses-batch), asked while the networks are made.
    const batched = version.memberAddresses && this.addressNetworks(version).length > 0 && patched('svc-member-addresses') && patched('svc-member-addresses-batch');
    const addressing = batched ? this.addressesOfAll(assignments, version) : undefined;
    // Settled here too: a failed batch is each member's failure, met in startOne or startOnHost.
    addressing?.catch(() => undefined);
    // One activity per host for all of its new members (svc-start-members-batch, issue #16).
    const outcomes = patched('svc-start-members-batch')
      ? (await Promise.all(byHost(assignments, (a) => a.host.id).map((group) => this.startOnHost(group, version, addressing)))).flat()
      : await Promise.allSettled(assignments.map((a) => this.startOne(a, version, addressing)));
    await this.changed();
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    return ids;
  }

  /**
   * Removes members' containers, then gives their room back; returns what could not be removed.
   * In a teardown a host that does not answer is given up on after a few tries, not twenty.
   * `whole`: the service is going (svc-teardown-lean): once every container went, every booking
   * and address it holds goes back in one call, with no report in between (its last follows).
   */
  async remove(members: string[], inTeardown = false, whole = false): Promise<string[]> {
    const docker = inTeardown ? sweep : act;
    const problems: string[] = [];
    const removed: string[] = [];
    // Members others are using leave the dependents' view first (a balancer stops sending them work).
    const serving = this.state.liveMembers().filter((x) => members.includes(x.member) && x.state === 'RUNNING');
    if (serving.length > 0) {
      for (const m of serving) this.state.memberDraining(m.member);
      await this.drain();
    }
    const targets = this.state.liveMembers().filter((x) => members.includes(x.member));
    const outcome = new Map<string, string>(); // member → '' removed, else the problem
    const removeOne = async (m: (typeof targets)[number]) => {
      const endpoint = this.state.view.hostEndpoints[m.hostId];
      try {
        // The recorded container id spares the activity an inspect by name (only the input changes: no new command).
        if (endpoint) await docker.removeContainer({ endpoint, ref: { app: this.app, service: this.state.view.id, member: m.member }, ...(m.containerId ? { containerId: m.containerId } : {}) });
        this.state.removed(m.member);
        outcome.set(m.member, '');
      } catch (err) {
        outcome.set(m.member, `${m.containerName} on ${m.hostId} was not removed: ${failureText(err)}`);
      }
    };
    // Several at a time on each host, every host at once (was: one after the other).
    // A teardown goes as wide as the floor (all of a host's members at once, up to 64) since svc-teardown-wide.
    const width = inTeardown && targets.length > REMOVALS_PER_HOST && patched('svc-teardown-wide') ? TEARDOWN_REMOVALS_PER_HOST : REMOVALS_PER_HOST;
    if (targets.length > 0 && patched('svc-remove-batch')) {
      // One activity per host for all of its members (issue #16); a member whose removal a retry
      // may mend is then removed alone, under the usual policy.
      await Promise.all(
        byHost(targets, (m) => m.hostId).map(async (group) => {
          const hostId = group[0]!.hostId;
          const endpoint = this.state.view.hostEndpoints[hostId];
          if (!endpoint) return Promise.all(group.map(removeOne));
          const members = group.map((m) => ({ ref: { app: this.app, service: this.state.view.id, member: m.member }, ...(m.containerId ? { containerId: m.containerId } : {}) }));
          const answer = await (inTeardown ? sweep : slow).removeContainers({ endpoint, members, width }).then(
            (results) => new Map(results.map((r) => [r.member, r])),
            (err: unknown) => err,
          );
          return Promise.all(
            group.map(async (m) => {
              const result = answer instanceof Map ? answer.get(m.member) : undefined;
              if (result && 'removed' in result) {
                this.state.removed(m.member);
                outcome.set(m.member, '');
              } else if (result && !result.failure.retryable) {
                outcome.set(m.member, `${m.containerName} on ${m.hostId} was not removed: ${result.failure.type}: ${result.failure.message}`);
              } else if (answer instanceof Map) {
                await removeOne(m);
              } else {
                outcome.set(m.member, `${m.containerName} on ${m.hostId} was not removed: ${failureText(answer)}`);
              }
            }),
          );
        }),
      );
    } else if (targets.length > 1 && patched('svc-parallel-remove')) await inLanes(targets, (m) => m.hostId, width, removeOne);
    else for (const m of targets) await removeOne(m);
    // Reported in the members' order, whichever call ended first.
    for (const m of targets) {
      const problem = outcome.get(m.member);
      if (problem === '') removed.push(m.member);
      else if (problem !== undefined) problems.push(problem);
    }
    if (whole && problems.length === 0) {
      await act.releaseMembers({ infrastructure: this.infrastructure, app: this.app, service: this.state.view.id });
      this.state.forget(removed);
    } else if (removed.length > 0) {
      // The application hears first that they are gone, then their room is given back.
      await this.changed();
      await act.releaseMembers({ infrastructure: this.infrastructure, app: this.app, service: this.state.view.id, members: removed });
      this.state.forget(removed);
    }
    return problems;
  }

  /** Stops a member's container (it keeps its place and its container). */
  async stop(member: string): Promise<void> {
    const m = this.state.liveMembers().find((x) => x.member === member);
    const endpoint = m && this.state.view.hostEndpoints[m.hostId];
    if (!m || !endpoint) return;
    await act.stopContainer({ endpoint, ref: { app: this.app, service: this.state.view.id, member } });
    this.state.memberStopped(member);
  }

  /** Starts a member's existing container again (or makes it anew if it is gone) and waits for health. */
  async restart(member: string, version: ServiceVersion): Promise<void> {
    const m = this.state.liveMembers().find((x) => x.member === member);
    const endpoint = m && this.state.view.hostEndpoints[m.hostId];
    if (!m || !endpoint) return;
    await this.startOne({ member, host: { id: m.hostId, address: m.hostAddress, docker: endpoint } }, version);
  }

  /** What the member's container is doing now (absent from the view: undefined); with a version, its health check is run once too. */
  async check(member: string, probeWith?: ServiceVersion): Promise<MemberCheck | undefined> {
    const m = this.state.liveMembers().find((x) => x.member === member);
    const endpoint = m && this.state.view.hostEndpoints[m.hostId];
    if (!m || !endpoint) return undefined;
    const health = probeWith?.spec.health;
    const probe = health ? { probe: { health, hostAddress: m.hostAddress, ports: m.ports, secretNames: referencedSecrets(Object.values(probeWith.env)) } } : {};
    return look.checkMember({ endpoint, ref: { app: this.app, service: this.state.view.id, member }, ...probe });
  }

  /** Gives back every booking the service still holds (members that never got a container). */
  async release(): Promise<void> {
    await act.releaseMembers({ infrastructure: this.infrastructure, app: this.app, service: this.state.view.id });
  }

  /** Removes the members of `generation` that are not running (a failed start); returns their errors. */
  async removeFailed(generation: number): Promise<string[]> {
    const failed = this.state.membersOf(generation).filter((m) => m.state !== 'RUNNING');
    const errors = failed.map((m) => `member ${m.member} on ${m.hostId}: ${m.error ?? m.state}`);
    return [...errors, ...(await this.remove(failed.map((m) => m.member)))];
  }

  /**
   * The new members placed on one host, in one startMembers: its networks first (once for the
   * host), then each member's addresses, then the batch. Each member ends as its own activity
   * would have: RUNNING, or FAILED with the failure's text; a failure a retry may mend is retried
   * as that member's own startMember, under the usual policy. Outcomes in the group's order.
   */
  private async startOnHost(group: Assignment[], version: ServiceVersion, addressing?: Promise<Record<string, MemberAddressAnswer>>): Promise<PromiseSettledResult<void>[]> {
    const first = group[0];
    if (!first) return [];
    // Every way a member fails here ends the same: its state says why, its outcome carries the error.
    const outcome = new Map<string, PromiseSettledResult<void>>();
    const fail = (a: Assignment, err: unknown): void => {
      this.state.memberFailed(a.member, failureText(err));
      outcome.set(a.member, { status: 'rejected', reason: err });
    };
    const settled = (): PromiseSettledResult<void>[] =>
      group.map((a) => outcome.get(a.member) ?? { status: 'rejected', reason: new Error(`member ${a.member} has no outcome`) });
    try {
      await this.ensureNetworks(first, version.networks);
    } catch (err) {
      for (const a of group) fail(a, err);
      return settled();
    }
    const answers = addressing ? await addressing.then((x) => ({ ok: x }), (err: unknown) => ({ err })) : undefined;
    const ready: { a: Assignment; create: MemberCreate }[] = [];
    for (const a of group) {
      try {
        if (answers && 'err' in answers) throw answers.err;
        const addresses = answers ? answered(a.member, answers.ok) : version.memberAddresses && patched('svc-member-addresses') ? await this.addressesFor(a.member, version) : {};
        ready.push({ a, create: this.memberCreate(a, version, addresses) });
      } catch (err) {
        fail(a, err);
      }
    }
    if (ready.length > 0) {
      const { spec } = version;
      let results: MemberStart[];
      try {
        results = await slow.startMembers({
          endpoint: first.host.docker,
          hostAddress: first.host.address,
          spec,
          env: version.env,
          dns: version.dns,
          ...(spec.health ? { health: spec.health } : {}),
          healthTimeoutMs: HEALTH_TIMEOUT_MS,
          secretNames: referencedSecrets(Object.values(version.env)),
          ...this.ownership(),
          members: ready.map(({ create }) => ({ ref: create.ref, networks: create.networks })),
        });
      } catch (err) {
        // The batch as a whole failed (cancelled by a destroy, or out of attempts): so did each member.
        for (const { a } of ready) fail(a, err);
        return settled();
      }
      const byMember = new Map(results.map((r) => [r.member, r]));
      await Promise.all(
        ready.map(async ({ a, create }) => {
          const result = byMember.get(a.member);
          try {
            if (result && 'info' in result) {
              this.state.created(a.member, result.info);
              this.state.memberRunning(a.member);
            } else if (result && !result.failure.retryable) {
              throw ApplicationFailure.create({ type: result.failure.type, message: result.failure.message, nonRetryable: true });
            } else {
              // Mendable by a retry (or missing from the answer): this member alone, as before the batch.
              await this.startMemberAlone(a, version, create);
            }
            outcome.set(a.member, { status: 'fulfilled', value: undefined });
          } catch (err) {
            fail(a, err);
          }
        }),
      );
    }
    return settled();
  }

  /**
   * The infrastructure a new container is labelled with, so that a host shared with another
   * infrastructure is swept by each of its own only (workflows/infrastructure.ts).
   */
  private ownership(): { infrastructure?: string } {
    return patched('svc-infra-label') ? { infrastructure: this.infrastructure } : {};
  }

  /** The member's ref and its network attachments (with the addresses IPAM gave it). */
  private memberCreate(a: Assignment, version: ServiceVersion, addresses: Record<string, string>): MemberCreate {
    const { spec } = version;
    const ref = { app: this.app, service: spec.id, member: a.member };
    const networks = spec.networks.map((n) => {
      const network = version.networks.find((x) => x.id === n.network);
      // On a shared network (the infrastructure's) other applications' services are there too: `<service>.<app>` names this one.
      const shared = network?.shared === true;
      return {
        id: n.network,
        name: networkName(networkOwner(this.app, { shared }), n.network, network?.driver),
        aliases: shared ? [spec.id, `${spec.id}.${this.app}`, ...n.aliases] : [spec.id, ...n.aliases],
        ...(n.ipv4Address || addresses[n.network] ? { ipv4Address: n.ipv4Address ?? addresses[n.network] } : {}),
      };
    });
    return { ref, networks };
  }

  /** One member in its own startMember (a retry after a batch, a restart): create, start, wait for health. */
  private async startMemberAlone(a: Assignment, version: ServiceVersion, { ref, networks }: MemberCreate): Promise<void> {
    const { spec } = version;
    const secretNames = referencedSecrets(Object.values(version.env));
    const info = await slow.startMember({ endpoint: a.host.docker, ref, spec, env: version.env, networks, dns: version.dns, hostAddress: a.host.address, ...(spec.health ? { health: spec.health } : {}), healthTimeoutMs: HEALTH_TIMEOUT_MS, secretNames, ...this.ownership() });
    this.state.created(a.member, info);
    this.state.memberRunning(a.member);
  }

  /** `addressing`: the batch that allocates this member's addresses with the others of its placement. */
  private async startOne(a: Assignment, version: ServiceVersion, addressing?: Promise<Record<string, MemberAddressAnswer>>): Promise<void> {
    const { spec } = version;
    const ref = { app: this.app, service: spec.id, member: a.member };
    try {
      await this.ensureNetworks(a, version.networks);
      const addresses = addressing
        ? answered(a.member, await addressing)
        : version.memberAddresses && patched('svc-member-addresses')
          ? await this.addressesFor(a.member, version)
          : {};
      const member = this.memberCreate(a, version, addresses);
      const create = { endpoint: a.host.docker, ref, spec, env: version.env, networks: member.networks, dns: version.dns, ...this.ownership() };
      if (patched('svc-start-member-one-call')) {
        // One activity creates, starts and waits for health: half the history per member, the same retries.
        await this.startMemberAlone(a, version, member);
        return;
      }
      const info = await slow.ensureContainer(create);
      this.state.created(a.member, info);
      await slow.waitHealthy({
        endpoint: a.host.docker,
        containerName: containerName(ref),
        hostAddress: a.host.address,
        ports: info.ports,
        health: spec.health,
        timeoutMs: HEALTH_TIMEOUT_MS,
        secretNames: referencedSecrets(Object.values(version.env)),
      });
      this.state.memberRunning(a.member);
    } catch (err) {
      this.state.memberFailed(a.member, failureText(err));
      throw err;
    }
  }

  /** The networks a member takes an IPAM address on (a static one the blueprint names is booked there too). */
  private addressNetworks(version: ServiceVersion): MemberAddressRequest['networks'] {
    return version.spec.networks.flatMap((n) => {
      // A routed network's members take addresses in their host's block, which Docker hands out (the block is IPAM's).
      const subnetId = version.networks.find((x) => x.id === n.network && !isRouted(x))?.cidr;
      return subnetId ? [{ id: n.network, subnetId, ...(n.ipv4Address ? { address: n.ipv4Address } : {}) }] : [];
    });
  }

  /** The member's address on each of its networks, from IPAM: one activity for one member (a restart; histories from before the batch). */
  private async addressesFor(member: string, version: ServiceVersion): Promise<Record<string, string>> {
    const networks = this.addressNetworks(version);
    if (networks.length === 0) return {};
    return act.allocateMemberAddresses({ infrastructure: this.infrastructure, app: this.app, service: version.spec.id, member, networks });
  }

  /** Every placed member's addresses from IPAM in one activity. */
  private addressesOfAll(assignments: Assignment[], version: ServiceVersion): Promise<Record<string, MemberAddressAnswer>> {
    const networks = this.addressNetworks(version);
    return slow.allocateMembersAddresses({ infrastructure: this.infrastructure, app: this.app, service: version.spec.id, members: assignments.map((a) => ({ member: a.member, networks })) });
  }

  private async joinSwarm(a: Assignment): Promise<void> {
    const live = await act.liveHostEndpoints({ infrastructure: this.infrastructure });
    const mine = JSON.stringify(a.host.docker);
    await act.ensureSwarm({ hosts: live.some((e) => JSON.stringify(e) === mine) ? live : [...live, a.host.docker], infrastructure: this.infrastructure });
  }

  private ensureNetworks(a: Assignment, networks: NetworkSpec[]): Promise<void> {
    const pending = networks.map((network) => {
      const key = `${a.host.id}/${network.id}`;
      let ready = this.networksReady.get(key);
      if (!ready) {
        // Only success is remembered: a failure is tried again by the next member.
        // An overlay network needs the host in the swarm: a host that joined the infrastructure
        // after the application formed it joins now (ensureSwarm tops the swarm up). Since
        // svc-overlay-join-on-need the network is asked for first and the host joins only when its
        // engine says it is out of the swarm: the application formed the swarm over every live host
        // just before, and the query and ensureSwarm in front of each host's first member held the
        // members of the last host back by up to 3 s on the rig. Old validators refused overlay
        // networks: no history of an earlier release comes here.
        const overlay = network.driver === 'overlay';
        const onNeed = overlay && patched('svc-overlay-join-on-need');
        const inSwarm = overlay && !onNeed && patched('svc-overlay-swarm-join') ? this.joinSwarm(a) : Promise.resolve();
        const make = (): Promise<void> => act.ensureNetwork({ endpoint: a.host.docker, app: networkOwner(this.app, network), network }).then(() => undefined);
        const makeOverlay = (): Promise<void> => make().catch(async (err: unknown) => {
          if (!isActivityFailureOfType(err, 'NotInSwarmError')) throw err;
          await this.joinSwarm(a);
          await make();
        });
        // addIptablesRules: this host gets the network's rules once it has the network (svc-iptables-rules).
        const isolate = network.addIptablesRules && !isRouted(network) && patched('svc-iptables-rules');
        ready = inSwarm
          // A routed network: the host's block, bridge and routes (svc-routed-networks; refused before, so no old history comes here).
          .then(() => (isRouted(network) && patched('svc-routed-networks') ? ensureRoutedOnHost(this.app, this.infrastructure, network, a.host.id) : onNeed ? makeOverlay() : make()))
          .then(() => (isolate ? act.isolateNetworks({ infrastructure: this.infrastructure, app: networkOwner(this.app, network), networks: [{ id: network.id, driver: network.driver }], hostIds: [a.host.id] }) : undefined))
          .then(
          () => undefined,
          (err: unknown) => {
            this.networksReady.delete(key);
            throw err;
          },
        );
        this.networksReady.set(key, ready);
      }
      return ready;
    });
    return Promise.all(pending).then(() => undefined);
  }
}
