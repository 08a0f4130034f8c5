// What a running service publishes for others to reference (the blueprint's contract:
// `host.address`, `host.name`, `port.<containerPort>`, `ip.<network>`, `service.isUp`), and
// binding a service's environment to what its dependencies published.
import { bindAttributes, resolveValue, type PublishedAttributes } from '../blueprint/references/resolveValue';
import type { NetworkSpec, ServiceSpec, Template } from '../blueprint/model';
import { publishedAddress } from './publishedAddress';
import type { ServiceView } from './status';

/**
 * A service's attributes are those of its first running member (Brooklyn's cluster default),
 * plus lists over every running member, for balancers: `members.<port>` (published
 * `address:port,…`), `members.ip.<network>` (`ip,…`) and `members.<network>.<port>` (`ip:port,…`).
 */
export function serviceAttributes(view: ServiceView): Record<string, string> {
  const running = view.members.filter((m) => m.state === 'RUNNING');
  const member = running[0];
  if (!member) return { 'service.isUp': 'false' };
  const attributes: Record<string, string> = {
    'service.isUp': String(view.status === 'RUNNING'),
    'host.address': member.hostAddress,
    'host.name': member.hostId,
    'container.name': member.containerName,
  };
  for (const p of member.ports) if (p.boundHostPort !== undefined) attributes[`port.${p.containerPort}`] = String(p.boundHostPort);
  for (const [network, ip] of Object.entries(member.networks ?? {})) attributes[`ip.${network}`] = ip;
  const list = (values: (string | undefined)[]) => values.filter((v): v is string => v !== undefined).join(',');
  for (const p of member.ports) {
    const published = list(running.map((m) => {
      const q = m.ports.find((x) => x.containerPort === p.containerPort && x.protocol === p.protocol);
      const address = publishedAddress(m.hostAddress, q?.hostIp);
      return q?.boundHostPort === undefined || address === undefined ? undefined : `${address}:${q.boundHostPort}`;
    }));
    if (published) attributes[`members.${p.containerPort}`] = published;
  }
  for (const network of Object.keys(member.networks ?? {})) {
    attributes[`members.ip.${network}`] = list(running.map((m) => m.networks?.[network]));
    for (const p of member.ports) attributes[`members.${network}.${p.containerPort}`] = list(running.map((m) => m.networks?.[network] && `${m.networks[network]}:${p.containerPort}`));
  }
  return attributes;
}

export type BoundEnv = { ok: true; env: Record<string, Template> } | { ok: false; missing: string[] };

/** Every attribute reference replaced by its value; secrets stay references for the activity. */
export function bindServiceEnv(spec: ServiceSpec, attributes: PublishedAttributes): BoundEnv {
  const env: Record<string, Template> = {};
  const missing: string[] = [];
  for (const [key, template] of Object.entries(spec.envTemplates)) {
    const bound = bindAttributes(template, attributes);
    for (const p of bound.parts) if (p.kind === 'attribute') missing.push(`${key}: \${${p.service}.${p.attribute}}`);
    env[key] = bound;
  }
  return missing.length === 0 ? { ok: true, env } : { ok: false, missing };
}

export type ResolvedDns = { ok: true; dns: string[] } | { ok: false; missing: string[] };

/** The DNS servers of the networks a service joins, with references resolved (no secrets here). */
export function resolveDnsServers(networks: readonly NetworkSpec[], attributes: PublishedAttributes): ResolvedDns {
  const dns: string[] = [];
  const missing: string[] = [];
  for (const n of networks) {
    n.dnsServers.forEach((template, i) => {
      const bound = bindAttributes(template, attributes);
      const unresolved = bound.parts.filter((p) => p.kind !== 'text');
      if (unresolved.length > 0) missing.push(`networks ${n.id} dnsServers[${i}]`);
      else dns.push(bound.parts.map((p) => (p.kind === 'text' ? p.text : '')).join(''));
    });
  }
  return missing.length === 0 ? { ok: true, dns: [...new Set(dns)] } : { ok: false, missing };
}

export type BoundArgv = { ok: true; argv: string[] } | { ok: false; missing: string[] };

/** A service's `reload` argv with every reference resolved (the blueprint allows no secrets there). */
export function bindReloadArgv(spec: ServiceSpec, attributes: PublishedAttributes): BoundArgv {
  const argv: string[] = [];
  const missing: string[] = [];
  (spec.reload?.exec ?? []).forEach((template, i) => {
    const resolved = resolveValue(template, attributes);
    if (resolved.ok) argv.push(resolved.text);
    else missing.push(...resolved.missing.map((m) => `reload.exec[${i}]: \${${m}}`));
  });
  return missing.length === 0 ? { ok: true, argv } : { ok: false, missing };
}
