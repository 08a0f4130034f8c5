// What this worker has learned about the way its connections reach a remote host's published
// ports. Docker publishes a port in one of two ways. Its iptables rules hand a connection from
// another address straight to the container, so while nothing listens there the connection is
// refused. Or a process accepts on the container's behalf (the userland proxy when the engine
// runs without iptables or the address is the host's loopback, rootlesskit's port driver) and
// hangs up once it finds nothing behind. Only the second makes a silent open connection
// ambiguous and needs a look inside the container before it counts (health.ts), an exec that
// costs the engine a process per member. A refusal of a published port whose container ran the
// whole time proves the first for that address: nothing there accepts on a container's behalf.
//
// The fact is this worker's own (another worker may come by another path) and is kept for an
// hour: an engine may be reconfigured. A connection accepted and closed at once there, which a
// proxy does and an application may, makes it ambiguous again, and it is learned anew.

/** Facts older than this are learned again. */
const KEEP_MS = 60 * 60_000;

export interface PortPaths {
  /** Whether a connection accepted at `address` is known to come from the container itself. */
  direct(address: string): boolean;
  /** A published port at `address` refused a connection while its container ran throughout. */
  refused(address: string): void;
  /** A connection at `address` was accepted and closed at once: the address is no longer known. */
  hungUp(address: string): void;
}

export function createPortPaths(now: () => number = Date.now, keepMs = KEEP_MS): PortPaths {
  const learnedAt = new Map<string, number>();
  return {
    direct(address) {
      const at = learnedAt.get(address);
      if (at === undefined) return false;
      if (now() - at < keepMs) return true;
      learnedAt.delete(address);
      return false;
    },
    refused(address) {
      learnedAt.set(address, now());
    },
    hungUp(address) {
      learnedAt.delete(address);
    },
  };
}
