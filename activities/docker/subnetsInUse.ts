// What the IPAM must not hand out: the subnets the infrastructure's engines already hold.
// Docker's own (`bridge` 172.17/16, `docker_gwbridge`), other tools' networks and other Clocker
// installations' on the same engine all refuse a second network on an overlapping pool
// ("Pool overlaps"), so they go into the subnet request as `inUse`.
import type { SubnetInUse } from '../../domain/ipam';
import type { DockerEndpoint } from '../../domain/infra/model';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';

/**
 * Every subnet of every network on these engines, except the network named `own` (the one
 * being allocated for: a retried deployment finds it created already). An engine that does
 * not answer is left out: its networks cannot be known, and creating one there later fails
 * with a message naming the network holding the pool.
 */
export async function subnetsInUse(dockerFor: DockerClientFactory, endpoints: readonly DockerEndpoint[], own: string | readonly string[]): Promise<SubnetInUse[]> {
  const listed = await Promise.allSettled(
    endpoints.map(async (endpoint) => {
      const networks = await dockerFor(endpoint).listNetworks();
      const where = describeEndpoint(endpoint);
      return networks
        .filter((n) => (typeof own === 'string' ? n.Name !== own : !own.includes(n.Name)))
        .flatMap((n) => (n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [{ cidr: c.Subnet, by: `network ${n.Name} on ${where}` }] : [])));
    }),
  );
  const found = listed.flatMap((o) => (o.status === 'fulfilled' ? o.value : []));
  // One entry per subnet is enough for the IPAM (the first holder named).
  return found.filter((u, i) => found.findIndex((v) => v.cidr === u.cidr) === i);
}
