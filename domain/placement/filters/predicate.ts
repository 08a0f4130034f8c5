// The user's own rule over host attributes, e.g. `cpus >= 4 and labels.disk == "ssd"`.
// Compiled once per batch; evaluated once per host because its inputs do not move.
import type { PlacementConstraints } from '../model';
import { compilePredicate } from '../predicate/compilePredicate';
import { hostAttributes } from '../predicate/hostAttributes';
import type { HostFilter } from './hostFilter';

export function predicateFilter(constraints: PlacementConstraints): HostFilter | undefined {
  const expression = constraints.predicate;
  if (expression === undefined || expression.trim() === '') return undefined;
  const predicate = compilePredicate(expression);
  return {
    name: 'predicate',
    dynamic: false,
    reject: ({ host }) => {
      const outcome = predicate(hostAttributes(host));
      if (outcome === true) return undefined;
      if (outcome === false) return `fails predicate ${expression}`;
      return `predicate error: ${outcome.error}`;
    },
  };
}
