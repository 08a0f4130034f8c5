// Provisioning steps over SSH, one activity each, each safe to run again: it observes the
// host first and changes only what differs. Commands come from domain/provisioning.
import { createHash } from 'node:crypto';
import type { ByonHost, DockerSettings } from '../../domain/infra/machines';
import { daemonConfig, daemonConfigText } from '../../domain/provisioning/daemonConfig';
import { planDaemon, type DaemonAction } from '../../domain/provisioning/daemonPlan';
import { aptInstallDocker, dockerdVersion, findDockerd, readOsRelease, uploadFile } from '../../domain/provisioning/hostCommands';
import { hostLayout } from '../../domain/provisioning/hostLayout';
import { packageManagerFor, parseOsRelease, SUPPORTED_OS, type OsInfo } from '../../domain/provisioning/osRelease';
import { daemonService, detectSystemd, SYSTEMD_DROP_IN, systemdDropIn, type ServiceManagerKind } from '../../domain/provisioning/serviceManager';
import { RemoteCommandError, UnsupportedOsError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';
import type { HostCommand } from '../ssh/hostCommand';
import { runOverSsh, type SshResult } from '../ssh/sshRunner';
import { ensureCa, ensureClientCert, ensureServerCert } from './certificates';
import { caSeed, logicalCertRef } from './sharedCa';
import { tlsFolder } from './tlsFolder';
import { sshTargetFor } from './sshTarget';

export interface HostStepInput {
  infrastructure: string;
  host: ByonHost;
  /** Absent on first contact: the key the host presents is returned for pinning. */
  pinnedHostKey?: string;
}

export interface DaemonInput extends HostStepInput {
  docker: DockerSettings;
}

export function hostStepActivities(secrets: SecretStore, home?: string) {
  const run = (input: HostStepInput, cmd: HostCommand): Promise<SshResult> => runOverSsh(sshTargetFor(input.host, secrets, input.pinnedHostKey), cmd);
  const runAll = async (input: HostStepInput, cmds: HostCommand[]) => {
    for (const cmd of cmds) await run(input, cmd);
  };
  const where = (h: ByonHost) => `${h.user}@${h.address}:${h.port}`;
  const locateDockerd = async (input: HostStepInput) => (await run(input, findDockerd())).stdout.trim();

  return {
    /**
     * The CA and the workers' client certificate; returns the certRef DockerEndpoints use: with
     * a CA seed, the logical `clocker-tls:<infrastructure>` any worker resolves (certFolder.ts);
     * without one, this worker's folder (then workers must share it).
     */
    async ensureInfraCertificates(infrastructure: string): Promise<string> {
      const tls = tlsFolder(infrastructure, home);
      const seed = caSeed(secrets);
      ensureCa(infrastructure, tls, seed);
      const folder = ensureClientCert(tls);
      return seed ? logicalCertRef(infrastructure) : folder;
    },

    /** First contact: proves we can log in, and says which host key the host presented. */
    async connectHost(input: HostStepInput): Promise<{ hostKeyFingerprint: string }> {
      const result = await run(input, { argv: ['true'] });
      return { hostKeyFingerprint: result.hostKeyFingerprint };
    },

    async detectOs(input: HostStepInput): Promise<OsInfo> {
      return parseOsRelease((await run(input, readOsRelease())).stdout);
    },

    /** Installs Docker through apt when dockerd is missing; returns `dockerd --version`. */
    async ensureDocker(input: HostStepInput & { os: OsInfo }): Promise<string> {
      if ((await locateDockerd(input)) === '') {
        if (packageManagerFor(input.os) !== 'apt') throw new UnsupportedOsError(where(input.host), SUPPORTED_OS, input.os.prettyName);
        await runAll(input, aptInstallDocker(input.host.user));
      }
      const dockerd = await locateDockerd(input);
      if (dockerd === '') throw new RemoteCommandError(where(input.host), findDockerd().argv, 1, 'dockerd is still missing after installing docker.io');
      return (await run(input, dockerdVersion(dockerd))).stdout.trim();
    },

    /** Server certificate (made on the worker, SANs = address and id) and the CA, copied to the host. */
    async installCertificates(input: HostStepInput): Promise<void> {
      const layout = hostLayout(input.host.root);
      const tls = tlsFolder(input.infrastructure, home);
      // With a seed this worker may not have made the CA yet: it remakes the same one.
      const seed = caSeed(secrets);
      if (seed) ensureCa(input.infrastructure, tls, seed);
      const cert = ensureServerCert(tls, input.host.id, [input.host.address, input.host.id]);
      const user = input.host.user;
      await runAll(input, [uploadFile(user, layout.caFile, cert.caPem, '644'), uploadFile(user, layout.certFile, cert.certPem, '644'), uploadFile(user, layout.keyFile, cert.keyPem, '600')]);
    },

    async configureDaemon(input: DaemonInput): Promise<void> {
      const layout = hostLayout(input.host.root);
      const text = daemonConfigText(daemonConfig(input.infrastructure, input.host, input.docker, layout));
      await run(input, uploadFile(input.host.user, layout.configFile, text, '644'));
    },

    /** Starts dockerd through the host's service manager, or restarts it when its config or certificate changed. */
    async startDaemon(input: DaemonInput): Promise<{ manager: ServiceManagerKind; action: DaemonAction }> {
      const { host } = input;
      const layout = hostLayout(host.root);
      const dockerd = await locateDockerd(input);
      const manager: ServiceManagerKind = (await run(input, detectSystemd())).exitCode === 0 ? 'systemd' : 'direct';
      const service = daemonService(manager, host.user, dockerd, layout);
      if (manager === 'systemd') await run(input, uploadFile(host.user, SYSTEMD_DROP_IN, systemdDropIn(dockerd, layout), '644'));
      const config = daemonConfigText(daemonConfig(input.infrastructure, host, input.docker, layout));
      // The certificate the host has (installed by whichever worker ran installCertificates),
      // not this worker's copy, which it may not have.
      const serverCert = (await run(input, { argv: ['cat', layout.certFile] })).stdout;
      const desired = createHash('sha256').update(config).update(serverCert).digest('hex');
      const running = (await run(input, service.status())).exitCode === 0;
      const marker = await run(input, { argv: ['cat', layout.startedMarker], okExitCodes: [0, 1] });
      const action = planDaemon({ running, startedWith: marker.exitCode === 0 ? marker.stdout.trim() : undefined }, desired);
      if (action !== 'none') {
        await runAll(input, action === 'start' ? service.start() : service.restart());
        await run(input, uploadFile(host.user, layout.startedMarker, `${desired}\n`, '644'));
      }
      return { manager, action };
    },

    /** Decommission: the daemon stops (its data stays on the host). */
    async stopDaemon(input: HostStepInput): Promise<void> {
      const layout = hostLayout(input.host.root);
      const dockerd = await locateDockerd(input);
      if (dockerd === '') return;
      const manager: ServiceManagerKind = (await run(input, detectSystemd())).exitCode === 0 ? 'systemd' : 'direct';
      await runAll(input, daemonService(manager, input.host.user, dockerd, layout).stop());
      await run(input, { argv: ['rm', '-f', layout.startedMarker] });
    },
  };
}
