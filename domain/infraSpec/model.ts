// What an infra file means once validated: plain JSON the infrastructure workflow receives.
import type { ByonHost, ProvisioningSpec } from '../infra/machines';

export type InfraDefinition =
  | { name: string; location: 'local' }
  | {
      name: string;
      location: 'byon';
      /** Provisioned at once. */
      hosts: ByonHost[];
      /** Kept for `resize`: provisioned only when the infrastructure grows. */
      spares: ByonHost[];
      provisioning: ProvisioningSpec;
    };
