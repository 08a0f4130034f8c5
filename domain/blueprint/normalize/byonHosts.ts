// The machines a Brooklyn `byon` ("bring your own nodes") location lists, in either spelling:
//   byon:(hosts="10.0.0.1,10.0.0.2",user=ubuntu,privateKeyFile=~/.ssh/id_rsa)
//   { byon: { user: ubuntu, privateKeyFile: ~/.ssh/id_rsa, hosts: [10.0.0.1, "deploy@10.0.0.2:2222"] } }
// Here machines make an infrastructure (`clocker infra create`), so these only feed the
// message that says so, with the infra file the hosts would make.
import { isPlainMap, isScalar, type PlainMap } from './plainData';

export interface ByonHost {
  address: string;
  user?: string;
  port?: number;
}

export interface ByonHosts {
  hosts: ByonHost[];
  user?: string;
  key?: string;
  /** A password was given; it is never copied into a message. */
  password: boolean;
}

const specPattern = /^byon:?\s*\(([\s\S]*)\)\s*$/;

/** `byon:(k=v,k="a,b")` → its arguments; undefined if the text is not a byon spec. */
export function byonSpecArguments(text: string): PlainMap | undefined {
  const body = specPattern.exec(text.trim())?.[1];
  if (body === undefined) return text.trim() === 'byon' ? {} : undefined;
  const args: PlainMap = {};
  const argument = /\s*([\w.-]+)\s*=\s*("([^"]*)"|'([^']*)'|[^,]*)\s*(?:,|$)/gy;
  for (let m = argument.exec(body); m !== null && m[0] !== ''; m = argument.exec(body)) {
    args[m[1] as string] = (m[3] ?? m[4] ?? m[2] ?? '').trim();
  }
  return args;
}

/** `10.0.0.{1,2}` and `10.0.0.{1-3}` expand as Brooklyn's byon did. */
export function expandBraces(text: string): string[] {
  const m = /\{([^{}]*)\}/.exec(text);
  if (m === null) return [text];
  const [before, after] = [text.slice(0, m.index), text.slice(m.index + m[0].length)];
  const choices = (m[1] as string).split(',').flatMap((choice) => {
    const range = /^(\d+)-(\d+)$/.exec(choice.trim());
    if (range === null) return [choice.trim()];
    const [from, to] = [Number(range[1]), Number(range[2])];
    return to >= from && to - from < 1024 ? Array.from({ length: to - from + 1 }, (_, i) => String(from + i)) : [choice.trim()];
  });
  return choices.flatMap((choice) => expandBraces(`${before}${choice}${after}`));
}

function hostFromText(text: string): ByonHost {
  const m = /^(?:([^@\s]+)@)?([^:\s]+)(?::(\d+))?$/.exec(text.trim());
  if (m === null) return { address: text.trim() };
  return { address: m[2] as string, ...(m[1] !== undefined && { user: m[1] }), ...(m[3] !== undefined && { port: Number(m[3]) }) };
}

function hostList(value: unknown): ByonHost[] {
  const items = typeof value === 'string' ? splitOutsideBraces(value) : Array.isArray(value) ? value : [];
  return items.flatMap((item): ByonHost[] => {
    if (isScalar(item)) return expandBraces(String(item).trim()).filter((h) => h !== '').map(hostFromText);
    if (!isPlainMap(item)) return [];
    const address = ['ssh', 'address', 'host', 'hostname'].map((k) => item[k]).find(isScalar);
    if (address === undefined) return [];
    const host = hostFromText(String(address));
    return [{ ...host, ...(typeof item['user'] === 'string' && { user: item['user'] }) }];
  });
}

function splitOutsideBraces(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === ',' && depth === 0) (parts.push(current), (current = ''));
    else {
      depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      current += ch;
    }
  }
  return [...parts, current].map((p) => p.trim()).filter((p) => p !== '');
}

/** Hosts and login from a byon location's settings (spec arguments, a map, or its brooklyn.config). */
export function byonHostsFrom(settings: PlainMap): ByonHosts {
  const config = isPlainMap(settings['brooklyn.config']) ? { ...settings, ...settings['brooklyn.config'] } : settings;
  const text = (k: string): string | undefined => (isScalar(config[k]) ? String(config[k]) : undefined);
  const key = text('privateKeyFile') ?? text('privateKeyFiles') ?? text('keyFile');
  const user = text('user');
  return {
    hosts: hostList(config['hosts']),
    ...(user !== undefined && { user }),
    ...(key !== undefined && { key }),
    password: config['password'] !== undefined,
  };
}

/** A location value naming byon machines: a spec string, `{byon: {...}}`, or `{"byon:(…)": {...}}`. */
export function byonLocation(value: unknown): ByonHosts | undefined {
  if (typeof value === 'string') {
    const args = byonSpecArguments(value);
    return args === undefined ? undefined : byonHostsFrom(args);
  }
  if (!isPlainMap(value)) return undefined;
  const [name, settings] = Object.entries(value)[0] ?? [];
  if (name === undefined) return undefined;
  const args = byonSpecArguments(name);
  if (args === undefined) return undefined;
  return byonHostsFrom({ ...args, ...(isPlainMap(settings) ? settings : {}) });
}
