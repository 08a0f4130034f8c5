// Deployment time through Clocker beside the floor: the same containers created directly
// with dockerode, in parallel, in the same run. Also the web-cluster example (three tiers).
//   node --import tsx bench/deploy.bench.ts     (~1 min; needs the local Docker engine)
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { readBlueprintFile } from '../client/blueprintFile';
import { BUSYBOX_IMAGE } from '../client/images/busyboxImage';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startLocalStack } from '../test/support/stack';
import { printResult } from './support/benchResult';
import { floorDown, floorUp, HTTPD_COMMAND } from './support/floor';
import { runningAfter } from './support/runningAt';
import { formatSummary, summarize } from './support/stats';

const MEMBERS = 30;
const COMMAND = HTTPD_COMMAND;
/** Alternating floor and Clocker rounds, so load on the machine falls on both alike (BENCH_DEPLOY_ROUNDS). */
const ROUNDS = Number(process.env.BENCH_DEPLOY_ROUNDS ?? 3);
/** Status polled this often: waitFor's default 500 ms would round Clocker's time up by as much. */

async function main(): Promise<void> {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  process.env.CLOCKER_SECRET_DB_PASSWORD ??= 'bench'; // the worker inherits it
  const stack = await startLocalStack(docker);
  try {
    const deploy = async (app: string, count: number): Promise<number> => {
      const askedAt = Date.now();
      await stack.clocker.deploy(blueprint(app, [serviceSpec({ id: 'web', image: BUSYBOX_IMAGE, count, command: COMMAND, ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] })]));
      const ms = await runningAfter(stack.clocker, app, askedAt, 300_000);
      await stack.clocker.destroy(app, 120_000);
      return ms;
    };
    // Warm-up on both sides (a fresh worker's first workflows and activities, the engine's first creates): not counted.
    await floorUp(docker, `floor-${process.pid}-warm`, 1, 1);
    await floorDown(docker, `floor-${process.pid}-warm`);
    await deploy('bench-warm', 1);
    const floorRuns: number[] = [];
    const clockerRuns: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      floorRuns.push(await floorUp(docker, `floor-${process.pid}`, 1, MEMBERS));
      await floorDown(docker, `floor-${process.pid}`);
      clockerRuns.push(await deploy(`bench30r${round}`, MEMBERS));
    }
    const [floorMs, clockerMs] = [summarize(floorRuns), summarize(clockerRuns)];

    const askedAt = Date.now();
    await stack.clocker.deploy(readBlueprintFile('examples/web-cluster.yaml'));
    const threeTierMs = await runningAfter(stack.clocker, 'web-cluster', askedAt, 300_000);
    await stack.clocker.destroy('web-cluster', 120_000);

    console.log(`${MEMBERS} containers, created, started and answering on a published port (median of ${ROUNDS} alternating rounds):`);
    console.log(`  dockerode directly, all in parallel (floor): ${formatSummary(floorMs)}`);
    console.log(`  clocker deploy (placement, create, health):  ${formatSummary(clockerMs)}   (${(clockerMs.median / floorMs.median).toFixed(2)}x the floor)`);
    console.log(`three-tier web-cluster example (db, 3 web, lb; network, volume, http probes): ${(threeTierMs / 1000).toFixed(2)} s to RUNNING`);
    printResult({
      bench: 'deploy',
      rows: [
        { measure: `deploy ${MEMBERS}, no health check, answering on a published port`, kind: 'time', floor: floorMs, clocker: clockerMs },
        { measure: 'deploy examples/web-cluster.yaml (db, 3 web, lb)', kind: 'time', clocker: threeTierMs },
      ],
    });
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
