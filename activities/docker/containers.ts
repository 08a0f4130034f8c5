// Container activities. Each is idempotent: the container's name derives from its member, so
// "create" adopts what an earlier attempt made, and "remove" accepts that it is gone.
import { Context } from '@temporalio/activity';
import type Docker from 'dockerode';
import type { MappedPort } from '../../domain/application/status';
import type { ServiceSpec, Template } from '../../domain/blueprint/model';
import { resolveValue } from '../../domain/blueprint/references/resolveValue';
import type { DockerEndpoint } from '../../domain/infra/model';
import { containerName, isMember, type MemberRef } from '../../domain/naming';
import { NameConflictError, UnsupportedFeatureError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';
import { containerCreateOptions, endpointConfig, knownAfterStart, portKey, type NetworkAttachment } from './containerOptions';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, statusCodeOf } from './dockerErrors';
import { ensureBuiltImage } from './imageBuild';
import { createImageCheck } from './imageCheck';
import { demuxLogs } from './logFrames';
import { whileBeating } from '../heartbeatTicker';
import { beat, reportStep } from './memberProgressReport';
import { checkHostPolicy } from './hostPolicyGuard';
import { failureOutcome, type MemberFailure } from './memberFailure';
import { inLanes } from '../../domain/lanes';
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
  /** The infrastructure the member is booked in, labelled on its container (services of earlier releases do not send it). */
  infrastructure?: string;
}

export interface ContainerInfo {
  containerId: string;
  running: boolean;
  ports: MappedPort[];
  /** Address on each application network, by network id. */
  networks: Record<string, string>;
}

/** What a create-or-adopt saw: the member, and Docker's own view of it when one was read anyway. */
export interface EnsuredMember {
  info: ContainerInfo;
  /**
   * The container as inspected right after its start (Docker picked a port or an address) or at
   * its adoption; the health wait's first look, so it is not asked again (startMember).
   */
  look?: Docker.ContainerInspectInfo;
}

export interface MemberContainers {
  /** Create-if-absent-else-adopt, then make sure it runs. */
  ensure(input: EnsureContainerInput): Promise<EnsuredMember>;
}

/**
 * The create path, shared by the ensureContainer and startMember activities (one image cache
 * per worker). A new member costs Docker create and start, plus an inspect only when Docker
 * picked a port or an address, plus one image inspect per host and image a minute
 * (imageCheck.ts). Create is asked first: its 409 is how a retried attempt learns that the
 * member exists, and only then is it inspected and adopted.
 */
export function memberContainers(dockerFor: DockerClientFactory, secrets: SecretStore, temporal: Client): MemberContainers {
  const images = createImageCheck();
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

  /** An existing member: joined to the networks it lacks, started if it is not running. */
  async function adopt(docker: Docker, where: string, info: Docker.ContainerInspectInfo, input: EnsureContainerInput): Promise<EnsuredMember> {
    const name = containerName(input.ref);
    let joined = false;
    for (const n of (input.networks ?? []).slice(1)) {
      if (!info.NetworkSettings.Networks?.[n.name]) {
        await connect(docker, where, info.Id, name, n);
        joined = true;
      }
    }
    if (info.State.Running && !joined) return { info: reported(info, input), look: info };
    if (info.State.Running) return { info: reported(info, input) };
    reportStep('starting');
    await start(docker, where, name);
    return started(docker, where, info.Id, input);
  }

  /** After a start that succeeded: what the create options decided, or one inspect for what Docker picked. */
  async function started(docker: Docker, where: string, id: string, input: EnsureContainerInput): Promise<EnsuredMember> {
    const known = knownAfterStart(input.spec, input.networks ?? []);
    if (known) return { info: { containerId: id, running: true, ...known } };
    const look = await inspectMember(docker, input.ref, where);
    if (!look) throw dockerError(where, `inspect container ${containerName(input.ref)}`, new Error('vanished right after start'));
    return { info: reported(look, input), look };
  }

  async function ensure(input: EnsureContainerInput): Promise<EnsuredMember> {
    const { endpoint, ref, spec, env = {}, networks = [], dns = [], infrastructure } = input;
    const docker = dockerFor(endpoint);
    const where = describeEndpoint(endpoint);
    const name = containerName(ref);
    beat(); // each step reports progress: a dead worker is noticed within the heartbeat timeout
    // A pull or a build can take long: if the workflow gives up on this member meanwhile (a destroy),
    // it stops and nothing is created; the activity ends as cancelled, not as failed.
    const cancelled = Context.current().cancellationSignal;
    const ensureImage = () => {
      if (spec.build) reportStep('building', { image: spec.image });
      return (
        spec.build
          ? ensureBuiltImage(docker, where, { app: ref.app, service: ref.service, image: spec.image, build: spec.build }, beat, cancelled)
          : images.ensure(endpoint, docker, where, spec.image, beat, cancelled)
      ).catch((err: unknown) => {
        cancelled.throwIfAborted();
        throw err;
      });
    };
    await ensureImage();
    cancelled.throwIfAborted();
    await checkHostPolicy(temporal, ref, spec);
    const options = containerCreateOptions(ref, spec, resolveEnv(spec, env), networks, dns, infrastructure);
    reportStep('creating');
    const create = () => docker.createContainer(options).then((c) => c.id);
    let id: string;
    try {
      id = await create().catch(async (err: unknown) => {
        // 404: the image left the host since it was last seen there; look again, then create.
        if (statusCodeOf(err) !== 404 || spec.build) throw err;
        images.forget(endpoint, spec.image);
        await ensureImage();
        return create();
      });
    } catch (err) {
      if (statusCodeOf(err) !== 409) throw dockerError(where, `create container ${name}`, err);
      // 409: the name is taken: an earlier attempt (the worker died after create) or a concurrent
      // one made the member. Adopt it (inspectMember refuses a container that is not this member).
      const found = await inspectMember(docker, ref, where);
      if (!found) throw dockerError(where, `inspect container ${name}`, new Error('named in a 409 but not found'));
      return adopt(docker, where, found, input);
    }
    // Create's answer is trusted: the container exists, joined to the first network only.
    for (const n of networks.slice(1)) await connect(docker, where, id, name, n);
    reportStep('starting');
    await start(docker, where, name);
    return started(docker, where, id, input);
  }

  return { ensure };
}

/** The member's container by name, or undefined; a container of that name that is not this member is a NameConflictError. */
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

export interface RemoveContainerInput {
  endpoint: DockerEndpoint;
  ref: MemberRef;
  /** The member's container as the service last recorded it (absent in histories from before 2026-12-04, or never created). */
  containerId?: string;
}

export interface RemoveContainersInput {
  endpoint: DockerEndpoint;
  members: { ref: MemberRef; containerId?: string }[];
  /** Removals in flight at once on the host. */
  width: number;
}

/** What removing one member of a batch came to: whether a container was there, or the failure. */
export type MemberRemoval = { member: string; removed: boolean } | { member: string; failure: MemberFailure };

/**
 * Delete-if-present by the id the service recorded when it made the member: removed with no
 * inspect first, as the floor does. Gone already (404): a container made for the member since
 * may hold its name, so the name is looked up as when no id is known.
 */
async function removeMember(docker: Docker, where: string, ref: MemberRef, containerId: string | undefined): Promise<boolean> {
  if (containerId && (await forceRemove(docker, containerId, where, ref))) return true;
  const info = await inspectMember(docker, ref, where);
  return info ? forceRemove(docker, info.Id, where, ref) : false;
}

/** `docker rm -f -v` of one container; false when it is not there (404). */
async function forceRemove(docker: Docker, id: string, where: string, ref: MemberRef): Promise<boolean> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
    return true;
  } catch (err) {
    if (statusCodeOf(err) === 404) return false;
    throw dockerError(where, `remove container ${containerName(ref)}`, err);
  }
}

/** The container activities; `members` is the create path they share with startMember. */
export function containerActivities(dockerFor: DockerClientFactory, secrets: SecretStore, temporal: Client, members = memberContainers(dockerFor, secrets, temporal)) {
  return {
    /** Create-if-absent-else-adopt, then make sure it runs (memberContainers). */
    async ensureContainer(input: EnsureContainerInput): Promise<ContainerInfo> {
      // Heartbeats on a timer too: an engine slow to create (a loaded host) is not taken for a dead worker.
      return whileBeating(async () => (await members.ensure(input)).info, beat);
    },

    /** Delete-if-present. Returns whether a container was removed. */
    async removeContainer({ endpoint, ref, containerId }: RemoveContainerInput): Promise<boolean> {
      // Heartbeats: in a teardown the call has a heartbeat timeout, so a dead worker costs seconds.
      return whileBeating(() => removeMember(dockerFor(endpoint), describeEndpoint(endpoint), ref, containerId));
    },

    /**
     * One host's members removed in one activity (a service's removal since issue #16's batches),
     * `width` at a time; each member's outcome its own, as removeContainer would have ended.
     */
    async removeContainers({ endpoint, members, width }: RemoveContainersInput): Promise<MemberRemoval[]> {
      const docker = dockerFor(endpoint);
      const where = describeEndpoint(endpoint);
      const outcomes = new Map<string, MemberRemoval>();
      await whileBeating(() =>
        inLanes(members, () => where, width, async ({ ref, containerId }) => {
          const outcome = await removeMember(docker, where, ref, containerId).then(
            (removed): MemberRemoval => ({ member: ref.member, removed }),
            (err: unknown): MemberRemoval => ({ member: ref.member, failure: failureOutcome(err) }),
          );
          outcomes.set(ref.member, outcome);
        }),
      );
      return members.map(({ ref }) => outcomes.get(ref.member)!);
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

async function connect(docker: Docker, where: string, id: string, name: string, n: NetworkAttachment): Promise<void> {
  // Docker joins one network at create; the rest are connected before start.
  await docker
    .getNetwork(n.name)
    .connect({ Container: id, EndpointConfig: endpointConfig(n) })
    .catch((err: unknown) => Promise.reject(dockerError(where, `connect ${name} to ${n.name}`, err)));
}

async function start(docker: Docker, where: string, name: string): Promise<void> {
  try {
    await docker.getContainer(name).start();
  } catch (err) {
    // 304: already started by a concurrent attempt.
    if (statusCodeOf(err) === 304) return;
    // A container that cannot start (port taken, bad command) is not left behind.
    await docker.getContainer(name).remove({ force: true, v: true }).catch(() => undefined);
    throw dockerError(where, `start container ${name}`, err);
  }
}

function reported(info: Docker.ContainerInspectInfo, input: EnsureContainerInput): ContainerInfo {
  const joined = info.NetworkSettings.Networks ?? {};
  const addresses = Object.fromEntries((input.networks ?? []).flatMap((n) => (joined[n.name]?.IPAddress ? [[n.id, joined[n.name]!.IPAddress]] : [])));
  return { containerId: info.Id, running: info.State.Running, ports: mappedPorts(input.spec, info), networks: addresses };
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
