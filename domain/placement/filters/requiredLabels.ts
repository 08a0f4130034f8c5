// Every required label must be on the host with exactly the required value. Labels are
// checked in sorted order so the reason names the same label on every replay.
import type { PlacementConstraints } from '../model';
import type { HostFilter } from './hostFilter';

export function requiredLabelsFilter(constraints: PlacementConstraints): HostFilter | undefined {
  const required = Object.entries(constraints.requiredLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (required.length === 0) return undefined;
  return {
    name: 'requiredLabels',
    dynamic: false,
    reject: ({ host }) => {
      for (const [key, value] of required) {
        if (!Object.prototype.hasOwnProperty.call(host.labels, key) || host.labels[key] !== value) {
          return `missing label ${key}=${value}`;
        }
      }
      return undefined;
    },
  };
}
