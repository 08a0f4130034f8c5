// Stage 5: rules that span fields — unique ids, targets that exist, names Docker accepts,
// host paths that stay where they should, and no dependency cycles.
import type { FieldPath } from './fieldPath';
import { dependencyEdges, findCycles } from './dependencyGraph';
import { didYouMean } from './didYouMean';
import type { Blueprint } from './model';
import type { Reporter } from './reporter';
import { checkHostPaths } from './hostPaths';
import { ipv4InCidr } from './ipv4';

function checkUnique(ids: string[], kind: string, path: (i: number) => FieldPath, reporter: Reporter): void {
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) reporter.error('id.duplicate', path(i), `${kind} id "${id}" is already used by ${kind} ${ids.indexOf(id) + 1}`);
  });
}

export function crossChecks(blueprint: Blueprint, reporter: Reporter): void {
  const serviceIds = blueprint.services.map((s) => s.id);
  const networkIds = blueprint.networks.map((n) => n.id);
  checkUnique(serviceIds, 'service', (i) => ['services', i, 'id'], reporter);
  checkUnique(networkIds, 'network', (i) => ['networks', i, 'id'], reporter);
  const target = (id: string, self: string | undefined, path: FieldPath, what: string): void => {
    if (id === self) reporter.error('ref.self', path, `${what} "${id}" is the service itself`);
    else if (!serviceIds.includes(id)) reporter.error('ref.unknownService', path, `${what} "${id}" is not a service of this blueprint${didYouMean(id, serviceIds)}`);
  };
  blueprint.services.forEach((s, i) => {
    const at = (...rest: (string | number)[]): FieldPath => ['services', i, ...rest];
    s.dependsOn.forEach((d, j) => target(d, s.id, at('dependsOn', j), 'dependsOn names'));
    s.links.forEach((l) => target(l.service, s.id, at('links', l.alias), 'link target'));
    for (const [key, value] of Object.entries(s.envTemplates)) {
      for (const part of value.parts) if (part.kind === 'attribute') target(part.service, s.id, at('env', key), 'reference to');
    }
    s.reload?.exec.forEach((value, j) => {
      for (const part of value.parts) if (part.kind === 'attribute') target(part.service, s.id, at('reload', 'exec', j), 'reference to');
    });
    s.networks.forEach((a, j) => {
      if (!networkIds.includes(a.network)) reporter.error('ref.unknownNetwork', at('networks', j), `network "${a.network}" is not declared under networks${didYouMean(a.network, networkIds)}`);
    });
    const seenPorts = new Set<string>();
    s.ports.forEach((p, j) => {
      const key = `${p.containerPort}/${p.protocol}`;
      if (seenPorts.has(key)) reporter.error('port.duplicate', at('ports', j), `port ${key} is listed twice`);
      seenPorts.add(key);
    });
    for (const label of Object.keys(s.labels)) {
      if (label.startsWith('io.clocker.')) reporter.error('label.reserved', at('labels', label), `label "${label}": the io.clocker.* namespace is reserved`);
    }
    const a = s.policies.autoscaler;
    if (a && a.minSize > a.maxSize) reporter.error('policy.range', at('policies', 'autoscaler'), `autoscaler minSize (${a.minSize}) is above maxSize (${a.maxSize})`);
    // The worker reads a custom metric over the member's published port.
    if (a?.source && !s.ports.some((p) => p.containerPort === a.source?.port && p.protocol === 'tcp')) {
      reporter.error('policy.source', at('policies', 'autoscaler', 'source', 'port'), `autoscaler source port ${a.source.port} is not among the service's ports: publish it (ports: ["0:${a.source.port}"]) so the worker can read the metric`);
    }
    checkHostPaths(s, at, reporter);
  });
  blueprint.networks.forEach((n, i) => {
    for (const part of n.dnsServers.flatMap((t) => t.parts)) {
      if (part.kind === 'attribute') target(part.service, undefined, ['networks', i, 'dnsServers'], 'reference to');
    }
    if (n.gateway !== undefined && n.cidr !== undefined && !ipv4InCidr(n.gateway, n.cidr)) {
      reporter.error('network.gateway', ['networks', i, 'gateway'], `gateway ${n.gateway} is not inside ${n.cidr}`);
    }
  });
  reportCycles(blueprint, reporter);
}

function reportCycles(blueprint: Blueprint, reporter: Reporter): void {
  // A service naming itself is reported where it is named (ref.self), not as a cycle too.
  for (const cycle of findCycles(dependencyEdges(blueprint)).filter((c) => c.length > 2)) {
    const index = blueprint.services.findIndex((s) => s.id === cycle[0]);
    reporter.error('graph.cycle', ['services', index, 'id'], `dependency cycle: ${cycle.join(' → ')}`);
  }
}
