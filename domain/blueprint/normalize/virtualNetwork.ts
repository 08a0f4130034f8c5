// The seed's network entity, written among the services in Brooklyn style:
//   - type: brooklyn.networking.VirtualNetwork
//     networkId: database-net
//     cidr: 192.168.34.0/24
//     gateway: 192.168.34.1
//     dnsServers: [ $brooklyn:entity("bind-server").attributeWhenReady("host.address") ]
//     addIptablesRules: true
// → a native network `{ id, cidr, gateway, dnsServers, addIptablesRules }`.
import type { FieldPath } from '../fieldPath';
import type { SourcePositions } from '../sourcePositions';
import { isPlainMap, type PlainMap } from './plainData';

export function normalizeVirtualNetwork(entry: PlainMap, from: FieldPath, to: FieldPath, positions: SourcePositions): PlainMap {
  positions.recordMove(to, from);
  const out: PlainMap = {};
  const config = isPlainMap(entry['brooklyn.config']) ? entry['brooklyn.config'] : {};
  const fields: [string, unknown, FieldPath][] = [
    ...Object.entries(entry).map(([k, v]): [string, unknown, FieldPath] => [k, v, [...from, k]]),
    ...Object.entries(config).map(([k, v]): [string, unknown, FieldPath] => [k, v, [...from, 'brooklyn.config', k]]),
  ];
  for (const [key, value, origin] of fields) {
    if (key === 'type' || key === 'brooklyn.config') continue;
    const name = key === 'networkId' ? 'id' : key === 'name' ? 'description' : key;
    out[name] = name === 'dnsServers' && typeof value === 'string' ? [value] : value;
    positions.recordMove([...to, name], origin);
  }
  return out;
}
