// The seed's network entity, written among the services in Brooklyn style:
//   - type: brooklyn.networking.VirtualNetwork
//     networkId: database-net
//     cidr: 192.168.34.0/24
//     gateway: 192.168.34.1
//     dnsServers: [ $brooklyn:entity("bind-server").attributeWhenReady("host.address") ]
//     addIptablesRules: true
// → a native network `{ id, cidr, gateway, dnsServers, addIptablesRules }`. Enrichers and
// policies attached to it are handled like a service's (brooklynTypes.ts); catalog
// metadata is ignored.
import type { FieldPath } from '../fieldPath';
import type { Reporter } from '../reporter';
import { brooklynClassListKeys, rejectClassList } from './brooklynTypes';
import { cosmeticKeys } from './catalogMetadata';
import { isPlainMap, type PlainMap } from './plainData';

export function normalizeVirtualNetwork(entry: PlainMap, from: FieldPath, to: FieldPath, reporter: Reporter): PlainMap {
  const positions = reporter.positions;
  positions.recordMove(to, from);
  const out: PlainMap = {};
  const config = isPlainMap(entry['brooklyn.config']) ? entry['brooklyn.config'] : {};
  const fields: [string, unknown, FieldPath][] = [
    ...Object.entries(entry).map(([k, v]): [string, unknown, FieldPath] => [k, v, [...from, k]]),
    ...Object.entries(config).map(([k, v]): [string, unknown, FieldPath] => [k, v, [...from, 'brooklyn.config', k]]),
  ];
  for (const [key, value, origin] of fields) {
    if (key === 'type' || key === 'serviceType' || key === 'brooklyn.config' || cosmeticKeys.includes(key)) continue;
    if (key === 'id' && 'networkId' in entry) continue;
    if (brooklynClassListKeys.includes(key)) {
      rejectClassList(key, value, origin.slice(0, -1), reporter);
      continue;
    }
    // Clocker 1.x named the SDN `provider` (weave, calico); it is the network's driver here.
    const name = key === 'networkId' ? 'id' : key === 'name' ? 'description' : key === 'provider' ? 'driver' : key;
    out[name] = name === 'dnsServers' && typeof value === 'string' ? [value] : key === 'provider' && typeof value === 'string' ? value.toLowerCase() : value;
    positions.recordMove([...to, name], origin);
  }
  return out;
}
