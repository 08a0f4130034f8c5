// An application: start one service child per blueprint service, in dependency order; report
// RUNNING or FAILED; on `destroy`, tear the services down and end.
import { condition, proxyActivities, setHandler, startChild, upsertSearchAttributes, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { bindServiceEnv, resolveDnsServers, serviceAttributes } from '../domain/application/attributes';
import { unsupportedFeatures } from '../domain/application/preflight';
import { startLayers } from '../domain/application/startLayers';
import type { NetworkSpec } from '../domain/blueprint/model';
import type { PublishedAttributes } from '../domain/blueprint/references/resolveValue';
import type { Blueprint } from '../domain/blueprint/model';
import { workflowIds } from '../domain/naming';
import { quick } from './activityOptions';
import { ApplicationState } from './applicationState';
import { failureText } from './failureText';
import { appStatusQuery, destroySignal, serviceReportSignal } from './messages';
import { searchAttributes } from './searchAttributes';
import { service } from './service';

export interface ApplicationInput {
  blueprint: Blueprint;
}

const act = proxyActivities<Activities>(quick);
const subnetOwner = (app: string, network: string) => `${app}/${network}`;

export async function application({ blueprint }: ApplicationInput) {
  const state = new ApplicationState(blueprint);
  let destroyRequested = false;
  setHandler(appStatusQuery, () => state.view);
  setHandler(serviceReportSignal, (view) => state.report(view));
  setHandler(destroySignal, () => void (destroyRequested = true));
  const setStatus = () => upsertSearchAttributes([{ key: searchAttributes.status, value: state.view.status }]);
  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'application' },
    { key: searchAttributes.app, value: blueprint.name },
    { key: searchAttributes.infrastructure, value: blueprint.location },
  ]);
  setStatus();

  const unsupported = unsupportedFeatures(blueprint);
  if (unsupported.length > 0) state.cannotStart(`not supported yet: ${unsupported.join('; ')}`);

  // Every network's subnet comes from the infrastructure's IPAM, so applications never overlap.
  const networks: NetworkSpec[] = [];
  try {
    for (const n of unsupported.length > 0 ? [] : blueprint.networks) {
      const subnet = await act.allocateNetworkSubnet({ infrastructure: blueprint.location, owner: subnetOwner(blueprint.name, n.id), cidr: n.cidr });
      networks.push({ ...n, cidr: subnet.cidr, gateway: n.gateway ?? subnet.gateway });
    }
  } catch (err) {
    state.cannotStart(`networks: ${failureText(err)}`);
  }

  const children: ChildWorkflowHandle<typeof service>[] = [];
  const results: Promise<void>[] = [];
  for (const layer of startLayers(blueprint.services)) {
    if (destroyRequested || state.failedServices().length > 0 || state.view.error) break; // dependents of a failure never start
    for (const spec of blueprint.services.filter((s) => layer.includes(s.id))) {
      // References resolve to what the services started before this layer published.
      const attributes: PublishedAttributes = Object.fromEntries(state.view.services.map((s) => [s.id, serviceAttributes(s)]));
      const bound = bindServiceEnv(spec, attributes);
      if (!bound.ok) {
        state.serviceCrashed(spec.id, `unresolved references (is the attribute name right?): ${bound.missing.join(', ')}`);
        continue;
      }
      const joins = networks.filter((n) => spec.networks.some((a) => a.network === n.id));
      const dns = resolveDnsServers(joins, attributes);
      if (!dns.ok) {
        state.serviceCrashed(spec.id, `unresolved references: ${dns.missing.join(', ')}`);
        continue;
      }
      const child = await startChild(service, {
        workflowId: workflowIds.service(blueprint.name, spec.id),
        args: [{ app: blueprint.name, infrastructure: blueprint.location, spec, env: bound.env, networks: joins, dns: dns.dns }],
      });
      // A child that ends (destroyed, or crashed) reports its last word here.
      results.push(
        child.result().then(
          (view) => state.report(view),
          (err: unknown) => state.serviceCrashed(spec.id, failureText(err)),
        ),
      );
      children.push(child);
    }
    await condition(() => destroyRequested || layer.every((id) => state.settled(id)));
  }
  if (!destroyRequested) {
    state.finishDeploy();
    setStatus();
  }

  await condition(() => destroyRequested);
  state.destroying();
  setStatus();
  await Promise.all(children.map((c) => c.signal(destroySignal).catch(() => undefined))); // a crashed child cannot hear it
  await Promise.all(results);
  // Networks and named volumes go last, once no member uses them.
  const endpoints = [...new Map(state.view.services.flatMap((s) => Object.entries(s.hostEndpoints))).values()];
  try {
    if (endpoints.length > 0) await act.removeAppResources({ app: blueprint.name, endpoints });
  } catch (err) {
    state.leftBehind(`networks or volumes were not removed: ${failureText(err)}`);
  }
  for (const n of networks) await act.releaseNetworkSubnet({ infrastructure: blueprint.location, owner: subnetOwner(blueprint.name, n.id) });
  state.destroyed();
  setStatus();
  return state.view;
}
