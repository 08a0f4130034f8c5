// The multi-host rig, for real: two hosts with their own addresses, reached over SSH (ssh2,
// pinned host keys), each with its own Docker engine, and an application deployed across both
// through Temporal.
// e2e-group: beside (its own rig hosts; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { HostKeyMismatchError } from '../../activities/errors';
import { runOverSsh, type SshTarget } from '../../activities/ssh/sshRunner';
import { readBlueprintFile } from '../../client/blueprintFile';
import { ensureBusyboxImage } from '../../client/images/busyboxImage';
import type { InfrastructureSpec } from '../../domain/infra/model';
import { createRig, type Rig, type RigHost } from '../rig/rig';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet } from '../support/dockerChecks';
import { run } from '../support/exec';
import { blueprint, serviceSpec } from '../support/specs';
import { startStack, type Stack } from '../support/stack';

const sshTarget = (h: RigHost): SshTarget => ({
  host: h.address,
  port: h.sshPort,
  username: h.user,
  privateKey: h.privateKey,
  hostKeyFingerprint: h.hostKeyFingerprint,
});

describe('SSH rig', { skip: skipUnlessPresent('rig', 'docker', 'temporal') }, () => {
  const dockerFor = createDockerClientFactory();
  let rig: Rig;
  let stack: Stack;

  before(async () => {
    rig = await createRig({ hosts: 2, docker: true });
  });

  after(async () => {
    await stack?.stop();
    await rig?.teardown();
  });

  test('each host answers over SSH from its own address, with its pinned host key', async () => {
    const seen: string[] = [];
    for (const h of rig.hosts) {
      const result = await runOverSsh(sshTarget(h), { argv: ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0'] });
      const address = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(result.stdout)?.[1];
      assert.equal(address, h.address);
      assert.equal(result.hostKeyFingerprint, h.hostKeyFingerprint);
      seen.push(address ?? '');
    }
    assert.equal(new Set(seen).size, 2);
  });

  test('arguments reach the host exactly as given, never interpreted by its shell', async () => {
    const h = rig.hosts[0]!;
    const args = ['$(hostname)', "it's", 'a;b', '*'];
    const result = await runOverSsh(sshTarget(h), { argv: ['printf', '%s\\n', ...args] });
    assert.deepEqual(result.stdout.trimEnd().split('\n'), args);
  });

  test('a host presenting another key is refused', async () => {
    const [h1, h2] = rig.hosts as [RigHost, RigHost];
    await assert.rejects(runOverSsh({ ...sshTarget(h1), hostKeyFingerprint: h2.hostKeyFingerprint }, { argv: ['true'] }), HostKeyMismatchError);
  });

  test("traffic between the hosts is theirs alone: a local Docker network on the same subnet (its masquerading) changes nothing", async () => {
    // Each infrastructure's IPAM carves from one pool, so a local test's network may hold the
    // subnet a rig test's containers use; the local engine then masquerades that subnet. The
    // rig's switch is out of the root namespace's reach, so the hosts' frames never meet the rule.
    const [h1, h2] = rig.hosts as [RigHost, RigHost];
    const subnet = `10.219.${Math.floor(Math.random() * 250)}`;
    const local = dockerFor(localDockerEndpoint());
    const name = `rig-${rig.id}-overlap`;
    await run(['ip', '-n', h1.netns, 'addr', 'add', `${subnet}.11/24`, 'dev', 'eth0']);
    await run(['ip', '-n', h2.netns, 'addr', 'add', `${subnet}.12/24`, 'dev', 'eth0']);
    const network = await local.createNetwork({ Name: name, Driver: 'bridge', IPAM: { Config: [{ Subnet: `${subnet}.0/24` }] } });
    try {
      const masquerades = (await run(['iptables', '-t', 'nat', '-S', 'POSTROUTING'])).split('\n').filter((l) => l.includes(`-s ${subnet}.0/24`) && l.includes('MASQUERADE'));
      assert.equal(masquerades.length, 1, 'the local engine masquerades the subnet');
      const ping = await run(['ip', 'netns', 'exec', h1.netns, 'busybox', 'ping', '-c', '2', '-W', '2', '-I', `${subnet}.11`, `${subnet}.12`], { allowFail: true });
      assert.match(ping, /2 packets received/, ping);
    } finally {
      await network.remove();
    }
  });

  test('an application deploys across both hosts through their Docker APIs', async () => {
    for (const h of rig.hosts) await ensureBusyboxImage(dockerFor(h.docker!));
    stack = await startStack();
    await stack.startWorker();
    const infra: InfrastructureSpec = {
      name: 'rig',
      hosts: rig.hosts.map((h) => ({ id: h.name, address: h.address, docker: h.docker!, status: 'AVAILABLE', labels: { zone: 'eu' }, maxContainers: 10 })),
    };
    await stack.clocker.ensureInfrastructure(infra);
    const web = serviceSpec({
      id: 'web',
      image: 'clocker/busybox:1',
      count: 2,
      command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'],
      ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
    });
    await stack.clocker.deploy(blueprint('spread', [web], 'rig'));
    const view = await stack.clocker.waitFor('spread', (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));

    const members = view.services[0]?.members ?? [];
    assert.deepEqual(members.map((m) => m.hostId).sort(), ['h1', 'h2']);
    for (const m of members) {
      const host = rig.hosts.find((h) => h.name === m.hostId)!;
      const onHost = await appContainers(dockerFor(host.docker!), 'spread');
      assert.deepEqual(onHost.map((c) => c.Names[0]), [`/spread.web.${m.member}`]);
      const reply = await httpGet(`http://${host.address}:${m.ports[0]?.boundHostPort}/`);
      assert.equal(reply.ok, true, reply.body);
      assert.equal(reply.body.trim(), onHost[0]?.Id.slice(0, 12));
    }

    assert.equal((await stack.clocker.destroy('spread', 60_000)).status, 'DESTROYED');
    for (const h of rig.hosts) assert.equal((await appContainers(dockerFor(h.docker!), 'spread')).length, 0);
  });

  test('a Docker Compose file runs across the hosts: replicas spread, fixed port on each, network and health', async () => {
    await stack.clocker.deploy({ ...readBlueprintFile('examples/docker-compose.yaml'), location: 'rig' });
    const view = await stack.clocker.waitFor('compose-shop', (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const web = view.services.find((s) => s.id === 'web');
    assert.deepEqual(web?.members.map((m) => m.hostId).sort(), ['h1', 'h2']);
    for (const h of rig.hosts) {
      const reply = await httpGet(`http://${h.address}:8080/`);
      assert.match(reply.body, /404 Not Found/, 'busybox httpd answered on the fixed port (it has no index page)');
      const onHost = await appContainers(dockerFor(h.docker!), 'compose-shop');
      assert.ok(onHost.some((c) => c.Names[0]?.startsWith('/compose-shop.web.')), `a web member on ${h.name}`);
    }
    assert.equal((await stack.clocker.destroy('compose-shop', 60_000)).status, 'DESTROYED');
    for (const h of rig.hosts) {
      const docker = dockerFor(h.docker!);
      assert.equal((await appContainers(docker, 'compose-shop')).length, 0);
      assert.equal((await docker.listNetworks({ filters: { label: ['io.clocker.app=compose-shop'] } })).length, 0);
    }
  });
});
