// Clocker 1.x blueprints from the test corpus (test/fixtures/clocker1/) deployed on the local
// engine as written: each container reaches the one it links to through the Docker-link
// variables (ALIAS_PORT_<port>_TCP_ADDR / _PORT) and through the alias as a host name, and
// where the blueprint publishes a page, the page shows what the linked service answered; the
// corpus's other container blueprints deploy and answer where they publish.
// e2e-group: beside (uniquely named applications on their own ports; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { readBlueprintFile } from '../../client/blueprintFile';
import { LABEL } from '../../domain/naming';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, removeAppLeftovers } from '../support/dockerChecks';
import { run } from '../support/exec';
import { startLocalStack, type Stack } from '../support/stack';

const CORPUS = join(__dirname, '..', 'fixtures', 'clocker1');

interface LinkCase {
  fixture: string;
  /** The service holding the link, and the link's alias and target. */
  client: string;
  alias: string;
  target: string;
  /** The target's container port, and what the target's program answers on it. */
  port: number;
  answer: string;
  /** A host port the client publishes (the same number: directPorts), and the line it serves there. */
  page?: { port: number; line: string };
}

// The fixtures' fixed host ports (24080–24084) sit below Linux's ephemeral range (32768–60999):
// in it, a dev server or a connection of a test running beside this one could hold them (seen in CI).
const cases: LinkCase[] = [
  // links: ["mysql:db"], the Docker CLI's "service:alias" form
  { fixture: 'tomcat-mysql', client: 'tomcat', alias: 'db', target: 'mysql', port: 3306, answer: 'db-ok', page: { port: 24080, line: 'web-ok db-ok' } },
  // docker.container.links: { cache: $brooklyn:entity("couchbase") }, to a cluster of two
  { fixture: 'wordpress-couchbase', client: 'wordpress', alias: 'cache', target: 'couchbase', port: 11211, answer: 'couchbase-ok', page: { port: 24081, line: 'wordpress-ok couchbase-ok' } },
  // links: [queue], the bare service name as its own alias (serviceType spelling, launch.latch)
  { fixture: 'service-type', client: 'worker', alias: 'queue', target: 'queue', port: 5672, answer: 'queue-ok' },
];

interface RunCase {
  fixture: string;
  /** The service whose published container port answers with `line` (the host port may be any free one). */
  service: string;
  containerPort: number;
  line: string;
}

/** The other container blueprints of the corpus: each deploys as written and answers where it publishes. */
const runs: RunCase[] = [
  // brooklyn.catalog with an entity item used as a type, overridden at the use site; a link to the store
  { fixture: 'catalog-bom', service: 'web', containerPort: 24083, line: 'hello store-ok' },
  // VanillaDockerApplication naming its image with docker.image.name
  { fixture: 'vanilla-docker', service: 'echo', containerPort: 24084, line: 'echo-ok' },
  // the seed's VirtualNetwork (networkId, cidr, gateway) with UI-only enrichers; front asks the catalogue on it
  { fixture: 'virtual-network', service: 'front', containerPort: 24082, line: 'front-ok catalogue-ok' },
  // one catalog item holding the application; openPorts: any free host port
  { fixture: 'catalog-single-item', service: 'hello', containerPort: 8000, line: 'hello-ok' },
  // catalog metadata beside the blueprint; brooklyn.parameters' default read by $brooklyn:config
  { fixture: 'catalog-legacy-metadata', service: 'store', containerPort: 6380, line: 'store-ok' },
];

async function memberContainers(docker: Docker, app: string, service: string): Promise<Docker.ContainerInspectInfo[]> {
  const found = (await appContainers(docker, app)).filter((c) => c.Labels[LABEL.service] === service);
  return Promise.all(found.map((c) => docker.getContainer(c.Id).inspect()));
}

/** The first line a TCP server sends (the fixtures' pages are raw lines, not HTTP), or the error. */
function firstLine(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect({ host, port, timeout: 3_000 });
    const done = (text: string) => (socket.destroy(), resolve(text));
    socket.on('data', (d: Buffer) => {
      data += d.toString();
      if (data.includes('\n')) done(data.slice(0, data.indexOf('\n')));
    });
    socket.once('end', () => done(data));
    socket.once('timeout', () => done(`${data}(timed out)`));
    socket.once('error', (err) => done(`(${err.message})`));
  });
}

/** Waits until 127.0.0.1:`port` sends `want` as its first line, saying what it last sent if not. */
async function answersWith(port: number, want: string): Promise<void> {
  let line = '';
  await waitUntil(`127.0.0.1:${port} to answer "${want}"`, 30_000, async () => {
    line = await firstLine('127.0.0.1', port);
    return line === want;
  }).catch((err: Error) => {
    throw new Error(`${err.message}; it last answered ${JSON.stringify(line)}`);
  });
}

/** Runs a shell line in a container until its output contains `want`; returns the last output. */
async function execUntil(container: string, shell: string, want: string): Promise<string> {
  let last = '';
  await waitUntil(`\`${shell}\` in ${container} to print "${want}"`, 30_000, async () => {
    last = await run(['docker', 'exec', container, 'sh', '-c', shell], { allowFail: true });
    return last.includes(want);
  }).catch((err: Error) => {
    throw new Error(`${err.message}; it last printed ${JSON.stringify(last)}`);
  });
  return last;
}

describe('Clocker 1.x blueprints deploy, and their linked services talk', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const apps = [...cases, ...runs].map((c) => readBlueprintFile(join(CORPUS, `${c.fixture}.yaml`)).name);
  let stack: Stack;

  /** Deploys a corpus file as written and waits for it to be RUNNING. */
  async function deployFixture(fixture: string, t: TestContext) {
    const blueprint = readBlueprintFile(join(CORPUS, `${fixture}.yaml`));
    assert.equal(blueprint.source.format, 'clocker1');
    const started = Date.now();
    await stack.clocker.deploy(blueprint);
    const view = await stack.clocker.waitFor(blueprint.name, (v) => v.status !== 'DEPLOYING', 180_000);
    t.diagnostic(`${blueprint.name} deployed in ${Date.now() - started} ms`);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    return { blueprint, view };
  }

  before(async () => {
    for (const app of apps) {
      assert.equal((await appContainers(docker, app)).length, 0, `an earlier run left containers of ${app}`);
      assert.equal((await docker.listNetworks({ filters: { label: [`${LABEL.app}=${app}`] } })).length, 0, `an earlier run left networks of ${app}`);
    }
    stack = await startLocalStack(docker);
  });

  after(async () => {
    // A failed case still tears down: through Clocker first, then whatever is left by label.
    const live = stack ? (await stack.clocker.listApplications()).map((a) => a.name) : [];
    for (const app of apps.filter((a) => live.includes(a))) {
      await stack.clocker.destroy(app, 120_000).catch((err: unknown) => console.error(`cleanup: destroy of ${app} failed: ${String(err)}`));
    }
    await removeAppLeftovers(docker, ...apps);
    for (const app of apps) for (const n of await docker.listNetworks({ filters: { label: [`${LABEL.app}=${app}`] } })) await docker.getNetwork(n.Id).remove();
    await stack?.stop();
  });

  for (const c of cases) {
    test(`${c.fixture}: ${c.client} reaches ${c.target} through the link "${c.alias}"`, async (t) => {
      const { blueprint } = await deployFixture(c.fixture, t);

      const [client] = await memberContainers(docker, blueprint.name, c.client);
      assert.ok(client, `a ${c.client} container`);
      const name = client.Name.replace(/^\//, '');

      // The link variables name a member of the target on a network both containers share.
      const variable = `${c.alias.toUpperCase()}_PORT_${c.port}_TCP`;
      const env = Object.fromEntries(client.Config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
      const targetIps = (await memberContainers(docker, blueprint.name, c.target)).flatMap((m) =>
        Object.entries(m.NetworkSettings.Networks)
          .filter(([network]) => network in client.NetworkSettings.Networks)
          .map(([, settings]) => settings.IPAddress),
      );
      assert.ok(targetIps.includes(env[`${variable}_ADDR`] ?? ''), `${variable}_ADDR=${env[`${variable}_ADDR`]} is one of ${c.target}'s addresses on a shared network (${targetIps.join(', ')})`);
      assert.equal(env[`${variable}_PORT`], String(c.port));
      assert.equal(env[variable], `tcp://${env[`${variable}_ADDR`]}:${c.port}`);

      // From inside the client: through the variables, and through the alias as a host name.
      await execUntil(name, `nc -w 2 "$${variable}_ADDR" "$${variable}_PORT" </dev/null`, c.answer);
      await execUntil(name, `nc -w 2 ${c.alias} ${c.port} </dev/null`, c.answer);

      if (c.page) {
        await answersWith(c.page.port, c.page.line);
      }

      assert.equal((await stack.clocker.destroy(blueprint.name, 60_000)).status, 'DESTROYED');
      assert.equal((await appContainers(docker, blueprint.name)).length, 0);
      assert.equal((await docker.listNetworks({ filters: { label: [`${LABEL.app}=${blueprint.name}`] } })).length, 0);
    });
  }
  for (const r of runs) {
    test(`${r.fixture}: deploys as written and ${r.service} answers where it is published`, async (t) => {
      const { blueprint, view } = await deployFixture(r.fixture, t);
      const member = view.services.find((s) => s.id === r.service)?.members[0];
      const port = member?.ports.find((p) => p.containerPort === r.containerPort)?.boundHostPort;
      assert.ok(port, `${r.service} publishes ${r.containerPort}: ${JSON.stringify(member?.ports)}`);
      await answersWith(Number(port), r.line);
      assert.equal((await stack.clocker.destroy(blueprint.name, 60_000)).status, 'DESTROYED');
      assert.equal((await appContainers(docker, blueprint.name)).length, 0);
    });
  }
});
