// Host policy: what a blueprint may bind and ask of a Docker host, refused at its field path
// with the infra-file setting that would allow it; the infra file's `policy:` block; and the
// container options that honour what a policy allowed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerCreateOptions } from '../../activities/docker/containerOptions';
import { formatProblems } from '../../client/preflightReport';
import { asksOfHost } from '../../activities/docker/hostPolicyGuard';
import { hostPolicyProblems } from '../../domain/application/hostPolicyProblems';
import { loadBlueprintOrCompose } from '../../domain/blueprint';
import { defaultHostPolicy, hostPolicyProblem, infraPolicy, isInside, normalHostPath, policyLines, type HostPolicy } from '../../domain/infra/hostPolicy';
import { loadInfraDefinition } from '../../domain/infraSpec/load';

const rootEscape = [
  'name: escape',
  'location: lab',
  'services:',
  '  - id: root',
  '    image: clocker/busybox:1',
  '    privileged: true',
  '    capAdd: [SYS_ADMIN]',
  '    pid: host',
  '    volumes:',
  '      - /:/host',
  '      - /var/run/docker.sock:/var/run/docker.sock',
  '',
].join('\n');

function load(text: string, folder?: string) {
  const result = loadBlueprintOrCompose(text, '/work/bp/escape.yaml', folder !== undefined ? { folder } : {});
  assert.ok(result.ok, JSON.stringify(result));
  return result.blueprint;
}

test('the root-escape blueprint is refused under the default policy: each key at its path, naming the setting that allows it', () => {
  const problems = hostPolicyProblems(load(rootEscape), defaultHostPolicy(false));
  assert.deepEqual(
    problems.map((p) => [p.code, p.path.join('.')]),
    [
      ['policy.bind', 'services.0.volumes.0'],
      ['policy.bind', 'services.0.volumes.1'],
      ['policy.privileged', 'services.0.privileged'],
      ['policy.capAdd', 'services.0.capAdd.0'],
      ['policy.hostPid', 'services.0.pid'],
    ],
  );
  assert.match(problems[0]!.message, /whole file system.*policy\.binds: \[\{ path: \/, readOnly: false \}\] in infrastructure "lab"'s file/);
  assert.match(problems[1]!.message, /Docker engine.*path: \/var\/run\/docker\.sock/);
  assert.match(problems[2]!.message, /policy\.privileged: true/);
  assert.match(problems[3]!.message, /policy\.capAdd: \[SYS_ADMIN\]/);
  assert.match(problems[4]!.message, /policy\.hostPid: true/);
});

test('a policy that names / and the socket, and allows privileged, SYS_ADMIN and host PID, lets it through', () => {
  const policy: HostPolicy = { binds: [{ path: '/', readOnly: false }, { path: '/var/run/docker.sock', readOnly: false }], blueprintFolder: false, privileged: true, capAdd: ['SYS_ADMIN'], hostPid: true };
  assert.deepEqual(hostPolicyProblems(load(rootEscape), policy), []);
  assert.equal(hostPolicyProblems(load(rootEscape), { ...policy, capAdd: ['ALL'] }).length, 0);
});

test('allowing / does not allow the Docker socket: it must be named exactly', () => {
  const policy: HostPolicy = { ...defaultHostPolicy(false), binds: [{ path: '/', readOnly: false }], privileged: true, capAdd: ['ALL'], hostPid: true };
  const problems = hostPolicyProblems(load(rootEscape), policy);
  assert.deepEqual(problems.map((p) => p.path.join('.')), ['services.0.volumes.1']);
  // A rule naming / read-only does not allow a read-write bind of /.
  const ro = hostPolicyProblems(load(rootEscape), { ...policy, binds: [{ path: '/', readOnly: true }, { path: '/run/docker.sock', readOnly: false }] });
  assert.deepEqual(ro.map((p) => p.path.join('.')), ['services.0.volumes.0', 'services.0.volumes.1']);
});

const binds = (...volumes: string[]) => ['name: data', 'location: lab', 'services:', '  - id: db', '    image: clocker/busybox:1', '    volumes:', ...volumes.map((v) => `      - ${v}`), ''].join('\n');

test("by default only the application's own data folder may be bound; elsewhere is refused", () => {
  const bp = load(binds('/var/lib/clocker/apps/data/pg:/pg', '/var/lib/clocker/apps/other/x:/x', '/srv/shared:/s'));
  const problems = hostPolicyProblems(bp, defaultHostPolicy(false));
  assert.deepEqual(problems.map((p) => p.path.join('.')), ['services.0.volumes.1', 'services.0.volumes.2']);
  assert.match(problems[1]!.message, /host path \/srv\/shared is outside what infrastructure "lab" lets blueprints bind \(\/var\/lib\/clocker\/apps\/data\/\); allow it with policy\.binds/);
});

test('a read-only rule allows read-only binds under it and refuses writable ones, saying so', () => {
  const policy: HostPolicy = { ...defaultHostPolicy(false), binds: [{ path: '/srv/shared/', readOnly: true }] };
  const problems = hostPolicyProblems(load(binds('/srv/shared/conf:/c:ro', '/srv//shared/./data:/d', '/srv/sharedother:/o:ro')), policy);
  assert.deepEqual(problems.map((p) => p.path.join('.')), ['services.0.volumes.1', 'services.0.volumes.2']);
  assert.match(problems[0]!.message, /may be bound read-only only/);
});

test("on local, binds inside the blueprint's folder (and Compose's ./relative ones) are allowed; outside it is not", () => {
  const bp = load(binds('/work/bp/conf:/conf:ro', '/work/bpx:/x'), '/work/bp');
  assert.equal(bp.source.folder, '/work/bp');
  assert.deepEqual(hostPolicyProblems(bp, defaultHostPolicy(true)).map((p) => p.path.join('.')), ['services.0.volumes.1']);
  // Without the folder (a blueprint sent by a client that did not say), only the app's folder.
  assert.equal(hostPolicyProblems(load(binds('/work/bp/conf:/conf:ro')), defaultHostPolicy(true)).length, 1);
  const compose = loadBlueprintOrCompose('services:\n  web:\n    image: nginx\n    volumes: ["./site:/usr/share/nginx/html:ro"]\n', '/work/bp/docker-compose.yaml', { folder: '/work/bp' });
  assert.ok(compose.ok);
  assert.deepEqual(hostPolicyProblems(compose.blueprint, defaultHostPolicy(true)), []);
  // The folder is no pass for the host's root or the socket.
  assert.equal(hostPolicyProblems(load(binds('/var/run/docker.sock:/s'), '/var/run'), defaultHostPolicy(true)).length, 1);
});

test('paths: normalised, and "inside" never matches a sibling with the same prefix', () => {
  assert.equal(normalHostPath('/a//b/./c/'), '/a/b/c');
  assert.equal(normalHostPath('///'), '/');
  assert.ok(isInside('/a/b', '/a'));
  assert.ok(isInside('/a', '/a/'));
  assert.ok(!isInside('/ab', '/a'));
  assert.ok(isInside('/anything', '/'));
});

test("the infra file's policy block: strings and objects, over the location's defaults; shown as lines", () => {
  const text = ['name: lab', 'location: local', 'policy:', '  binds: [/srv/data, { path: /etc/ssl, readOnly: true }, /]', '  privileged: true', '  capAdd: [NET_ADMIN]', ''].join('\n');
  const result = loadInfraDefinition(text, 'infra.yaml');
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual(result.definition.policy, {
    binds: [{ path: '/srv/data', readOnly: false }, { path: '/etc/ssl', readOnly: true }, { path: '/', readOnly: false }],
    blueprintFolder: true,
    privileged: true,
    capAdd: ['NET_ADMIN'],
    hostPid: false,
  });
  assert.deepEqual(policyLines(result.definition.policy), [
    "binds: /var/lib/clocker/apps/<app>, the blueprint file's folder, /srv/data, /etc/ssl (read-only), /",
    'privileged: allowed',
    'capAdd: NET_ADMIN',
    'hostPid: refused',
  ]);
  const bad = loadInfraDefinition('name: lab\nlocation: local\npolicy:\n  binds: [relative/path]\n  privileged: sure\n', 'infra.yaml');
  assert.ok(!bad.ok);
  assert.deepEqual(bad.errors.map((e) => e.path).sort(), ['policy.binds[0]', 'policy.privileged']);
});

test("an infrastructure without a policy answers the default: local's for one socket host, else none", () => {
  const socket = { record: { docker: { kind: 'socket' } } };
  const tcp = { record: { docker: { kind: 'tcp' } } };
  assert.equal(infraPolicy({ hosts: [socket] }).blueprintFolder, true);
  assert.equal(infraPolicy({ hosts: [tcp] }).blueprintFolder, false);
  assert.equal(infraPolicy({ hosts: [socket, socket] }).blueprintFolder, false);
  const own = { ...defaultHostPolicy(false), privileged: true };
  assert.equal(infraPolicy({ hosts: [socket], policy: own }), own);
});

test('what a policy allowed is honoured at create: Privileged, CapAdd, PidMode, and the binds', () => {
  const spec = load(rootEscape).services[0]!;
  assert.ok(asksOfHost(spec));
  const options = containerCreateOptions({ app: 'escape', service: 'root', member: '1' }, spec, {});
  assert.equal(options.HostConfig?.Privileged, true);
  assert.deepEqual(options.HostConfig?.CapAdd, ['SYS_ADMIN']);
  assert.equal(options.HostConfig?.PidMode, 'host');
  assert.deepEqual(options.HostConfig?.Mounts?.map((m) => [m.Type, m.Source, m.Target, m.ReadOnly]), [
    ['bind', '/', '/host', false],
    ['bind', '/var/run/docker.sock', '/var/run/docker.sock', false],
  ]);
  const plain = load(binds().replace('    volumes:\n', '')).services[0]!;
  assert.ok(!asksOfHost(plain));
  const none = containerCreateOptions({ app: 'data', service: 'db', member: '1' }, plain, {});
  assert.equal(none.HostConfig?.Privileged, undefined);
  assert.equal(none.HostConfig?.CapAdd, undefined);
});

test("Compose's privileged, cap_add and pid: host become the native keys, and the policy refuses them at the Compose file's lines", () => {
  const dir = mkdtempSync(join(tmpdir(), 'clocker-policy-'));
  try {
    const file = join(dir, 'docker-compose.yaml');
    const text = ['services:', '  web:', '    image: nginx', '    privileged: true', '    cap_add: [CAP_NET_ADMIN]', '    pid: host', ''].join('\n');
    writeFileSync(file, text);
    const loaded = loadBlueprintOrCompose(text, file, { folder: dir });
    assert.ok(loaded.ok, JSON.stringify(loaded));
    const web = loaded.blueprint.services[0]!;
    assert.deepEqual([web.privileged, web.capAdd, web.pid], [true, ['NET_ADMIN'], 'host']);
    const problems = hostPolicyProblems(loaded.blueprint, defaultHostPolicy(true));
    const printed = formatProblems(file, loaded.blueprint, problems);
    assert.match(printed, /docker-compose\.yaml:4:\d+: error: .*privileged.*policy\.privileged: true/);
    assert.match(printed, /docker-compose\.yaml:5:\d+: error: .*capability NET_ADMIN.*policy\.capAdd: \[NET_ADMIN\]/);
    assert.match(printed, /docker-compose\.yaml:6:\d+: error: .*policy\.hostPid: true/);
    assert.deepEqual(hostPolicyProblems(loaded.blueprint, { ...defaultHostPolicy(true), privileged: true, capAdd: ['NET_ADMIN'], hostPid: true }), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("binds in the application's own data folder go as Binds (Docker creates the folder); others stay mounts", () => {
  const spec = load(binds('/var/lib/clocker/apps/data/pg:/pg', '/var/lib/clocker/apps/data/conf/:/conf:ro', '/srv/x:/x')).services[0]!;
  const options = containerCreateOptions({ app: 'data', service: 'db', member: '1' }, spec, {});
  assert.deepEqual(options.HostConfig?.Binds, ['/var/lib/clocker/apps/data/pg:/pg:rw', '/var/lib/clocker/apps/data/conf:/conf:ro']);
  assert.deepEqual(options.HostConfig?.Mounts?.map((m) => m.Source), ['/srv/x']);
  // Another application's folder is not this one's: a plain mount (and refused by the policy).
  const other = containerCreateOptions({ app: 'other', service: 'db', member: '1' }, spec, {});
  assert.equal(other.HostConfig?.Binds, undefined);
});

test("a policy sent to a running infrastructure is checked by the update's validator", () => {
  assert.equal(hostPolicyProblem(defaultHostPolicy(false)), undefined);
  assert.equal(hostPolicyProblem({ ...defaultHostPolicy(false), binds: [{ path: '/srv', readOnly: true }], capAdd: ['ALL'] }), undefined);
  assert.match(hostPolicyProblem(null) ?? '', /expected a host policy/);
  assert.match(hostPolicyProblem({ ...defaultHostPolicy(false), binds: [{ path: 'srv', readOnly: false }] }) ?? '', /^binds:/);
  assert.match(hostPolicyProblem({ ...defaultHostPolicy(false), privileged: 'yes' }) ?? '', /^privileged:/);
  assert.match(hostPolicyProblem({ ...defaultHostPolicy(false), capAdd: ['net_admin'] }) ?? '', /^capAdd:/);
});
