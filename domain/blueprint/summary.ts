// The one-liner `clocker validate` prints for a valid blueprint.
import { startOrder } from './dependencyGraph';
import type { Blueprint } from './model';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** e.g. `shop: 3 services, 5 containers, 1 network; start order: db, cache → web → lb` */
export function summary(blueprint: Blueprint): string {
  const containers = blueprint.services.reduce((n, s) => n + s.count, 0);
  const order = startOrder(blueprint).map((layer) => layer.join(', ')).join(' → ');
  return `${blueprint.name}: ${plural(blueprint.services.length, 'service')}, ${plural(containers, 'container')}, ${plural(blueprint.networks.length, 'network')}; start order: ${order}`;
}
