// Whether to touch the daemon: observe (running? started with which config?) → decide.
// The config fingerprint covers daemon.json and the server certificate, so either changing
// restarts dockerd; an unchanged running daemon is left alone (provisioning twice = once).
export type DaemonAction = 'none' | 'start' | 'restart';

export interface DaemonObservation {
  running: boolean;
  /** The fingerprint recorded when the running daemon was (re)started; absent if never. */
  startedWith?: string;
}

export function planDaemon(observed: DaemonObservation, desired: string): DaemonAction {
  if (!observed.running) return 'start';
  return observed.startedWith === desired ? 'none' : 'restart';
}
