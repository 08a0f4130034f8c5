// `clocker infra resize NAME N`, `infra add-host NAME ID ADDRESS`, `infra remove-host NAME ID`:
// signals to the infrastructure (the same JSON plain `temporal workflow signal` takes).
import type { ByonHost } from '../../domain/infra/machines';
import type { ClockerClient } from '../clockerClient';
import { infraWatchHint } from '../progress/reattach';

/** These return once the infrastructure has the signal; its hosts move in its workflow. */
const follow = (name: string) => `; follow it with \`${infraWatchHint(name)}\``;

export async function infraResize(clocker: ClockerClient, name: string, hosts: number): Promise<string> {
  await clocker.resizeInfrastructure(name, hosts);
  return `infrastructure "${name}": resizing to ${hosts} hosts${follow(name)}`;
}

export async function infraAddHost(clocker: ClockerClient, name: string, host: Partial<ByonHost> & Pick<ByonHost, 'id' | 'address'>, spare: boolean): Promise<string> {
  await clocker.addHost(name, { host, spare });
  return `infrastructure "${name}": host ${host.id} ${spare ? 'kept as a spare' : `provisioning${follow(name)}`}`;
}

export async function infraRemoveHost(clocker: ClockerClient, name: string, hostId: string): Promise<string> {
  await clocker.removeHost(name, hostId);
  return `infrastructure "${name}": draining host ${hostId}, then forgetting it${follow(name)}`;
}
