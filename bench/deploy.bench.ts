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

const MEMBERS = 30;
const COMMAND = HTTPD_COMMAND;

async function main(): Promise<void> {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  process.env.CLOCKER_SECRET_DB_PASSWORD ??= 'bench'; // the worker inherits it
  const stack = await startLocalStack(docker);
  try {
    const floorMs = await floorUp(docker, `floor-${process.pid}`, 1, MEMBERS);
    await floorDown(docker, `floor-${process.pid}`);

    let started = performance.now();
    await stack.clocker.deploy(blueprint('bench30', [serviceSpec({ id: 'web', image: BUSYBOX_IMAGE, count: MEMBERS, command: COMMAND, ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] })]));
    const view = await stack.clocker.waitFor('bench30', (v) => v.status !== 'DEPLOYING', 300_000);
    const clockerMs = performance.now() - started;
    if (view.status !== 'RUNNING') throw new Error(`bench30 ${view.status}: ${view.error}`);
    await stack.clocker.destroy('bench30', 120_000);

    started = performance.now();
    await stack.clocker.deploy(readBlueprintFile('examples/web-cluster.yaml'));
    const threeTier = await stack.clocker.waitFor('web-cluster', (v) => v.status !== 'DEPLOYING', 300_000);
    const threeTierMs = performance.now() - started;
    await stack.clocker.destroy('web-cluster', 120_000);

    console.log(`${MEMBERS} containers, created, started and answering on a published port:`);
    console.log(`  dockerode directly, all in parallel (floor): ${(floorMs / 1000).toFixed(2)} s`);
    console.log(`  clocker deploy (placement, create, health):  ${(clockerMs / 1000).toFixed(2)} s   (${(clockerMs / floorMs).toFixed(2)}x the floor)`);
    console.log(`three-tier web-cluster example (db, 3 web, lb; network, volume, http probes): ${(threeTierMs / 1000).toFixed(2)} s, ${threeTier.status}`);
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
