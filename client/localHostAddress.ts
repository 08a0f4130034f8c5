// `host.address` of the local infrastructure: where other containers (and, through the rig's
// routes, other hosts) reach this machine. Never loopback: inside a container 127.0.0.1 is the
// container itself. The engine's default bridge gateway (docker0, usually 172.17.0.1) is an
// address of this host that every container can reach, and ports published on 0.0.0.0 answer
// there, for the host's own processes (health probes, tests) too.
import type Docker from 'dockerode';
import { formatAddress, parseCidr } from '../domain/ipam/addressMath';

export async function localHostAddress(docker: Docker): Promise<string> {
  const bridge = (await docker.getNetwork('bridge').inspect()) as Docker.NetworkInspectInfo;
  for (const config of bridge.IPAM?.Config ?? []) {
    if (config.Gateway && !config.Gateway.includes(':')) return config.Gateway;
    // Docker 20.10 often leaves Gateway out of the default bridge's IPAM: docker0 then holds
    // the subnet's first address.
    const subnet = config.Subnet ? parseCidr(config.Subnet) : undefined;
    if (subnet !== undefined && typeof subnet !== 'string' && subnet.family === 4) return formatAddress(subnet.base + 1n, 4);
  }
  throw new Error('the Docker engine\'s "bridge" network has no IPv4 subnet: the local host\'s address for containers cannot be found');
}
