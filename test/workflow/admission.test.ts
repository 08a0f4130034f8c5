// Admission on a real Temporal server (the FakeEngine for Docker): a new application is
// checked whole against the running infrastructure before anything is booked or created, and
// the preflight workflow lists every problem at once with the blueprint field it concerns.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClockerClient } from '../../client/clockerClient';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'workflow-admission';

const hosts = (name: string, count: number, maxContainers: number) => fakeHosts(name, { count, maxContainers, dockerHost: (id) => `${name}-${id}` });

const secret = (name: string) => ({ parts: [{ kind: 'secret' as const, name }] });

describe('admission', { skip: skipUnlessPresent('temporal') }, () => {
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ clocker } = tier);
  });

  after(() => tier?.stop());

  test('a 150-service blueprint on a 100-container infrastructure is refused whole: nothing booked, nothing created', async () => {
    await clocker.ensureInfrastructure(hosts('hundred', 10, 10));
    const big = blueprint('big', Array.from({ length: 150 }, (_, i) => serviceSpec({ id: `s${String(i + 1).padStart(3, '0')}`, image: 'x:1' })), 'hundred');
    big.networks = [{ id: 'back', driver: 'bridge', dnsServers: [], shared: false, addIptablesRules: false, labels: {} }];

    const problems = await clocker.preflight(big);
    assert.equal(problems.length, 50);
    assert.deepEqual(problems[0], {
      code: 'placement.infeasible',
      path: ['services', 100],
      message: 'does not fit (the application needs 150 members in all): no host fits member 1 of big/s101 (placed 0 of 1): 10 hosts: 10 over maxContainers=10',
    });
    assert.deepEqual(problems.map((p) => p.path[1]), Array.from({ length: 50 }, (_, i) => 100 + i));

    await clocker.deploy(big);
    const view = await clocker.waitFor('big', (v) => v.status !== 'DEPLOYING', 60_000);
    assert.equal(view.status, 'FAILED');
    assert.match(view.error ?? '', /^refused before anything was created: services\[100\]: does not fit/);
    assert.equal((view.error?.match(/does not fit/g) ?? []).length, 50);
    assert.deepEqual(view.services.map((s) => s.status).filter((s) => s !== 'PENDING'), []);
    assert.deepEqual(engine.created.filter((k) => k.includes('/big.')), []);
    assert.deepEqual([...engine.networks].filter((n) => n.includes('/big.')), []);
    const infra = await clocker.infrastructureStatus('hundred');
    assert.deepEqual(infra.bookings, []);
    assert.deepEqual(infra.subnets.filter((s) => (s.owner ?? '').startsWith('big/')), []);
    assert.equal((await clocker.destroy('big', 30_000)).status, 'DESTROYED');

    // The same infrastructure would take the first 100 services whole (checked, not deployed: 100 services are slow here).
    assert.deepEqual(await clocker.preflight(blueprint('fits', big.services.slice(0, 100), 'hundred')), []);
  });

  test('one preflight lists a missing secret, an infeasible placement, a taken and a clashing host port, each at its field', async () => {
    await clocker.ensureInfrastructure(hosts('pair', 2, 5));
    engine.missingSecrets.add('api-key');
    for (const h of ['pair-h1', 'pair-h2']) engine.heldPorts.set(`${h}/8080/tcp`, 'container other.web.1 of application "other"');
    const port = (hostPort: number) => ({ containerPort: 80, hostPort, protocol: 'tcp' as const });
    const bp = blueprint(
      'checked',
      [
        serviceSpec({ id: 'db', image: 'db:1', envTemplates: { PASSWORD: secret('db-pass') } }),
        serviceSpec({ id: 'web', image: 'web:1', ports: [port(0), port(8080)], envTemplates: { KEY: secret('api-key') } }),
        serviceSpec({ id: 'wide', image: 'web:1', count: 3, ports: [port(9000)] }),
        serviceSpec({ id: 'echo', image: 'web:1', count: 2, ports: [port(7000)] }),
        serviceSpec({ id: 'copy', image: 'web:1', count: 2, ports: [port(7000)] }),
      ],
      'pair',
    );
    bp.secrets = ['api-key', 'db-pass'];
    const problems = await clocker.preflight(bp);
    assert.deepEqual(
      problems.map((p) => `${p.code} ${JSON.stringify(p.path)}`),
      [
        'secret.missing ["services",1,"env","KEY"]',
        'placement.infeasible ["services",2]',
        // Services of one layer are placed in id order: copy first, so echo is the one that clashes (on both hosts).
        'port.clash ["services",3,"ports",0]',
        'port.clash ["services",3,"ports",0]',
        'port.taken ["services",1,"ports",1]',
      ],
    );
    assert.match(problems[1]?.message ?? '', /no host fits member 3 of checked\/wide \(placed 2 of 3\): 2 hosts: 2 at maxPerHost=1$/);
    assert.match(problems[4]?.message ?? '', /^host port 8080\/tcp on host h[12] is held by container other\.web\.1 of application "other"$/);

    await clocker.deploy(bp);
    const view = await clocker.waitFor('checked', (v) => v.status !== 'DEPLOYING', 60_000);
    assert.equal(view.status, 'FAILED');
    assert.deepEqual(engine.created.filter((k) => k.includes('/checked.')), []);
    assert.deepEqual((await clocker.infrastructureStatus('pair')).bookings, []);
    assert.equal((await clocker.destroy('checked', 30_000)).status, 'DESTROYED');
  });

  test('a deploy the client has just checked (clocker deploy runs the preflight first) is not admitted a second time by the application', async () => {
    await clocker.ensureInfrastructure(hosts('twice', 2, 10));
    const checked = () => engine.checkedHosts.length; // the tests of this file run one at a time
    assert.deepEqual(await clocker.preflight(blueprint('checked', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'twice')), []);
    const byPreflight = checked();
    assert.ok(byPreflight > 0, 'the preflight looked at the hosts');
    await clocker.deploy(blueprint('checked', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'twice'), { admitted: true });
    assert.equal((await clocker.waitFor('checked', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    assert.equal(checked(), byPreflight, 'the application asked no host again');
    // Without the client's word, the application runs the admission itself.
    await clocker.deploy(blueprint('unchecked', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'twice'));
    assert.equal((await clocker.waitFor('unchecked', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    assert.ok(checked() > byPreflight, 'the application looked at the hosts');
    for (const app of ['checked', 'unchecked']) assert.equal((await clocker.destroy(app, 30_000)).status, 'DESTROYED');
  });

  test('an unknown location is named, and the secrets are still checked', async () => {
    const bp = blueprint('lost', [serviceSpec({ id: 'web', image: 'web:1', envTemplates: { KEY: secret('api-key') } })], 'nowhere');
    bp.secrets = ['api-key'];
    const problems = await clocker.preflight(bp);
    assert.deepEqual(problems.map((p) => `${p.code} ${p.path.join('.')}`), ['secret.missing services.0.env.KEY', 'location.unknown location']);
    assert.match(problems[1]?.message ?? '', /^infrastructure "nowhere" is not running; start it with `clocker up`/);
  });
});
