// Container activities. Each is idempotent: the container's name derives from its member, so
// "create" adopts what an earlier attempt made, and "remove" accepts that it is gone.
import { Context, heartbeat } from '@temporalio/activity';
import type Docker from 'dockerode';
import type { MappedPort } from '../../domain/application/status';
import type { ServiceSpec, Template } from '../../domain/blueprint/model';
import { resolveValue } from '../../domain/blueprint/references/resolveValue';
import type { DockerEndpoint } from '../../domain/infra/model';
import { containerName, isMember, type MemberRef } from '../../domain/naming';
import { NameConflictError, UnsupportedFeatureError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';
import { containerCreateOptions, endpointConfig, portKey, type NetworkAttachment } from './containerOptions';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, statusCodeOf } from './dockerErrors';
import { ensureBuiltImage } from './imageBuild';
import { ensureImage } from './images';
import { demuxLogs } from './logFrames';
import { whileBeating } from '../heartbeatTicker';
import { checkHostPolicy } from './hostPolicyGuard';
import type { Client } from '@temporalio/client';

export interface EnsureContainerInput {
  endpoint: DockerEndpoint;
  ref: MemberRef;
  spec: ServiceSpec;
  /** The service's templated environment, attributes already bound; secrets still references. */
  env?: Record<string, Template>;
  /** Application networks to join, named for this host, with the blueprint's network id. */
  networks?: (NetworkAttachment & { id: string })[];
  dns?: string[];
}

export interface ContainerInfo {
  containerId: string;
  running: boolean;
  ports: MappedPort[];
  /** Address on each application network, by network id. */
  networks: Record<string, string>;
}

export function containerActivities(dockerFor: DockerClientFactory, secrets: SecretStore, temporal: Client) {
  /** Literal env plus templates resolved with secrets read here, at the edge. */
  function resolveEnv(spec: ServiceSpec, templates: Record<string, Template>): Record<string, string> {
    const env = { ...spec.env };
    for (const [key, template] of Object.entries(templates)) {
      const values = Object.fromEntries(template.parts.flatMap((p) => (p.kind === 'secret' ? [[p.name, secrets(p.name)]] : [])));
      const resolved = resolveValue(template, {}, values);
      if (!resolved.ok) throw new UnsupportedFeatureError(`env ${key} still references ${resolved.missing.join(', ')} at container creation`);
      env[key] = resolved.text;
    }
    return env;
  }

  async function inspectMember(docker: Docker, ref: MemberRef, where: string): Promise<Docker.ContainerInspectInfo | undefined> {
    const name = containerName(ref);
    try {
      const info = await docker.getContainer(name).inspect();
      if (!isMember(info.Config.Labels, ref)) throw new NameConflictError('container', name, where);
      return info;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      if (err instanceof NameConflictError) throw err;
      throw dockerError(where, `inspect container ${name}`, err);
    }
  }

  return {
    /** Create-if-absent-else-adopt, then make sure it runs. */
    async ensureContainer({ endpoint, ref, spec, env = {}, networks = [], dns = [] }: EnsureContainerInput): Promise<ContainerInfo> {
      const docker = dockerFor(endpoint);
      const where = describeEndpoint(endpoint);
      const name = containerName(ref);
      heartbeat(); // each step reports progress: a dead worker is noticed within the heartbeat timeout
      let info = await inspectMember(docker, ref, where);
      if (!info) {
        // A pull or a build can take long: if the workflow gives up on this member meanwhile (a destroy),
        // it stops and nothing is created; the activity ends as cancelled, not as failed.
        const cancelled = Context.current().cancellationSignal;
        const image = spec.build
          ? ensureBuiltImage(docker, where, { app: ref.app, service: ref.service, image: spec.image, build: spec.build }, () => heartbeat(), cancelled)
          : ensureImage(docker, where, spec.image, () => heartbeat(), cancelled);
        await image.catch((err: unknown) => {
          cancelled.throwIfAborted();
          throw err;
        });
        cancelled.throwIfAborted();
        await checkHostPolicy(temporal, ref, spec);
        try {
          await docker.createContainer(containerCreateOptions(ref, spec, resolveEnv(spec, env), networks, dns));
        } catch (err) {
          // 409: a concurrent attempt created it first; adopt it below.
          if (statusCodeOf(err) !== 409) throw dockerError(where, `create container ${name}`, err);
        }
        info = await inspectMember(docker, ref, where);
        if (!info) throw dockerError(where, `inspect container ${name}`, new Error('vanished right after create'));
      }
      // Docker joins one network at create; the rest are connected here (skipped when already joined).
      for (const n of networks.slice(1)) {
        if (info.NetworkSettings.Networks?.[n.name]) continue;
        await docker
          .getNetwork(n.name)
          .connect({ Container: info.Id, EndpointConfig: endpointConfig(n) })
          .catch((err: unknown) => Promise.reject(dockerError(where, `connect ${name} to ${n.name}`, err)));
      }
      if (!info.State.Running) {
        heartbeat();
        try {
          await docker.getContainer(name).start();
        } catch (err) {
          // 304: already started by a concurrent attempt.
          if (statusCodeOf(err) !== 304) {
            // A container that cannot start (port taken, bad command) is not left behind.
            await docker.getContainer(name).remove({ force: true, v: true }).catch(() => undefined);
            throw dockerError(where, `start container ${name}`, err);
          }
        }
        info = (await inspectMember(docker, ref, where)) ?? info;
      }
      const joined = info.NetworkSettings.Networks ?? {};
      const addresses = Object.fromEntries(networks.flatMap((n) => (joined[n.name]?.IPAddress ? [[n.id, joined[n.name]!.IPAddress]] : [])));
      return { containerId: info.Id, running: info.State.Running, ports: mappedPorts(spec, info), networks: addresses };
    },

    /** Delete-if-present. Returns whether a container was removed. */
    async removeContainer({ endpoint, ref }: { endpoint: DockerEndpoint; ref: MemberRef }): Promise<boolean> {
      const docker = dockerFor(endpoint);
      const where = describeEndpoint(endpoint);
      // Heartbeats: in a teardown the call has a heartbeat timeout, so a dead worker costs seconds.
      return whileBeating(async () => {
        const info = await inspectMember(docker, ref, where);
        if (!info) return false;
        try {
          await docker.getContainer(info.Id).remove({ force: true, v: true });
          return true;
        } catch (err) {
          if (statusCodeOf(err) === 404) return false;
          throw dockerError(where, `remove container ${containerName(ref)}`, err);
        }
      });
    },

    /** Stop-if-running. Returns whether it was running. */
    async stopContainer({ endpoint, ref, timeoutSec = 10 }: { endpoint: DockerEndpoint; ref: MemberRef; timeoutSec?: number }): Promise<boolean> {
      const docker = dockerFor(endpoint);
      const where = describeEndpoint(endpoint);
      const info = await inspectMember(docker, ref, where);
      if (!info?.State.Running) return false;
      try {
        await docker.getContainer(info.Id).stop({ t: timeoutSec });
        return true;
      } catch (err) {
        // 304: stopped meanwhile; 404: removed meanwhile. Either way it is not running.
        if (statusCodeOf(err) === 304 || statusCodeOf(err) === 404) return false;
        throw dockerError(where, `stop container ${containerName(ref)}`, err);
      }
    },

    async containerLogTail({ endpoint, ref, lines }: { endpoint: DockerEndpoint; ref: MemberRef; lines: number }): Promise<string> {
      return logTail(dockerFor(endpoint), describeEndpoint(endpoint), containerName(ref), lines);
    },
  };
}

export async function logTail(docker: Docker, where: string, name: string, lines: number): Promise<string> {
  try {
    const buf = (await docker.getContainer(name).logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    return demuxLogs(buf).trimEnd();
  } catch (err) {
    throw dockerError(where, `logs of ${name}`, err);
  }
}

function mappedPorts(spec: ServiceSpec, info: Docker.ContainerInspectInfo): MappedPort[] {
  const bound = info.NetworkSettings.Ports ?? {};
  return spec.ports.map((p) => {
    const hostPort = bound[portKey(p)]?.find((b) => b.HostIp === '0.0.0.0' || b.HostIp === '')?.HostPort ?? bound[portKey(p)]?.[0]?.HostPort;
    return hostPort ? { ...p, boundHostPort: Number(hostPort) } : { ...p };
  });
}
