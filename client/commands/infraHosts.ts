// `clocker infra resize NAME N`, `infra add-host NAME ID ADDRESS`, `infra remove-host NAME ID`:
// signals to the infrastructure (the same JSON plain `temporal workflow signal` takes), then
// the hosts followed as `infra create` follows them (each host with the step its own workflow
// is on) until the change has settled. `--detach` returns once the signal is in; Ctrl-C stops
// following. Neither cancels anything: the hosts move in the infrastructure's workflow.
import type { ByonHost } from '../../domain/infra/machines';
import type { InfraView } from '../../domain/infra/statusView';
import type { ClockerClient } from '../clockerClient';
import { hostAddedSettled, hostChangeProblem, hostRemovedSettled, newlyFailed, resizeReach, resizeSettled } from '../progress/infraChanges';
import { detachedText, infraWatchHint } from '../progress/reattach';
import { renderInfra } from '../render/infraTable';
import { followInfra } from './infraCreate';

export interface HostChangeOptions {
  /** false: return once the infrastructure has the signal (`--detach`, `--no-wait`). */
  wait: boolean;
  timeoutSec: number;
}

const detached = (name: string) => `; ${detachedText('it', infraWatchHint(name))}`;

export async function infraResize(clocker: ClockerClient, name: string, hosts: number, opts: HostChangeOptions): Promise<string> {
  const before = await clocker.infrastructureStatus(name);
  const reach = resizeReach(before, hosts);
  await clocker.resizeInfrastructure(name, hosts);
  const short = reach < hosts ? ` (it can reach ${reach}: ${before.spares?.length ?? 0} spare${before.spares?.length === 1 ? '' : 's'} left to provision)` : '';
  const said = `infrastructure "${name}": resizing to ${hosts} hosts${short}`;
  if (!opts.wait) return `${said}${detached(name)}`;
  console.log(said);
  const after = await followInfra(clocker, name, (v) => resizeSettled(v, reach), opts.timeoutSec);
  return settled(name, before, after);
}

export async function infraAddHost(
  clocker: ClockerClient,
  name: string,
  host: Partial<ByonHost> & Pick<ByonHost, 'id' | 'address'>,
  spare: boolean,
  opts: HostChangeOptions,
): Promise<string> {
  const before = await clocker.infrastructureStatus(name);
  refuse(hostChangeProblem(before, { add: host.id }));
  await clocker.addHost(name, { host, spare });
  if (spare) return `infrastructure "${name}": host ${host.id} kept as a spare`;
  const said = `infrastructure "${name}": host ${host.id} provisioning`;
  if (!opts.wait) return `${said}${detached(name)}`;
  console.log(said);
  const after = await followInfra(clocker, name, (v) => hostAddedSettled(v, host.id), opts.timeoutSec);
  return settled(name, before, after);
}

export async function infraRemoveHost(clocker: ClockerClient, name: string, hostId: string, opts: HostChangeOptions): Promise<string> {
  refuse(hostChangeProblem(await clocker.infrastructureStatus(name), { remove: hostId }));
  await clocker.removeHost(name, hostId);
  const said = `infrastructure "${name}": draining host ${hostId}, then forgetting it`;
  if (!opts.wait) return `${said}${detached(name)}`;
  console.log(said);
  const after = await followInfra(clocker, name, (v) => hostRemovedSettled(v, hostId), opts.timeoutSec);
  return `${renderInfra(after)}\nhost ${hostId} drained and forgotten`;
}

/** Sent nothing: the workflow would only have logged it. */
function refuse(problem: string | undefined): void {
  if (problem) throw new Error(problem);
}

/** The hosts as the change left them; hosts it could not provision fail the command, named. */
function settled(name: string, before: InfraView, after: InfraView): string {
  const failed = newlyFailed(before, after);
  if (failed.length === 0) return renderInfra(after);
  console.log(renderInfra(after));
  throw new Error(`infrastructure "${name}": ${failed.length === 1 ? 'a host' : 'hosts'} failed: ${failed.join('; ')}`);
}
