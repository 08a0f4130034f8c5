// How dockerd is started on a host, behind one interface: systemd where it runs (a drop-in
// makes docker.service use Clocker's daemon.json), else a direct supervised start with
// start-stop-daemon (pidfile-checked, so starting twice leaves one daemon).
import type { HostCommand } from '../../activities/ssh/hostCommand';
import { asUser } from './hostCommands';
import type { HostLayout } from './hostLayout';

export type ServiceManagerKind = 'systemd' | 'direct';

export interface DaemonService {
  kind: ServiceManagerKind;
  /** Exit 0 when the daemon runs; okExitCodes list the "not running" answers too. */
  status(): HostCommand;
  start(): HostCommand[];
  restart(): HostCommand[];
  stop(): HostCommand[];
}

/** systemd is the manager only when it booted the host (sd_booted's test), not merely installed. */
export const detectSystemd = (): HostCommand => ({ argv: ['test', '-d', '/run/systemd/system'], okExitCodes: [0, 1] });

export const SYSTEMD_DROP_IN = '/etc/systemd/system/docker.service.d/clocker.conf';

export function systemdDropIn(dockerd: string, layout: HostLayout): string {
  // The empty ExecStart= clears the packaged `-H fd://`, which would clash with daemon.json's hosts.
  return ['[Service]', 'ExecStart=', `ExecStart=${dockerd} --config-file ${layout.configFile}`, ''].join('\n');
}

export function daemonService(kind: ServiceManagerKind, user: string, dockerd: string, layout: HostLayout): DaemonService {
  const as = (argv: string[], extra: Omit<HostCommand, 'argv'> = {}): HostCommand => ({ argv: asUser(user, argv), ...extra });
  if (kind === 'systemd') {
    const ctl = (...args: string[]) => as(['systemctl', ...args]);
    return {
      kind,
      status: () => as(['systemctl', 'is-active', '--quiet', 'docker'], { okExitCodes: [0, 3] }),
      start: () => [ctl('daemon-reload'), ctl('enable', 'docker'), ctl('start', 'docker')],
      restart: () => [ctl('daemon-reload'), ctl('enable', 'docker'), ctl('restart', 'docker')],
      stop: () => [ctl('stop', 'docker')],
    };
  }
  const ssd = ['start-stop-daemon', '--pidfile', layout.pidFile, '--exec', dockerd];
  const stop = as([...ssd, '--stop', '--retry', 'TERM/20/KILL/5', '--oknodo']);
  const start = as([...ssd, '--start', '--oknodo', '--background', '--output', layout.logFile, '--', '--config-file', layout.configFile]);
  return {
    kind,
    // 0 running; 1 dead with a pidfile left; 3 not running; 4 cannot tell.
    status: () => as([...ssd, '--status'], { okExitCodes: [0, 1, 3, 4] }),
    start: () => [as(['mkdir', '-p', dirOf(layout.logFile), dirOf(layout.pidFile)]), start],
    restart: () => [stop, as(['mkdir', '-p', dirOf(layout.logFile), dirOf(layout.pidFile)]), start],
    stop: () => [stop],
  };
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
