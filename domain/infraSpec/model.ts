// What an infra file means once validated: plain JSON the infrastructure workflow receives.
import type { HostPolicy } from '../infra/hostPolicy';
import type { ByonHost, ProvisioningSpec } from '../infra/machines';

export type InfraDefinition =
  | { name: string; location: 'local'; policy: HostPolicy }
  | {
      name: string;
      location: 'byon';
      policy: HostPolicy;
      /** Provisioned at once. */
      hosts: ByonHost[];
      /** Kept for `resize`: provisioned only when the infrastructure grows. */
      spares: ByonHost[];
      provisioning: ProvisioningSpec;
    };
