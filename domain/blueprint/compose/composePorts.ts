// Compose `ports` and `expose` → native long-form ports, one per port (a range becomes one
// entry per port, each pointing back at the range's position).
//
//   "80", 80             published on a free host port (Compose publishes a bare port)
//   "8080:80"            host port 8080
//   "127.0.0.1:9229:9229", "[::1]:8080:80", "127.0.0.1::80"   bound to that host address only
//   "8000-8002:80-82", "3000-3005", "53:53/udp"               ranges, protocols
//   { target, published, host_ip, protocol, mode, app_protocol, name }
//   expose: ["3000", "8000-8010", 9090]                        opened, not published
import type { FieldPath } from '../fieldPath';
import { isPlainMap, type PlainMap } from '../normalize/plainData';
import { describe, type Notes } from './notes';

interface Range {
  first: number;
  last: number;
  text: string;
}

const shape = 'expected a port like "80", "8080:80", "127.0.0.1:8080:80", "8000-8002:80-82" or "53:53/udp"';

function range(text: string, lowest: number): Range | string {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!match) return `"${text}" is not a port or a range of ports`;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < lowest || last > 65535) return `port numbers must be between ${lowest} and 65535, got "${text}"`;
  if (first > last) return `the range "${text}" ends before it starts`;
  return { first, last, text };
}

const size = (r: Range): number => r.last - r.first + 1;

function protocolOf(text: string, path: FieldPath, notes: Notes): 'tcp' | 'udp' | undefined {
  if (text === 'tcp' || text === 'udp') return text;
  notes.refuse(path, `ports: protocol "${text}" is not supported (tcp or udp)`);
  return undefined;
}

/** One native entry per container port; `host` absent: a free host port for each. */
function pairUp(container: Range, host: Range | undefined, protocol: 'tcp' | 'udp', hostIp: string | undefined, path: FieldPath, notes: Notes): PlainMap[] {
  if (host !== undefined && size(host) !== size(container)) {
    notes.refuse(
      path,
      size(container) === 1
        ? `ports: the host range ${host.text} for the one container port ${container.text} is not supported (Compose takes any free port in it): give one host port, or none for any free port`
        : `ports: the host range ${host.text} has ${size(host)} ports but the container range ${container.text} has ${size(container)}`,
    );
    return [];
  }
  const out: PlainMap[] = [];
  for (let i = 0; i < size(container); i++) {
    const entry: PlainMap = { containerPort: container.first + i, hostPort: host === undefined ? 0 : host.first + i, protocol };
    if (hostIp !== undefined) entry['hostIp'] = hostIp;
    out.push(entry);
  }
  return out;
}

function shortPort(text: string, path: FieldPath, notes: Notes): PlainMap[] {
  let rest = text.trim();
  let protocol: 'tcp' | 'udp' | undefined = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = protocolOf(rest.slice(slash + 1), path, notes);
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']:');
    hostIp = end < 0 ? undefined : rest.slice(1, end);
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  const parts = rest.split(':');
  if (parts.length === 3 && hostIp === undefined) hostIp = parts.shift();
  const [first, second] = parts;
  if (parts.length > 2 || first === undefined || (first === '' && (hostIp === undefined || second === undefined)) || second === '' || hostIp === '') {
    notes.refuse(path, `ports: ${shape}, got "${text}"`);
    return [];
  }
  const container = range(second ?? first, 1);
  const host = second === undefined || (hostIp !== undefined && first === '') ? undefined : range(first, 0);
  for (const r of [container, host]) if (typeof r === 'string') notes.refuse(path, `ports: ${r}`);
  if (typeof container === 'string' || typeof host === 'string' || protocol === undefined) return [];
  return pairUp(container, host, protocol, hostIp, path, notes);
}

const longKeys = ['target', 'published', 'host_ip', 'protocol', 'mode', 'app_protocol', 'name'];

function longPort(value: PlainMap, path: FieldPath, notes: Notes): PlainMap[] {
  for (const key of Object.keys(value)) if (!longKeys.includes(key)) notes.refuse([...path, key], `ports.${key} is not supported`, 'key');
  const target = value['target'];
  const container = typeof target === 'number' || typeof target === 'string' ? range(String(target), 1) : 'ports.target (the container port) is required';
  const published = value['published'];
  const host = published === undefined ? undefined : typeof published === 'number' || typeof published === 'string' ? range(String(published), 0) : `ports.published: expected a port, got ${describe(published)}`;
  if (typeof container === 'string') notes.refuse([...path, ...(target === undefined ? [] : ['target'])], container.startsWith('ports.') ? container : `ports.target: ${container}`);
  if (typeof host === 'string') notes.refuse([...path, 'published'], host.startsWith('ports.') ? host : `ports.published: ${host}`);
  const protocol = value['protocol'] === undefined ? 'tcp' : protocolOf(String(value['protocol']), [...path, 'protocol'], notes);
  const hostIp = value['host_ip'];
  if (hostIp !== undefined && typeof hostIp !== 'string') notes.refuse([...path, 'host_ip'], `ports.host_ip: expected an address, got ${describe(hostIp)}`);
  if (typeof container === 'string' || typeof host === 'string' || protocol === undefined || (hostIp !== undefined && typeof hostIp !== 'string')) return [];
  // Swarm's `mode` (ingress/host) does nothing outside Swarm; each member publishes on its own host.
  return pairUp(container, host, protocol, hostIp, path, notes);
}

/** One Compose `ports` element → native long-form ports (none when refused). */
export function composePorts(value: unknown, path: FieldPath, notes: Notes): PlainMap[] {
  if (isPlainMap(value)) return longPort(value, path, notes);
  if (typeof value === 'string') return shortPort(value, path, notes);
  if (typeof value === 'number' && Number.isInteger(value)) return shortPort(String(value), path, notes);
  notes.refuse(path, `ports: ${shape}, got ${describe(value)}`);
  return [];
}

/** One Compose `expose` element → native ports that are opened but not published. */
export function composeExpose(value: unknown, path: FieldPath, notes: Notes): PlainMap[] {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const [ports = '', protocolText = 'tcp', ...extra] = (text ?? '').split('/');
  const protocol = protocolOf(protocolText, path, notes);
  const r = range(ports, 1);
  if (text === undefined || extra.length > 0 || typeof r === 'string') {
    notes.refuse(path, `expose: expected a port like "3000", "8000-8010" or "53/udp", got ${describe(value)}`);
    return [];
  }
  if (protocol === undefined) return [];
  return Array.from({ length: size(r) }, (_, i) => ({ containerPort: r.first + i, protocol }));
}
