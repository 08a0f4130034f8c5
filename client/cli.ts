// The `clocker` command line: thin wiring from flags to the client library and commands.
// Only commander loads up front: each action imports what it needs when it runs, so `--help`
// and quick commands do not pay for the Temporal SDK, dockerode or the blueprint compiler.
import { Command, InvalidArgumentError } from 'commander';
import type { ClockerClient } from './clockerClient';

/**
 * A command's module, loaded when the command runs. `require` rather than `import()`: it is
 * synchronous, starts no ES module loader (a few milliseconds more per command), and works the
 * same compiled and under tsx's CommonJS hook. The type comes from the module itself.
 */
function load<T>(id: string): T {
  return require(id) as T;
}

const program = new Command('clocker')
  .description('Clocker on Temporal: a Docker cloud over SSH hosts, and applications deployed onto it from YAML blueprints')
  .option('--temporal <host:port>', 'Temporal frontend address (default: CLOCKER_TEMPORAL_ADDRESS, TEMPORAL_ADDRESS, the client config profile, or 127.0.0.1:7233)')
  .option('--namespace <name>', 'Temporal namespace (default: CLOCKER_NAMESPACE, TEMPORAL_NAMESPACE, the profile, or "default")')
  .option('--tls-cert <file>', 'client certificate for mTLS to the frontend (CLOCKER_TEMPORAL_TLS_CERT)')
  .option('--tls-key <file>', 'its private key (CLOCKER_TEMPORAL_TLS_KEY)')
  .option('--tls-ca <file>', "the CA of the frontend's certificate (CLOCKER_TEMPORAL_TLS_CA; default: the system's roots)")
  .option('--tls-server-name <name>', "the name in the frontend's certificate, if not the address's host (CLOCKER_TEMPORAL_TLS_SERVER_NAME)")
  .option('--tls', 'TLS to the frontend with no other TLS setting (CLOCKER_TEMPORAL_TLS=1)')
  .option('--api-key <key>', 'API key sent to the frontend (CLOCKER_TEMPORAL_API_KEY; prefer the variable: flags show in `ps`)')
  .option('--temporal-profile <name>', "profile of Temporal's client config file (TEMPORAL_PROFILE; TEMPORAL_CONFIG_FILE or ~/.config/temporalio/temporal.toml)")
  .showHelpAfterError();

// Connection flags go into Clocker's environment, where they rank first: every command reads
// the settings through temporalConfig(process.env), and a worker process this CLI starts
// (`clocker up`, `clocker worker`) inherits them.
program.hook('preAction', async () => {
  const { CLOCKER_ENV } = load<typeof import('./temporal/config')>('./temporal/config');
  const o = program.opts<Record<string, string | boolean | undefined>>();
  const flagEnv: [string, string][] = [
    ['temporal', CLOCKER_ENV.address],
    ['namespace', CLOCKER_ENV.namespace],
    ['tlsCert', CLOCKER_ENV.tlsCert],
    ['tlsKey', CLOCKER_ENV.tlsKey],
    ['tlsCa', CLOCKER_ENV.tlsCa],
    ['tlsServerName', CLOCKER_ENV.tlsServerName],
    ['apiKey', CLOCKER_ENV.apiKey],
    ['temporalProfile', 'TEMPORAL_PROFILE'],
  ];
  for (const [flag, name] of flagEnv) if (typeof o[flag] === 'string') process.env[name] = o[flag] as string;
  if (o.tls === true) process.env[CLOCKER_ENV.tls] = '1';
});

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** Repeatable options collect into a list. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const profileFlag = '--profile <name>';
const profileHelp = 'Compose: activate services of this profile (repeatable; default: COMPOSE_PROFILES, comma-separated)';

async function clocker(): Promise<ClockerClient> {
  const { temporalConfig } = load<typeof import('./temporal/config')>('./temporal/config');
  const { connectClient } = load<typeof import('./temporal/connect')>('./temporal/connect');
  const { ClockerClient } = load<typeof import('./clockerClient')>('./clockerClient');
  const config = temporalConfig(process.env);
  return new ClockerClient(await connectClient(config), config.taskQueue);
}

/** Runs a command with a connected client and closes the connection after, whatever happens. */
async function withClocker<T>(run: (c: ClockerClient) => Promise<T>): Promise<T> {
  const c = await clocker();
  try {
    return await run(c);
  } finally {
    await c.temporal.connection.close();
  }
}

const detachFlag = '--detach';
const detachHelp = 'return at once: the work goes on in Temporal (follow it with `clocker status APP --watch`)';

program
  .command('setup')
  .description('make this machine ready: Debian packages (as root; else the apt-get line to run), a Docker engine, the Temporal CLI, the compiled CLI (dist/) and the local images')
  .option('--lb', 'also what examples/three-tier.yaml needs: debootstrap, clocker/debian:bookworm and the clocker/nginx-lb:1 balancer')
  .option('--dry-run', 'print the steps it would take, and take none')
  .action(async (o: { lb?: boolean; dryRun?: boolean }) => {
    const { setup } = load<typeof import('./commands/setup')>('./commands/setup');
    if (!(await setup({ lb: o.lb ?? false, dryRun: o.dryRun ?? false }))) process.exitCode = 1;
  });

program
  .command('up')
  .description('start the embedded default: Temporal dev server (SQLite, Web UI), a worker, and the `local` infrastructure')
  .option('--port <port>', 'Temporal frontend port', integer, 7233)
  .option('--ui-port <port>', 'Web UI port', integer, 8233)
  .option('--deploy <file>', 'deploy this blueprint once everything is up')
  .action(async (o: { port: number; uiPort: number; deploy?: string }) => {
    const { up } = load<typeof import('./commands/up')>('./commands/up');
    const g = program.opts<{ temporal?: string; namespace?: string }>();
    await up({ ...o, temporal: g.temporal, namespace: g.namespace });
  });

program
  .command('worker')
  .description('run a worker process against an existing Temporal server')
  .action(async () => {
    load<typeof import('./commands/worker')>('./commands/worker').runWorker(() => load<typeof import('../workers/main')>('../workers/main'));
  });

program
  .command('deploy <file>')
  .description('deploy a blueprint (or apply a new version of a running one, as a rolling update) and follow it')
  .option('--no-wait', 'return once the deployment has started')
  .option(detachFlag, detachHelp)
  .option('--timeout <seconds>', 'how long to follow the deployment', integer, 300)
  .option('--location <infrastructure>', "deploy onto this infrastructure instead of the blueprint's")
  .option(profileFlag, profileHelp, collect, [])
  .action(async (file: string, o: { wait: boolean; detach?: boolean; timeout: number; location?: string; profile: string[] }) => {
    const { deployAndWait } = load<typeof import('./commands/deploy')>('./commands/deploy');
    await withClocker(async (c) => {
      await deployAndWait(c, file, { timeoutSec: o.timeout, wait: o.wait, detach: o.detach ?? false, location: o.location, profiles: o.profile });
    });
  });

program
  .command('plan <files...>')
  .description('what `clocker deploy FILE` would change, and every problem the running infrastructure shows (secrets, location, placement, host ports, images) at its place in the file')
  .option(profileFlag, profileHelp, collect, [])
  .action(async (files: string[], o: { profile: string[] }) => {
    const { plan } = load<typeof import('./commands/plan')>('./commands/plan');
    await withClocker(async (c) => {
      if (!(await plan(c, files, { profiles: o.profile }))) process.exitCode = 1;
    });
  });

program
  .command('status [app]')
  .description('an application with its services and members, or the list of applications')
  .option('--json', 'print the raw status as JSON')
  .option('--all', 'with no app: include ended applications')
  .option('--watch', "with an app: keep showing its services' and members' progress (Ctrl-C to stop watching)")
  .action(async (app: string | undefined, o: { json?: boolean; all?: boolean; watch?: boolean }) => {
    if (o.watch) {
      if (!app) throw new InvalidArgumentError('--watch follows one application: clocker status APP --watch');
      const { watchApp } = load<typeof import('./commands/statusWatch')>('./commands/statusWatch');
      await withClocker((c) => watchApp(c, app));
      return;
    }
    const { status } = load<typeof import('./commands/status')>('./commands/status');
    await status(app, { json: o.json ?? false, all: o.all ?? false }, withClocker);
  });

program
  .command('logs <app> <service>')
  .description("a service's container output, every member's lines prefixed with its id")
  .option('-f, --follow', 'keep printing new output')
  .option('--tail <lines>', 'lines from the end of each member', integer, 100)
  .action(async (app: string, service: string, o: { follow?: boolean; tail: number }) => {
    const { logs } = load<typeof import('./commands/logs')>('./commands/logs');
    await withClocker(async (c) => {
      await logs(c, app, service, { follow: o.follow ?? false, tail: o.tail });
    });
  });

for (const [effector, what] of [
  ['stop', 'stop the containers (they keep their place); dependents first'],
  ['start', 'start stopped containers again and wait for health; dependencies first'],
  ['restart', 'restart every member, one at a time, each healthy before the next'],
] as const) {
  program
    .command(`${effector} <app> [service]`)
    .description(`${what}: the whole application, or one service`)
    .option('--timeout <seconds>', 'how long to wait', integer, 300)
    .option(detachFlag, detachHelp)
    .action(async (app: string, service: string | undefined, o: { timeout: number; detach?: boolean }) => {
      const { effectorAndWait } = load<typeof import('./commands/effector')>('./commands/effector');
      // The exit code says whether the state asked for was reached, service by service.
      const reached = await withClocker((c) => effectorAndWait(c, app, effector, service, { timeoutSec: o.timeout, detach: o.detach ?? false }));
      if (!reached) process.exitCode = 1;
    });
}

program
  .command('resize <app> <service> [size]')
  .description("run exactly this many members of a service (within the cluster's min..max); an autoscaled service refuses a size and takes --min/--max, its autoscaler's new bounds; follows the members until they run")
  .option('--min <n>', "an autoscaled service: the autoscaler's new minimum (within the cluster's)", integer)
  .option('--max <n>', "an autoscaled service: the autoscaler's new maximum (within the cluster's)", integer)
  .option('--no-wait', 'return once the size is accepted')
  .option(detachFlag, detachHelp)
  .option('--timeout <seconds>', 'how long to follow the members', integer, 300)
  .action(async (app: string, service: string, size: string | undefined, o: { wait: boolean; detach?: boolean; timeout: number; min?: number; max?: number }) => {
    const { resizeAndWait } = load<typeof import('./commands/resize')>('./commands/resize');
    const request = { ...(size !== undefined ? { size: integer(size) } : {}), ...(o.min !== undefined ? { min: o.min } : {}), ...(o.max !== undefined ? { max: o.max } : {}) };
    const ok = await withClocker((c) => resizeAndWait(c, app, service, request, { wait: o.wait && !o.detach, timeoutSec: o.timeout }));
    if (!ok) process.exitCode = 1;
  });

program
  .command('scale <app> <service> <by>')
  .description('grow (+N) or shrink (-N) a service by N members, within its min..max; follows them until they run')
  .option('--no-wait', 'return once the size is accepted')
  .option(detachFlag, detachHelp)
  .option('--timeout <seconds>', 'how long to follow the members', integer, 300)
  .action(async (app: string, service: string, by: string, o: { wait: boolean; detach?: boolean; timeout: number }) => {
    const n = Number(by);
    if (!Number.isInteger(n) || n === 0) throw new InvalidArgumentError(`expected +N or -N, not "${by}"`);
    const { resizeAndWait } = load<typeof import('./commands/resize')>('./commands/resize');
    const ok = await withClocker((c) => resizeAndWait(c, app, service, { by: n }, { wait: o.wait && !o.detach, timeoutSec: o.timeout }));
    if (!ok) process.exitCode = 1;
  });

program
  .command('destroy <app>')
  .description('remove every container the application created, release its placements, and end it')
  .option('--timeout <seconds>', 'how long to wait for the teardown', integer, 300)
  .option(detachFlag, detachHelp)
  .action(async (app: string, o: { timeout: number; detach?: boolean }) => {
    const { destroyAndWait } = load<typeof import('./commands/destroy')>('./commands/destroy');
    await withClocker((c) => destroyAndWait(c, app, { timeoutSec: o.timeout, detach: o.detach ?? false }));
  });

const infra = program.command('infra').description('infrastructures: pools of Docker hosts');
const infraDetachHelp = 'return at once: the hosts move on in Temporal (follow them with `clocker infra status NAME --watch`)';
/** What `infra resize`, `add-host` and `remove-host` take to follow their hosts. */
interface HostFollowFlags {
  wait: boolean;
  detach?: boolean;
  timeout: number;
}
const hostFollow = (o: HostFollowFlags) => ({ wait: o.wait && !o.detach, timeoutSec: o.timeout });
infra
  .command('status [name]')
  .description('hosts with capacity, usage and reservations; subnets with their addresses')
  .option('--json', 'print the raw status as JSON')
  .option('--watch', "keep showing the hosts' progress (Ctrl-C to stop watching)")
  .action(async (name: string | undefined, o: { json?: boolean; watch?: boolean }) => {
    if (o.watch) {
      const { watchInfra } = load<typeof import('./commands/statusWatch')>('./commands/statusWatch');
      await withClocker((c) => watchInfra(c, name ?? 'local'));
      return;
    }
    const { infraStatus } = load<typeof import('./commands/infraStatus')>('./commands/infraStatus');
    await withClocker(async (c) => {
      console.log(await infraStatus(c, name ?? 'local', o.json ?? false));
    });
  });

infra
  .command('create <file>')
  .description('start an infrastructure from a YAML file (hosts over SSH are provisioned as Docker hosts)')
  .option('--no-wait', 'return once the infrastructure has started')
  .option(detachFlag, detachHelp)
  .option('--timeout <seconds>', 'how long to follow provisioning', integer, 600)
  .action(async (file: string, o: { wait: boolean; detach?: boolean; timeout: number }) => {
    const { infraCreate } = load<typeof import('./commands/infraCreate')>('./commands/infraCreate');
    await withClocker(async (c) => {
      console.log(await infraCreate(c, file, { wait: o.wait && !o.detach, timeoutSec: o.timeout }));
    });
  });

infra
  .command('policy <file>')
  .description("set a running infrastructure's host policy from its infra file's `policy:` (what blueprints may bind and ask of the hosts)")
  .action(async (file: string) => {
    const { readInfraFile } = load<typeof import('./commands/infraCreate')>('./commands/infraCreate');
    const { policyLines } = load<typeof import('../domain/infra/hostPolicy')>('../domain/infra/hostPolicy');
    await withClocker(async (c) => {
      const definition = readInfraFile(file);
      const policy = await c.setHostPolicy(definition.name, definition.policy);
      console.log([`infrastructure ${definition.name}: host policy set`, ...policyLines(policy).map((l) => `  ${l}`)].join('\n'));
    });
  });

infra
  .command('resize <name> <hosts>')
  .description('grow (provisioning spares) or shrink (draining hosts) to this many hosts, following each host')
  .option('--no-wait', 'return once the infrastructure has the request')
  .option(detachFlag, infraDetachHelp)
  .option('--timeout <seconds>', 'how long to follow the hosts', integer, 600)
  .action(async (name: string, hosts: string, o: HostFollowFlags) => {
    const { infraResize } = load<typeof import('./commands/infraHosts')>('./commands/infraHosts');
    await withClocker(async (c) => {
      console.log(await infraResize(c, name, integer(hosts), hostFollow(o)));
    });
  });

infra
  .command('add-host <name> <id> <address>')
  .description('add an SSH host to an infrastructure')
  .requiredOption('--key <ref>', 'the SSH private key: a file path or $secret:NAME')
  .option('--user <user>', 'SSH user', 'root')
  .option('--port <port>', 'SSH port', integer, 22)
  .option('--spare', 'keep it as a spare for `resize` instead of provisioning it now')
  .option('--root <dir>', 'prefix for every path Clocker writes on the host (hosts sharing one filesystem, as the test rig does)')
  .option('--no-wait', 'return once the infrastructure has the request')
  .option(detachFlag, infraDetachHelp)
  .option('--timeout <seconds>', 'how long to follow its provisioning', integer, 600)
  .action(async (name: string, id: string, address: string, o: HostFollowFlags & { key: string; user: string; port: number; spare?: boolean; root?: string }) => {
    const { infraAddHost } = load<typeof import('./commands/infraHosts')>('./commands/infraHosts');
    await withClocker(async (c) => {
      const host = { id, address, keyRef: o.key, user: o.user, port: o.port, ...(o.root !== undefined ? { root: o.root } : {}) };
      console.log(await infraAddHost(c, name, host, o.spare ?? false, hostFollow(o)));
    });
  });

infra
  .command('remove-host <name> <id>')
  .description('drain a host (its members move elsewhere), then decommission and forget it, following the drain')
  .option('--no-wait', 'return once the infrastructure has the request')
  .option(detachFlag, infraDetachHelp)
  .option('--timeout <seconds>', 'how long to follow the drain', integer, 600)
  .action(async (name: string, id: string, o: HostFollowFlags) => {
    const { infraRemoveHost } = load<typeof import('./commands/infraHosts')>('./commands/infraHosts');
    await withClocker(async (c) => {
      console.log(await infraRemoveHost(c, name, id, hostFollow(o)));
    });
  });

program
  .command('images')
  .description('build the local images the examples use (no registry needed): clocker/busybox:1, and with --lb the nginx balancer')
  .option('--lb', 'also clocker/debian:bookworm (debootstrap, root) and clocker/nginx-lb:1, for examples/three-tier.yaml')
  .action(async (o: { lb?: boolean }) => {
    const { buildImages } = load<typeof import('./images/buildImages')>('./images/buildImages');
    await buildImages(o.lb ?? false);
  });

program
  .command('validate <file>')
  .description('check a blueprint or Compose file: every error with file:line:column, or "ok" with a summary')
  .option(profileFlag, profileHelp, collect, [])
  .action(async (file: string, o: { profile: string[] }) => {
    const { loadBlueprintFile } = load<typeof import('./blueprintFile')>('./blueprintFile');
    const { summary } = load<typeof import('../domain/blueprint/index')>('../domain/blueprint/index');
    const { result, report } = loadBlueprintFile(file, { profiles: o.profile });
    if (report) console.error(report);
    if (!result.ok) {
      process.exitCode = 1;
      return;
    }
    console.log(`ok: ${summary(result.blueprint)}`);
  });

program
  .command('schema')
  .description("print the blueprint JSON Schema (editors' YAML language server uses it), or write it to a file")
  .option('--out <file>', 'write it here instead of printing it')
  .action(async (o: { out?: string }) => {
    const { blueprintJsonSchema } = load<typeof import('../domain/blueprint/index')>('../domain/blueprint/index');
    const { writeFileSync } = load<typeof import('node:fs')>('node:fs');
    const text = `${JSON.stringify(blueprintJsonSchema(), null, 2)}\n`;
    if (o.out) writeFileSync(o.out, text);
    else process.stdout.write(text);
  });

program
  .command('codec-server')
  .description("serve /decode and /encode with this installation's payload keyring, for the Web UI's codec endpoint")
  .option('--port <port>', 'port to listen on', integer, 8888)
  .option('--host <address>', 'address to listen on (loopback by default: whoever reaches it reads every payload)', '127.0.0.1')
  .option('--cors-origin <url>', "a Web UI origin allowed to call it (repeatable; default http://127.0.0.1:8233 and http://localhost:8233)", collect, [])
  .action(async (o: { port: number; host: string; corsOrigin: string[] }) => {
    const { AesGcmCodec } = load<typeof import('./temporal/encryption/aesGcmCodec')>('./temporal/encryption/aesGcmCodec');
    const { startCodecServer } = load<typeof import('./temporal/encryption/codecServer')>('./temporal/encryption/codecServer');
    const { KEYS_ENV, KEYS_FILE_ENV, loadKeyring } = load<typeof import('./temporal/encryption/keyring')>('./temporal/encryption/keyring');
    const keyring = loadKeyring();
    if (!keyring) throw new Error(`no payload keyring: set ${KEYS_FILE_ENV} (or ${KEYS_ENV}) as the workers have it`);
    const corsOrigins = o.corsOrigin.length ? o.corsOrigin : ['http://127.0.0.1:8233', 'http://localhost:8233'];
    const token = process.env.CLOCKER_CODEC_TOKEN;
    await startCodecServer({ codec: new AesGcmCodec(keyring), port: o.port, host: o.host, corsOrigins, ...(token ? { token } : {}) });
    console.log(`codec server on http://${o.host}:${o.port} (key ${keyring.active.id} active, ${keyring.byId.size} in the keyring; CORS: ${corsOrigins.join(', ')})`);
  });

program
  .command('keygen')
  .description('print a new payload key line ("<id> <base64>") to put at the top of the keyring file')
  .argument('[id]', 'key id (default: k<date>-<random>)')
  .action(async (id?: string) => {
    const { newKeyLine } = load<typeof import('./temporal/encryption/keyring')>('./temporal/encryption/keyring');
    console.log(newKeyLine(id));
  });

program
  .command('temporal-bin')
  .description('print the path of the Temporal CLI, building it from the Go module proxy if needed')
  .action(async () => {
    const { ensureTemporalBinary } = load<typeof import('./temporal/temporalBinary')>('./temporal/temporalBinary');
    console.log(ensureTemporalBinary());
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`clocker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
