// What `clocker infra create` shows while hosts provision: each host's line with the step its own
// workflow is on, read from the host workflows' status queries on a real Temporal server, with
// fake provisioning steps that hold one host at its Docker install until the test lets it go.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { placementActivities } from '../../activities/infrastructure/placement';
import { showInfra } from '../../client/commands/infraCreate';
import { ProgressPrinter } from '../../client/progress/progressPrinter';
import { completeByonHost } from '../../domain/infraSpec/build';
import { DEFAULT_DOCKER_SETTINGS } from '../../domain/infra/machines';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'infra-progress-tier';
const NAME = 'progress-pool';
const ADDRESSES: Record<string, string> = { h1: '192.0.2.11', h2: '192.0.2.12' };

/** Provisioning that answers at once, except h2's Docker install, which waits for `release`. */
function fakeHostSteps(held: Promise<void>) {
  const facts = (address: string) => ({ docker: { kind: 'tcp' as const, host: address, port: 2376 }, cpus: 2, memoryBytes: 2 ** 30, dockerVersion: '26.1.5' });
  return {
    ensureInfraCertificates: async () => '/fake/client',
    connectHost: async () => ({ hostKeyFingerprint: 'SHA256:fake' }),
    detectOs: async () => ({ id: 'debian', versionId: '12' }),
    ensureDocker: async ({ host }: { host: { id: string } }) => {
      if (host.id === 'h2') await held;
      return '26.1.5';
    },
    installCertificates: async () => undefined,
    configureDaemon: async () => undefined,
    startDaemon: async () => ({ manager: 'none', action: 'started' }),
    verifyDocker: async ({ address }: { address: string }) => facts(address),
    checkHostAlive: async () => ({ alive: true, containers: 0 }),
    measureHostUsage: async () => ({ usage: { cpuPercent: 0, memoryBytes: 0 }, containers: 0 }),
    stopDaemon: async () => undefined,
  };
}

/** Collects what the printer writes, as a pipe would (no terminal). */
class Sink {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('infra create progress', { skip: skipUnlessPresent('temporal') }, () => {
  let tier: WorkflowTier;
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, new FakeEngine(), (client: Client) => ({ ...placementActivities(client), ...fakeHostSteps(held) }));
  });

  after(async () => {
    release();
    await tier?.stop();
  });

  test('each host is shown with the provisioning step it is on, then AVAILABLE', async () => {
    await tier.clocker.createInfrastructure({
      name: NAME,
      hosts: [],
      provision: {
        hosts: Object.entries(ADDRESSES).map(([id, address]) => completeByonHost({ id, address, maxContainers: 3 })),
        spares: [],
        provisioning: { docker: DEFAULT_DOCKER_SETTINGS, monitoring: { intervalSeconds: 30, failureThreshold: 3 }, drainTimeoutSeconds: 5 },
      },
    });
    const out = new Sink();
    const printer = new ProgressPrinter({ out, env: {} });
    const show = (v: Parameters<typeof showInfra>[2]) => showInfra(tier.clocker, printer, v);
    // h1 goes through; h2 is held at its Docker install until its line says so.
    const h1Ready = /h1 192\.0\.2\.11: AVAILABLE, Docker 26\.1\.5$/m;
    const h2Held = /h2 192\.0\.2\.12: PROVISIONING \(docker\)$/m;
    await tier.clocker.waitForInfrastructure(NAME, () => h1Ready.test(out.text) && h2Held.test(out.text), 30_000, show, 100);
    release();
    await tier.clocker.waitForInfrastructure(NAME, (v) => v.hosts.every((h) => h.status !== 'PROVISIONING'), 30_000, show, 100);
    assert.match(out.text, /h2 192\.0\.2\.12: AVAILABLE, Docker 26\.1\.5$/m, out.text);
    assert.match(out.text, /^\[\s*\d+\.\ds\] infrastructure progress-pool: 2 hosts$/m, out.text);
  });
});
