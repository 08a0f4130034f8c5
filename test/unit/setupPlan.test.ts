// `clocker setup`'s decisions: given what a machine has, the exact steps (argv) it takes and
// the exact lines it leaves to the user.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planSetup, versionAtLeast, type MachineFacts, type SetupOptions } from '../../client/setup/plan';
import { BASE_PACKAGES, LB_PACKAGES } from '../../client/setup/wants';

const o: SetupOptions = { lb: false, node: '/usr/bin/node', repo: '/src/clocker', dockerdLog: '/root/.local/state/clocker/dockerd.log' };
const ALL_PACKAGES = [...BASE_PACKAGES, ...LB_PACKAGES];

/** A machine with everything: each test takes something away. */
const ready: MachineFacts = {
  root: true,
  apt: true,
  installedPackages: ALL_PACKAGES,
  docker: 'answers',
  systemd: false,
  temporalCli: '/root/.cache/clocker/temporal-cli/v1.5.1/temporal',
  goVersion: '1.23.4',
  distFresh: true,
  images: ['clocker/busybox:1', 'clocker/debian:bookworm', 'clocker/nginx-lb:1'],
};

const fresh: MachineFacts = { root: true, apt: true, installedPackages: [], docker: 'silent', systemd: false, goVersion: '1.24.1', distFresh: false, images: [] };

describe('clocker setup plan', () => {
  test('a machine with everything: nothing to run, nothing to ask', () => {
    assert.deepEqual(planSetup(ready, o), { steps: [], userActions: [], ready: true });
    assert.equal(planSetup(ready, { ...o, lb: true }).ready, true);
  });

  test('a fresh Debian machine as root: packages, dockerd, the Temporal CLI, dist/, the images, in that order', () => {
    const plan = planSetup(fresh, o);
    assert.deepEqual(
      plan.steps.map((s) => [s.kind, ...s.argv]),
      [
        ['run', 'apt-get', 'update', '-qq'],
        ['run', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'docker.io', 'busybox-static', 'iproute2', 'openssh-client', 'ca-certificates'],
        ['daemon', 'dockerd'],
        ['run', '/usr/bin/node', '/src/clocker/bin/clocker.js', 'temporal-bin'],
        ['run', '/usr/bin/node', '/src/clocker/node_modules/typescript/bin/tsc', '-p', '/src/clocker/tsconfig.build.json'],
        ['run', '/usr/bin/node', '/src/clocker/bin/clocker.js', 'images'],
      ],
    );
    assert.deepEqual(plan.steps[1]?.kind === 'run' && plan.steps[1].env, { DEBIAN_FRONTEND: 'noninteractive' });
    assert.deepEqual(plan.userActions, []);
  });

  test('--lb adds debootstrap and builds the balancer images too', () => {
    const plan = planSetup({ ...fresh, installedPackages: BASE_PACKAGES }, { ...o, lb: true });
    assert.deepEqual(plan.steps[1]?.argv, ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'debootstrap']);
    assert.deepEqual(plan.steps.at(-1)?.argv, ['/usr/bin/node', '/src/clocker/bin/clocker.js', 'images', '--lb']);
  });

  test('only what is missing is installed', () => {
    const plan = planSetup({ ...ready, installedPackages: ALL_PACKAGES.filter((p) => p !== 'busybox-static') }, o);
    assert.deepEqual(plan.steps.map((s) => s.argv), [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'busybox-static']]);
  });

  test('not root: the exact apt-get line to run, the engine to start, and the images left for after', () => {
    const plan = planSetup({ ...fresh, root: false, installedPackages: ['iproute2', 'openssh-client', 'ca-certificates'] }, o);
    assert.deepEqual(plan.userActions, [
      'as root, install the Debian packages: apt-get update && apt-get install -y -qq --no-install-recommends docker.io busybox-static',
      'as root, start the Docker engine: nohup dockerd >/root/.local/state/clocker/dockerd.log 2>&1 &',
      'then build the images (clocker/busybox:1): /usr/bin/node /src/clocker/bin/clocker.js images',
    ]);
    // What needs no root is still done.
    assert.deepEqual(plan.steps.map((s) => s.argv[1]), ['/src/clocker/bin/clocker.js', '/src/clocker/node_modules/typescript/bin/tsc']);
    assert.equal(plan.ready, false);
  });

  test('not root, engine answering: the busybox image is built, the Debian base (debootstrap) is left to root', () => {
    const plan = planSetup({ ...ready, root: false, images: [] }, { ...o, lb: true });
    assert.deepEqual(plan.steps.map((s) => s.argv), [['/usr/bin/node', '/src/clocker/bin/clocker.js', 'images']]);
    assert.deepEqual(plan.userActions, [
      "as root, build the balancer's images (clocker/debian:bookworm, clocker/nginx-lb:1; debootstrap needs root): /usr/bin/node /src/clocker/bin/clocker.js images --lb",
    ]);
  });

  test('an engine is started through systemd where systemd runs the machine', () => {
    const plan = planSetup({ ...ready, docker: 'silent', systemd: true }, o);
    assert.deepEqual(plan.steps, [{ kind: 'daemon', why: 'the Docker engine (through systemd)', argv: ['systemctl', 'start', 'docker'], log: o.dockerdLog }]);
    assert.deepEqual(planSetup({ ...ready, docker: 'silent', systemd: true, root: false }, o).userActions, ['as root, start the Docker engine: systemctl start docker']);
  });

  test('an engine this user may not use: the group to join, and no images until then', () => {
    const plan = planSetup({ ...ready, root: false, docker: 'denied', images: [] }, o);
    assert.deepEqual(plan.steps, []);
    assert.equal(plan.userActions[0], 'this user may not use the Docker engine: as root, `usermod -aG docker $USER`, then log in again');
    assert.match(plan.userActions[1] ?? '', /^then build the images/);
  });

  test('no Temporal CLI: built with Go ≥ 1.23; with an older Go or none, the user is told what to get', () => {
    const { temporalCli: _found, ...withoutCli } = ready;
    assert.deepEqual(planSetup(withoutCli, o).steps.map((s) => s.argv), [['/usr/bin/node', '/src/clocker/bin/clocker.js', 'temporal-bin']]);
    const old = planSetup({ ...withoutCli, goVersion: '1.19.8' }, o);
    assert.deepEqual(old.steps, []);
    assert.equal(
      old.userActions[0],
      "no `temporal` CLI, and Go 1.19.8 is older than 1.23 to build one: install Go ≥ 1.23 (https://go.dev/doc/install; Debian 12's golang-go is 1.19), or put a `temporal` binary on PATH, or set CLOCKER_TEMPORAL_BIN to its path",
    );
    const { goVersion: _go, ...noGo } = withoutCli;
    assert.match(planSetup(noGo, o).userActions[0] ?? '', /^no `temporal` CLI, and Go is not installed to build one/);
  });

  test('a system without apt: the packages are named, not installed', () => {
    const plan = planSetup({ ...ready, apt: false, installedPackages: [] }, o);
    assert.equal(plan.userActions[0], "install docker.io, busybox-static, iproute2, openssh-client, ca-certificates with this system's package manager (setup knows apt-get only)");
    assert.deepEqual(plan.steps, []);
  });

  test('a stale dist/ is rebuilt, nothing else', () => {
    assert.deepEqual(planSetup({ ...ready, distFresh: false }, o).steps.map((s) => s.why), ['the compiled CLI and worker (dist/)']);
  });

  test('Go versions compare number by number', () => {
    assert.equal(versionAtLeast('1.23', '1.23'), true);
    assert.equal(versionAtLeast('1.23.4', '1.23'), true);
    assert.equal(versionAtLeast('1.26.8', '1.23'), true);
    assert.equal(versionAtLeast('1.9', '1.23'), false);
    assert.equal(versionAtLeast('1.22.12', '1.23'), false);
    assert.equal(versionAtLeast('2.0', '1.23'), true);
  });
});
