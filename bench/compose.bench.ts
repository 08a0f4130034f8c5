// Debian's docker-compose beside Clocker and the floor on one host (issue #16): the same 30
// busybox httpd members on a published port, deployed until each answers, then destroyed;
// rounds alternate floor, Clocker, compose, so load on the machine falls on all three alike.
//   node --import tsx bench/compose.bench.ts      (~2 min; needs docker-compose: apt-get install docker-compose)
// BENCH_MEMBERS (default 30), BENCH_ROUNDS (default 3).
// Compose's `up -d --scale web=N` makes the project's network too (Clocker's service here has
// none) and returns once the containers started; up counts until each answers, as the floor's.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { probeTcp } from '../activities/docker/probes';
import { BUSYBOX_IMAGE } from '../client/images/busyboxImage';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startLocalStack, type Stack } from '../test/support/stack';
import { printResult } from './support/benchResult';
import { runningAfter } from './support/runningAt';
import { floorDown, floorUp, HTTPD_COMMAND } from './support/floor';
import { summarize } from './support/stats';

const run = promisify(execFile);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUN = `c${process.pid}`;
const PROJECT_LABEL = 'com.docker.compose.project';

/** The compose file: one service, the same command and a published container port (the host picks the port). */
function composeFile(dir: string): string {
  const file = join(dir, 'docker-compose.yml');
  const command = JSON.stringify(HTTPD_COMMAND);
  writeFileSync(file, ['version: "2.4"', 'services:', '  web:', `    image: ${BUSYBOX_IMAGE}`, `    command: ${command}`, '    ports: ["80"]', ''].join('\n'));
  return file;
}

async function composeUp(docker: Docker, file: string, project: string): Promise<number> {
  const started = performance.now();
  await run('docker-compose', ['-f', file, '-p', project, 'up', '-d', '--scale', `web=${MEMBERS}`], { maxBuffer: 16 * 1024 * 1024 });
  const listed = await docker.listContainers({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
  if (listed.length !== MEMBERS) throw new Error(`compose ${project}: ${listed.length} containers, not ${MEMBERS}`);
  await Promise.all(
    listed.map(async (c) => {
      const port = c.Ports.find((p) => p.PrivatePort === 80 && p.PublicPort)?.PublicPort;
      if (!port) throw new Error(`compose ${project}: ${c.Names[0]} has no published port`);
      while ((await probeTcp('127.0.0.1', port, 1000)) !== '') await new Promise((r) => setTimeout(r, 50));
    }),
  );
  return performance.now() - started;
}

async function composeDown(file: string, project: string): Promise<number> {
  const started = performance.now();
  await run('docker-compose', ['-f', file, '-p', project, 'down', '-t', '0'], { maxBuffer: 16 * 1024 * 1024 });
  return performance.now() - started;
}

/** Until RUNNING, the moment taken from the history and polled as the CLI does (bench/support/runningAt.ts), as the other benches measure Clocker. */
async function clockerUp(stack: Stack, app: string, members = MEMBERS): Promise<number> {
  const askedAt = Date.now();
  await stack.clocker.deploy(blueprint(app, [serviceSpec({ id: 'web', image: BUSYBOX_IMAGE, count: members, command: HTTPD_COMMAND, ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] })]));
  return runningAfter(stack.clocker, app, askedAt, 300_000);
}

async function clockerDown(stack: Stack, app: string): Promise<number> {
  const started = performance.now();
  const gone = await stack.clocker.destroy(app, 300_000);
  if (gone.status !== 'DESTROYED') throw new Error(`${app} not destroyed: ${gone.status}`);
  return performance.now() - started;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  await run('docker-compose', ['version']).catch(() => {
    throw new Error('docker-compose is not installed (Debian: apt-get install docker-compose)');
  });
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const dir = mkdtempSync(join(tmpdir(), 'clocker-compose-bench-'));
  const file = composeFile(dir);
  const stack = await startLocalStack(docker);
  const sides = { floor: { up: [] as number[], down: [] as number[] }, clocker: { up: [] as number[], down: [] as number[] }, compose: { up: [] as number[], down: [] as number[] } };
  try {
    // Warm-up, not counted: a fresh worker's first workflows, the engine's first creates of this image.
    await floorUp(docker, `floor-${RUN}-warm`, 1, 1);
    await floorDown(docker, `floor-${RUN}-warm`);
    await clockerUp(stack, `cmp${RUN}warm`, 1);
    await clockerDown(stack, `cmp${RUN}warm`);
    for (let round = 1; round <= ROUNDS; round++) {
      const group = `floor-${RUN}-r${round}`;
      sides.floor.up.push(await floorUp(docker, group, 1, MEMBERS));
      sides.floor.down.push(await floorDown(docker, group));
      const app = `cmp${RUN}r${round}`;
      sides.clocker.up.push(await clockerUp(stack, app));
      sides.clocker.down.push(await clockerDown(stack, app));
      const project = `cmp${RUN}r${round}`;
      sides.compose.up.push(await composeUp(docker, file, project));
      sides.compose.down.push(await composeDown(file, project));
      console.log(`round ${round}: up floor ${s(sides.floor.up.at(-1)!)}, clocker ${s(sides.clocker.up.at(-1)!)}, compose ${s(sides.compose.up.at(-1)!)}; down floor ${s(sides.floor.down.at(-1)!)}, clocker ${s(sides.clocker.down.at(-1)!)}, compose ${s(sides.compose.down.at(-1)!)}`);
    }
  } catch (err) {
    console.error('compose bench failed:', err);
    process.exitCode = 1;
  } finally {
    for (let round = 1; round <= ROUNDS; round++) {
      await floorDown(docker, `floor-${RUN}-r${round}`).catch((err: unknown) => console.error('floor cleanup failed:', err));
      await composeDown(file, `cmp${RUN}r${round}`).catch((err: unknown) => console.error('compose cleanup failed:', err));
    }
    await stack.stop().catch((err: unknown) => console.error('stack stop failed:', err));
    rmSync(dir, { recursive: true, force: true });
  }
  if (sides.compose.up.length === 0) return;
  const target = 'below docker-compose';
  printResult({
    bench: 'compose',
    rows: [
      { measure: `deploy ${MEMBERS}, no health check, answering on a published port`, kind: 'time', floor: summarize(sides.floor.up), clocker: summarize(sides.clocker.up), compose: summarize(sides.compose.up), target },
      { measure: `destroy ${MEMBERS}`, kind: 'time', floor: summarize(sides.floor.down), clocker: summarize(sides.clocker.down), compose: summarize(sides.compose.down), target },
    ],
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
