// Chaos: the worker is SIGKILLed at ten different points of one deployment (after the k-th
// activity completes, k = 1..10); each time a fresh worker finishes it, and the result is
// exactly the blueprint's containers: none missing, none doubled.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import type { Blueprint } from '../../domain/blueprint/model';
import { workflowIds } from '../../domain/naming';
import { skipUnlessPresent } from '../support/components';
import { appContainers, removeAppLeftovers } from '../support/dockerChecks';
import { blueprint, serviceSpec } from '../support/specs';
import { startLocalStack, type Stack } from '../support/stack';

const KILL_POINTS = 10;

function chaosBlueprint(name: string): Blueprint {
  const bp = blueprint(name, [
    serviceSpec({
      id: 'db',
      image: 'clocker/busybox:1',
      command: ['sh', '-c', 'exec httpd -f -p 5432 -h /'],
      ports: [{ containerPort: 5432, hostPort: 0, protocol: 'tcp' }],
      networks: [{ network: 'back', aliases: [] }],
    }),
    serviceSpec({
      id: 'web',
      image: 'clocker/busybox:1',
      count: 2,
      dependsOn: ['db'],
      command: ['sh', '-c', 'mkdir -p /www && echo "$DB" > /www/index.html && exec httpd -f -p 80 -h /www'],
      ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
      networks: [{ network: 'back', aliases: [] }],
      envTemplates: { DB: { parts: [{ kind: 'attribute', service: 'db', attribute: 'ip.back' }] } },
    }),
  ]);
  bp.networks = [{ id: 'back', driver: 'bridge', dnsServers: [], shared: false, addIptablesRules: false, labels: {} }];
  return bp;
}

describe('chaos: the worker killed at ten points of a deployment', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  let stack: Stack;

  before(async () => {
    stack = await startLocalStack(docker, { worker: false }); // the test starts (and kills) its own
  });

  after(async () => {
    await removeAppLeftovers(docker, ...Array.from({ length: KILL_POINTS }, (_, i) => `chaos${i + 1}`));
    await stack?.stop();
  });

  /** Activities completed so far by the application and its services. */
  async function completedActivities(app: string): Promise<number> {
    let count = 0;
    for (const id of [workflowIds.application(app), workflowIds.service(app, 'db'), workflowIds.service(app, 'web')]) {
      const history = await stack.clocker.temporal.workflow.getHandle(id).fetchHistory().catch(() => undefined); // not started yet
      count += history?.events?.filter((e) => e.activityTaskCompletedEventAttributes).length ?? 0;
    }
    return count;
  }

  /** What the killed worker left in flight (its activities then wait out their timeouts): for the timings below. */
  async function inFlight(app: string): Promise<string[]> {
    const types: string[] = [];
    for (const id of [workflowIds.application(app), workflowIds.service(app, 'db'), workflowIds.service(app, 'web')]) {
      const description = await stack.clocker.temporal.workflow.getHandle(id).describe().catch(() => undefined); // not started yet
      for (const a of description?.raw.pendingActivities ?? []) types.push(a.activityType?.name ?? '?');
    }
    return types;
  }

  test('each time, the deployment finishes with exactly the blueprint containers', async (t) => {
    let worker: ChildProcess = await stack.startWorker();
    for (let k = 1; k <= KILL_POINTS; k++) {
      const app = `chaos${k}`;
      await stack.clocker.deploy(chaosBlueprint(app));
      const deadline = Date.now() + 60_000;
      while ((await completedActivities(app)) < k) {
        assert.ok(Date.now() < deadline, `activity ${k} of ${app} never completed`);
        await new Promise((r) => setTimeout(r, 25));
      }
      worker.kill('SIGKILL');
      await new Promise((r) => worker.once('exit', r));
      const killed = Date.now();
      const left = await inFlight(app);
      worker = await stack.startWorker();
      const started = Date.now();

      const view = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 180_000);
      // Where a slow run's time goes (worker start; the rest is mostly timeouts of what was in flight).
      t.diagnostic(`kill ${k}: in flight ${left.join(', ') || 'no activity'}; worker start ${((started - killed) / 1000).toFixed(1)} s, then finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(view.status, 'RUNNING', `killed after activity ${k}: ${JSON.stringify(view)}`);
      const names = (await appContainers(docker, app)).map((c) => c.Names[0]).sort();
      assert.deepEqual(names, [`/${app}.db.1`, `/${app}.web.1`, `/${app}.web.2`].sort(), `killed after activity ${k}`);
      assert.equal((await docker.listNetworks({ filters: { label: [`io.clocker.app=${app}`] } })).length, 1);
      assert.equal((await stack.clocker.destroy(app, 60_000)).status, 'DESTROYED');
      assert.equal((await appContainers(docker, app)).length, 0);
    }
  });
});
