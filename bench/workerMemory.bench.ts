// What the worker's memory is made of: a worker built in this process (as workers/main.ts
// builds it) against a fresh dev server, memoryUsage() after each stage, with a full GC
// before each reading (run with --expose-gc), so what stays is what is held.
//   node --expose-gc --import tsx bench/workerMemory.bench.ts     (~1 min; local Docker engine)
//   MEMBERS=30 ROUNDS=2 BUNDLE=prebuilt|file   (prebuilt: bundled in this process before the worker;
//   file: bundled by another process and loaded from a file, as a compiled worker could ship it)
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { BUSYBOX_IMAGE } from '../client/images/busyboxImage';
import { localInfrastructure } from '../client/commands/up';
import { temporalConfig } from '../client/temporal/config';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startStack } from '../test/support/stack';
import { createClockerWorker, workflowsPath } from '../workers/createWorker';

const MEMBERS = Number(process.env.MEMBERS ?? 30);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const COMMAND = ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www'];

const mib = (n: number) => `${Math.round(n / 2 ** 20)}`.padStart(4);
function reading(stage: string): void {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  console.log(`${stage.padEnd(36)} rss ${mib(m.rss)}  heapUsed ${mib(m.heapUsed)}  heapTotal ${mib(m.heapTotal)}  external ${mib(m.external)}  arrayBuffers ${mib(m.arrayBuffers)} MiB`);
}

async function main(): Promise<void> {
  reading('start (tsx, modules loaded)');
  const stack = await startStack();
  const docker = createDockerClientFactory()(localDockerEndpoint());
  try {
    const config = temporalConfig({}, { address: stack.server.address, taskQueue: stack.clocker.taskQueue });
    const prebuilt = process.env.BUNDLE === 'prebuilt' ? await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error } }) : undefined;
    if (prebuilt) reading('workflows bundled (before the worker)');
    const codePath = join(tmpdir(), `clocker-workflows-${process.pid}.js`);
    if (process.env.BUNDLE === 'file') {
      const script = `require('@temporalio/worker').bundleWorkflowCode({ workflowsPath: ${JSON.stringify(workflowsPath())} }).then((b) => require('fs').writeFileSync(${JSON.stringify(codePath)}, b.code))`;
      const made = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { stdio: 'ignore' });
      if (made.status !== 0) throw new Error('bundling in a child process failed');
    }
    const bundle = prebuilt ? { workflowBundle: prebuilt } : process.env.BUNDLE === 'file' ? { workflowBundle: { codePath } } : {};
    const { worker, close } = await createClockerWorker(config, bundle);
    reading('worker created');
    const running = worker.run();
    await stack.clocker.ensureInfrastructure(await localInfrastructure(docker));
    await new Promise((r) => setTimeout(r, 2_000));
    reading('idle, infrastructure running');
    for (let round = 1; round <= ROUNDS; round++) {
      const app = `wm${process.pid}r${round}`;
      await stack.clocker.deploy(blueprint(app, [serviceSpec({ id: 'web', image: BUSYBOX_IMAGE, count: MEMBERS, command: COMMAND, ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] })]));
      await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 300_000);
      reading(`round ${round}: ${MEMBERS} running`);
      await stack.clocker.destroy(app, 300_000);
      await new Promise((r) => setTimeout(r, 2_000));
      reading(`round ${round}: destroyed`);
    }
    worker.shutdown();
    await running;
    await close();
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
