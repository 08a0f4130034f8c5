// A service: place its members through the infrastructure, start each container on its host,
// wait for health, report to the application, then stay until destroyed.
import {
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NetworkSpec, ServiceSpec, Template } from '../domain/blueprint/model';
import type { Assignment } from '../domain/infra/model';
import { containerName, memberIds, networkName } from '../domain/naming';
import { heartbeating, quick } from './activityOptions';
import { failureText } from './failureText';
import { destroySignal, serviceReportSignal, serviceStatusQuery } from './messages';
import { searchAttributes } from './searchAttributes';
import { ServiceState } from './serviceState';

export interface ServiceInput {
  app: string;
  infrastructure: string;
  spec: ServiceSpec;
  /** The templated environment with its dependencies' attributes bound (secrets still references). */
  env?: Record<string, Template>;
  /** The application networks this service joins. */
  networks?: NetworkSpec[];
  /** DNS servers for the members (from the networks' `dnsServers`, resolved). */
  dns?: string[];
}

const act = proxyActivities<Activities>(quick);
const slow = proxyActivities<Activities>(heartbeating);
const HEALTH_TIMEOUT_MS = 120_000;

export async function service({ app, infrastructure, spec, env = {}, networks = [], dns = [] }: ServiceInput) {
  const state = new ServiceState(app, spec.id, spec.count);
  let destroyRequested = false;
  setHandler(serviceStatusQuery, () => state.view);
  setHandler(destroySignal, () => void (destroyRequested = true));
  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'service' },
    { key: searchAttributes.app, value: app },
    { key: searchAttributes.service, value: spec.id },
    { key: searchAttributes.infrastructure, value: infrastructure },
  ]);

  const publish = async () => {
    upsertSearchAttributes([{ key: searchAttributes.status, value: state.view.status }]);
    const parent = workflowInfo().parent;
    if (parent) await getExternalWorkflowHandle(parent.workflowId).signal(serviceReportSignal, state.view);
  };

  // Each network exists on a host before the first member there joins it (once per host).
  const networksReady = new Map<string, Promise<void>>();
  const ensureNetworksOn = (a: Assignment) => {
    let ready = networksReady.get(a.host.id);
    if (!ready) {
      ready = (async () => {
        for (const network of networks) await act.ensureNetwork({ endpoint: a.host.docker, app, network });
      })();
      networksReady.set(a.host.id, ready);
    }
    return ready;
  };
  const attachments = spec.networks.map((n) => ({
    id: n.network,
    name: networkName(app, n.network),
    aliases: [spec.id, ...n.aliases],
    ...(n.ipv4Address ? { ipv4Address: n.ipv4Address } : {}),
  }));

  const startMember = async (a: Assignment) => {
    const ref = { app, service: spec.id, member: a.member };
    try {
      await ensureNetworksOn(a);
      const info = await act.ensureContainer({ endpoint: a.host.docker, ref, spec, env, networks: attachments, dns });
      state.created(a.member, info);
      await slow.waitHealthy({
        endpoint: a.host.docker,
        containerName: containerName(ref),
        hostAddress: a.host.address,
        ports: info.ports,
        health: spec.health,
        timeoutMs: HEALTH_TIMEOUT_MS,
      });
      state.memberRunning(a.member);
    } catch (err) {
      state.memberFailed(a.member, failureText(err));
      throw err;
    }
  };

  // Removes every container this service made, then gives its room back to the infrastructure.
  // What could not be removed stays on the books (and in the status) with the reason.
  const cleanup = async (): Promise<string[]> => {
    const problems: string[] = [];
    for (const m of state.liveMembers()) {
      const endpoint = state.view.hostEndpoints[m.hostId];
      try {
        if (endpoint) await act.removeContainer({ endpoint, ref: { app, service: spec.id, member: m.member } });
        state.removed(m.member);
      } catch (err) {
        problems.push(`${m.containerName} on ${m.hostId} was not removed: ${failureText(err)}`);
      }
    }
    const removed = state.view.members.filter((m) => m.state === 'REMOVED').map((m) => m.member);
    if (removed.length > 0 || state.view.members.length === 0) {
      await act.releaseMembers({ infrastructure, app, service: spec.id, members: removed.length > 0 ? removed : undefined });
    }
    return problems;
  };

  state.placing();
  await publish();
  try {
    const assignments = await act.placeMembers({
      infrastructure,
      app,
      service: spec.id,
      members: memberIds(1, spec.count),
      resources: spec.resources,
      placement: spec.placement,
    });
    state.placed(assignments);
    await publish();
    const outcomes = await Promise.allSettled(assignments.map(startMember));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    state.running();
  } catch (err) {
    const problems = await cleanup();
    state.failed([failureText(err), ...problems].join('; '));
  }
  await publish();

  await condition(() => destroyRequested);
  state.destroying();
  await publish();
  const problems = await cleanup();
  if (problems.length > 0) state.failed(`destroy incomplete: ${problems.join('; ')}`);
  else state.destroyed();
  await publish();
  return state.view;
}
