// Hosts provisioned by one worker, operated by another that never saw them: the production
// stack's worker 2 alone provisions two rig hosts (SSH, Docker over TLS); then worker 1
// alone, with its own empty state folder, deploys onto them and destroys. What lets it: the
// infrastructure's CA is derived from the seed both workers hold, and workflow state carries
// only the logical reference `clocker-tls:<name>` (and everything encrypted by the codec).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Docker from 'dockerode';
import { infraCreate } from '../../client/commands/infraCreate';
import { ensureBusyboxImage } from '../../client/images/busyboxImage';
import { readBlueprintFile } from '../../client/blueprintFile';
import { createRig, type Rig, type RigHost } from '../rig/rig';
import { provisionRoot } from '../rig/provisionedDaemons';
import { skipUnlessPresent } from '../support/components';
import { httpGet } from '../support/dockerChecks';
import { scanHistories } from '../support/historyScan';
import { startProdStack, type ProdStack } from '../support/prodStack';

describe('rig hosts: provisioned by worker 2, operated by worker 1', { skip: skipUnlessPresent('prodstack', 'rig', 'docker') }, () => {
  let rig: Rig;
  let stack: ProdStack;
  let name: string;
  const app = `rigapp${process.pid}`;
  const home = (n: number) => join(stack.dir, 'workers', String(n));

  before(async () => {
    rig = await createRig({ hosts: 2, docker: false });
    name = `prodrig-${rig.id}`;
    stack = await startProdStack({ workers: 2, secrets: { 'rig-key': rig.hosts[0]!.privateKey } });
  });

  after(async () => {
    await stack?.destroy();
    await rig?.teardown();
  });

  test('worker 2 alone provisions the hosts; its CA lives in state as a reference, not on a disk others need', async () => {
    await stack.killWorker(1);
    const hosts = rig.hosts.map((h: RigHost, i) => `      - { id: ${h.name}, address: ${h.address}, root: ${provisionRoot(h.dir)}, zone: z${i} }`);
    const file = join(stack.dir, 'infra.yaml');
    writeFileSync(file, [`name: ${name}`, 'location:', '  byon:', '    key: $secret:rig-key', '    hosts:', ...hosts, 'monitoring:', '  intervalSeconds: 2', '  failureThreshold: 3', ''].join('\n'));
    await infraCreate(stack.clocker, file, { wait: false, timeoutSec: 0 });
    const view = await stack.clocker.waitForInfrastructure(name, (v) => v.hosts.length === 2 && v.hosts.every((h) => h.status === 'AVAILABLE'), 300_000);
    assert.deepEqual(view.hosts.map((h) => h.id).sort(), rig.hosts.map((h) => h.name).sort());
    assert.ok(existsSync(join(home(2), 'infra', name, 'tls', 'hosts')), 'worker 2 made the host certificates');
    assert.equal(existsSync(join(home(1), 'infra', name)), false, 'worker 1 has nothing of this infrastructure');
    // The test loads the image onto the hosts (no registry here), with worker 2's client certificate.
    const client = join(home(2), 'infra', name, 'tls', 'client');
    for (const h of rig.hosts) {
      const docker = new Docker({ protocol: 'https', host: h.address, port: 2376, ca: readFileSync(join(client, 'ca.pem')), cert: readFileSync(join(client, 'cert.pem')), key: readFileSync(join(client, 'key.pem')) });
      await ensureBusyboxImage(docker);
    }
  });

  test('worker 1 alone (worker 2 SIGKILLed) deploys onto those hosts and destroys', async () => {
    await stack.startWorker(1);
    await stack.killWorker(2);
    const file = join(stack.dir, 'rigapp.yaml');
    writeFileSync(
      file,
      [
        `name: ${app}`,
        `location: ${name}`,
        'services:',
        '  - id: web',
        '    image: clocker/busybox:1',
        '    count: 2',
        `    command: ["sh", "-c", "mkdir -p /www && echo on $(hostname) > /www/index.html && exec httpd -f -p 8080 -h /www"]`,
        '    ports:',
        '      - "0:8080"',
        '',
      ].join('\n'),
    );
    await stack.clocker.deploy(readBlueprintFile(file));
    const view = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 240_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const members = view.services[0]!.members;
    assert.equal(members.length, 2);
    for (const m of members) {
      const reply = await httpGet(`http://${m.hostAddress}:${m.ports[0]?.boundHostPort}/`);
      assert.equal(reply.ok, true, JSON.stringify(m));
      assert.match(reply.body, /^on [0-9a-f]{12}\n$/);
    }
    // Worker 1 remade the client certificate from the seed; it never made a host certificate.
    assert.deepEqual(readdirSync(join(home(1), 'infra', name, 'tls')).sort(), ['ca', 'client']);
    const destroyed = await stack.clocker.destroy(app, 120_000);
    assert.equal(destroyed.status, 'DESTROYED');
  });

  test('no history holds a private key, the SSH key, or the CA seed', async () => {
    const seed = readFileSync(join(stack.dir, 'secrets', 'clocker-ca-seed'), 'utf8').trim();
    const sshKeyLine = rig.hosts[0]!.privateKey.split('\n')[1]!;
    const scan = await scanHistories(stack.raw, ['-----BEGIN', 'PRIVATE KEY', seed, sshKeyLine]);
    assert.ok(scan.workflows >= 4, `infrastructure, hosts and the application were scanned (${scan.workflows})`);
    assert.deepEqual(scan.findings, []);
  });
});
