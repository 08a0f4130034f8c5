// CPU and memory of one member, from a one-shot `docker stats` sample and the container's
// limits, as fractions the autoscaler's thresholds compare with (0.8 = 80%):
// - cpu: cores used (docker stats' formula: container CPU delta over the system's, times the
//   CPUs online) over the member's CPU limit (`--cpus`, or a CFS quota), or over one core when
//   it has none, so a member spinning on one core is at 1.0 either way;
// - memory: bytes in use (without the page cache the kernel gives back, as docker stats
//   counts it) over the memory limit, which the engine reports as the host's memory when
//   the member has none.

export interface CpuSample {
  cpu_usage: { total_usage: number };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface StatsSample {
  cpu_stats: CpuSample;
  precpu_stats: CpuSample;
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number | undefined> };
}

export interface CpuLimits {
  /** `--cpus` as the engine keeps it (billionths of a CPU); 0 when unset. */
  NanoCpus?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
}

/** The member's CPU limit in cores, 1 when it has none. */
export function cpuLimitCores(limits: CpuLimits): number {
  if (limits.NanoCpus && limits.NanoCpus > 0) return limits.NanoCpus / 1e9;
  if (limits.CpuQuota && limits.CpuQuota > 0) return limits.CpuQuota / (limits.CpuPeriod || 100_000);
  return 1;
}

/** Cores used over the limit; undefined when the sample has no earlier reading to compare with. */
export function cpuFraction(s: StatsSample, limits: CpuLimits): number | undefined {
  const used = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const system = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  if (!(system > 0) || !s.precpu_stats.system_cpu_usage) return undefined;
  const cores = (Math.max(0, used) / system) * (s.cpu_stats.online_cpus ?? 1);
  return cores / cpuLimitCores(limits);
}

/** Memory in use over the limit; undefined when the engine reported none. */
export function memoryFraction(s: StatsSample): number | undefined {
  const { usage, limit, stats = {} } = s.memory_stats;
  if (usage === undefined || !limit) return undefined;
  // cgroup v2 calls the reclaimable page cache inactive_file, v1 total_inactive_file.
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? 0;
  return Math.max(0, usage - (cache < usage ? cache : 0)) / limit;
}
