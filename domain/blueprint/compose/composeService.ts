// One Compose service → a native service entry. Every key is honoured, or warned about when
// leaving it out does not change what runs (composeKeys.ts), or refused at its position.
import type { FieldPath } from '../fieldPath';
import { isPlainMap, isScalar, type PlainMap } from '../normalize/plainData';
import type { SourcePositions } from '../sourcePositions';
import { composeConstraints, composeHealthcheck, keyValues } from './composeFields';
import { cosmeticKeys, refusedKeys } from './composeKeys';
import { composeExpose, composePorts } from './composePorts';
import { composeVolume, type VolumeContext } from './composeVolumes';
import { describe, type Notes } from './notes';
import { howToActivate } from './profiles';

export interface ServiceContext {
  notes: Notes;
  positions: SourcePositions;
  volumes: VolumeContext;
  /** Services left out because none of their profiles is active → their profiles. */
  dropped: ReadonlyMap<string, readonly string[]>;
}

export interface ComposedService {
  native: PlainMap;
  /** Indices in `native.volumes` of binds written relative to the Compose file. */
  fromFile: number[];
}

const restartPolicies = ['always', 'unless-stopped', 'on-failure'];
const dependsOnKeys = ['condition', 'required', 'restart'];
const honouredConditions = ['service_started', 'service_healthy'];
const networkKeys = ['aliases', 'ipv4_address'];
const buildKeys = ['context', 'dockerfile', 'args'];
/** Build options that change how fast an image builds, not what it holds. */
const buildCacheKeys = ['cache_from', 'cache_to', 'no_cache', 'pull'];

/** Values become text the way Compose writes them into the container (numbers, booleans). */
const text = (v: unknown): string => (isScalar(v) ? String(v) : '');

export function composeService(name: string, spec: unknown, ctx: ServiceContext, to: FieldPath): ComposedService {
  const { notes, positions } = ctx;
  const from = ['services', name];
  positions.recordMove(to, from);
  const out: PlainMap = { id: name };
  const fromFile: number[] = [];
  if (!isPlainMap(spec)) {
    if (spec !== null) notes.refuse(from, `a service is a map of settings, got ${describe(spec)}`);
    return { native: out, fromFile };
  }
  const field = (key: string, value: unknown, origin: FieldPath): void => {
    out[key] = value;
    positions.recordMove([...to, key], origin);
  };
  const ports: PlainMap[] = [];
  const addPorts = (entries: PlainMap[], origin: FieldPath): void => {
    for (const e of entries) {
      // A port both published and exposed is one port.
      if (e['hostPort'] === undefined && ports.some((p) => p['containerPort'] === e['containerPort'] && p['protocol'] === e['protocol'])) continue;
      positions.recordMove([...to, 'ports', ports.length], origin);
      ports.push(e);
    }
  };
  const dependsOn: string[] = [];
  const addDependency = (dep: string, origin: FieldPath, required: boolean, at: 'key' | 'value'): void => {
    const profiles = ctx.dropped.get(dep);
    if (profiles !== undefined) {
      const why = `"${dep}" is not deployed: none of its profiles (${profiles.join(', ')}) is active`;
      if (required) notes.refuse(origin, `depends_on ${why}; activate it with ${howToActivate(profiles)} (or COMPOSE_PROFILES)`, at);
      else notes.warn(origin, `depends_on ${why}; not waited for (required: false)`);
      return;
    }
    if (dependsOn.includes(dep)) return;
    positions.recordMove([...to, 'dependsOn', dependsOn.length], origin);
    dependsOn.push(dep);
  };
  const list = (value: unknown, at: FieldPath, what: string): unknown[] => {
    if (Array.isArray(value)) return value;
    notes.refuse(at, `${what}: expected a list, got ${describe(value)}`);
    return [];
  };

  for (const [key, value] of Object.entries(spec)) {
    const at = [...from, key];
    if (key.startsWith('x-') || key === 'profiles') continue;
    switch (key) {
      case 'image': case 'command': case 'entrypoint':
        if (value !== null) field(key, value, at);
        break;
      case 'labels':
        field('labels', Object.fromEntries(keyValues(value).map(([k, v]) => [k, v === null ? '' : v])), at);
        break;
      case 'build': composeBuild(value, at, field, notes); break;
      case 'environment': {
        const env: PlainMap = {};
        keyValues(value).forEach(([k, v], i) => {
          const origin = isPlainMap(value) ? [...at, k] : [...at, i];
          if (v === null || v === undefined) {
            notes.refuse(origin, `environment.${k} has no value (Compose would take it from the environment of whoever runs it): write the value, or "$secret:NAME"`);
            return;
          }
          // `${` starts a reference in a native env value; Compose meant the characters.
          env[k] = text(v).replaceAll('${', () => '$${');
          positions.recordMove([...to, 'env', k], origin);
        });
        field('env', env, at);
        break;
      }
      case 'ports':
        list(value, at, 'ports').forEach((v, i) => addPorts(composePorts(v, [...at, i], notes), [...at, i]));
        positions.recordMove([...to, 'ports'], at);
        break;
      case 'expose':
        list(value, at, 'expose').forEach((v, i) => addPorts(composeExpose(v, [...at, i], notes), [...at, i]));
        break;
      case 'volumes': {
        const volumes: PlainMap[] = [];
        list(value, at, 'volumes').forEach((v, i) => {
          const composed = composeVolume(v, [...at, i], ctx.volumes, notes);
          if (composed === undefined) return;
          if (composed.fromFile) fromFile.push(volumes.length);
          positions.recordMove([...to, 'volumes', volumes.length], [...at, i]);
          volumes.push(composed.native);
        });
        field('volumes', volumes, at);
        break;
      }
      case 'networks': composeNetworks(value, at, field, notes); break;
      case 'depends_on':
        if (isPlainMap(value)) {
          for (const [dep, opts] of Object.entries(value)) {
            const o = isPlainMap(opts) ? opts : {};
            for (const k of Object.keys(o)) if (!dependsOnKeys.includes(k)) notes.refuse([...at, dep, k], `depends_on.${k} is not supported`, 'key');
            const condition = o['condition'];
            if (condition !== undefined && !honouredConditions.includes(String(condition))) {
              notes.refuse([...at, dep, 'condition'], `depends_on.condition ${describe(condition)} is not supported (service_started or service_healthy: Clocker waits until the service is up and healthy)`);
            }
            if (o['restart'] === true) notes.refuse([...at, dep, 'restart'], `depends_on.restart: true is not supported: Clocker does not restart "${name}" when "${dep}" is updated`);
            addDependency(dep, [...at, dep], o['required'] !== false, 'key');
          }
        } else list(value, at, 'depends_on').forEach((dep, i) => addDependency(text(dep), [...at, i], true, 'value'));
        break;
      case 'links':
        list(value, at, 'links').forEach((link, i) => {
          const [service = '', alias] = text(link).split(':');
          if (alias !== undefined && alias !== service) notes.refuse([...at, i], `links: the alias "${alias}" is not supported: reach the service by its name "${service}"`);
          else addDependency(service, [...at, i], true, 'value');
        });
        break;
      case 'healthcheck': {
        const health = composeHealthcheck(value, at, notes);
        if (health !== undefined) field('health', health, at);
        break;
      }
      case 'restart': {
        const [policy = '', attempts] = text(value).split(':');
        if (restartPolicies.includes(policy) && (attempts === undefined || policy === 'on-failure')) {
          field('policies', { restarter: attempts === undefined ? {} : { maxRestarts: Number(attempts) } }, at);
        } else if (value !== 'no') notes.refuse(at, `restart ${describe(value)} is not supported (no, always, unless-stopped, on-failure[:N])`);
        break;
      }
      case 'deploy': composeDeploy(value, at, to, out, ctx); break;
      case 'scale': field('count', value, at); break;
      case 'cpus': field('resources', { ...(out['resources'] as PlainMap | undefined), cpus: typeof value === 'string' ? Number(value) : value }, at); break;
      case 'mem_limit': field('resources', { ...(out['resources'] as PlainMap | undefined), memory: value }, at); break;
      case 'user': field('user', value, at); break;
      case 'working_dir': field('workingDir', value, at); break;
      case 'hostname': field('hostname', value, at); break;
      case 'init': field('init', value, at); break;
      // Honoured as written; the infrastructure's host policy decides at the preflight (domain/infra/hostPolicy.ts).
      case 'privileged': field('privileged', value, at); break;
      case 'cap_add': field('capAdd', value, at); break;
      case 'pid':
        if (value === 'host') field('pid', value, at);
        else notes.refuse(at, `pid ${describe(value)} is not supported: sharing another container's process namespace reaches outside this one (only "host", when the infrastructure's host policy allows it)`);
        break;
      case 'stop_signal': field('stopSignal', value, at); break;
      case 'dns': field('dns', typeof value === 'string' ? [value] : value, at); break;
      case 'extra_hosts':
        // "name:address", "name=address" or { name: address }: Docker takes "name:address".
        field('extraHosts', isPlainMap(value) ? Object.entries(value).map(([h, ip]) => `${h}:${text(ip)}`) : list(value, at, 'extra_hosts').map((e) => text(e).replace(/^([^:=]+)=/, '$1:')), at);
        break;
      case 'pull_policy':
        // Clocker pulls an image a host lacks (Compose's default) and builds when there is `build`.
        if (!['missing', 'if_not_present', ...(spec['build'] !== undefined ? ['build'] : [])].includes(text(value))) {
          notes.refuse(at, `pull_policy ${describe(value)} is not supported: Clocker pulls an image when the host lacks it`);
        }
        break;
      default: {
        const cosmetic = cosmeticKeys[key];
        if (cosmetic !== undefined) notes.warn(at, `"${key}" is ignored: ${cosmetic}`);
        else notes.refuse(at, `"${key}" is not supported${refusedKeys[key] !== undefined ? `: ${refusedKeys[key]}` : ''}`, 'key');
      }
    }
  }
  if (ports.length > 0) out['ports'] = ports;
  if (dependsOn.length > 0) out['dependsOn'] = dependsOn;
  return { native: out, fromFile };
}

type Field = (key: string, value: unknown, origin: FieldPath) => void;

function composeBuild(value: unknown, at: FieldPath, field: Field, notes: Notes): void {
  if (!isPlainMap(value)) {
    field('build', value, at);
    return;
  }
  const build: PlainMap = { context: value['context'] ?? '.' };
  if (value['dockerfile'] !== undefined) build['dockerfile'] = value['dockerfile'];
  if (value['args'] !== undefined) {
    const args: PlainMap = {};
    keyValues(value['args']).forEach(([k, v], i) => {
      if (v === null || v === undefined) notes.refuse([...at, 'args', isPlainMap(value['args']) ? k : i], `build.args.${k} has no value (Compose would take it from the environment of whoever runs it): write the value`);
      else args[k] = v;
    });
    build['args'] = args;
  }
  for (const k of Object.keys(value)) {
    if (buildKeys.includes(k)) continue;
    if (buildCacheKeys.includes(k)) notes.warn([...at, k], `build.${k} is ignored: it changes how the image is built, not what it holds`);
    else notes.refuse([...at, k], `build.${k} is not supported`, 'key');
  }
  field('build', build, at);
}

function composeNetworks(value: unknown, at: FieldPath, field: Field, notes: Notes): void {
  if (!isPlainMap(value)) {
    field('networks', value, at);
    return;
  }
  field(
    'networks',
    Object.entries(value).map(([network, opts]) => {
      const o = isPlainMap(opts) ? opts : {};
      for (const k of Object.keys(o)) if (!networkKeys.includes(k)) notes.refuse([...at, network, k], `networks.${k} is not supported`, 'key');
      return { network, ...(o['aliases'] !== undefined && { aliases: o['aliases'] }), ...(o['ipv4_address'] !== undefined && { ipv4Address: o['ipv4_address'] }) };
    }),
    at,
  );
}

/** Keys of deploy.update_config / rollback_config that pace a rollout but do not change what runs. */
const pacingKeys = ['delay', 'failure_action', 'monitor', 'max_failure_ratio'];

function composeDeploy(value: unknown, from: FieldPath, to: FieldPath, out: PlainMap, ctx: ServiceContext): void {
  const { notes, positions } = ctx;
  if (!isPlainMap(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const at = [...from, key];
    if (key === 'replicas') (out['count'] = v), positions.recordMove([...to, 'count'], at);
    else if (key === 'mode') {
      if (v !== 'replicated') notes.refuse(at, `deploy.mode ${describe(v)} is not supported (replicated: give deploy.replicas)`);
    } else if (key === 'resources' && isPlainMap(v)) {
      const limits = isPlainMap(v['limits']) ? v['limits'] : undefined;
      if (limits === undefined && v['reservations'] !== undefined) {
        notes.refuse([...at, 'reservations'], 'deploy.resources.reservations without limits is not supported: Clocker limits a member to what it reserves, so give limits');
      } else if (v['reservations'] !== undefined) notes.warn([...at, 'reservations'], 'deploy.resources.reservations is ignored beside limits: the limits are reserved');
      for (const k of Object.keys(v)) if (k !== 'limits' && k !== 'reservations') notes.refuse([...at, k], `deploy.resources.${k} is not supported`, 'key');
      for (const k of Object.keys(limits ?? {})) if (k !== 'cpus' && k !== 'memory') notes.refuse([...at, 'limits', k], `deploy.resources.limits.${k} is not supported`, 'key');
      const cpus = typeof limits?.['cpus'] === 'string' ? Number(limits['cpus']) : limits?.['cpus'];
      out['resources'] = { ...(cpus !== undefined && { cpus }), ...(limits?.['memory'] !== undefined && { memory: limits['memory'] }) };
      positions.recordMove([...to, 'resources'], at);
    } else if (key === 'placement' && isPlainMap(v)) {
      const constraints: PlainMap = { labels: composeConstraints(v['constraints'], [...at, 'constraints'], notes) };
      if (v['max_replicas_per_node'] !== undefined) constraints['maxPerHost'] = v['max_replicas_per_node'];
      out['placement'] = { constraints };
      positions.recordMove([...to, 'placement', 'constraints', 'maxPerHost'], [...at, 'max_replicas_per_node']);
      for (const k of Object.keys(v)) {
        if (k === 'preferences') notes.warn([...at, k], 'deploy.placement.preferences is ignored: it spreads members, it does not change what runs');
        else if (k !== 'constraints' && k !== 'max_replicas_per_node') notes.refuse([...at, k], `deploy.placement.${k} is not supported`, 'key');
      }
    } else if (key === 'update_config' && isPlainMap(v)) {
      // parallelism 0 means "all at once" in Swarm: one batch as large as any service gets.
      const parallelism = v['parallelism'];
      out['update'] = { ...(parallelism !== undefined && { batch: parallelism === 0 ? 1_000_000 : parallelism }), ...(v['order'] !== undefined && { order: v['order'] }) };
      positions.recordMove([...to, 'update'], at);
      for (const k of Object.keys(v)) {
        if (pacingKeys.includes(k)) notes.warn([...at, k], `deploy.update_config.${k} is ignored: it paces a rollout, it does not change what runs`);
        else if (k !== 'parallelism' && k !== 'order') notes.refuse([...at, k], `deploy.update_config.${k} is not supported`, 'key');
      }
    } else if (key === 'rollback_config') notes.warn(at, 'deploy.rollback_config is ignored: Clocker rolls a failed update back one member batch at a time');
    else if (key === 'restart_policy' && isPlainMap(v)) {
      const condition = v['condition'] ?? 'any';
      if (condition === 'any' || condition === 'on-failure') {
        const restarter: PlainMap = {};
        if (v['max_attempts'] !== undefined) restarter['maxRestarts'] = v['max_attempts'];
        if (v['window'] !== undefined) restarter['window'] = v['window'];
        out['policies'] = { restarter };
        positions.recordMove([...to, 'policies'], at);
      } else if (condition !== 'none') notes.refuse([...at, 'condition'], `deploy.restart_policy.condition ${describe(condition)} is not supported (none, on-failure, any)`);
      for (const k of Object.keys(v)) {
        if (k === 'delay') notes.warn([...at, k], 'deploy.restart_policy.delay is ignored: it paces restarts, it does not change what runs');
        else if (!['condition', 'max_attempts', 'window'].includes(k)) notes.refuse([...at, k], `deploy.restart_policy.${k} is not supported`, 'key');
      }
    } else if (key === 'labels' || key === 'endpoint_mode') notes.warn(at, `deploy.${key} is ignored: it describes a Swarm service, not its containers`);
    else notes.refuse(at, `deploy.${key} is not supported`, 'key');
  }
}
