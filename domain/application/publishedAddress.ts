// Where a published port is reached from other machines. A port bound on every address
// (no host address, 0.0.0.0, ::) is at the host's address; one bound to a single address is
// at that address; one bound to loopback (Compose's "127.0.0.1:9229:9229") is reachable from
// its own host only, so it is offered to no one else (no balancer list, no probe from the worker).

const everyAddress = ['0.0.0.0', '::'];

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip === 'localhost';
}

/** The address to reach a published port at, or undefined when it is bound to loopback. */
export function publishedAddress(hostAddress: string, hostIp: string | undefined): string | undefined {
  if (hostIp === undefined || everyAddress.includes(hostIp)) return hostAddress;
  return isLoopback(hostIp) ? undefined : hostIp;
}

/** For people: where the port is bound; a loopback one shows its loopback address (on the member's host). */
export function boundAddress(hostAddress: string, hostIp: string | undefined): string {
  return publishedAddress(hostAddress, hostIp) ?? hostIp ?? hostAddress;
}
