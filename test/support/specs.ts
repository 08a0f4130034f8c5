// Complete ServiceSpec and Blueprint values for tests, from the few fields a test cares about.
import type { Blueprint, ServiceSpec } from '../../domain/blueprint/model';

export function serviceSpec(fields: Partial<ServiceSpec> & Pick<ServiceSpec, 'id' | 'image'>): ServiceSpec {
  const count = fields.count ?? 1;
  return {
    env: {},
    envTemplates: {},
    ports: [],
    count,
    size: { initial: count, min: count, max: count },
    labels: {},
    dependsOn: [],
    volumes: [],
    networks: [],
    links: [],
    resources: {},
    placement: { strategies: [], constraints: { labels: {}, regions: [], zones: [] } },
    policies: {},
    ...fields,
  };
}

export function blueprint(name: string, services: ServiceSpec[], location = 'local'): Blueprint {
  return { name, location, services, networks: [], secrets: [], source: { file: `${name}.yaml`, format: 'native' } };
}
