// The seam for cloud providers: something that makes machines (VMs) and hands them back as
// byon hosts, which provisioning then treats like any other. None is built yet; the infra
// loader refuses `location: { cloud: … }` naming KNOWN_CLOUD_PROVIDERS (empty).
import type { ByonHost } from '../../domain/infra/machines';

export interface MachineRequest {
  infrastructure: string;
  /** Ids for the new machines (the provider must make exactly these, idempotently by id). */
  ids: string[];
  labels: Record<string, string>;
  region?: string;
  zone?: string;
}

export interface MachineProvider {
  readonly name: string;
  /** Creates missing machines and returns all of them, reachable over SSH. */
  ensureMachines(request: MachineRequest): Promise<ByonHost[]>;
  /** Deletes a machine if it exists. */
  destroyMachine(infrastructure: string, id: string): Promise<void>;
}
