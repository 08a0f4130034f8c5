// The three-tier example across the 3-host rig through Clocker, beside the floor: the same
// five containers created directly with dockerode on the same hosts, each tier in parallel
// and in dependency order (db, then 3 web that need its address, then the balancer that needs
// theirs), each waited for until it answers. Alternating rounds in the same run.
//   node --import tsx bench/threeTierRig.bench.ts    (~2 min; root, needs sshd, dockerd, debootstrap)
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { probeHttp, probeTcp } from '../activities/docker/probes';
import { readBlueprintFile } from '../client/blueprintFile';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../client/images/busyboxImage';
import { ensureDebianBaseImage } from '../client/images/debianImage';
import { copyImage } from '../client/images/imageTransfer';
import { ensureNginxImage, NGINX_LB_IMAGE } from '../client/images/nginxImage';
import type { ServiceSpec } from '../domain/blueprint/model';
import { LABEL } from '../domain/naming';
import { createRig, type RigHost } from '../test/rig/rig';
import { startStack } from '../test/support/stack';

const ROUNDS = 3;
const FLOOR_APP = 'bench-floor';
const blueprint = readBlueprintFile('examples/three-tier-hosts.yaml');
const spec = (id: string): ServiceSpec => blueprint.services.find((s) => s.id === id)!;

async function until(what: string, check: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let problem = await check(); problem !== ''; problem = await check()) {
    if (Date.now() > deadline) throw new Error(`${what}: ${problem}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates and starts one container publishing `port` on any host port; answers where. */
async function run(docker: Docker, host: RigHost, name: string, s: ServiceSpec, env: Record<string, string>, port: number, hostPort = ''): Promise<string> {
  const c = await docker.createContainer({
    name,
    Image: s.image,
    Cmd: s.command,
    Env: Object.entries({ ...s.env, ...env }).map(([k, v]) => `${k}=${v}`),
    Labels: { [LABEL.app]: FLOOR_APP },
    ExposedPorts: { [`${port}/tcp`]: {} },
    HostConfig: { PortBindings: { [`${port}/tcp`]: [{ HostPort: hostPort }] } },
  });
  await c.start();
  const bound = (await c.inspect()).NetworkSettings.Ports[`${port}/tcp`]?.[0]?.HostPort;
  return `${host.address}:${bound}`;
}

async function floor(hosts: { host: RigHost; docker: Docker }[]): Promise<number> {
  const [h1, h2, h3] = hosts as [(typeof hosts)[0], (typeof hosts)[0], (typeof hosts)[0]];
  const started = performance.now();
  const db = await run(h1.docker, h1.host, 'floor-db', spec('db'), {}, 5432);
  await until('db', () => probeTcp(db.split(':')[0]!, Number(db.split(':')[1]), 1000));
  const webs = await Promise.all(
    [h2, h3, h1].map(async (h, i) => {
      const at = await run(h.docker, h.host, `floor-web-${i}`, spec('web'), { DB_ADDRESS: db }, 8080);
      await until(`web ${i}`, () => probeHttp(`http://${at}/`, 200, 1000));
      return at;
    }),
  );
  const lb = await run(h2.docker, h2.host, 'floor-lb', spec('lb'), { BACKENDS: webs.join(',') }, 80, '8000');
  await until('lb', () => probeHttp(`http://${lb}/`, 200, 1000));
  const ms = performance.now() - started;
  await Promise.all(
    hosts.map(async ({ docker }) => {
      for (const c of await docker.listContainers({ all: true, filters: { label: [`${LABEL.app}=${FLOOR_APP}`] } })) await docker.getContainer(c.Id).remove({ force: true });
    }),
  );
  return ms;
}

async function main(): Promise<void> {
  const local = createDockerClientFactory()(localDockerEndpoint());
  await ensureBusyboxImage(local);
  await ensureDebianBaseImage(local);
  await ensureNginxImage(local);
  const rig = await createRig({ hosts: 3, docker: true });
  const dockerFor = createDockerClientFactory();
  const hosts = rig.hosts.map((host) => ({ host, docker: dockerFor(host.docker!) }));
  const stack = await startStack();
  try {
    await Promise.all(hosts.map(async ({ docker }) => {
      await copyImage(local, docker, BUSYBOX_IMAGE);
      await copyImage(local, docker, NGINX_LB_IMAGE);
    }));
    await stack.startWorker();
    await stack.clocker.ensureInfrastructure({
      name: 'rig',
      hosts: rig.hosts.map((h) => ({ id: h.name, address: h.address, docker: h.docker!, status: 'AVAILABLE', labels: {}, maxContainers: 10 })),
    });
    const floors: number[] = [];
    const clockers: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      floors.push(await floor(hosts));
      const started = performance.now();
      await stack.clocker.deploy({ ...blueprint, location: 'rig' });
      const view = await stack.clocker.waitFor(blueprint.name, (v) => v.status !== 'DEPLOYING', 300_000);
      clockers.push(performance.now() - started);
      if (view.status !== 'RUNNING') throw new Error(`${blueprint.name} ${view.status}: ${view.error}`);
      await stack.clocker.destroy(blueprint.name, 120_000);
    }
    const s = (ms: number[]) => ms.map((m) => (m / 1000).toFixed(2)).join(', ');
    const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
    console.log(`three-tier-hosts on the ${rig.hosts.length}-host rig (db, 3 web, nginx lb; ${ROUNDS} alternating rounds, seconds):`);
    console.log(`  dockerode directly, tier by tier, each tier in parallel (floor): ${s(floors)}`);
    console.log(`  clocker deploy (placement, create, health, reports):          ${s(clockers)}   (median ${(median(clockers) / median(floors)).toFixed(2)}x the floor)`);
  } finally {
    await stack.stop();
    await rig.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
