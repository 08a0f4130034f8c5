// An application: start one service child per blueprint service, in dependency order; report
// RUNNING or FAILED; take new blueprint versions (services added, removed, rolled, resized);
// keep dependents in step with what their dependencies publish; on `destroy`, tear the
// services down, then its networks, and end. Continues as new when its history grows long.
import { allHandlersFinished, condition, continueAsNew, log, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { bindReloadArgv, bindServiceEnv, resolveDnsServers, serviceAttributes } from '../domain/application/attributes';
import { planChanges, planText } from '../domain/application/plan';
import { unsupportedFeatures } from '../domain/application/preflight';
import { SHARED_NETWORK_OWNER } from '../domain/ipam';
import { serviceProblem } from '../domain/application/appHealth';
import { repairText } from './repairText';
import { startLayers } from '../domain/application/startLayers';
import type { Blueprint, NetworkSpec, ServiceSpec } from '../domain/blueprint/model';
import { defaultNetworkDriver, overlayDefaultNotice, type DriverChoice } from '../domain/network/defaultDriver';
import { networkView } from '../domain/application/networkView';
import type { PublishedAttributes } from '../domain/blueprint/references/resolveValue';
import { quick, teardown } from './activityOptions';
import { ApplicationState, type ApplicationSnapshot } from './applicationState';
import { DependencyFollower, type BoundVersion, type FollowerSnapshot } from './dependencyFollower';
import { failureText } from './failureText';
import {
  HELP,
  appStatusQuery,
  blueprintQuery,
  deployUpdate,
  destroySignal,
  restartSignal,
  serviceReportSignal,
  startSignal,
  stopSignal,
  upgradeSignal,
  type Effector,
} from './messages';
import { validateNextBlueprint } from './blueprintValidation';
import { admitApplication } from './preflight';
import { ensureNetworksUpFront, subnetTakenIn } from './applicationNetworks';
import { isRouted, keepRoutedNetworks, removeRoutedNetworks } from './routedNetworks';
import { searchAttributes } from './searchAttributes';
import { ServiceChildren } from './serviceChildren';
import { keepCurrentDetails } from './consoleDetails';
import { applicationDetails } from '../domain/console/currentDetails';

export interface ApplicationInput {
  blueprint: Blueprint;
  /** Set when a run continues as new: the state and the work not yet done. */
  carried?: CarriedApplication;
  /** Continue as new once the history is this long (tests); otherwise when Temporal suggests it. */
  continueAsNewAtHistoryLength?: number;
  /** The client ran the preflight for this blueprint just before (`clocker deploy`): the same admission is not run twice. */
  admitted?: boolean;
}

interface CarriedApplication {
  state: ApplicationSnapshot;
  networks: NetworkSpec[];
  children: string[];
  follower: FollowerSnapshot;
  versions: Blueprint[];
  effectors: Effector[];
  rollWanted: boolean;
  requests: number;
  /** Members get their addresses from IPAM (app-member-addresses): decided when the application started. */
  memberAddresses?: boolean;
  /** The driver networks that name none get (app-overlay-default): decided when the application started; absent: bridge. */
  driverChoice?: DriverChoice;
}

const act = proxyActivities<Activities>(quick);
const sweep = proxyActivities<Activities>(teardown);
const subnetOwner = (app: string, network: string) => `${app}/${network}`;

export async function application(input: ApplicationInput) {
  const { blueprint, carried } = input;
  const state = new ApplicationState(blueprint, carried?.state);
  // Since app-status-derived the status at rest is derived from the services (DEGRADED, STOPPED
  // too) and follows their reports; runs started before keep the old rules to their end.
  state.derivesStatus = patched('app-status-derived');
  const app = blueprint.name;
  let destroyRequested = false;
  const versions: Blueprint[] = carried?.versions ?? [];
  const effectors: Effector[] = carried?.effectors ?? [];
  /** Reports received, and those the follower has looked at (a carried run looks once at start). */
  let reports = carried ? 1 : 0;
  setHandler(appStatusQuery, () => state.view, { description: HELP.appStatusQuery });
  // The Web UI's current details follow the status (no command: old histories replay the same).
  keepCurrentDetails(() => applicationDetails(state.view));
  setHandler(blueprintQuery, () => state.blueprint, { description: HELP.blueprintQuery });
  setHandler(serviceReportSignal, (view) => {
    state.report(view);
    reports += 1;
  }, { description: HELP.serviceReportSignal });
  setHandler(destroySignal, () => void (destroyRequested = true), { description: HELP.destroySignal });
  setHandler(stopSignal, () => void effectors.push('stop'), { description: HELP.stopSignal });
  setHandler(startSignal, () => void effectors.push('start'), { description: HELP.startSignal });
  setHandler(restartSignal, () => void effectors.push('restart'), { description: HELP.restartSignal });
  setHandler(
    deployUpdate,
    (next) => {
      versions.push(next);
      const plan = planText(planChanges(versions.at(-2) ?? state.blueprint, next));
      return { plan: state.derivesStatus ? `${plan}${repairText(state)}` : plan, version: state.view.version + versions.length };
    },
    {
      description: HELP.deployUpdate,
      validator: (next) => {
        if (destroyRequested) throw new Error(`"${app}" is being destroyed`);
        if (state.blocked && !state.derivesStatus) throw new Error(`"${app}" could not start (${state.view.error ?? ''}); destroy it and deploy again`);
        validateNextBlueprint(versions.at(-1) ?? state.blueprint, next, !(state.blocked && state.derivesStatus), networks);
      },
    },
  );
  let shownStatus: string | undefined;
  const setStatus = () => {
    if (state.derivesStatus && shownStatus === state.view.status) return;
    shownStatus = state.view.status;
    upsertSearchAttributes([{ key: searchAttributes.status, value: state.view.status }]);
  };
  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'application' },
    { key: searchAttributes.app, value: app },
    { key: searchAttributes.infrastructure, value: blueprint.location },
  ]);
  setStatus();
  if (state.derivesStatus) {
    // A service report may change the derived status between operations: the Web UI's filter follows.
    void (async () => {
      for (;;) {
        await condition(() => shownStatus !== state.view.status);
        setStatus();
      }
    })();
  }

  // Every network's subnet comes from the infrastructure's IPAM, so applications never overlap.
  const networks: NetworkSpec[] = carried?.networks ?? [];
  /**
   * Makes the networks on every live host. A subnet that another network took on an engine since
   * IPAM gave it (another Clocker sharing the engine, a person) is given back for a fresh one,
   * which IPAM carves around what the engines now hold; a subnet the blueprint names is not.
   */
  const makeNetworks = async (target: Blueprint, list: NetworkSpec[]): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ensureNetworksUpFront(app, target.location, list);
      } catch (err) {
        const taken = subnetTakenIn(err, list);
        if (!taken || taken.shared || target.networks.find((n) => n.id === taken.id)?.cidr !== undefined || attempt >= 3) throw err;
        await act.releaseNetworkSubnet({ infrastructure: target.location, owner: subnetOwner(app, taken.id) });
        const subnet = await act.allocateNetworkSubnet({ infrastructure: target.location, owner: subnetOwner(app, taken.id), avoid: taken.cidr ? [taken.cidr] : [] });
        Object.assign(taken, { cidr: subnet.cidr, gateway: target.networks.find((n) => n.id === taken.id)?.gateway ?? subnet.gateway });
      }
    }
  };

  /**
   * The driver for networks that name none (app-overlay-default), chosen by the infrastructure
   * once, before the first network is allocated, and kept: applications started before keep
   * bridge, and a network added later gets the same driver as the first ones.
   */
  let driverChoice: DriverChoice | undefined = carried?.driverChoice;
  const driverFor = (n: NetworkSpec): NetworkSpec['driver'] => n.driver ?? driverChoice?.driver ?? 'bridge';
  const chooseDefaultDriver = async (target: Blueprint) => {
    const unwritten = target.networks.filter((n) => n.driver === undefined);
    if (driverChoice || unwritten.length === 0 || !patched('app-overlay-default')) return;
    driverChoice = defaultNetworkDriver(target.location, await act.infrastructureShape({ infrastructure: target.location }));
    if (driverChoice.driver === 'overlay') {
      const notice = overlayDefaultNotice(unwritten.map((n) => n.id), driverChoice);
      state.view.lastEvent = notice;
      log.info(notice, { app });
    }
  };
  /** Records a network as made (its subnet and driver chosen), for services and for status. */
  const keepNetwork = (n: NetworkSpec, subnet: { cidr: string; gateway?: string }) => {
    const made = { ...n, driver: driverFor(n), cidr: subnet.cidr, gateway: n.gateway ?? subnet.gateway };
    networks.push(made);
    state.view.networks = [...(state.view.networks ?? []).filter((v) => v.id !== n.id), networkView(made, n.driver === undefined ? driverChoice : undefined)];
  };

  /** A network's subnet from IPAM: the application's own, or a shared network's, which it joins (app-shared-networks; refused before it). */
  const subnetFor = async (location: string, n: NetworkSpec) =>
    n.shared && patched('app-shared-networks')
      ? (await act.joinSharedNetwork({ infrastructure: location, app, network: n.id, ...(n.cidr ? { cidr: n.cidr } : {}) })).subnet
      : act.allocateNetworkSubnet({ infrastructure: location, owner: subnetOwner(app, n.id), cidr: n.cidr });

  /** Leaves a shared network; the last application out removes it (and its rules) from every host. */
  const leaveShared = async (n: NetworkSpec) => {
    const { released } = await sweep.leaveSharedNetwork({ infrastructure: blueprint.location, app, network: n.id });
    if (!released) return;
    await sweep.removeSharedNetwork({ infrastructure: blueprint.location, network: { id: n.id, driver: n.driver } });
    if (n.addIptablesRules) await sweep.removeIsolation({ infrastructure: blueprint.location, app: SHARED_NETWORK_OWNER, network: n.id });
  };

  /** What must hold before any service starts; a failure blocks the application until a deploy repairs it. */
  const prepare = async (target: Blueprint) => {
    // Old validators refused overlay networks: a history from before them replays as refused.
    // The release before accepted addIptablesRules and ignored it: its histories replay so.
    // Runs between app-iptables-refused and app-iptables-rules refused it; new runs make the rules.
    const isolated = target.networks.some((n) => n.addIptablesRules);
    const rules = isolated && patched('app-iptables-rules');
    // Runs before app-shared-networks refused shared networks.
    const shared = target.networks.some((n) => n.shared);
    const unsupported = unsupportedFeatures(target, {
      overlay: target.networks.some((n) => n.driver === 'overlay') && patched('app-overlay-swarm'),
      routed: target.networks.some(isRouted) && patched('app-routed-networks'),
      refuseIptables: isolated && !rules && patched('app-iptables-refused'),
      refuseShared: shared && !patched('app-shared-networks'),
    });
    if (unsupported.length > 0) state.cannotStart(`not supported yet: ${unsupported.join('; ')}`);
    try {
      if (unsupported.length === 0) await chooseDefaultDriver(target);
      for (const n of unsupported.length > 0 ? [] : target.networks) {
        if (networks.some((x) => x.id === n.id)) continue; // allocated by an earlier attempt
        keepNetwork(n, await subnetFor(target.location, n));
      }
      if (unsupported.length === 0 && patched('app-networks-up-front')) await makeNetworks(target, networks);
    } catch (err) {
      state.cannotStart(`networks: ${failureText(err)}`);
    }
  };
  // Admission (app-preflight): every problem the running infrastructure shows, found before anything is booked or created.
  // Members' addresses from IPAM, for applications started with this release on (an older one's
  // members hold addresses Docker picked, which IPAM does not know, so it keeps Docker's).
  const memberAddresses = carried ? carried.memberAddresses === true : patched('app-member-addresses');
  if (!carried && !input.admitted && patched('app-preflight')) await admitApplication(blueprint, (error) => state.cannotStart(error));
  if (!carried && !state.blocked) await prepare(blueprint);
  // Routed networks follow the members (app-routed-follow): routes on every live host, names in every member's /etc/hosts.
  void keepRoutedNetworks(app, blueprint.location, { networks: () => networks, services: () => state.blueprint.services, view: () => state.view, done: () => destroyRequested });

  const children = new ServiceChildren(app, state, carried?.children);

  /** A service's next version, with references bound to what has been published so far. */
  const bind = (spec: ServiceSpec): BoundVersion | string => {
    const attributes: PublishedAttributes = Object.fromEntries(state.view.services.map((s) => [s.id, serviceAttributes(s)]));
    const bound = bindServiceEnv(spec, attributes);
    if (!bound.ok) return `unresolved references (is the attribute name right?): ${bound.missing.join(', ')}`;
    const joins = networks.filter((n) => spec.networks.some((a) => a.network === n.id));
    const dns = resolveDnsServers(joins, attributes);
    if (!dns.ok) return `unresolved references: ${dns.missing.join(', ')}`;
    const reload = bindReloadArgv(spec, attributes);
    if (!reload.ok) return `unresolved references: ${reload.missing.join(', ')}`;
    return { version: { spec, env: bound.env, networks: joins, dns: dns.dns, ...(memberAddresses ? { memberAddresses } : {}) }, reloadArgv: reload.argv };
  };
  const follower = new DependencyFollower(state, children, bind, carried?.follower);
  let rollWanted = carried?.rollWanted ?? false;
  /** Numbers the versions handed to services, so each wait knows its own answer. */
  let requests = carried?.requests ?? 0;

  // Alongside everything else: each report may mean dependents must follow, or a drain waits.
  let following = false;
  const follow = async () => {
    let seen = 0;
    for (;;) {
      await condition(() => destroyRequested || reports > seen);
      if (destroyRequested) return;
      seen = reports;
      following = true;
      try {
        if (await follower.pass()) rollWanted = true;
      } catch (err) {
        // Never let one bad pass stop the follower (or continue-as-new, which waits for it).
        state.view.lastEvent = `following dependencies: ${failureText(err)}`;
      } finally {
        following = false;
      }
    }
  };
  void follow();

  /** Starts the given services layer by layer; dependents of a failure never start. */
  const startServices = async (specs: ServiceSpec[]) => {
    const starting = (id: string) => specs.some((s) => s.id === id);
    for (const layer of startLayers(specs.map((s) => ({ id: s.id, dependsOn: s.dependsOn.filter(starting) })))) {
      if (destroyRequested || state.failedServices().some((s) => starting(s.id)) || state.view.error) break;
      for (const spec of specs.filter((s) => layer.includes(s.id))) {
        const bound = bind(spec);
        if (typeof bound === 'string') {
          state.serviceCrashed(spec.id, bound);
          continue;
        }
        follower.record(spec.id, bound);
        await children.start({ app, infrastructure: blueprint.location, ...bound.version });
      }
      await condition(() => destroyRequested || layer.every((id) => state.settled(id)));
    }
  };

  /**
   * Hands a running service its next version and waits for the rollout that answers it (by
   * number: an operator's resize may roll in between); answers whether it was rolled back.
   */
  const upgrade = async (id: string, bound: BoundVersion): Promise<boolean> => {
    const request = ++requests;
    const before = follower.givenKey(id);
    follower.busy.add(id);
    try {
      follower.record(id, bound);
      if (!(await children.tell(id, (c) => c.signal(upgradeSignal, { ...bound.version, request })))) return false;
      const answered = () => state.service(id).rollout?.request === request;
      await children.waitFor(id, answered, () => destroyRequested);
      const rolledBack = answered() && state.service(id).rollout?.outcome === 'ROLLED_BACK';
      if (rolledBack) follower.refuse(id, bound, before);
      return rolledBack;
    } finally {
      follower.busy.delete(id);
      reports += 1; // the follower looks again, now that the service is its own again
    }
  };

  /** Walks the plan from the running blueprint to `next`. */
  const applyVersion = async (next: Blueprint) => {
    if (state.blocked && state.derivesStatus) return retryBlocked(next);
    const plan = planChanges(state.blueprint, next);
    const rolledBack: string[] = [];
    // What was not up before this version is what a deploy repairs (not what the version itself just tried).
    const wasBroken = state.view.services.filter((s) => serviceProblem(s) !== undefined).map((s) => s.id);
    // Networks the version adds are allocated and made before any service rolls onto them.
    const added = next.networks.filter((n) => !networks.some((x) => x.id === n.id));
    if (added.length > 0 && patched('app-networks-grow')) {
      const refusal = await addNetworks(next, added);
      if (refusal) {
        state.refuseVersion(next, refusal);
        return;
      }
    }
    state.beginVersion(next);
    setStatus();
    for (const change of plan.changes.filter((c) => c.kind === 'remove')) {
      // Wait for the child's end, not a status: only then can the same id start again.
      if (await children.tell(change.service, (c) => c.signal(destroySignal))) await children.end(change.service);
      state.dropService(change.service);
      follower.forget(change.service);
    }
    const updated = [...new Set(plan.changes.filter((c) => c.kind === 'change' || c.kind === 'settings' || c.kind === 'resize').map((c) => c.service))];
    // In dependency order, so a dependent binds to what its dependency publishes after its own update.
    for (const id of startLayers(next.services).flat().filter((x) => updated.includes(x))) {
      if (destroyRequested) return;
      const bound = bind(next.services.find((s) => s.id === id)!);
      if (typeof bound === 'string') state.serviceCrashed(id, bound);
      else if (await upgrade(id, bound)) rolledBack.push(id);
    }
    state.view.rolledBack = { version: state.view.version, services: rolledBack };
    await startServices(next.services.filter((s) => plan.changes.some((c) => c.kind === 'add' && c.service === s.id)));
    // Deploying a version onto a failed or degraded application converges it, as `docker compose up` does.
    if (!destroyRequested && patched('app-repair-on-deploy')) await repair(wasBroken.filter((id) => !rolledBack.includes(id)));
  };

  /** Allocates and makes the networks a version adds; answers why not, when they could not be. */
  const addNetworks = async (next: Blueprint, added: NetworkSpec[]): Promise<string | undefined> => {
    try {
      // A first network that names no driver (all before named one): chosen now, by the same rule.
      await chooseDefaultDriver(next);
      for (const n of added) keepNetwork(n, await subnetFor(next.location, n));
      await makeNetworks(next, networks.filter((n) => added.some((a) => a.id === n.id)));
      return undefined;
    } catch (err) {
      return `networks ${added.map((n) => n.id).join(', ')}: ${failureText(err)}`;
    }
  };

  /** A version deployed onto an application that could not start at all: the start is tried again, from the beginning. */
  const retryBlocked = async (next: Blueprint) => {
    state.retryFrom(next);
    setStatus();
    // Only runs that derive their status come here, and those all run the admission.
    await admitApplication(next, (error) => state.cannotStart(error));
    if (!state.blocked) await prepare(next);
    await startServices(next.services);
  };

  /**
   * Every service that is not fully up is brought up again, in dependency order: a running
   * workflow is told to `start` (it replaces failed members and places missing ones), one that
   * ended or never started is started anew, once everything it depends on is up. Services whose
   * update was just rolled back are not asked: they run their previous version on purpose.
   */
  const repair = async (wanted: string[]) => {
    const up = (id: string) => serviceProblem(state.service(id)) === undefined;
    for (const layer of startLayers(state.blueprint.services)) {
      if (destroyRequested) return;
      const dependsOn = (id: string) => state.blueprint.services.find((s) => s.id === id)?.dependsOn ?? [];
      const broken = layer.filter((id) => wanted.includes(id) && state.view.services.some((s) => s.id === id) && !up(id) && dependsOn(id).every(up));
      const told: string[] = [];
      const before = new Map(broken.map((id) => [id, state.service(id).effectorsDone ?? 0]));
      for (const id of broken.filter((x) => children.has(x))) if (await children.tell(id, (c) => c.signal(startSignal))) told.push(id);
      for (const id of told) await children.waitFor(id, () => (state.service(id).effectorsDone ?? 0) > (before.get(id) ?? 0), () => destroyRequested);
      const anew = broken.filter((id) => !told.includes(id) && !children.has(id));
      for (const id of anew) state.restartingService(id);
      await startServices(state.blueprint.services.filter((s) => anew.includes(s.id)));
    }
  };

  /** Rolls dependents without `reload` onto the new values of what they reference, in dependency order; answers whether any rolled. */
  const rollDependents = async (): Promise<boolean> => {
    const running = (id: string) => state.view.services.find((s) => s.id === id)?.status === 'RUNNING';
    let rolled = false;
    for (const id of startLayers(state.blueprint.services).flat()) {
      if (destroyRequested) break;
      const spec = state.blueprint.services.find((s) => s.id === id)!;
      if (spec.reload || !children.has(id) || !running(id) || !spec.dependsOn.every(running)) continue;
      const bound = bind(spec);
      if (typeof bound === 'string' || follower.isSettled(id, bound)) continue;
      rolled = true;
      const rolledBack = await upgrade(id, bound);
      state.view.lastEvent = `${id}: ${rolledBack ? 'could not roll' : 'rolled'} onto new values of ${spec.dependsOn.join(', ')}${rolledBack ? ` (${state.service(id).rollout?.message ?? ''})` : ''}`;
    }
    return rolled;
  };

  /** Forwards an effector to every running service: stop dependents first, start dependencies first. */
  const runEffector = async (effector: Effector) => {
    const layers = startLayers(state.blueprint.services);
    const order = effector === 'stop' ? [...layers].reverse() : layers;
    const signal = effector === 'stop' ? stopSignal : effector === 'start' ? startSignal : restartSignal;
    for (const layer of order) {
      const before = new Map(layer.map((id) => [id, state.service(id).effectorsDone ?? 0]));
      const told: string[] = [];
      for (const id of layer) if (await children.tell(id, (c) => c.signal(signal))) told.push(id);
      // Each service counts what it carried out, so a stale report is never taken for the answer.
      for (const id of told) await children.waitFor(id, () => (state.service(id).effectorsDone ?? 0) > (before.get(id) ?? 0), () => destroyRequested);
    }
  };

  if (!carried) {
    await startServices(blueprint.services);
    if (!destroyRequested) {
      state.finishDeploy();
      setStatus();
    }
  }

  const timeToContinue = () =>
    (workflowInfo().continueAsNewSuggested ||
      (input.continueAsNewAtHistoryLength !== undefined && workflowInfo().historyLength >= input.continueAsNewAtHistoryLength)) &&
    !following &&
    allHandlersFinished();
  for (;;) {
    await condition(() => destroyRequested || versions.length > 0 || effectors.length > 0 || rollWanted || timeToContinue());
    if (destroyRequested) break;
    if (timeToContinue()) {
      // History stays bounded: the services keep running (abandoned, not ended) and the next run
      // reaches them by id.
      await continueAsNew<typeof application>({
        ...input,
        carried: { state: state.snapshot(), networks, children: children.ids(), follower: follower.snapshot(), versions, effectors, rollWanted, requests, ...(memberAddresses ? { memberAddresses } : {}), ...(driverChoice ? { driverChoice } : {}) },
      });
    }
    const effector = effectors.shift();
    if (effector) {
      await runEffector(effector);
      if (effector === 'stop' && state.view.services.every((s) => s.status === 'STOPPED' || s.status === 'PENDING')) state.view.status = 'STOPPED';
      else state.finishDeploy();
      setStatus();
      continue;
    }
    const next = versions.shift();
    if (next) await applyVersion(next);
    else if (rollWanted) {
      rollWanted = false;
      if (!(await rollDependents())) continue;
    } else continue; // woken to continue as new, and the follower was busy: look again
    state.finishDeploy();
    setStatus();
  }

  state.destroying();
  setStatus();
  // The hosts to sweep are listed while the services tear down (app-destroy-lean), not after.
  const listHosts = () =>
    act.liveHostEndpoints({ infrastructure: blueprint.location }).catch((err: unknown) => {
      state.leftBehind(`the infrastructure's hosts were not listed, only the reported ones were swept: ${failureText(err)}`);
      return [];
    });
  const listing = patched('app-destroy-lean') ? listHosts() : undefined;
  await Promise.all(children.ids().map((id) => children.tell(id, (c) => c.signal(destroySignal))));
  await Promise.all(children.ids().map((id) => children.end(id)));
  // Networks and named volumes go last, once no member uses them.
  // Each host on its own: one that does not answer is named, the others are swept anyway.
  // The hosts the services reported, and every live host of the infrastructure: a service that
  // ended before reporting a host it had placed members on leaves nothing behind there either.
  const live = await (listing ?? listHosts());
  const endpoints = [...new Map([...state.allEndpoints(), ...live].map((e) => [JSON.stringify(e), e])).values()];
  const swept = await Promise.allSettled(endpoints.map((endpoint) => sweep.removeAppResources({ app, endpoints: [endpoint] })));
  const strays = swept.flatMap((o) => (o.status === 'fulfilled' ? o.value.filter((r) => r.startsWith('container ')) : []));
  if (strays.length > 0) state.view.lastEvent = `destroy removed containers no service removed: ${strays.map((r) => r.slice('container '.length)).join(', ')}`;
  for (const outcome of swept) if (outcome.status === 'rejected') state.leftBehind(`networks, volumes or containers were not removed: ${failureText(outcome.reason)}`);
  // A service whose workflow ended without tearing down (terminated, crashed) is cleaned after:
  // the sweep took its containers, and the infrastructure gets its room back.
  for (const s of state.view.services.filter((x) => x.status !== 'DESTROYED' && x.status !== 'PENDING')) {
    try {
      await act.releaseMembers({ infrastructure: blueprint.location, app, service: s.id });
      if (swept.every((o) => o.status === 'fulfilled')) state.cleanedAfter(s.id);
    } catch (err) {
      state.leftBehind(`${s.id}: its bookings were not released: ${failureText(err)}`);
    }
  }
  // Routed networks' routes and rules go from every host (app-routed-networks), before their subnets (and blocks) go back.
  if (networks.some(isRouted) && patched('app-routed-networks')) {
    await removeRoutedNetworks(app, blueprint.location, networks.filter(isRouted)).catch((err: unknown) => state.leftBehind(`routes of routed networks were not removed: ${failureText(err)}`));
  }
  // The isolation rules (addIptablesRules) go from every host, found by their comments.
  if (networks.some((n) => n.addIptablesRules) && patched('app-iptables-rules')) {
    await sweep.removeIsolation({ infrastructure: blueprint.location, app }).catch((err: unknown) => state.leftBehind(`isolation rules were not removed: ${failureText(err)}`));
  }
  try {
    for (const n of networks.filter((x) => !x.shared)) await act.releaseNetworkSubnet({ infrastructure: blueprint.location, owner: subnetOwner(app, n.id) });
  } catch (err) {
    state.leftBehind(`subnets were not released: ${failureText(err)}`);
  }
  // Shared networks: this application leaves each; the last to leave removes it from the hosts.
  for (const n of networks.filter((x) => x.shared)) {
    if (!patched('app-shared-networks')) break;
    await leaveShared(n).catch((err: unknown) => state.leftBehind(`shared network ${n.id}: ${failureText(err)}`));
  }
  state.destroyed();
  setStatus();
  return state.view;
}
