// The application the network e2e tests deploy across rig hosts: members that answer every
// connection on one port with "<service> <container hostname>", each placed on the host its
// slot names (host labels `slot: <host>`), all on one network of the driver under test.
import { BUSYBOX_IMAGE } from '../../client/images/busyboxImage';
import type { Blueprint, NetworkSpec } from '../../domain/blueprint/model';
import { blueprint, serviceSpec } from './specs';

export const MESH_PORT = 7000;

/** A member's command: answers every connection on `port` with "<service> <container hostname>". */
export function answering(service: string, port = MESH_PORT): string[] {
  return ['sh', '-c', `printf '#!/bin/sh\\necho "${service} $(hostname)"\\n' > /answer && chmod +x /answer && exec nc -ll -p ${port} -e /answer`];
}

export interface MeshOptions {
  app: string;
  infrastructure: string;
  services: readonly string[];
  /** Service id → the host it is placed on. */
  slots: Readonly<Record<string, string>>;
  network: Pick<NetworkSpec, 'id' | 'driver'> & Partial<Pick<NetworkSpec, 'addIptablesRules'>>;
}

export function meshBlueprint({ app, infrastructure, services, slots, network }: MeshOptions): Blueprint {
  const bp = blueprint(
    app,
    services.map((id) =>
      serviceSpec({
        id,
        image: BUSYBOX_IMAGE,
        command: answering(id),
        networks: [{ network: network.id, aliases: [] }],
        placement: { strategies: [], constraints: { labels: { slot: slots[id]! }, regions: [], zones: [] } },
      }),
    ),
    infrastructure,
  );
  bp.networks = [{ id: network.id, driver: network.driver, dnsServers: [], shared: false, addIptablesRules: network.addIptablesRules ?? false, labels: {} }];
  return bp;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
