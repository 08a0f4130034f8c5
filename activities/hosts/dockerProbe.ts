// The host's Docker engine over TLS, seen from the worker: what it offers (at provisioning)
// and how busy it is (each probe). A failure is DockerUnavailableError; the host workflow
// counts consecutive ones.
import type { DockerEndpoint, HostUsage } from '../../domain/infra/model';
import { TLS_DOCKER_PORT } from '../../domain/infra/machines';
import type { DockerClientFactory } from '../docker/dockerClient';
import { describeEndpoint } from '../docker/dockerClient';
import { dockerError } from '../docker/dockerErrors';

export interface DockerFacts {
  docker: DockerEndpoint;
  cpus: number;
  memoryBytes: number;
  dockerVersion: string;
}

export interface ProbeResult {
  usage: HostUsage;
  containers: number;
}

/**
 * Whether the host's engine answered, as evidence about the host: an engine that refuses,
 * resets or does not answer within `timeoutMs` is `alive: false` with the reason; the activity
 * itself throws only when something is wrong on the worker's side, which is no evidence.
 */
export type Liveness = { alive: true; containers: number } | { alive: false; reason: string };

/** Usage is measured on at most this many containers at once, so a busy host is not hammered. */
const STATS_AT_ONCE = 4;

/** Resolves with `work`, or rejects once `ms` passed without an answer. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function tlsEndpoint(address: string, certRef: string): DockerEndpoint {
  return { kind: 'tcp', host: address, port: TLS_DOCKER_PORT, tls: { certRef } };
}

interface CpuStats {
  cpu_usage: { total_usage: number };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** Docker's own formula (docker stats): container CPU delta over system delta, times CPUs. */
function cpuPercent(cpu: CpuStats, pre: CpuStats): number {
  const used = cpu.cpu_usage.total_usage - pre.cpu_usage.total_usage;
  const system = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  return used > 0 && system > 0 ? (used / system) * (cpu.online_cpus ?? 1) * 100 : 0;
}

export function dockerProbeActivities(docker: DockerClientFactory) {
  return {
    async verifyDocker(input: { address: string; certRef: string }): Promise<DockerFacts> {
      const endpoint = tlsEndpoint(input.address, input.certRef);
      const info = (await docker(endpoint).info().catch((err: unknown) => {
        throw dockerError(describeEndpoint(endpoint), 'info', err);
      })) as { NCPU: number; MemTotal: number; ServerVersion: string };
      return { docker: endpoint, cpus: info.NCPU, memoryBytes: info.MemTotal, dockerVersion: info.ServerVersion };
    },

    /** One request, whatever the host runs: its cost never grows with the containers. */
    async checkHostAlive(input: { docker: DockerEndpoint; timeoutMs: number }): Promise<Liveness> {
      try {
        const info = (await within(input.timeoutMs, 'docker info', docker(input.docker).info())) as { ContainersRunning?: number };
        return { alive: true, containers: info.ContainersRunning ?? 0 };
      } catch (err) {
        return { alive: false, reason: dockerError(describeEndpoint(input.docker), 'info', err).message };
      }
    },

    /**
     * What the host's running containers use (docker stats' formula), a few containers at a
     * time; a container that vanishes or does not answer in time is left out, not a failure.
     */
    async measureHostUsage(input: { docker: DockerEndpoint; perContainerTimeoutMs: number }): Promise<ProbeResult> {
      const client = docker(input.docker);
      const running = await client.listContainers().catch((err: unknown) => Promise.reject(dockerError(describeEndpoint(input.docker), 'list containers', err)));
      const usage = { cpuPercent: 0, memoryBytes: 0 };
      for (let i = 0; i < running.length; i += STATS_AT_ONCE) {
        const batch = running.slice(i, i + STATS_AT_ONCE).map((c) => within(input.perContainerTimeoutMs, 'stats', client.getContainer(c.Id).stats({ stream: false })));
        for (const outcome of await Promise.allSettled(batch)) {
          if (outcome.status !== 'fulfilled') continue;
          usage.cpuPercent += cpuPercent(outcome.value.cpu_stats, outcome.value.precpu_stats);
          usage.memoryBytes += outcome.value.memory_stats.usage ?? 0;
        }
      }
      return { usage: { cpuPercent: Math.round(usage.cpuPercent * 10) / 10, memoryBytes: usage.memoryBytes }, containers: running.length };
    },

    /** COMPAT(remove in 0.3.0): the probe of host workflows started before host-probe-liveness. */
    async probeHost(input: { docker: DockerEndpoint }): Promise<ProbeResult> {
      const client = docker(input.docker);
      const where = describeEndpoint(input.docker);
      try {
        await client.info();
        const running = await client.listContainers();
        const stats = await Promise.all(running.map((c) => client.getContainer(c.Id).stats({ stream: false })));
        const usage = { cpuPercent: 0, memoryBytes: 0 };
        for (const s of stats) {
          usage.cpuPercent += cpuPercent(s.cpu_stats, s.precpu_stats);
          usage.memoryBytes += s.memory_stats.usage ?? 0;
        }
        return { usage: { cpuPercent: Math.round(usage.cpuPercent * 10) / 10, memoryBytes: usage.memoryBytes }, containers: running.length };
      } catch (err) {
        throw dockerError(where, 'probe', err);
      }
    },
  };
}
