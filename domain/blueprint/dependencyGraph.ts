// Which service waits for which: declared `dependsOn` (the model builder already adds
// services named by references and links), plus networks whose DNS servers are a service's
// address (services on that network wait for it). Cycles are errors; the order is layers.
import type { Blueprint } from './model';
import { referencedServices } from './references/resolveValue';

/** service id → the services it waits for, in declaration order. */
export function dependencyEdges(blueprint: Blueprint): Map<string, string[]> {
  const edges = new Map<string, string[]>(blueprint.services.map((s) => [s.id, [...s.dependsOn]]));
  for (const network of blueprint.networks) {
    const dnsServices = network.dnsServers.flatMap(referencedServices);
    for (const service of blueprint.services) {
      if (!service.networks.some((a) => a.network === network.id)) continue;
      const waits = edges.get(service.id) ?? [];
      for (const dns of dnsServices) if (dns !== service.id && !waits.includes(dns)) waits.push(dns);
      edges.set(service.id, waits);
    }
  }
  return edges;
}

/**
 * Every distinct cycle, each as a path that returns to its start: ['a', 'b', 'a']. Depth-first
 * with an explicit stack, not recursion: a chain of 10,000 services must not exhaust the call stack.
 */
export function findCycles(edges: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  /** Per open node on `stack`, the index of the next edge to follow. */
  const nextEdge: number[] = [];
  const open = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    nextEdge.push(0);
  };
  for (const root of edges.keys()) {
    if (state.has(root)) continue;
    open(root);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top] as string;
      const outgoing = edges.get(node) ?? [];
      const i = nextEdge[top] as number;
      if (i >= outgoing.length) {
        stack.pop();
        nextEdge.pop();
        state.set(node, 'done');
        continue;
      }
      nextEdge[top] = i + 1;
      const next = outgoing[i] as string;
      if (!edges.has(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const key = [...cycle.slice(1)].sort().join('\u0000');
        if (!seen.has(key)) cycles.push(cycle), seen.add(key);
      } else if (!state.has(next)) open(next);
    }
  }
  return cycles;
}

/**
 * Start order as layers: every service in a layer waits only for earlier layers, so a layer
 * can start in parallel. Within a layer, declaration order. Services caught in a cycle (only
 * possible for an unvalidated blueprint) come last, together.
 */
export function startOrder(blueprint: Blueprint): string[][] {
  const edges = dependencyEdges(blueprint);
  const started = new Set<string>();
  const layers: string[][] = [];
  let remaining = blueprint.services.map((s) => s.id);
  while (remaining.length > 0) {
    const ready = remaining.filter((id) => (edges.get(id) ?? []).every((d) => started.has(d) || !edges.has(d)));
    const layer = ready.length > 0 ? ready : remaining;
    layers.push(layer);
    layer.forEach((id) => started.add(id));
    remaining = remaining.filter((id) => !started.has(id));
  }
  return layers;
}
