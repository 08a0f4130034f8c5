// A Docker host's life, as the infrastructure's child `clocker/infra/<name>/host/<host>`:
//   connect (pin the host key) → OS → Docker installed → certificates → daemon.json →
//   daemon (re)started → verified over TLS → AVAILABLE, then probe on a timer until
//   decommissioned. Every step is an idempotent activity, so a replay or a second run ends
//   the same; each outcome is reported to the infrastructure by signal.
import { condition, continueAsNew, getExternalWorkflowHandle, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ByonHost, ProvisioningSpec } from '../domain/infra/machines';
import type { DockerEndpoint, HostUsage } from '../domain/infra/model';
import { workflowIds } from '../domain/naming';
import { failureText } from './failureText';
import { keepCurrentDetails } from './consoleDetails';
import { hostDetails } from '../domain/console/currentDetails';
import { checking, LIVENESS_TIMEOUT_MS, measuring, probing, provisioning, USAGE_EVERY, verifying } from './hostActivities';
import { HELP, decommissionSignal, hostFailedSignal, hostKeyPinnedSignal, hostReadySignal, hostStatusQuery, hostUsageSignal, type HostWorkflowView } from './messages';

export interface HostInput {
  infrastructure: string;
  host: ByonHost;
  provisioning: ProvisioningSpec;
  /** The workers' client certificate folder (a path, no key material). */
  certRef: string;
  pinnedHostKey?: string;
  /** Carried across continueAsNew once provisioned: the host is monitored, not provisioned again. */
  monitoring?: { docker: DockerEndpoint; failed: boolean; failures: number; dockerVersion?: string; lastUsage?: HostUsage };
}

export const hostWorkflowId = (infrastructure: string, hostId: string) => `${workflowIds.infrastructure(infrastructure)}/host/${hostId}`;

export async function host(input: HostInput): Promise<void> {
  const { host: machine, infrastructure } = input;
  const view: HostWorkflowView = { infrastructure, hostId: machine.id, phase: 'PROVISIONING', consecutiveFailures: 0 };
  let decommission = false;
  setHandler(hostStatusQuery, () => view, { description: HELP.hostStatusQuery });
  keepCurrentDetails(() => hostDetails(view));
  setHandler(decommissionSignal, () => void (decommission = true), { description: HELP.decommissionSignal });
  const parent = getExternalWorkflowHandle(workflowIds.infrastructure(infrastructure));
  let pinned = input.pinnedHostKey;
  const target = () => ({ infrastructure, host: machine, ...(pinned ? { pinnedHostKey: pinned } : {}) });

  let monitor = input.monitoring;
  if (!monitor) {
    const started = Date.now();
    const stepped = <T>(name: string, run: () => Promise<T>) => {
      view.step = name;
      return run();
    };
    try {
      const { hostKeyFingerprint } = await stepped('connect', () => provisioning.connectHost(target()));
      if (!pinned) {
        pinned = hostKeyFingerprint;
        await parent.signal(hostKeyPinnedSignal, { hostId: machine.id, hostKeyFingerprint });
      }
      const os = await stepped('os', () => provisioning.detectOs(target()));
      await stepped('docker', () => provisioning.ensureDocker({ ...target(), os }));
      await stepped('certificates', () => provisioning.installCertificates(target()));
      const daemon = { ...target(), docker: input.provisioning.docker };
      await stepped('daemon-config', () => provisioning.configureDaemon(daemon));
      await stepped('daemon-start', () => provisioning.startDaemon(daemon));
      const facts = await stepped('verify', () => verifying.verifyDocker({ address: machine.address, certRef: input.certRef }));
      view.step = undefined;
      view.phase = 'AVAILABLE';
      view.dockerVersion = facts.dockerVersion;
      view.provisionedInMs = Date.now() - started;
      monitor = { docker: facts.docker, failed: false, failures: 0, dockerVersion: facts.dockerVersion };
      await parent.signal(hostReadySignal, { hostId: machine.id, ...facts });
    } catch (err) {
      view.phase = 'FAILED';
      view.problem = `provisioning step ${view.step ?? '?'} failed: ${failureText(err)}`;
      await parent.signal(hostFailedSignal, { hostId: machine.id, reason: view.problem });
      await condition(() => decommission);
      view.phase = 'DECOMMISSIONED';
      return;
    }
  }

  // Monitoring: one probe per interval; `failureThreshold` misses in a row make the host FAILED,
  // one success makes it AVAILABLE again.
  const { intervalSeconds, failureThreshold } = input.provisioning.monitoring;
  const probe = probing(Math.max(2, Math.min(intervalSeconds, 15)));
  view.phase = monitor.failed ? 'FAILED' : 'AVAILABLE';
  view.dockerVersion = monitor.dockerVersion;
  // Since host-probe-liveness a miss is the engine's own silence or refusal, checked in one
  // request whatever the host runs; usage is measured beside it and never fails the host.
  const liveness = patched('host-probe-liveness');
  let checks = 0;
  const fail = async (reason: string) => {
    monitor!.failures++;
    view.problem = reason;
    if (monitor!.failures >= failureThreshold && !monitor!.failed) {
      monitor!.failed = true;
      await parent.signal(hostFailedSignal, { hostId: machine.id, reason: `${monitor!.failures} probes failed in a row; last: ${view.problem}` });
    }
  };
  const check = async (current: NonNullable<typeof monitor>) => {
    let alive;
    try {
      alive = await checking.checkHostAlive({ docker: current.docker, timeoutMs: LIVENESS_TIMEOUT_MS });
    } catch (err) {
      // The check did not run (a worker busy or gone): no evidence either way.
      view.problem = `the liveness check did not run: ${failureText(err)}`;
      return;
    }
    if (alive.alive === 'unknown') {
      // The worker, not the engine, was slow: neither a miss nor a success.
      view.problem = `no evidence either way: ${alive.reason}`;
      return;
    }
    if (!alive.alive) return fail(alive.reason);
    current.failures = 0;
    view.problem = undefined;
    if (current.failed) {
      current.failed = false;
      const facts = await verifying.verifyDocker({ address: machine.address, certRef: input.certRef });
      await parent.signal(hostReadySignal, { hostId: machine.id, ...facts });
    }
    if (checks++ % USAGE_EVERY !== 0) return;
    const measured = await measuring.measureHostUsage({ docker: current.docker, perContainerTimeoutMs: 5_000 }).catch(() => undefined);
    if (measured && JSON.stringify(measured.usage) !== JSON.stringify(current.lastUsage)) {
      current.lastUsage = measured.usage;
      await parent.signal(hostUsageSignal, { hostId: machine.id, ...measured });
    }
  };
  while (!(await condition(() => decommission, intervalSeconds * 1000))) {
    if (liveness) await check(monitor);
    else try {
      const result = await probe.probeHost({ docker: monitor.docker });
      monitor.failures = 0;
      if (monitor.failed) {
        monitor.failed = false;
        const facts = await verifying.verifyDocker({ address: machine.address, certRef: input.certRef });
        await parent.signal(hostReadySignal, { hostId: machine.id, ...facts });
      }
      if (JSON.stringify(result.usage) !== JSON.stringify(monitor.lastUsage)) {
        monitor.lastUsage = result.usage;
        await parent.signal(hostUsageSignal, { hostId: machine.id, ...result });
      }
      view.problem = undefined;
    } catch (err) {
      await fail(failureText(err));
    }
    view.consecutiveFailures = monitor.failures;
    view.phase = monitor.failed ? 'FAILED' : 'AVAILABLE';
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof host>({ ...input, ...(pinned ? { pinnedHostKey: pinned } : {}), monitoring: monitor });
    }
  }
  try {
    await provisioning.stopDaemon(target());
  } catch (err) {
    view.problem = `stopping dockerd: ${failureText(err)}`;
  }
  view.phase = 'DECOMMISSIONED';
}
