// An application: start one service child per blueprint service, in dependency order; report
// RUNNING or FAILED; take new blueprint versions (services added, removed, rolled, resized);
// on `destroy`, tear the services down, then its networks, and end.
import { condition, proxyActivities, setHandler, startChild, upsertSearchAttributes, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { bindServiceEnv, resolveDnsServers, serviceAttributes } from '../domain/application/attributes';
import { planChanges, planText } from '../domain/application/plan';
import { unsupportedFeatures } from '../domain/application/preflight';
import { startLayers } from '../domain/application/startLayers';
import type { Blueprint, NetworkSpec, ServiceSpec } from '../domain/blueprint/model';
import type { PublishedAttributes } from '../domain/blueprint/references/resolveValue';
import { workflowIds } from '../domain/naming';
import { quick } from './activityOptions';
import { ApplicationState } from './applicationState';
import { failureText } from './failureText';
import {
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
import { searchAttributes } from './searchAttributes';
import { service } from './service';
import type { ServiceVersion } from './serviceMembers';

export interface ApplicationInput {
  blueprint: Blueprint;
}

const act = proxyActivities<Activities>(quick);
const subnetOwner = (app: string, network: string) => `${app}/${network}`;

export async function application({ blueprint }: ApplicationInput) {
  const state = new ApplicationState(blueprint);
  const app = blueprint.name;
  let destroyRequested = false;
  const versions: Blueprint[] = [];
  setHandler(appStatusQuery, () => state.view);
  setHandler(blueprintQuery, () => state.blueprint);
  setHandler(serviceReportSignal, (view) => state.report(view));
  setHandler(destroySignal, () => void (destroyRequested = true));
  const effectors: Effector[] = [];
  setHandler(stopSignal, () => void effectors.push('stop'));
  setHandler(startSignal, () => void effectors.push('start'));
  setHandler(restartSignal, () => void effectors.push('restart'));
  setHandler(
    deployUpdate,
    (next) => {
      versions.push(next);
      return { plan: planText(planChanges(versions.at(-2) ?? state.blueprint, next)), version: state.view.version + versions.length };
    },
    {
      validator: (next) => {
        if (destroyRequested) throw new Error(`"${app}" is being destroyed`);
        if (state.blocked) throw new Error(`"${app}" could not start (${state.view.error ?? ''}); destroy it and deploy again`);
        validateNextBlueprint(versions.at(-1) ?? state.blueprint, next);
      },
    },
  );
  const setStatus = () => upsertSearchAttributes([{ key: searchAttributes.status, value: state.view.status }]);
  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'application' },
    { key: searchAttributes.app, value: app },
    { key: searchAttributes.infrastructure, value: blueprint.location },
  ]);
  setStatus();

  const unsupported = unsupportedFeatures(blueprint);
  if (unsupported.length > 0) state.cannotStart(`not supported yet: ${unsupported.join('; ')}`);

  // Every network's subnet comes from the infrastructure's IPAM, so applications never overlap.
  const networks: NetworkSpec[] = [];
  try {
    for (const n of unsupported.length > 0 ? [] : blueprint.networks) {
      const subnet = await act.allocateNetworkSubnet({ infrastructure: blueprint.location, owner: subnetOwner(app, n.id), cidr: n.cidr });
      networks.push({ ...n, cidr: subnet.cidr, gateway: n.gateway ?? subnet.gateway });
    }
  } catch (err) {
    state.cannotStart(`networks: ${failureText(err)}`);
  }

  const children = new Map<string, ChildWorkflowHandle<typeof service>>();
  /** Each running child's end: its last report, or the failure it ended with. */
  const ended = new Map<string, Promise<void>>();
  const results: Promise<void>[] = [];
  /** Signals a child; one that has ended cannot hear it, and that is the same as it failing. */
  const tell = async (id: string, send: (c: ChildWorkflowHandle<typeof service>) => Promise<void>): Promise<boolean> => {
    const child = children.get(id);
    if (!child) return false;
    try {
      await send(child);
      return true;
    } catch (err) {
      state.serviceCrashed(id, `cannot reach its workflow: ${failureText(err)}`);
      return false;
    }
  };

  /** A service's next version, with references bound to what has been published so far. */
  const versionOf = (spec: ServiceSpec): ServiceVersion | string => {
    const attributes: PublishedAttributes = Object.fromEntries(state.view.services.map((s) => [s.id, serviceAttributes(s)]));
    const bound = bindServiceEnv(spec, attributes);
    if (!bound.ok) return `unresolved references (is the attribute name right?): ${bound.missing.join(', ')}`;
    const joins = networks.filter((n) => spec.networks.some((a) => a.network === n.id));
    const dns = resolveDnsServers(joins, attributes);
    if (!dns.ok) return `unresolved references: ${dns.missing.join(', ')}`;
    return { spec, env: bound.env, networks: joins, dns: dns.dns };
  };

  /** Starts the given services layer by layer; dependents of a failure never start. */
  const startServices = async (specs: ServiceSpec[]) => {
    const starting = (id: string) => specs.some((s) => s.id === id);
    for (const layer of startLayers(specs.map((s) => ({ id: s.id, dependsOn: s.dependsOn.filter(starting) })))) {
      if (destroyRequested || state.failedServices().some((s) => starting(s.id)) || state.view.error) break;
      for (const spec of specs.filter((s) => layer.includes(s.id))) {
        const version = versionOf(spec);
        if (typeof version === 'string') {
          state.serviceCrashed(spec.id, version);
          continue;
        }
        const child = await startChild(service, {
          workflowId: workflowIds.service(app, spec.id),
          args: [{ app, infrastructure: blueprint.location, ...version }],
        });
        children.set(spec.id, child);
        // A child that ends (destroyed, or crashed) reports its last word here, once.
        const end = child.result().then(
          (view) => state.report(view),
          (err: unknown) => state.serviceCrashed(spec.id, failureText(err)),
        ).then(() => {
          if (children.get(spec.id) === child) children.delete(spec.id);
        });
        ended.set(spec.id, end);
        results.push(end);
      }
      await condition(() => destroyRequested || layer.every((id) => state.settled(id)));
    }
  };

  /** Walks the plan from the running blueprint to `next`. */
  const applyVersion = async (next: Blueprint) => {
    const plan = planChanges(state.blueprint, next);
    const rolledBack: string[] = [];
    state.beginVersion(next);
    setStatus();
    for (const change of plan.changes.filter((c) => c.kind === 'remove')) {
      // Wait for the child's end, not a status: only then can the same id start again.
      if (await tell(change.service, (c) => c.signal(destroySignal))) await ended.get(change.service);
      state.dropService(change.service);
    }
    const updated = [...new Set(plan.changes.filter((c) => c.kind === 'change' || c.kind === 'resize').map((c) => c.service))];
    // In dependency order, so a dependent binds to what its dependency publishes after its own update.
    for (const id of startLayers(next.services).flat().filter((x) => updated.includes(x))) {
      const spec = next.services.find((s) => s.id === id)!;
      const version = versionOf(spec);
      if (typeof version === 'string') {
        state.serviceCrashed(id, version);
        continue;
      }
      const before = state.service(id).rollout?.seq ?? 0;
      if (!(await tell(id, (c) => c.signal(upgradeSignal, version)))) continue;
      await condition(() => destroyRequested || !children.has(id) || (state.service(id).rollout?.seq ?? 0) > before);
      if (state.service(id).rollout?.outcome === 'ROLLED_BACK') rolledBack.push(id);
    }
    state.view.rolledBack = { version: state.view.version, services: rolledBack };
    await startServices(next.services.filter((s) => plan.changes.some((c) => c.kind === 'add' && c.service === s.id)));
  };

  await startServices(blueprint.services);
  if (!destroyRequested) {
    state.finishDeploy();
    setStatus();
  }
  /** Forwards an effector to every running service: stop dependents first, start dependencies first. */
  const runEffector = async (effector: Effector) => {
    const layers = startLayers(state.blueprint.services);
    const order = effector === 'stop' ? [...layers].reverse() : layers;
    const signal = effector === 'stop' ? stopSignal : effector === 'start' ? startSignal : restartSignal;
    for (const layer of order) {
      const before = new Map(layer.map((id) => [id, state.service(id).effectorsDone ?? 0]));
      const told: string[] = [];
      for (const id of layer) if (await tell(id, (c) => c.signal(signal))) told.push(id);
      // Each service counts what it carried out, so a stale report is never taken for the answer.
      await condition(() => destroyRequested || told.every((id) => !children.has(id) || (state.service(id).effectorsDone ?? 0) > (before.get(id) ?? 0)));
    }
  };

  for (;;) {
    await condition(() => destroyRequested || versions.length > 0 || effectors.length > 0);
    if (destroyRequested) break;
    const effector = effectors.shift();
    if (effector) {
      await runEffector(effector);
      if (effector === 'stop' && state.view.services.every((s) => s.status === 'STOPPED' || s.status === 'PENDING')) state.view.status = 'STOPPED';
      else state.finishDeploy();
      setStatus();
      continue;
    }
    await applyVersion(versions.shift()!);
    state.finishDeploy();
    setStatus();
  }

  state.destroying();
  setStatus();
  await Promise.all([...children.values()].map((c) => c.signal(destroySignal).catch(() => undefined))); // a crashed child cannot hear it
  await Promise.all(results);
  // Networks and named volumes go last, once no member uses them.
  const endpoints = [...new Map(state.view.services.flatMap((s) => Object.entries(s.hostEndpoints))).values()];
  try {
    if (endpoints.length > 0) await act.removeAppResources({ app, endpoints });
    for (const n of networks) await act.releaseNetworkSubnet({ infrastructure: blueprint.location, owner: subnetOwner(app, n.id) });
  } catch (err) {
    state.leftBehind(`networks or volumes were not removed: ${failureText(err)}`);
  }
  state.destroyed();
  setStatus();
  return state.view;
}
