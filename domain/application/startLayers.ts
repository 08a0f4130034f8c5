// Start order from `dependsOn`: layers of services whose dependencies are all in earlier
// layers. The blueprint loader rejects cycles up front; this guards anyway.
import type { ServiceSpec } from '../blueprint/model';

export function startLayers(services: readonly Pick<ServiceSpec, 'id' | 'dependsOn'>[]): string[][] {
  const remaining = new Map(services.map((s) => [s.id, new Set(s.dependsOn)]));
  const layers: string[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([id]) => id).sort();
    if (ready.length === 0) throw new Error(`dependency cycle among: ${[...remaining.keys()].join(', ')}`);
    for (const id of ready) remaining.delete(id);
    for (const deps of remaining.values()) for (const id of ready) deps.delete(id);
    layers.push(ready);
  }
  return layers;
}
