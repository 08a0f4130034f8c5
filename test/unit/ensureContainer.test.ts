// The create path's Docker round trips, counted on an in-memory engine: a new member costs
// create + start (+ one image inspect per host and image), an inspect after start only when
// Docker picks a port or an address, and a retried attempt adopts (create's 409, then one
// inspect) instead of creating a second container.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import type Docker from 'dockerode';
import { containerActivities, memberContainers, type ContainerInfo, type EnsureContainerInput, type MemberRemoval } from '../../activities/docker/containers';
import { healthWait } from '../../activities/docker/health';
import { startMemberActivities } from '../../activities/docker/startMember';
import { knownAfterStart } from '../../activities/docker/containerOptions';
import type { DockerEndpoint } from '../../domain/infra/model';
import type { PortSpec } from '../../domain/blueprint/model';
import { serviceSpec } from '../support/specs';

interface FakeContainer {
  Id: string;
  Config: { Labels: Record<string, string> };
  State: { Running: boolean; StartedAt?: string };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[]>; Networks: Record<string, { IPAddress: string }> };
}

const notFound = () => Object.assign(new Error('not found'), { statusCode: 404 });

/** Just enough of dockerode for ensureContainer; every call is written to `calls`. */
function fakeEngine() {
  const calls: string[] = [];
  const containers = new Map<string, FakeContainer>();
  const images = new Set(['clocker/busybox:1']);
  let nextPort = 32_000;
  // Docker takes a name or an id; the map is by name.
  const byNameOrId = (key: string) => (containers.has(key) ? key : ([...containers].find(([, c]) => c.Id === key)?.[0] ?? key));
  const container = (key: string) => {
    const name = byNameOrId(key);
    return {
      inspect: async () => {
        calls.push(`inspect ${name}`);
        const c = containers.get(name);
        if (!c) throw notFound();
        return structuredClone(c);
      },
      start: async () => {
        calls.push(`start ${name}`);
        const c = containers.get(name);
        if (!c) throw notFound();
        c.State.Running = true;
        c.State.StartedAt = new Date().toISOString();
        for (const bindings of Object.values(c.NetworkSettings.Ports)) for (const b of bindings) if (b.HostPort === '') b.HostPort = String(nextPort++);
        for (const n of Object.values(c.NetworkSettings.Networks)) n.IPAddress ||= '10.1.0.5';
      },
      remove: async () => {
        calls.push(`remove ${key}`);
        if (!containers.delete(name)) throw notFound();
      },
    };
  };
  const docker = {
    getContainer: container,
    getImage: (image: string) => ({
      inspect: async () => {
        calls.push(`inspect image ${image}`);
        if (!images.has(image)) throw notFound();
        return {};
      },
    }),
    createContainer: async (o: Docker.ContainerCreateOptions) => {
      calls.push(`create ${o.name}`);
      const name = o.name!;
      if (containers.has(name)) throw Object.assign(new Error('conflict'), { statusCode: 409 });
      if (!images.has(o.Image!)) throw notFound();
      const ports = Object.fromEntries(Object.entries(o.HostConfig?.PortBindings ?? {}).map(([k, v]) => [k, (v as { HostPort: string; HostIp?: string }[]).map((b) => ({ HostIp: b.HostIp ?? '0.0.0.0', HostPort: b.HostPort }))]));
      const networks = Object.fromEntries(Object.keys(o.NetworkingConfig?.EndpointsConfig ?? {}).map((n) => [n, { IPAddress: '' }]));
      containers.set(name, { Id: `id-${name}`, Config: { Labels: o.Labels ?? {} }, State: { Running: false }, NetworkSettings: { Ports: ports, Networks: networks } });
      return { id: `id-${name}` };
    },
    getNetwork: (network: string) => ({
      connect: async ({ Container }: { Container: string }) => {
        calls.push(`connect ${Container} ${network}`);
        const c = [...containers.values()].find((x) => x.Id === Container)!;
        c.NetworkSettings.Networks[network] = { IPAddress: '' };
      },
    }),
  } as unknown as Docker;
  return { docker, calls, containers, images };
}

const endpoint: DockerEndpoint = { kind: 'socket', socketPath: '/fake.sock' };
const noTemporal = {} as Client;

/** Runs ensureContainer in an activity context (heartbeats, cancellation). */
function ensure(acts: ReturnType<typeof containerActivities>, env: MockActivityEnvironment, i: EnsureContainerInput): Promise<ContainerInfo> {
  return env.run((x: EnsureContainerInput) => acts.ensureContainer(x), i);
}

function input(member: string, ports: PortSpec[], networks: EnsureContainerInput['networks'] = []): EnsureContainerInput {
  return { endpoint, ref: { app: 'cp', service: 'web', member }, spec: serviceSpec({ id: 'web', image: 'clocker/busybox:1', ports }), networks };
}

test('a new member with fixed ports: one image inspect per host and image, create, start; nothing inspected', async () => {
  const { docker, calls } = fakeEngine();
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const env = new MockActivityEnvironment();
  const fixed: PortSpec[] = [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }];
  const first = await ensure(acts, env, input('1', fixed));
  await ensure(acts, env, input('2', fixed));
  assert.deepEqual(calls, ['inspect image clocker/busybox:1', 'create cp.web.1', 'start cp.web.1', 'create cp.web.2', 'start cp.web.2']);
  assert.deepEqual(first, { containerId: 'id-cp.web.1', running: true, ports: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp', boundHostPort: 8080 }], networks: {} });
});

test('members placed at once on one host share one image inspect', async () => {
  const { docker, calls } = fakeEngine();
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const env = new MockActivityEnvironment();
  await Promise.all(['1', '2', '3'].map((m) => ensure(acts, env, input(m, []))));
  assert.equal(calls.filter((c) => c.startsWith('inspect image')).length, 1);
});

test('a port Docker picks (hostPort 0) or an address from the pool is learnt by one inspect after start', async () => {
  const { docker, calls } = fakeEngine();
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const env = new MockActivityEnvironment();
  const info = await ensure(acts, env, input('1', [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }], [{ id: 'back', name: 'cp.back', aliases: ['web'] }]));
  assert.deepEqual(calls.slice(-2), ['start cp.web.1', 'inspect cp.web.1']);
  assert.equal(info.ports[0]?.boundHostPort, 32_000);
  assert.deepEqual(info.networks, { back: '10.1.0.5' });
});

test('an address given by the blueprint needs no inspect; a second network is connected before start', async () => {
  const { docker, calls } = fakeEngine();
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const env = new MockActivityEnvironment();
  const networks = [
    { id: 'front', name: 'cp.front', aliases: ['web'], ipv4Address: '10.2.0.9' },
    { id: 'back', name: 'cp.back', aliases: ['web'], ipv4Address: '10.3.0.9' },
  ];
  const info = await ensure(acts, env, input('1', [], networks));
  assert.deepEqual(calls, ['inspect image clocker/busybox:1', 'create cp.web.1', 'connect id-cp.web.1 cp.back', 'start cp.web.1']);
  assert.deepEqual(info.networks, { front: '10.2.0.9', back: '10.3.0.9' });
});

test('a retried attempt adopts: create says 409, one inspect, a stopped member is started, never created twice', async () => {
  const { docker, calls, containers } = fakeEngine();
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const env = new MockActivityEnvironment();
  const fixed: PortSpec[] = [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }];
  await ensure(acts, env, input('1', fixed));
  calls.length = 0;
  const again = await ensure(acts, env, input('1', fixed));
  assert.deepEqual(calls, ['create cp.web.1', 'inspect cp.web.1']);
  assert.equal(again.ports[0]?.boundHostPort, 8080);
  containers.get('cp.web.1')!.State.Running = false; // the worker died between create and start
  calls.length = 0;
  await ensure(acts, env, input('1', fixed));
  assert.deepEqual(calls, ['create cp.web.1', 'inspect cp.web.1', 'start cp.web.1']);
  assert.equal(containers.size, 1);
});

test('a create that lost a race (409) adopts the winner; a container of that name that is not this member is refused', async () => {
  const { docker, calls, containers } = fakeEngine();
  const labels = { 'io.clocker.managed': 'true', 'io.clocker.app': 'cp', 'io.clocker.service': 'web', 'io.clocker.member': '1' };
  // A concurrent attempt's create lands first.
  await docker.createContainer({ name: 'cp.web.1', Image: 'clocker/busybox:1', Labels: labels });
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const info = await ensure(acts, new MockActivityEnvironment(), input('1', []));
  assert.equal(info.containerId, 'id-cp.web.1');
  assert.deepEqual(calls, ['create cp.web.1', 'inspect image clocker/busybox:1', 'create cp.web.1', 'inspect cp.web.1', 'start cp.web.1']);
  assert.equal(containers.size, 1);
  // Someone else's container holds the next member's name: refused, not adopted, not removed.
  await docker.createContainer({ name: 'cp.web.2', Image: 'clocker/busybox:1', Labels: { owner: 'someone else' } });
  await assert.rejects(ensure(acts, new MockActivityEnvironment(), input('2', [])), (err: Error) => err.name === 'NameConflictError' && /cp\.web\.2/.test(err.message));
  assert.equal(containers.get('cp.web.2')?.Config.Labels.owner, 'someone else');
  assert.equal(containers.get('cp.web.2')?.State.Running, false);
});

test('removal by the id the service recorded is one call; an id that is gone falls back to the name, which a newer container may hold', async () => {
  const { docker, calls, containers } = fakeEngine();
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const env = new MockActivityEnvironment();
  const remove = (i: Parameters<typeof acts.removeContainer>[0]) => env.run((x: typeof i) => acts.removeContainer(x), i);
  const one = await ensure(acts, env, input('1', []));
  await ensure(acts, env, input('2', []));
  calls.length = 0;
  assert.equal(await remove({ endpoint, ref: { app: 'cp', service: 'web', member: '1' }, containerId: one.containerId }), true);
  assert.deepEqual(calls, ['remove id-cp.web.1']);
  // Member 2 was made again since the id was recorded (the fake gives the same name a new id).
  containers.get('cp.web.2')!.Id = 'id-newer';
  calls.length = 0;
  assert.equal(await remove({ endpoint, ref: { app: 'cp', service: 'web', member: '2' }, containerId: 'id-cp.web.2' }), true);
  assert.deepEqual(calls, ['remove id-cp.web.2', 'inspect cp.web.2', 'remove id-newer']);
  assert.equal(containers.size, 0);
  // Nothing there, with or without an id: not removed, no error.
  assert.equal(await remove({ endpoint, ref: { app: 'cp', service: 'web', member: '2' }, containerId: 'id-newer' }), false);
  assert.equal(await remove({ endpoint, ref: { app: 'cp', service: 'web', member: '3' } }), false);
});

test("a host's batch of removals: each member's outcome its own, the same calls as one by one", async () => {
  const { docker, calls, containers } = fakeEngine();
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const env = new MockActivityEnvironment();
  const one = await ensure(acts, env, input('1', []));
  await ensure(acts, env, input('2', []));
  calls.length = 0;
  const ref = (member: string) => ({ app: 'cp', service: 'web', member });
  const answer = await env.run((i: Parameters<typeof acts.removeContainers>[0]) => acts.removeContainers(i), {
    endpoint,
    width: 2,
    members: [{ ref: ref('1'), containerId: one.containerId }, { ref: ref('2') }, { ref: ref('3') }],
  });
  assert.deepEqual(answer, [
    { member: '1', removed: true },
    { member: '2', removed: true },
    { member: '3', removed: false },
  ]);
  assert.deepEqual([...calls].sort(), ['inspect cp.web.2', 'inspect cp.web.3', 'remove id-cp.web.1', 'remove id-cp.web.2']);
  assert.equal(containers.size, 0);
  // A member whose removal fails is answered as failed; the others still go.
  await ensure(acts, env, input('4', []));
  await ensure(acts, env, input('5', []));
  Object.assign(docker, {
    getContainer: ((get) => (id: string) => (id === 'id-cp.web.4' ? { remove: async () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })) } : get(id)))(docker.getContainer.bind(docker)),
  });
  const mixed: MemberRemoval[] = await env.run((i: Parameters<typeof acts.removeContainers>[0]) => acts.removeContainers(i), {
    endpoint,
    width: 16,
    members: [{ ref: ref('4'), containerId: 'id-cp.web.4' }, { ref: ref('5'), containerId: 'id-cp.web.5' }],
  });
  assert.deepEqual(mixed[1], { member: '5', removed: true });
  const failed = mixed[0]!;
  assert.ok('failure' in failed && /cp\.web\.4/.test(failed.failure.message), JSON.stringify(mixed));
});

test('startMember: the inspect after start is the health wait\'s first look, not asked again', async () => {
  const { docker, calls } = fakeEngine();
  const { startMember } = startMemberActivities(memberContainers(() => docker, () => '', noTemporal), healthWait(() => docker, () => ''));
  // No port to probe, an address Docker picks: one inspect after start (for the address) serves
  // the first round (up for less than 300 ms: it waits), the second round's inspect sees it up.
  const member = { ...input('1', [], [{ id: 'back', name: 'cp.back', aliases: ['web'] }]), hostAddress: '127.0.0.1', healthTimeoutMs: 5_000 };
  const info: ContainerInfo = await new MockActivityEnvironment().run(startMember, member);
  assert.deepEqual(info.networks, { back: '10.1.0.5' });
  assert.deepEqual(calls, ['inspect image clocker/busybox:1', 'create cp.web.1', 'start cp.web.1', 'inspect cp.web.1', 'inspect cp.web.1']);
});

test('an image that left the host since it was seen is looked up again and pulled, not a failed member', async () => {
  const { docker, calls, images } = fakeEngine();
  let pulled = 0;
  Object.assign(docker, {
    pull: async () => {
      pulled++;
      images.add('clocker/busybox:1');
      return {};
    },
    modem: { followProgress: (_s: unknown, done: (err: Error | null) => void) => done(null) },
  });
  const acts = containerActivities(() => docker, () => '', noTemporal);
  const env = new MockActivityEnvironment();
  await ensure(acts, env, input('1', []));
  images.delete('clocker/busybox:1'); // `docker rmi` meanwhile
  await ensure(acts, env, input('2', []));
  assert.equal(pulled, 1);
  assert.deepEqual(calls.slice(3), ['create cp.web.2', 'inspect image clocker/busybox:1', 'create cp.web.2', 'start cp.web.2']);
});

test('a container port published twice reads as inspect would: the binding on every address wins', () => {
  const spec = serviceSpec({
    id: 'web',
    image: 'x',
    ports: [
      { containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1', protocol: 'tcp' },
      { containerPort: 80, hostPort: 8081, protocol: 'tcp' },
      { containerPort: 53, protocol: 'udp' },
    ],
  });
  assert.deepEqual(knownAfterStart(spec, [])?.ports.map((p) => p.boundHostPort), [8081, 8081, undefined]);
  assert.equal(knownAfterStart({ ...spec, ports: [...spec.ports, { containerPort: 81, hostPort: 0, protocol: 'tcp' }] }, []), undefined);
});
