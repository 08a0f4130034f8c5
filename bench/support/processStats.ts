// What a process has used, read from /proc (Linux): the benches weigh the worker with these.
import { readFileSync } from 'node:fs';

/** Resident set now and its high-water mark (VmRSS, VmHWM), in MiB. */
export function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** CPU seconds used so far (user + system, /proc/<pid>/stat in clock ticks of 1/100 s), to weigh what a setting costs in GC. */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
