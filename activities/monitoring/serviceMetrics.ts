// The autoscaler's measurement of a service: one value per running member, all members at
// once, each cut at a short timeout. `cpu` and `memory` come from the member's engine (a
// one-shot `docker stats`, which compares two readings about a second apart, and the
// container's CPU limit); any other metric from the member's own HTTP endpoint. A member
// that does not answer is left out with the reason, never a failure of the whole measurement:
// the autoscaler averages what answered.
import type { MappedPort } from '../../domain/application/status';
import { cpuFraction, memoryFraction, type StatsSample } from '../../domain/application/engineMetric';
import { parseMetric } from '../../domain/application/metricText';
import { publishedAddress } from '../../domain/application/publishedAddress';
import type { DockerEndpoint } from '../../domain/infra/model';
import { describeEndpoint, type DockerClientFactory } from '../docker/dockerClient';
import { dockerError } from '../docker/dockerErrors';

export interface MetricMember {
  member: string;
  containerName: string;
  hostAddress: string;
  ports: MappedPort[];
  docker: DockerEndpoint;
}

export interface MeasureServiceInput {
  metric: string;
  /** Where a custom metric is served (a container port, published, and a path). */
  source?: { port: number; path: string };
  members: MetricMember[];
  /** Per member. */
  timeoutMs: number;
}

export interface MemberMetric {
  member: string;
  value?: number;
  error?: string;
}

function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

const message = (err: unknown) => (err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err));

export function serviceMetricActivities(docker: DockerClientFactory) {
  async function fromEngine(metric: string, m: MetricMember, timeoutMs: number): Promise<number | undefined> {
    const container = docker(m.docker).getContainer(m.containerName);
    const where = describeEndpoint(m.docker);
    const stats = within(timeoutMs, `stats of ${m.containerName}`, container.stats({ stream: false }) as Promise<StatsSample>).catch((err: unknown) => Promise.reject(dockerError(where, 'stats', err)));
    if (metric === 'memory') return memoryFraction(await stats);
    const info = within(timeoutMs, `inspect ${m.containerName}`, container.inspect()).catch((err: unknown) => Promise.reject(dockerError(where, 'inspect', err)));
    const [sample, inspected] = await Promise.all([stats, info]);
    return cpuFraction(sample, inspected.HostConfig);
  }

  async function fromEndpoint(metric: string, source: { port: number; path: string }, m: MetricMember, timeoutMs: number): Promise<number> {
    const port = m.ports.find((p) => p.containerPort === source.port && p.protocol === 'tcp');
    const address = publishedAddress(m.hostAddress, port?.hostIp);
    if (port?.boundHostPort === undefined || address === undefined) throw new Error(`port ${source.port} is not published where the worker reaches it`);
    const url = `http://${address}:${port.boundHostPort}${source.path}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const body = await res.text();
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
    const parsed = parseMetric(body, metric);
    if ('problem' in parsed) throw new Error(`GET ${url}: ${parsed.problem}`);
    return parsed.value;
  }

  return {
    async measureServiceMetric(input: MeasureServiceInput): Promise<MemberMetric[]> {
      const { metric, source, timeoutMs } = input;
      return Promise.all(
        input.members.map(async (m): Promise<MemberMetric> => {
          try {
            const value = source ? await fromEndpoint(metric, source, m, timeoutMs) : await fromEngine(metric, m, timeoutMs);
            return value === undefined ? { member: m.member, error: `${m.containerName}: the engine gave no ${metric} reading yet` } : { member: m.member, value };
          } catch (err) {
            // One member's silence is part of the answer, not a failed measurement.
            return { member: m.member, error: `${m.member}: ${message(err)}` };
          }
        }),
      );
    },
  };
}
