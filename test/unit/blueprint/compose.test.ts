// Compose import: each key is honoured as Compose means it, or refused at its position;
// only keys that leave what runs unchanged are warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importCompose } from '../../../domain/blueprint/compose/importCompose';
import { joinHostPath } from '../../../domain/blueprint/compose/hostPathJoin';
import { profilesFromEnv } from '../../../domain/blueprint/compose/profiles';
import { formatDiagnostic } from '../../../domain/blueprint/diagnostic';
import { isComposeText, loadBlueprintOrCompose } from '../../../domain/blueprint/loadAny';
import type { LoadOptions } from '../../../domain/blueprint/load';
import type { Blueprint, ServiceSpec } from '../../../domain/blueprint/model';
import { example, load, yaml } from './helpers';

const votingDir = join(__dirname, '..', '..', 'fixtures', 'compose', 'voting-app');
const votingFile = join(votingDir, 'docker-compose.yml');

function imported(text: string, options: LoadOptions = {}, file = '/srv/shop/compose.yaml'): { blueprint: Blueprint; warnings: string[] } {
  const result = importCompose(text, file, options);
  if (!result.ok) assert.fail(result.errors.map((d) => formatDiagnostic(d)).join('\n'));
  return { blueprint: result.blueprint, warnings: result.warnings.map((d) => formatDiagnostic(d)) };
}

function refused(text: string, options: LoadOptions = {}, file = '/srv/shop/compose.yaml'): string[] {
  const result = importCompose(text, file, options);
  assert.equal(result.ok, false, 'expected the Compose file to be refused');
  return result.ok ? [] : result.errors.map((d) => formatDiagnostic(d));
}

function service(bp: Blueprint, id: string): ServiceSpec {
  const s = bp.services.find((x) => x.id === id);
  assert.ok(s, `service ${id}`);
  return s;
}

test('the example Compose file becomes a blueprint', () => {
  const result = importCompose(example('docker-compose.yaml'), 'examples/docker-compose.yaml');
  assert.ok(result.ok, result.ok ? '' : result.errors.map((d) => formatDiagnostic(d)).join('\n'));
  const bp = result.blueprint;
  assert.equal(bp.name, 'compose-shop');
  assert.equal(bp.source.format, 'compose');
  assert.deepEqual(bp.networks, [{ id: 'back', cidr: '10.77.0.0/24', gateway: '10.77.0.1', dnsServers: [], driver: 'bridge', shared: false, addIptablesRules: false, labels: {} }]);
  const [db, web] = bp.services;
  assert.deepEqual(db?.command, ['sh', '-c', 'while true; do echo ok | nc -l -p 5432; done']);
  assert.deepEqual(db?.volumes, [{ type: 'volume', source: 'db-data', target: '/var/lib/data', readOnly: false }]);
  assert.deepEqual(db?.health, { probe: { kind: 'exec', command: ['sh', '-c', 'netstat -ltn | grep -q :5432'] }, intervalMs: 10_000, timeoutMs: 3000, retries: 5, startPeriodMs: 0 });
  assert.deepEqual(web?.env, { DB_HOST: 'db' });
  assert.deepEqual(web?.ports, [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }]);
  assert.deepEqual(web?.dependsOn, ['db']);
  assert.deepEqual(web?.networks, [{ network: 'back', aliases: ['app'] }]);
  assert.equal(web?.count, 2);
  assert.deepEqual(web?.resources, { cpus: 0.5, memoryBytes: 128 * 1024 ** 2 });
  assert.deepEqual(web?.placement.constraints.labels, { zone: 'eu' });
  assert.deepEqual(web?.policies.restarter, { maxRestarts: 3, windowMs: 300_000 });
  assert.deepEqual(result.warnings, []);
});

test('the voting app loads as Compose means it: ports, a loopback-only port, binds beside the file, the seed profile off', () => {
  const { blueprint: bp, warnings } = imported(example('../test/fixtures/compose/voting-app/docker-compose.yml'), {}, votingFile);
  assert.equal(bp.name, 'voting-app');
  assert.deepEqual(bp.services.map((s) => s.id), ['vote', 'result', 'worker', 'redis', 'db']);
  assert.deepEqual(warnings, [`${votingFile}:71:3: warning: services.seed: "seed" is not deployed: none of its profiles (seed) is active (--profile seed deploys it)`]);

  const vote = service(bp, 'vote');
  assert.deepEqual(vote.ports, [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }]);
  assert.deepEqual(vote.build, { context: './vote' });
  assert.deepEqual(vote.dependsOn, ['redis']);
  assert.deepEqual(vote.networks, [{ network: 'front-tier', aliases: [] }, { network: 'back-tier', aliases: [] }]);
  assert.deepEqual(vote.health, { probe: { kind: 'exec', command: ['curl', '-fsS', 'http://localhost'] }, intervalMs: 15_000, timeoutMs: 5000, retries: 3, startPeriodMs: 10_000 });

  const result = service(bp, 'result');
  assert.deepEqual(result.ports, [
    { containerPort: 80, hostPort: 8081, protocol: 'tcp' },
    { containerPort: 9229, hostPort: 9229, hostIp: '127.0.0.1', protocol: 'tcp' },
  ]);
  assert.deepEqual(result.entrypoint, ['nodemon', '--inspect=0.0.0.0', 'server.js']);
  assert.deepEqual(result.command, ['--watch', 'views']);
  assert.deepEqual(result.dependsOn, ['db']);

  assert.deepEqual(service(bp, 'worker').build, { context: './worker' });
  assert.deepEqual(service(bp, 'worker').dependsOn, ['redis', 'db']);

  const healthchecks = { type: 'bind', source: join(votingDir, 'healthchecks'), target: '/healthchecks', readOnly: false, fromFile: true };
  const redis = service(bp, 'redis');
  assert.deepEqual(redis.volumes, [healthchecks]);
  assert.deepEqual(redis.health?.probe, { kind: 'exec', command: ['/healthchecks/redis.sh'] });
  const db = service(bp, 'db');
  assert.deepEqual(db.volumes, [{ type: 'volume', source: 'db-data', target: '/var/lib/postgresql/data', readOnly: false }, healthchecks]);
  assert.deepEqual(db.health?.probe, { kind: 'exec', command: ['/healthchecks/postgres.sh'] });
  assert.deepEqual(db.env, { POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: 'postgres' });
  assert.deepEqual(bp.networks.map((n) => n.id), ['front-tier', 'back-tier']);
});

test('an active profile deploys its services, silently; "*" activates every profile', () => {
  for (const profiles of [['seed'], ['*'], ['other', 'seed']]) {
    const { blueprint: bp, warnings } = imported(example('../test/fixtures/compose/voting-app/docker-compose.yml'), { profiles }, votingFile);
    assert.deepEqual(bp.services.map((s) => s.id), ['vote', 'result', 'worker', 'redis', 'db', 'seed'], profiles.join(','));
    assert.deepEqual(service(bp, 'seed').build, { context: './seed-data' });
    assert.deepEqual(service(bp, 'seed').dependsOn, ['vote']);
    assert.deepEqual(warnings, []);
  }
  assert.deepEqual(profilesFromEnv(' seed, debug ,,'), ['seed', 'debug']);
  assert.deepEqual(profilesFromEnv(undefined), []);
});

test('a kept service that depends on a dropped one is refused at that depends_on, naming the profile', () => {
  const text = yaml(`
    services:
      app:
        image: clocker/busybox:1
        depends_on:
          migrate: { condition: service_started }
          debug: { condition: service_started, required: false }
      worker:
        image: clocker/busybox:1
        depends_on: [migrate]
      migrate:
        image: clocker/busybox:1
        profiles: [setup, ops]
      debug:
        image: clocker/busybox:1
        profiles: [debug]
  `);
  assert.deepEqual(refused(text), [
    '/srv/shop/compose.yaml:5:7: error: services.app.depends_on.migrate: depends_on "migrate" is not deployed: none of its profiles (setup, ops) is active; activate it with --profile setup or --profile ops (or COMPOSE_PROFILES)',
    '/srv/shop/compose.yaml:9:18: error: services.worker.depends_on[0]: depends_on "migrate" is not deployed: none of its profiles (setup, ops) is active; activate it with --profile setup or --profile ops (or COMPOSE_PROFILES)',
  ]);
  const { blueprint, warnings } = imported(text, { profiles: ['ops'] });
  assert.deepEqual(blueprint.services.map((s) => s.id), ['app', 'worker', 'migrate']);
  assert.deepEqual(service(blueprint, 'app').dependsOn, ['migrate']);
  assert.deepEqual(warnings, [
    '/srv/shop/compose.yaml:6:7: warning: services.app.depends_on.debug: depends_on "debug" is not deployed: none of its profiles (debug) is active; not waited for (required: false)',
    '/srv/shop/compose.yaml:13:3: warning: services.debug: "debug" is not deployed: none of its profiles (debug) is active (--profile debug deploys it)',
  ]);
});

test('ports: bare ports publish on a free host port, addresses bind there only, ranges become one port each, expose only opens', () => {
  const { blueprint, warnings } = imported(yaml(`
    services:
      web:
        image: clocker/busybox:1
        ports:
          - "80"
          - 81
          - "8080:8000"
          - "127.0.0.1:9229:9229"
          - "127.0.0.1::5000"
          - "[::1]:6000:6000"
          - "8000-8002:90-92"
          - "9090-9091:8080-8081/udp"
          - "3000-3001"
          - { target: 443, published: "8443", host_ip: 10.0.0.5, protocol: tcp, mode: host }
          - { target: 53, protocol: udp }
        expose: ["7000", 7001, "7100-7101/udp", "80"]
  `));
  assert.deepEqual(warnings, []);
  assert.deepEqual(service(blueprint, 'web').ports, [
    { containerPort: 80, hostPort: 0, protocol: 'tcp' },
    { containerPort: 81, hostPort: 0, protocol: 'tcp' },
    { containerPort: 8000, hostPort: 8080, protocol: 'tcp' },
    { containerPort: 9229, hostPort: 9229, hostIp: '127.0.0.1', protocol: 'tcp' },
    { containerPort: 5000, hostPort: 0, hostIp: '127.0.0.1', protocol: 'tcp' },
    { containerPort: 6000, hostPort: 6000, hostIp: '::1', protocol: 'tcp' },
    { containerPort: 90, hostPort: 8000, protocol: 'tcp' },
    { containerPort: 91, hostPort: 8001, protocol: 'tcp' },
    { containerPort: 92, hostPort: 8002, protocol: 'tcp' },
    { containerPort: 8080, hostPort: 9090, protocol: 'udp' },
    { containerPort: 8081, hostPort: 9091, protocol: 'udp' },
    { containerPort: 3000, hostPort: 0, protocol: 'tcp' },
    { containerPort: 3001, hostPort: 0, protocol: 'tcp' },
    { containerPort: 443, hostPort: 8443, hostIp: '10.0.0.5', protocol: 'tcp' },
    { containerPort: 53, hostPort: 0, protocol: 'udp' },
    { containerPort: 7000, protocol: 'tcp' },
    { containerPort: 7001, protocol: 'tcp' },
    { containerPort: 7100, protocol: 'udp' },
    { containerPort: 7101, protocol: 'udp' },
  ]);
});

test('ports that cannot mean what Compose means are refused at their position', () => {
  assert.deepEqual(refused(yaml(`
    services:
      web:
        image: clocker/busybox:1
        ports:
          - "8000-8002:80-81"
          - "8000-8010:80"
          - "80:http"
          - "5000:5000/sctp"
          - "1.2.3.4:5:6:7"
          - { target: 80, published: "70000" }
          - { published: 80 }
          - { target: 80, name: web, app_protocol: http, x: 1 }
        expose: ["abc"]
  `)), [
    '/srv/shop/compose.yaml:5:9: error: services.web.ports[0]: ports: the host range 8000-8002 has 3 ports but the container range 80-81 has 2',
    '/srv/shop/compose.yaml:6:9: error: services.web.ports[1]: ports: the host range 8000-8010 for the one container port 80 is not supported (Compose takes any free port in it): give one host port, or none for any free port',
    '/srv/shop/compose.yaml:7:9: error: services.web.ports[2]: ports: "http" is not a port or a range of ports',
    '/srv/shop/compose.yaml:8:9: error: services.web.ports[3]: ports: protocol "sctp" is not supported (tcp or udp)',
    '/srv/shop/compose.yaml:9:9: error: services.web.ports[4]: ports: expected a port like "80", "8080:80", "127.0.0.1:8080:80", "8000-8002:80-82" or "53:53/udp", got "1.2.3.4:5:6:7"',
    '/srv/shop/compose.yaml:10:34: error: services.web.ports[5].published: ports.published: port numbers must be between 0 and 65535, got "70000"',
    '/srv/shop/compose.yaml:11:9: error: services.web.ports[6]: ports.target (the container port) is required',
    '/srv/shop/compose.yaml:12:54: error: services.web.ports[7].x: ports.x is not supported',
    '/srv/shop/compose.yaml:13:14: error: services.web.expose[0]: expose: expected a port like "3000", "8000-8010" or "53/udp", got "abc"',
  ]);
  // A host address that is not one is left to the schema, which points at the same element.
  assert.deepEqual(refused(yaml(`
    services:
      db:
        image: clocker/busybox:1
        ports: ["999.1.1.1:80:80"]
  `)), ['/srv/shop/compose.yaml:4:13: error: services[0].ports[0].hostIp: expected an IPv4 or IPv6 address, got "999.1.1.1"']);
});

test('binds relative to the Compose file join its folder; "~", an unknown folder and undeclared volumes are refused', () => {
  const { blueprint, warnings } = imported(yaml(`
    services:
      app:
        image: clocker/busybox:1
        volumes:
          - .:/code
          - ./conf/:/conf:ro
          - ../shared:/shared:ro,cached
          - /srv/logs:/logs
          - data:/data
          - /cache
          - { type: bind, source: ./site, target: /site, read_only: true, bind: { create_host_path: true } }
          - { type: volume, source: data, target: /more, volume: { nocopy: false } }
          - { type: volume, target: /scratch }
    volumes:
      data:
        driver: local
        labels: { team: shop }
  `));
  assert.deepEqual(warnings, []);
  assert.deepEqual(service(blueprint, 'app').volumes, [
    { type: 'bind', source: '/srv/shop', target: '/code', readOnly: false, fromFile: true },
    { type: 'bind', source: '/srv/shop/conf', target: '/conf', readOnly: true, fromFile: true },
    { type: 'bind', source: '/srv/shared', target: '/shared', readOnly: true, fromFile: true },
    { type: 'bind', source: '/srv/logs', target: '/logs', readOnly: false },
    { type: 'volume', source: 'data', target: '/data', readOnly: false },
    { type: 'anonymous', target: '/cache', readOnly: false },
    { type: 'bind', source: '/srv/shop/site', target: '/site', readOnly: true, fromFile: true },
    { type: 'volume', source: 'data', target: '/more', readOnly: false },
    { type: 'anonymous', target: '/scratch', readOnly: false },
  ]);

  const bad = yaml(`
    services:
      app:
        image: clocker/busybox:1
        volumes:
          - ~/data:/data
          - logs:/logs
          - ./x:/x:z
          - ../../../../x:/y
          - { type: tmpfs, target: /tmp }
          - { type: bind, source: ./x, target: /x, bind: { propagation: rshared } }
    volumes:
      nfs:
        driver_opts: { type: nfs }
      old:
        external: true
  `);
  assert.deepEqual(refused(bad), [
    '/srv/shop/compose.yaml:5:9: error: services.app.volumes[0]: volumes: "~/data": "~" (the home folder of whoever runs the tool) is not supported: write the path',
    '/srv/shop/compose.yaml:6:9: error: services.app.volumes[1]: volumes: the named volume "logs" is not declared under the top-level "volumes"',
    '/srv/shop/compose.yaml:7:9: error: services.app.volumes[2]: volumes: the mode "z" is not supported (ro or rw)',
    '/srv/shop/compose.yaml:8:9: error: services.app.volumes[3]: volumes: the relative host path "../../../../x" climbs above "/" from /srv/shop',
    '/srv/shop/compose.yaml:9:17: error: services.app.volumes[4].type: volumes.type "tmpfs" is not supported (bind or volume)',
    '/srv/shop/compose.yaml:10:56: error: services.app.volumes[5].bind.propagation: volumes.bind.propagation is not supported',
    '/srv/shop/compose.yaml:13:5: error: volumes.nfs.driver_opts: volumes.driver_opts is not supported: Clocker creates a local volume',
    '/srv/shop/compose.yaml:15:5: error: volumes.old.external: volumes.external is not supported: Clocker creates the application\'s own volume "old"',
  ]);
  // A relative file name with no folder given: a relative bind cannot be placed.
  assert.deepEqual(refused('services:\n  app:\n    image: i\n    volumes: ["./x:/x"]\n', {}, 'compose.yaml'), [
    'compose.yaml:4:15: error: services.app.volumes[0]: volumes: the relative host path "./x" needs the Compose file\'s folder, which is unknown here',
  ]);
  assert.equal(importCompose('services:\n  app:\n    image: i\n    volumes: ["./x:/x"]\n', 'compose.yaml', { folder: '/w' }).ok, true);
  assert.equal(joinHostPath('/a/b/../c', './d/./e/..'), '/a/c/d');
  assert.equal(joinHostPath('/', '..'), undefined);
});

test('keys that would change what runs are refused at their position; security keys name the key', () => {
  assert.deepEqual(refused(yaml(`
    services:
      web:
        image: clocker/busybox:1
        privileged: true
        cap_add: [NET_ADMIN]
        network_mode: host
        pid: "service:db"
        devices: ["/dev/fuse"]
        security_opt: ["seccomp:unconfined"]
        env_file: .env
        extends: { service: base }
        stop_grace_period: 1m
        environment: { HOME_DIR: "\${HOME}", EMPTY: null, PRICE: "$$5" }
        command: echo $USER
        depends_on: { db: { condition: service_completed_successfully } }
        deploy: { mode: global, placement: { constraints: ["node.role==manager"] } }
        restart: sometimes
        healthcheck: { test: ["CMD", "true"], retries: 2, bogus: 1 }
        links: ["db:database"]
      db:
        image: clocker/busybox:1
    networks:
      front: { driver: macvlan, internal: true }
    secrets:
      pw: { file: ./pw }
    include: [other.yaml]
  `)), [
    "/srv/shop/compose.yaml:6:5: error: services.web.network_mode: \"network_mode\" is not supported: members join the application's networks; another network mode would change who can reach them",
    '/srv/shop/compose.yaml:7:10: error: services.web.pid: pid "service:db" is not supported: sharing another container\'s process namespace reaches outside this one (only "host", when the infrastructure\'s host policy allows it)',
    '/srv/shop/compose.yaml:8:5: error: services.web.devices: "devices" is not supported: host devices reach into the Docker host',
    '/srv/shop/compose.yaml:9:5: error: services.web.security_opt: "security_opt" is not supported: security options change what the container may do on the host',
    '/srv/shop/compose.yaml:10:5: error: services.web.env_file: "env_file" is not supported: copy its variables into "environment" (reading other files is not supported yet)',
    '/srv/shop/compose.yaml:11:5: error: services.web.extends: "extends" is not supported: write the service out in full',
    '/srv/shop/compose.yaml:12:5: error: services.web.stop_grace_period: "stop_grace_period" is not supported: Clocker stops members with its own timeout',
    '/srv/shop/compose.yaml:13:30: error: services.web.environment.HOME_DIR: "${HOME}" is Compose variable interpolation, which Clocker does not do (the value would depend on who deploys): write the value, or "$$" for a literal "$"',
    '/srv/shop/compose.yaml:13:48: error: services.web.environment.EMPTY: environment.EMPTY has no value (Compose would take it from the environment of whoever runs it): write the value, or "$secret:NAME"',
    '/srv/shop/compose.yaml:14:14: error: services.web.command: "$USER" is Compose variable interpolation, which Clocker does not do (the value would depend on who deploys): write the value, or "$$" for a literal "$"',
    '/srv/shop/compose.yaml:15:36: error: services.web.depends_on.db.condition: depends_on.condition "service_completed_successfully" is not supported (service_started or service_healthy: Clocker waits until the service is up and healthy)',
    '/srv/shop/compose.yaml:16:21: error: services.web.deploy.mode: deploy.mode "global" is not supported (replicated: give deploy.replicas)',
    '/srv/shop/compose.yaml:16:56: error: services.web.deploy.placement.constraints[0]: deploy.placement.constraints "node.role==manager" is not supported (only node.labels.KEY==VALUE)',
    '/srv/shop/compose.yaml:17:14: error: services.web.restart: restart "sometimes" is not supported (no, always, unless-stopped, on-failure[:N])',
    '/srv/shop/compose.yaml:18:55: error: services.web.healthcheck.bogus: healthcheck.bogus is not supported',
    '/srv/shop/compose.yaml:19:13: error: services.web.links[0]: links: the alias "database" is not supported: reach the service by its name "db"',
    '/srv/shop/compose.yaml:23:20: error: networks.front.driver: networks.driver "macvlan" is not supported (bridge, overlay, routed, weave, calico)',
    '/srv/shop/compose.yaml:23:29: error: networks.front.internal: networks.internal is not supported',
    '/srv/shop/compose.yaml:24:1: error: secrets: "secrets" is not supported: use "$secret:NAME" as an environment value instead: Clocker resolves it when it starts a member',
    '/srv/shop/compose.yaml:26:1: error: include: "include" is not supported: put the services in this file',
  ]);
});

test('only keys that leave what runs unchanged are warnings; honoured keys reach the model', () => {
  const { blueprint, warnings } = imported(yaml(`
    version: "3.8"
    x-common: &common { restart: always }
    services:
      web:
        <<: *common
        image: clocker/busybox:1
        container_name: shop-web
        logging: { driver: syslog }
        stdin_open: true
        tty: true
        user: "1000:1000"
        working_dir: /app
        hostname: web-host
        init: true
        stop_signal: SIGINT
        extra_hosts: ["db.local:10.0.0.9", "cache.local=10.0.0.10"]
        dns: 10.0.0.2
        environment: ["PRICE=$$5", "GREETING=$\${literal}", "PLAIN=a"]
        links: [db]
        x-note: anything
        deploy:
          labels: { tier: web }
          update_config: { parallelism: 2, delay: 10s }
          placement: { max_replicas_per_node: 1 }
      db:
        image: clocker/busybox:1
        extra_hosts: { gateway: 10.0.0.1 }
  `));
  const web = service(blueprint, 'web');
  assert.equal(web.user, '1000:1000');
  assert.equal(web.workingDir, '/app');
  assert.equal(web.hostname, 'web-host');
  assert.equal(web.init, true);
  assert.equal(web.stopSignal, 'SIGINT');
  assert.deepEqual(web.extraHosts, ['db.local:10.0.0.9', 'cache.local:10.0.0.10']);
  assert.deepEqual(web.dns, ['10.0.0.2']);
  assert.deepEqual(web.env, { PRICE: '$5', GREETING: '${literal}', PLAIN: 'a' });
  assert.deepEqual(web.dependsOn, ['db']);
  assert.deepEqual(web.policies.restarter, { maxRestarts: 3, windowMs: 300_000 });
  assert.equal(web.placement.constraints.maxPerHost, 1);
  assert.deepEqual(web.update, { batch: 2 });
  assert.deepEqual(service(blueprint, 'db').extraHosts, ['gateway:10.0.0.1']);
  assert.deepEqual(warnings, [
    '/srv/shop/compose.yaml:1:1: warning: version: version is obsolete: ignored',
    '/srv/shop/compose.yaml:7:5: warning: services.web.container_name: "container_name" is ignored: Clocker names containers <app>.<service>.<member>',
    "/srv/shop/compose.yaml:8:5: warning: services.web.logging: \"logging\" is ignored: members log to the Docker host's default driver, where `clocker logs` reads them",
    '/srv/shop/compose.yaml:9:5: warning: services.web.stdin_open: "stdin_open" is ignored: nobody attaches to a member: `clocker logs` shows its output',
    '/srv/shop/compose.yaml:10:5: warning: services.web.tty: "tty" is ignored: nobody attaches to a member: `clocker logs` shows its output',
    '/srv/shop/compose.yaml:22:7: warning: services.web.deploy.labels: deploy.labels is ignored: it describes a Swarm service, not its containers',
    '/srv/shop/compose.yaml:23:40: warning: services.web.deploy.update_config.delay: deploy.update_config.delay is ignored: it paces a rollout, it does not change what runs',
  ]);
});

test('a native blueprint takes host addresses too, and the two dialects give the same ports', () => {
  const native = load(yaml(`
    name: shop
    services:
      - id: web
        image: clocker/busybox:1
        ports: ["127.0.0.1:9229:9229", "[::1]:8080:80", { containerPort: 443, hostPort: 0, hostIp: 10.0.0.5 }, "8081:81", 90]
  `));
  const compose = imported(yaml(`
    name: shop
    services:
      web:
        image: clocker/busybox:1
        ports: ["127.0.0.1:9229:9229", "[::1]:8080:80", { target: 443, host_ip: 10.0.0.5 }, "8081:81"]
        expose: [90]
  `)).blueprint;
  assert.deepEqual(compose.services[0]?.ports, native.services[0]?.ports);
  assert.deepEqual(native.services[0]?.ports, [
    { containerPort: 9229, hostPort: 9229, hostIp: '127.0.0.1', protocol: 'tcp' },
    { containerPort: 80, hostPort: 8080, hostIp: '::1', protocol: 'tcp' },
    { containerPort: 443, hostPort: 0, hostIp: '10.0.0.5', protocol: 'tcp' },
    { containerPort: 81, hostPort: 8081, protocol: 'tcp' },
    { containerPort: 90, protocol: 'tcp' },
  ]);
  const result = loadBlueprintOrCompose('name: a\nservices:\n  - id: w\n    image: i\n    ports: [{ containerPort: 80, hostIp: 127.0.0.1 }]\n', 'app.yaml');
  assert.deepEqual(result.ok ? [] : result.errors.map((d) => formatDiagnostic(d)), ['app.yaml:5:42: error: services[0].ports[0].hostIp: hostIp needs hostPort (0: any free port)']);
});

test('errors in the produced blueprint point into the Compose file', () => {
  const text = yaml(`
    services:
      web:
        image: clocker/busybox:1
        user: ""
        depends_on: [dbb]
      db:
        image: clocker/busybox:1
  `);
  assert.deepEqual(refused(text, {}, 'compose.yaml'), ['compose.yaml:4:11: error: services[0].user: must not be empty']);
  assert.deepEqual(refused(text.replace('user: ""', 'user: app'), {}, 'compose.yaml'), [
    'compose.yaml:5:18: error: services[0].dependsOn[0]: dependsOn names "dbb" is not a service of this blueprint (did you mean "db"?)',
  ]);
});

test('a Compose file is told from a blueprint by its services map', () => {
  assert.equal(isComposeText(example('docker-compose.yaml')), true);
  assert.equal(isComposeText(example('web-cluster.yaml')), false);
  assert.equal(isComposeText('services: ['), false);
  assert.equal(loadBlueprintOrCompose(example('docker-compose.yaml'), 'x.yaml').ok, true);
});

test('driver_opts encrypted on an overlay network is the encrypted field; other driver_opts are refused at their key', () => {
  const { blueprint: bp } = imported(`services:
  web:
    image: clocker/busybox:1
    networks: [secure]
networks:
  secure:
    driver: overlay
    driver_opts:
      encrypted: ""
`);
  assert.equal(bp.networks.find((n) => n.id === 'secure')?.encrypted, true);
  const errors = refused(`services:
  web:
    image: clocker/busybox:1
    networks: [secure]
networks:
  secure:
    driver: overlay
    driver_opts:
      com.docker.network.driver.mtu: "1400"
`);
  assert.deepEqual(errors, ['/srv/shop/compose.yaml:9:7: error: networks.secure.driver_opts["com.docker.network.driver.mtu"]: networks.driver_opts.com.docker.network.driver.mtu is not supported (only encrypted, on an overlay network)']);
});
