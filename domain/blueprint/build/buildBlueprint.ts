// Stage 4: the schema's output (defaults applied) → the model: values parsed into
// templates, config substituted, sizes and images settled, link variables added.
import { IPTABLES_RULES_NOTICE, ROUTED_NOTICE } from '../../application/preflight';
import type { Blueprint, NetworkSpec, Template } from '../model';
import type { Reporter } from '../reporter';
import type { RawBlueprint } from '../schema/blueprint';
import { buildService } from './buildService';
import { addLinkAlias, joinDefaultNetwork, sharedNetwork } from './defaultNetwork';
import { linkEnvironment } from './linkEnvironment';
import { referencedServices } from '../references/resolveValue';
import { ValueBuilder } from './valueBuilder';

export function buildBlueprint(raw: RawBlueprint, format: Blueprint['source']['format'], reporter: Reporter): Blueprint {
  const serviceConfig = new Map(raw.services.map((s) => [s.id, s.config]));
  const values = new ValueBuilder({ service: (id) => serviceConfig.get(id), blueprint: raw.config }, reporter);
  const declaredNetworks: NetworkSpec[] = raw.networks.map((n, i) => {
    const dnsServers = n.dnsServers.flatMap((text, j) => values.template(text, undefined, ['networks', i, 'dnsServers', j]) ?? []);
    const { description: _description, ...rest } = n;
    if (n.addIptablesRules) reporter.warn('network-isolation', ['networks', i, 'addIptablesRules'], IPTABLES_RULES_NOTICE);
    // Encryption is the overlay's (IPsec between hosts): said with the driver, never implied by a default that may be bridge.
    if (n.encrypted && n.driver !== 'overlay' && n.driver !== 'weave') {
      reporter.error('network.encrypted', ['networks', i, 'encrypted'], `encrypted: true needs \`driver: overlay\` (IPsec between the hosts of a swarm); ${n.driver ? `driver "${n.driver}"` : 'a network that names no driver'} cannot encrypt: add \`driver: overlay\` or remove encrypted`);
    }
    // The seed's Weave network (one L2 segment across hosts) runs as Docker's swarm overlay:
    // the Weave router is archived and cannot be installed here.
    if (n.driver === 'weave') {
      reporter.warn('network-driver-mapped', ['networks', i, 'driver'], 'driver "weave" runs as Docker\'s "overlay" driver (one L2 segment across the hosts, in a Docker swarm); the Weave router itself is not used');
      return { ...rest, driver: 'overlay', dnsServers };
    }
    // The seed's Calico network (routed L3, no encapsulation) runs as Clocker's `routed` driver:
    // Calico's agents (Felix, BIRD, etcd) cannot be installed here.
    if (n.driver === 'calico') {
      reporter.warn('network-driver-mapped', ['networks', i, 'driver'], ROUTED_NOTICE);
      return { ...rest, driver: 'routed', dnsServers };
    }
    return { ...rest, dnsServers };
  });
  const services = raw.services.map((s, i) => buildService(s, raw.name, ['services', i], values, reporter));
  // Implied dependencies on unknown services are reported where the reference is written;
  // declared ones (listed first) stay, for the cross-field checks to report.
  const ids = new Set(services.map((s) => s.id));
  services.forEach((s, i) => {
    const declared = raw.services[i]?.dependsOn.length ?? 0;
    s.dependsOn = s.dependsOn.filter((d, j) => j < declared || ids.has(d));
  });
  const networks = joinDefaultNetwork(declaredNetworks, services);
  // A service on a network whose DNS server is another service's address waits for that service,
  // as for any reference: its members are made with the address, which exists only once the DNS
  // service runs (the application starts services by dependsOn alone).
  for (const network of networks) {
    const dns = [...new Set(network.dnsServers.flatMap(referencedServices))].filter((d) => ids.has(d));
    for (const s of services.filter((x) => x.networks.some((a) => a.network === network.id))) {
      for (const d of dns) if (d !== s.id && !s.dependsOn.includes(d)) s.dependsOn.push(d);
    }
  }
  // Link variables need the target's ports and networks, so they come once every service is built.
  for (const service of services) {
    for (const link of service.links) {
      const target = services.find((s) => s.id === link.service);
      if (!target) continue;
      const network = sharedNetwork(service, target);
      if (network) addLinkAlias(target, network, link.alias);
      for (const [key, value] of Object.entries(linkEnvironment(link.alias, target.id, target.ports, network))) {
        if (!(key in service.env) && !(key in service.envTemplates)) service.envTemplates[key] = value;
      }
    }
  }
  const templates: Template[] = [...networks.flatMap((n) => n.dnsServers), ...services.flatMap((s) => Object.values(s.envTemplates))];
  const secrets = [...new Set(templates.flatMap((t) => t.parts.flatMap((p) => (p.kind === 'secret' ? [p.name] : []))))].sort();
  return { name: raw.name, location: raw.location, services, networks, secrets, source: { file: reporter.file, format } };
}
