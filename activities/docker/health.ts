// Waiting for a new member to be healthy. The blueprint's probe decides (tcp, http, exec),
// with Docker's semantics: failures inside the start period do not count, then `retries`
// consecutive failures make it unhealthy. With no probe, every published TCP port must
// answer. A container that stops meanwhile fails within a second, with its log tail.
import { Context } from '@temporalio/activity';
import type Docker from 'dockerode';
import { publishedAddress } from '../../domain/application/publishedAddress';
import type { MappedPort } from '../../domain/application/status';
import type { HealthCheck, HealthProbe } from '../../domain/blueprint/model';
import type { DockerEndpoint } from '../../domain/infra/model';
import { ContainerExitedError, HealthTimeoutError } from '../errors';
import { redact, secretValues } from '../secrets/redact';
import type { SecretStore } from '../secrets/secretStore';
import { execInContainer } from './containerExec';
import { logTail } from './containers';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError } from './dockerErrors';
import { beat } from './memberProgressReport';
import { createPortPaths, type PortPaths } from './portPaths';
import { directListener, probeHttp, probeTcp, type BehindPort } from './probes';

export interface WaitHealthyInput {
  endpoint: DockerEndpoint;
  containerName: string;
  hostAddress: string;
  ports: MappedPort[];
  health?: HealthCheck;
  /** Upper bound on the whole wait, whatever the probe's timing says. */
  timeoutMs: number;
  /** The secrets the member was given: output that goes into an error is redacted of their values. */
  secretNames?: string[];
}

/** Probes during the start period come this often unless the blueprint says (a deploy waits on the first success). */
const START_INTERVAL_MS = 250;
const DEFAULT_TIMING: Omit<HealthCheck, 'probe'> = { intervalMs: 250, timeoutMs: 2_000, retries: Number.POSITIVE_INFINITY, startPeriodMs: 0 };
/** One probe must end well inside the activity's 10 s heartbeat timeout. */
const MAX_PROBE_MS = 5_000;
/**
 * Until a member's first success, a connection probe (tcp, http, or none declared) is asked
 * again soon: after 50 ms, then every 100 ms for the first QUICK_WINDOW_MS, then at most every
 * SLOW_START_RETRY_MS (the declared interval if shorter). A member that starts listening a moment
 * after a probe is seen then, as a client polling its port would see it.
 */
const FIRST_RETRY_MS = 50;
const QUICK_RETRY_MS = 100;
const QUICK_WINDOW_MS = 10_000;
const SLOW_START_RETRY_MS = 1_000;
/**
 * While probes fail, the engine is asked whether the container still runs at most this often:
 * a probe is a connection, an inspect is work for a dockerd busy starting the other members.
 */
const INSPECT_EVERY_MS = 1_000;
/**
 * With nothing to probe (no probe, no published TCP port the worker can reach), a member must
 * have been up this long since its start before it counts: a command that exits at once (a
 * crash, a missing file) must not pass for a running member in the instant between its start
 * and its exit. A member with such a port needs no wait: a command that exits never answers.
 */
const MIN_UP_MS = 300;
/** A connection straight to a container on this machine answers in well under this, or not at all. */
const DIRECT_CONNECT_MS = 1_000;

/** Who can say what listens behind a published port: `behind(containerPort, address dialed)`, or undefined. */
export type BehindPorts = (containerPort: number, address: string) => BehindPort | undefined;

/** A remote engine's part: what this worker learned of its port paths, and where a refusal is reported for confirmation. */
export interface RemotePaths {
  paths: PortPaths;
  /** A published port at `address` refused: learned once the container is seen to have run throughout. */
  refusedAt(address: string): void;
}

/**
 * An engine on this machine (a unix socket) runs its containers here: the worker asks the
 * container's own addresses. On a remote engine a connection accepted where the worker has seen
 * published ports refuse comes from the container itself (portPaths.ts). Elsewhere the container
 * is asked to look at its listening sockets (an exec); an image without grep cannot say, and the
 * probe falls back to the wait.
 */
export function behindPorts(docker: Docker, where: string, endpoint: DockerEndpoint, containerName: string, info: Docker.ContainerInspectInfo, remote: RemotePaths): BehindPorts {
  if (endpoint.kind === 'socket') {
    const addresses = Object.values(info.NetworkSettings.Networks ?? {}).flatMap((n) => (n.IPAddress ? [n.IPAddress] : []));
    return (port) => (addresses.length > 0 ? directListener(addresses, port, DIRECT_CONNECT_MS) : undefined);
  }
  const { paths, refusedAt } = remote;
  const lookInside = (port: number) => async () => {
    const r = await execInContainer(docker, where, containerName, listeningCheckArgv(port), DIRECT_CONNECT_MS);
    if (r.exitCode === 0) return '';
    if (r.exitCode === 1) return `nothing listens on port ${port} inside the container (its published port accepted for it)`;
    return undefined;
  };
  return (port, address) => {
    const direct = paths.direct(address);
    return {
      ask: direct ? async () => '' : lookInside(port),
      heard: (answer) => {
        if (answer === 'hung up') paths.hungUp(address);
        else if (!direct) refusedAt(address);
      },
    };
  };
}

/**
 * Waits until the member is healthy. `firstLook` is the container as Docker described it a
 * moment ago (right after its start): the first round probes with it instead of asking again.
 * A container that exited since then fails its probe, and the next round's inspect says so.
 */
export type HealthWait = (input: WaitHealthyInput, firstLook?: Docker.ContainerInspectInfo) => Promise<void>;

export function healthWait(dockerFor: DockerClientFactory, secrets: SecretStore, paths: PortPaths = createPortPaths()): HealthWait {
  return async (input, firstLook) => {
    const docker = dockerFor(input.endpoint);
    const where = describeEndpoint(input.endpoint);
    const timing: Omit<HealthCheck, 'probe'> = input.health ?? DEFAULT_TIMING;
    const hidden = secretValues(input.secretNames ?? [], secrets);
    const started = Date.now();
    let failures = 0;
    let countedAt = Number.NEGATIVE_INFINITY;
    let pause = FIRST_RETRY_MS;
    let problem = 'not probed yet';
    let settled = input.health !== undefined || probedPorts(input.hostAddress, input.ports).length > 0;
    let info = firstLook;
    let lookedAt = started;
    const look = async (): Promise<Docker.ContainerInspectInfo> => {
      const seen = await docker
        .getContainer(input.containerName)
        .inspect()
        .catch((err: unknown) => Promise.reject(dockerError(where, `inspect container ${input.containerName}`, err)));
      lookedAt = Date.now();
      return seen;
    };
    /** A refusal the last round saw, and the start of the container it was seen with. */
    let refusal: { address: string; startedAt: string } | undefined;
    while (Date.now() - started < input.timeoutMs) {
      beat();
      const current: Docker.ContainerInspectInfo = info && !refusal && Date.now() - lookedAt < INSPECT_EVERY_MS ? info : await look();
      info = current;
      if (refusal) {
        // It proves the path only if the container ran throughout: one that stopped or restarted
        // meanwhile had no published port to refuse with.
        if (current.State.Running && current.State.StartedAt === refusal.startedAt) paths.refused(refusal.address);
        refusal = undefined;
      }
      if (!current.State.Running) {
        const raw = await logTail(docker, where, input.containerName, 20).catch((err: unknown) => `(no logs: ${String(err)})`);
        const tail = redact(raw, hidden);
        throw new ContainerExitedError(input.containerName, current.State.ExitCode, tail);
      }
      if (!settled) {
        // Once: the engine's clock says how long it has been up (a skewed clock waits at most MIN_UP_MS).
        settled = true;
        const upMs = Date.now() - Date.parse(current.State.StartedAt);
        const wait = Number.isFinite(upMs) ? Math.min(MIN_UP_MS, Math.max(0, MIN_UP_MS - upMs)) : MIN_UP_MS;
        if (wait > 0) {
          await Context.current().sleep(wait);
          info = undefined; // up long enough now, if it still runs: look again
          continue;
        }
      }
      const probeMs = Math.min(timing.timeoutMs, MAX_PROBE_MS);
      const behind = behindPorts(docker, where, input.endpoint, input.containerName, current, {
        paths,
        refusedAt: (address) => void (refusal ??= { address, startedAt: current.State.StartedAt }),
      });
      try {
        problem = input.health
          ? await runProbe(docker, where, input, input.health.probe, probeMs, hidden, behind)
          : await firstClosedPort(input.hostAddress, input.ports, probeMs, behind);
      } catch (err) {
        // A container that exits while it is probed (an exec refused with 409) is a container that
        // exited: the next look says so with its log tail. Anything else is the probe's own failure.
        const still = await docker.getContainer(input.containerName).inspect().then((i) => i.State.Running, () => true);
        if (still) throw err;
        info = undefined;
        continue;
      }
      if (problem === '') return;
      // A failure counts once per interval, as Docker's would: a network probe asked sooner
      // (below) only finds the health sooner, it does not make a member unhealthy sooner.
      const now = Date.now();
      if (now - started >= timing.startPeriodMs && now - countedAt >= timing.intervalMs) {
        countedAt = now;
        if (++failures > timing.retries) throw new HealthTimeoutError(input.containerName, now - started, `${failures} consecutive failed probes; last: ${problem}`);
      }
      // The activity's own sleep: it ends at once when the workflow cancels the wait (a destroy).
      const starting = now - started < timing.startPeriodMs;
      const quick = now - started < QUICK_WINDOW_MS ? Math.min(pause, QUICK_RETRY_MS) : Math.min(SLOW_START_RETRY_MS, timing.intervalMs);
      // Until its first success a member is probed often when the probe is a connection (tcp,
      // http, or none declared): the deploy waits on that success, and a connection is cheap. An
      // exec is work for the engine: it keeps the blueprint's pace.
      const interval = !input.health || input.health.probe.kind !== 'exec' ? quick : starting ? (timing.startIntervalMs ?? START_INTERVAL_MS) : timing.intervalMs;
      pause *= 2;
      await Context.current().sleep(Math.min(interval, 5_000));
    }
    throw new HealthTimeoutError(input.containerName, input.timeoutMs, problem);
  };
}

export function healthActivities(wait: HealthWait) {
  return {
    async waitHealthy(input: WaitHealthyInput): Promise<void> {
      return wait(input);
    },
  };
}

/** '' when healthy, else what was wrong. Also the monitor's probe of running members (activities/monitoring). */
export async function runProbe(
  docker: Docker,
  where: string,
  input: Pick<WaitHealthyInput, 'containerName' | 'hostAddress' | 'ports'>,
  probe: HealthProbe,
  timeoutMs: number,
  hidden: string[],
  behind: BehindPorts = () => undefined,
): Promise<string> {
  if (probe.kind === 'exec') {
    const r = await execInContainer(docker, where, input.containerName, probe.command, timeoutMs);
    return r.exitCode === 0 ? '' : `\`${probe.command.join(' ')}\` exited ${r.exitCode}${r.output ? `: ${redact(r.output, hidden).slice(-300)}` : ''}`;
  }
  const port = input.ports.find((p) => p.containerPort === probe.port && p.protocol === 'tcp');
  // A port bound to loopback only is not reachable from the worker: like an unpublished one.
  const address = publishedAddress(input.hostAddress, port?.hostIp);
  const published = address === undefined ? undefined : port?.boundHostPort;
  if (probe.kind === 'http') {
    if (published === undefined || address === undefined) return `port ${probe.port} is not published${port?.hostIp !== undefined ? ` beyond ${port.hostIp}` : ''}, so the worker cannot reach it for an http probe`;
    return probeHttp(`http://${address}:${published}${probe.path}`, probe.expectStatus, timeoutMs);
  }
  if (published !== undefined && address !== undefined) return prefixed(`${address}:${published}`, await probeTcp(address, published, timeoutMs, behind(probe.port, address)));
  // Not published: ask the container's own kernel whether something listens there.
  const r = await execInContainer(docker, where, input.containerName, listeningCheckArgv(probe.port), timeoutMs);
  return r.exitCode === 0 ? '' : `nothing listens on port ${probe.port} inside the container`;
}

/** The published TCP ports the worker can reach, each with the address to dial. */
function probedPorts(address: string, ports: MappedPort[]): { at: string; hostPort: number; containerPort: number }[] {
  return ports.flatMap((p) => {
    // A port bound to loopback only cannot be reached from the worker: not probed.
    const at = publishedAddress(address, p.hostIp);
    return p.protocol !== 'tcp' || p.boundHostPort === undefined || at === undefined ? [] : [{ at, hostPort: p.boundHostPort, containerPort: p.containerPort }];
  });
}

async function firstClosedPort(address: string, ports: MappedPort[], timeoutMs: number, behind: BehindPorts): Promise<string> {
  for (const p of probedPorts(address, ports)) {
    beat();
    const result = await probeTcp(p.at, p.hostPort, timeoutMs, behind(p.containerPort, p.at));
    if (result !== '') return prefixed(`${p.at}:${p.hostPort}`, result);
  }
  return '';
}

/**
 * `grep` over /proc/net/tcp{,6} for a LISTEN (state 0A) socket on the port: needs no `nc`
 * (busybox's has no -z) and sees exactly the container's network namespace.
 */
export function listeningCheckArgv(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['grep', '-qsE', `^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:[0-9A-F]+ 0A `, '/proc/net/tcp', '/proc/net/tcp6'];
}

const prefixed = (where: string, problem: string) => (problem === '' ? '' : `${where}: ${problem}`);
