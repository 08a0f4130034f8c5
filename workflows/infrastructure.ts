// The infrastructure workflow is the scheduler: every placement and every address goes
// through its Updates, which run one at a time against its state, so two services never
// book the same room or the same address. The rules live in InfrastructureState.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { hostAccess } from '../domain/infra/hostAccess';
import { hostAddressProblem, setHostAddress } from '../domain/infra/hostAddress';
import { hostPolicyProblem } from '../domain/infra/hostPolicy';
import { initialInfraState } from '../domain/infra/initialState';
import type { ByonHost, ProvisioningSpec } from '../domain/infra/machines';
import type { Booking, InfrastructureSpec, InfraState } from '../domain/infra/model';
import { completeByonHost } from '../domain/infraSpec/build';
import { formatIpamIssues } from '../domain/ipam';
import { quick } from './activityOptions';
import { admissionAnswer } from './admissionAnswer';
import { failureText } from './failureText';
import { hostAccessQuery } from './hostAccessQuery';
import { setSharedNetworkHandlers } from './infraSharedNetworks';
import { setRoutedBlockHandlers } from './infraRoutedBlocks';
import { HostBooks, type ServiceMembers } from './hostBooks';
import { HostLifecycle } from './hostLifecycle';
import { InfraSwarm } from './infraSwarm';
import { keepHeadroom } from './infraHeadroom';
import { WaitingPlacements } from './infraWaitingPlacements';
import { byonSparePool } from './sparePool';
import { InfrastructureState, type Refusable } from './infrastructureState';
import { keepCurrentDetails } from './consoleDetails';
import { infrastructureDetails } from '../domain/console/currentDetails';
import {
  HELP,
  addHostSignal,
  hostFailedSignal,
  hostKeyPinnedSignal,
  hostReadySignal,
  hostUsageSignal,
  removeHostSignal,
  resizeSignal,
  serviceHostFailedSignal,
  type HostFailedReport,
  type HostKeyReport,
  type HostReadyReport,
  type HostUsageReport,
  admissionQuery,
  allocateAddressUpdate,
  allocateAddressesUpdate,
  allocateSubnetUpdate,
  hostAddressUpdate,
  infraStatusQuery,
  placeContainersUpdate,
  releaseAddressUpdate,
  releaseAddressesUpdate,
  releaseContainersUpdate,
  setHostPolicyUpdate,
  releaseSubnetUpdate,
} from './messages';
import {
  validateAddHost,
  validateHostReport,
  validateRemoveHost,
  validateResize,
  validateAllocateAddress,
  validateAllocateAddresses,
  validateAllocateSubnet,
  validatePlaceRequest,
  validateReleaseAddress,
  validateReleaseAddresses,
  validateReleaseRequest,
  validateReleaseSubnet,
} from './requestValidation';
import { searchAttributes } from './searchAttributes';

/** Removing what failed hosts kept when they come back. */
const sweeping = proxyActivities<Activities>(quick);

export interface InfrastructureInput extends InfrastructureSpec {
  /** Carried across continueAsNew: hosts, reservations and address books. */
  state?: InfraState;
  /** Runs started before `state` existed carried only this; read once into reservations. */
  bookings?: Booking[];
  /** Byon hosts to provision (an infra file's `location: byon`); read once, then kept in `state`. */
  provision?: { hosts: ByonHost[]; spares: ByonHost[]; provisioning: ProvisioningSpec };
  /** For tests: continue as new after this many updates in a run, as if history were long. */
  continueAsNewAfterUpdates?: number;
}

/** An accepted update that the state refused after all (it changed since validation). */
function unwrap<T>(what: string, outcome: Refusable<T>): T {
  if (outcome.ok) return outcome.value;
  throw ApplicationFailure.nonRetryable(`${what} refused: ${formatIpamIssues(outcome.issues).replace(/\n/g, '; ')}`, 'IpamRefused');
}

export async function infrastructure(input: InfrastructureInput): Promise<void> {
  const initial = initialInfraState(input, input.state, input.bookings);
  if (!initial.ok) throw ApplicationFailure.nonRetryable(`infrastructure ${input.name}: ${initial.problem}`, 'InvalidInfrastructure');
  const state = new InfrastructureState(input.name, initial.state);
  let updatesThisRun = 0;
  const counted = <A, R>(handler: (arg: A) => R) => (arg: A): R => {
    updatesThisRun++;
    return handler(arg);
  };
  // The random ranker's seed: the update id is stable on replay and differs per request.
  const seed = () => `${workflowInfo().workflowId}/${currentUpdateInfo()?.id ?? `${workflowInfo().runId}/${updatesThisRun}`}`;

  setHandler(infraStatusQuery, () => state.view(), { description: HELP.infraStatusQuery });
  setHandler(hostAccessQuery, () => hostAccess(state.data));
  setSharedNetworkHandlers(() => state.data.ipam, counted);
  setRoutedBlockHandlers(() => state.data.ipam, counted);
  // The Web UI's current details follow the hosts (no command).
  keepCurrentDetails(() => infrastructureDetails(state.view()));
  setHandler(admissionQuery, (requests) => admissionAnswer(state.data, requests), { description: HELP.admissionQuery });
  const waiting = new WaitingPlacements(state.data, input.name);
  setHandler(
    placeContainersUpdate,
    counted((req) => {
      const placed = state.place(req, seed());
      if (!placed.ok) waiting.refused(req.app, req.service);
      return placed;
    }),
    { description: HELP.placeContainersUpdate, validator: validatePlaceRequest },
  );
  setHandler(releaseContainersUpdate, counted((req) => state.release(req)), { description: HELP.releaseContainersUpdate, validator: validateReleaseRequest });
  // A new handler (no command): an infrastructure started before host policies gets one this way; kept across continueAsNew in the state.
  setHandler(
    setHostPolicyUpdate,
    counted((policy) => {
      state.data.policy = policy;
      return policy;
    }),
    {
      description: HELP.setHostPolicyUpdate,
      validator: (policy) => {
        const problem = hostPolicyProblem(policy);
        if (problem !== undefined) throw new Error(`host policy: ${problem}`);
      },
    },
  );
  setHandler(allocateSubnetUpdate, counted((req) => unwrap('subnet', state.allocateSubnet(req))), {
    description: HELP.allocateSubnetUpdate,
    validator: (req) => validateAllocateSubnet(state.data.ipam, req),
  });
  setHandler(releaseSubnetUpdate, counted((req) => state.releaseSubnet(req)), { description: HELP.releaseSubnetUpdate, validator: validateReleaseSubnet });
  setHandler(allocateAddressUpdate, counted((req) => unwrap('address', state.allocateAddress(req))), {
    description: HELP.allocateAddressUpdate,
    validator: (req) => validateAllocateAddress(state.data.ipam, req),
  });
  setHandler(releaseAddressUpdate, counted((req) => state.releaseAddress(req)), { description: HELP.releaseAddressUpdate, validator: validateReleaseAddress });
  // These two add no command (an Update's events are the client's): a worker without them rejects the Update, and the activities fall back to one Update per address.
  setHandler(allocateAddressesUpdate, counted((req) => state.allocateAddresses(req)), { description: HELP.allocateAddressesUpdate, validator: validateAllocateAddresses });
  setHandler(releaseAddressesUpdate, counted((req) => state.releaseAddresses(req)), { description: HELP.releaseAddressesUpdate, validator: validateReleaseAddresses });
  setHandler(hostAddressUpdate, counted((req) => setHostAddress(state.data, req)), {
    description: HELP.hostAddressUpdate,
    validator: (req) => {
      const problem = hostAddressProblem(state.data, req);
      if (problem) throw new Error(problem);
    },
  });

  const books = new HostBooks(state.data);
  const lifecycle = new HostLifecycle(input.name, books);
  wireHostSignals(input, books, lifecycle, new InfraSwarm(books, lifecycle));
  // Only an infra file with `headroom:` starts the loop (its timers are new commands).
  if (state.data.provisioning?.headroom && patched('infra-headroom')) {
    void keepHeadroom(books, byonSparePool(books, lifecycle)).catch((err: unknown) => log.error(`headroom: ${failureText(err)}`));
  }

  void waiting.run().catch((err: unknown) => log.error(`telling waiting services: ${failureText(err)}`));

  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'infrastructure' },
    { key: searchAttributes.infrastructure, value: input.name },
    { key: searchAttributes.status, value: 'RUNNING' },
  ]);

  // Lives until terminated; hands its state to a fresh run when history grows long, once no
  // handler is mid-way (all are synchronous today, but that must stay true if one awaits).
  const limit = input.continueAsNewAfterUpdates;
  const historyLong = () => workflowInfo().continueAsNewSuggested || (limit !== undefined && updatesThisRun >= limit);
  await condition(() => historyLong() && allHandlersFinished() && lifecycle.busy === 0 && !waiting.telling);
  const { state: _old, bookings: _legacy, provision: _provision, ...spec } = input;
  await continueAsNew<typeof infrastructure>({ ...spec, state: state.data });
}

/** Byon hosts: first run adopts the file's machines; every run (re)attaches to their children and resumes drains. */
function wireHostSignals(input: InfrastructureInput, books: HostBooks, lifecycle: HostLifecycle, swarm: InfraSwarm): void {
  if (!input.state && input.provision) {
    books.data.provisioning = input.provision.provisioning;
    for (const h of input.provision.hosts) books.addMachine(h, 'active');
    for (const h of input.provision.spares) books.addMachine(h, 'spare');
  }
  /** Hosts being swept after a failure, and the last ready report of each, to apply once swept. */
  const sweepsUnderWay = new Set<string>();
  const readyAfterSweep = new Map<string, HostReadyReport>();
  const guarded = <T,>(what: string, validate: (req: T) => void, handle: (req: T) => void) => (req: T): void => {
    try {
      validate(req);
    } catch (err) {
      log.warn(`${what} ignored: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    handle(req);
  };
  setHandler(hostKeyPinnedSignal, guarded<HostKeyReport>('hostKeyPinned', validateHostReport, (r) => books.pinHostKey(r.hostId, r.hostKeyFingerprint)), { description: HELP.hostKeyPinnedSignal });
  setHandler(
    hostReadySignal,
    guarded<HostReadyReport>('hostReady', validateHostReport, (r) => {
      if (!books.isFailed(r.hostId)) {
        books.markReady(r);
        return swarm.changed(`host ${r.hostId} ready`);
      }
      // Back from a failure: the members written off there were replaced elsewhere, so their
      // containers go before the host takes new ones (it stays FAILED, unplaceable, meanwhile).
      // One sweep per host at a time; a report that comes meanwhile is swept for once it ends.
      readyAfterSweep.set(r.hostId, r);
      if (sweepsUnderWay.has(r.hostId)) return;
      sweepsUnderWay.add(r.hostId);
      lifecycle.spawn(`sweeping host ${r.hostId}`, () => sweepThenReady(r.hostId));
    }),
    { description: HELP.hostReadySignal },
  );
  /** Sweeps a host back from a failure, then marks it ready: unless it failed again meanwhile. */
  async function sweepThenReady(hostId: string): Promise<void> {
    try {
      for (let report = readyAfterSweep.get(hostId); report; report = readyAfterSweep.get(hostId)) {
        readyAfterSweep.delete(hostId);
        const failures = books.failures(hostId);
        let problem: string | undefined;
        try {
          // Only its own: another infrastructure's members on a shared host are not written off here.
          const own = patched('infra-sweep-own') ? { infrastructure: input.name } : {};
          const removed = await sweeping.removeOrphanContainers({ endpoint: report.docker, keep: books.bookedOn(hostId), ...own });
          if (removed.length > 0) log.info(`host ${hostId} is back: removed ${removed.length} written-off containers: ${removed.join(', ')}`);
        } catch (err) {
          problem = `back, but the containers of members written off there were not removed: ${failureText(err)}`;
          log.warn(`host ${hostId} ${problem}`);
        }
        // A failure during the sweep wins; a later report gets its own sweep (the loop).
        if (books.failures(hostId) !== failures || readyAfterSweep.has(hostId)) continue;
        books.markReady(report);
        if (problem) books.noteProblem(hostId, problem);
        swarm.changed(`host ${hostId} back`);
      }
    } finally {
      sweepsUnderWay.delete(hostId);
    }
  }
  setHandler(hostUsageSignal, guarded<HostUsageReport>('hostUsage', validateHostReport, (r) => books.recordUsage(r)), { description: HELP.hostUsageSignal });
  setHandler(
    hostFailedSignal,
    guarded<HostFailedReport>('hostFailed', validateHostReport, (r) => {
      const released = books.markFailed(r.hostId, r.reason);
      swarm.changed(`host ${r.hostId} failed`);
      lifecycle.spawn(`telling services host ${r.hostId} failed`, () => lifecycle.notify(serviceHostFailedSignal, r.hostId, r.reason, released));
    }),
    { description: HELP.hostFailedSignal },
  );
  const drain = (hostId: string, then: 'forget' | 'spare') => {
    const groups = books.startDrain(hostId, then);
    if (groups) {
      swarm.changed(`host ${hostId} draining`);
      lifecycle.spawn(`draining host ${hostId}`, () => drained(hostId, groups));
    }
  };
  /** After the drain the host has left the infrastructure: its swarm node goes too. */
  const drained = async (hostId: string, groups: ServiceMembers[]) => {
    const record = books.entry(hostId)?.record;
    await lifecycle.drain(hostId, groups);
    if (record && !books.entry(hostId)) swarm.changed(`host ${hostId} removed`, record);
  };
  setHandler(
    resizeSignal,
    guarded('resize', validateResize, (r) => {
      const plan = books.planResize(r.hosts);
      for (const id of plan.provision) {
        books.activate(id);
        lifecycle.spawn(`provisioning host ${id}`, () => lifecycle.provision(id, true));
      }
      for (const id of plan.drain) drain(id, 'spare');
    }),
    { description: HELP.resizeSignal },
  );
  setHandler(
    addHostSignal,
    guarded('addHost', validateAddHost, (r) => {
      const host = completeByonHost(r.host);
      const added = books.addMachine(host, r.spare ? 'spare' : 'active');
      if (!added.ok) return log.warn(`addHost ignored: ${added.reason}`);
      if (!r.spare) lifecycle.spawn(`provisioning host ${host.id}`, () => lifecycle.provision(host.id, true));
    }),
    { description: HELP.addHostSignal },
  );
  setHandler(removeHostSignal, guarded('removeHost', validateRemoveHost, (r) => drain(r.hostId, 'forget')), { description: HELP.removeHostSignal });

  for (const m of books.machines) {
    if (m.role === 'active' && !m.afterDrain) lifecycle.spawn(`provisioning host ${m.host.id}`, () => lifecycle.provision(m.host.id, false));
  }
  for (const id of books.draining()) lifecycle.spawn(`draining host ${id}`, () => drained(id, []));
}
