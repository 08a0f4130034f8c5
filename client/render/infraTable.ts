// Tables for `clocker infra status`: hosts (capacity, what is reserved, measured use), then
// subnets (how full each is). Capacities an operator never declared show as `-`.
import { policyLines } from '../../domain/infra/hostPolicy';
import Table from 'cli-table3';
import type { HostStatusView, InfraView, SubnetStatusView } from '../../domain/infra/statusView';
import { headroomLines } from './headroomLines';

const plain = { style: { head: [], border: [] } };

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** `reserved/capacity`, or just `reserved` when no capacity was declared. */
const share = (reserved: string, capacity: string | null) => (capacity === null ? reserved : `${reserved}/${capacity}`);
const cpus = (n: number) => String(Math.round(n * 100) / 100);

function hostRow(h: HostStatusView): string[] {
  const where = [h.region, h.zone].filter(Boolean).join('/') || '-';
  const labels = Object.entries(h.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '-';
  return [
    h.id,
    h.address,
    h.problem ? `${h.status}: ${h.problem}` : h.status,
    h.dockerVersion ?? '-',
    where,
    `${h.reserved.containers}/${h.capacity.maxContainers}`,
    share(cpus(h.reserved.cpus), h.capacity.cpus === null ? null : cpus(h.capacity.cpus)),
    share(formatBytes(h.reserved.memoryBytes), h.capacity.memoryBytes === null ? null : formatBytes(h.capacity.memoryBytes)),
    `cpu ${h.usage.cpuPercent}%, mem ${formatBytes(h.usage.memoryBytes)}`,
    labels,
  ];
}

function subnetRow(s: SubnetStatusView): string[] {
  return [s.cidr, s.owner, s.pool ?? '(outside pools)', s.gateway, `${s.used}/${s.capacity}`];
}

export function renderInfra(view: InfraView): string {
  const hosts = new Table({ head: ['host', 'address', 'status', 'docker', 'region/zone', 'containers', 'cpus', 'memory', 'measured', 'labels'], ...plain });
  for (const h of view.hosts) hosts.push(hostRow(h));
  const lines = [`infrastructure ${view.name}: ${view.hosts.length} host${view.hosts.length === 1 ? '' : 's'}, ${view.bookings.length} member${view.bookings.length === 1 ? '' : 's'} placed`, hosts.toString()];
  if (view.spares && view.spares.length > 0) lines.push(`spares: ${view.spares.map((sp) => `${sp.id} (${sp.address})`).join(', ')}`);
  if (view.headroom) lines.push(...headroomLines(view.headroom));
  lines.push(`address pools: ${view.pools.map((p) => `${p.id} ${p.cidr} (/${p.subnetPrefixLength} subnets)`).join(', ')}`);
  if (view.subnets.length === 0) {
    lines.push('no subnets allocated');
  } else {
    const subnets = new Table({ head: ['subnet', 'owner', 'pool', 'gateway', 'addresses used'], ...plain });
    for (const s of view.subnets) subnets.push(subnetRow(s));
    lines.push(subnets.toString());
    // Routed networks: which block of the subnet each host holds.
    for (const s of view.subnets.filter((x) => x.blocks)) lines.push(`blocks of ${s.cidr} (${s.owner}): ${Object.entries(s.blocks!).sort(([a], [b]) => a.localeCompare(b)).map(([host, blocks]) => `${host} ${blocks.join(' ')}`).join(', ')}`);
  }
  // Views from workers before host policies carry none.
  if (view.policy !== undefined) lines.push(`host policy: ${policyLines(view.policy).join('; ')}`);
  return lines.join('\n');
}
