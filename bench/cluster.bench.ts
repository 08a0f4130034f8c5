// The production stack's numbers: cold start (a fresh folder: certificates, initdb, schemas,
// four Temporal services, UI, two workers; the Go builds already cached), warm start (the
// same folder again), and the deploy time of examples/three-tier.yaml through that cluster
// (mTLS, PostgreSQL, two workers, encrypted payloads) beside the dev server, in the same run.
//   node --import tsx bench/cluster.bench.ts   (~2 min; needs PostgreSQL, Docker, `clocker images --lb`)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { readBlueprintFile } from '../client/blueprintFile';
import type { ClockerClient } from '../client/clockerClient';
import { localInfrastructure } from '../client/commands/up';
import { startProdStack } from '../test/support/prodStack';
import { startLocalStack } from '../test/support/stack';

const FILE = 'examples/three-tier.yaml';
const PASSWORD = 'bench-password';

async function deployTime(clocker: ClockerClient): Promise<number> {
  const bp = readBlueprintFile(FILE);
  const started = performance.now();
  await clocker.deploy(bp);
  const view = await clocker.waitFor(bp.name, (v) => v.status !== 'DEPLOYING', 300_000);
  const ms = performance.now() - started;
  if (view.status !== 'RUNNING') throw new Error(`${bp.name} ${view.status}: ${view.error}`);
  const gone = await clocker.destroy(bp.name, 120_000);
  if (gone.status !== 'DESTROYED') throw new Error(`${bp.name} not destroyed: ${gone.status}`);
  return ms;
}

async function main(): Promise<void> {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const stack = await startProdStack({ workers: 2, secrets: { 'db-password': PASSWORD } });
  const rows: [string, number][] = [['prod stack cold start (fresh folder, builds cached)', stack.upMs]];
  try {
    await stack.script('down');
    const started = performance.now();
    await stack.script('up');
    rows.push(['prod stack warm start (same folder)', performance.now() - started]);
    await stack.clocker.ensureInfrastructure(await localInfrastructure(docker));
    rows.push([`${FILE} through the cluster (mTLS, PostgreSQL, 2 workers, encrypted)`, await deployTime(stack.clocker)]);
  } finally {
    await stack.destroy();
  }
  process.env.CLOCKER_SECRET_DB_PASSWORD = PASSWORD; // the dev stack's worker inherits it
  const dev = await startLocalStack(docker);
  try {
    rows.push([`${FILE} through the dev server (SQLite, 1 worker)`, await deployTime(dev.clocker)]);
  } finally {
    await dev.stop();
  }
  const table = rows.map(([what, ms]) => `| ${what} | ${(ms / 1000).toFixed(1)} s |`).join('\n');
  console.log(`| measure | time |\n| --- | --- |\n${table}`);
  if (process.env.CLOCKER_BENCH_OUT) writeFileSync(join(process.env.CLOCKER_BENCH_OUT), `${table}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
