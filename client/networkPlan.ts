// The network lines `clocker plan` prints: which networks a deploy would make and the driver
// each would run on, the infrastructure's choice where the blueprint names none.
import type { ClockerClient } from './clockerClient';
import { plannedNetworkLines } from '../domain/application/networkView';
import type { Blueprint } from '../domain/blueprint/model';
import { defaultNetworkDriver, type InfrastructureShape } from '../domain/network/defaultDriver';

export async function networkPlan(clocker: ClockerClient, blueprint: Blueprint): Promise<string[]> {
  if (blueprint.networks.length === 0) return [];
  const running = (await clocker.runningBlueprint(blueprint.name)) ? ((await clocker.status(blueprint.name)).networks ?? []) : undefined;
  // An infrastructure that is not there is the preflight's to report; the line then says so.
  const shape: InfrastructureShape = await clocker.infrastructureStatus(blueprint.location).then(
    (v) => ({ found: true, hosts: v.hosts.length, spares: v.spares?.length ?? 0 }),
    () => ({ found: false, hosts: 0, spares: 0 }),
  );
  return plannedNetworkLines(blueprint.networks, running, defaultNetworkDriver(blueprint.location, shape));
}
