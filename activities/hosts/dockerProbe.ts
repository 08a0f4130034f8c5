// The host's Docker engine over TLS, seen from the worker: what it offers (at provisioning)
// and how busy it is (each probe). A failure is DockerUnavailableError; the host workflow
// counts consecutive ones.
import type { DockerEndpoint, HostUsage } from '../../domain/infra/model';
import { TLS_DOCKER_PORT } from '../../domain/infra/machines';
import type { DockerClientFactory } from '../docker/dockerClient';
import { describeEndpoint } from '../docker/dockerClient';
import { dockerError } from '../docker/dockerErrors';
import { engineConnection } from '../monitoring/engineConnection';

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
 * resets or does not answer within `timeoutMs` is `alive: false` with the reason. A wait that
 * ran long because this worker was busy (its clock fired late) is `alive: 'unknown'`: no
 * evidence either way. The activity throws only when something else is wrong on the worker.
 */
export type Liveness = { alive: true; containers: number } | { alive: false; reason: string } | { alive: 'unknown'; reason: string };

/** How long the new connection may take; silence is left to the request's own timeout. */
const CONNECT_CHECK_MS = 1_000;

/** Usage is measured on at most this many containers at once, so a busy host is not hammered. */
const STATS_AT_ONCE = 4;

/** A timer this much late means the worker's event loop was held up: the wait measured the worker, not the engine. */
const WORKER_LAG_MS = 1_000;

/** No answer in time; `lateMs`: how long after its time the timer fired. */
class NoAnswerWithin extends Error {
  constructor(
    what: string,
    ms: number,
    readonly lateMs: number,
  ) {
    super(`${what}: no answer within ${ms} ms`);
  }
}

/**
 * Resolves with `work`, or rejects once `ms` passed without an answer. The rejection waits for
 * setImmediate, which runs after the loop's I/O phase: an answer that came in while the loop
 * was held up is read first, instead of losing to a timer that fired late in the same turn.
 */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const due = Date.now() + ms;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const lateMs = Date.now() - due;
      setImmediate(() => reject(new NoAnswerWithin(what, ms, lateMs)));
    }, ms);
  });
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

/** `connection`: how a new connection to an engine is tried (tests give a fake). */
export function dockerProbeActivities(docker: DockerClientFactory, connection: typeof engineConnection = engineConnection) {
  return {
    async verifyDocker(input: { address: string; certRef: string }): Promise<DockerFacts> {
      const endpoint = tlsEndpoint(input.address, input.certRef);
      const info = (await docker(endpoint).info().catch((err: unknown) => {
        throw dockerError(describeEndpoint(endpoint), 'info', err);
      })) as { NCPU: number; MemTotal: number; ServerVersion: string };
      return { docker: endpoint, cpus: info.NCPU, memoryBytes: info.MemTotal, dockerVersion: info.ServerVersion };
    },

    /**
     * One request, whatever the host runs: its cost never grows with the containers. A new
     * connection is tried first: an engine that is stopping closes its listener at once but
     * still answers on pooled keep-alive connections for as long as its containers take to stop.
     */
    async checkHostAlive(input: { docker: DockerEndpoint; timeoutMs: number }): Promise<Liveness> {
      if ((await connection(input.docker, Math.min(CONNECT_CHECK_MS, input.timeoutMs))) === 'refused') {
        return { alive: false, reason: `${describeEndpoint(input.docker)} refuses new connections` };
      }
      try {
        const info = (await within(input.timeoutMs, 'docker info', docker(input.docker).info())) as { ContainersRunning?: number };
        return { alive: true, containers: info.ContainersRunning ?? 0 };
      } catch (err) {
        if (err instanceof NoAnswerWithin && err.lateMs >= WORKER_LAG_MS) {
          return { alive: 'unknown', reason: `${err.message}, but this worker was busy (its timer fired ${err.lateMs} ms late)` };
        }
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
