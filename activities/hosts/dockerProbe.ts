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
