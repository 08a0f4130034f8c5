// Docker Swarm mode on the local engine, as the peer the benches measure Clocker against:
// one replicated service of busybox httpd with a Docker HEALTHCHECK (a swarm task is reported
// running only once its container is healthy), scaled, killed, removed.
//
// The engine may be a swarm manager already: overlay tests in this repository form a swarm on
// it (activities/docker/swarm.ts). Such a swarm is reused, and left as it is; only a swarm this
// bench started is left again, and only if nothing but ours ran on it.
import type Docker from 'dockerode';
import { BUSYBOX_IMAGE } from '../../client/images/busyboxImage';
import { statusCodeOf } from '../../activities/docker/dockerErrors';

const LABEL = 'io.clocker.bench';
const NS = 1_000_000;

export interface SwarmHandle {
  /** Whether this bench ran `docker swarm init` (then it may leave again). */
  created: boolean;
}

export async function joinLocalSwarm(docker: Docker): Promise<SwarmHandle> {
  const state = async () => ((await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } }).Swarm ?? {};
  const now = await state();
  if (now.LocalNodeState === 'active') {
    if (!now.ControlAvailable) throw new Error('the local engine is a swarm worker, not a manager: services cannot be created here');
    return { created: false };
  }
  try {
    await docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
    return { created: true };
  } catch (err) {
    // 503 "already part of a swarm": another test formed it meanwhile; use theirs.
    if (statusCodeOf(err) === 503 && (await state()).ControlAvailable) return { created: false };
    throw err;
  }
}

/** Leaves a swarm this bench made, unless someone else's services or overlay networks appeared on it. */
export async function leaveLocalSwarm(docker: Docker, swarm: SwarmHandle): Promise<string> {
  if (!swarm.created) return 'the swarm was there before this bench: left as it is';
  const services = await docker.listServices();
  const overlays = (await docker.listNetworks({ filters: { driver: ['overlay'] } })).filter((n) => n.Name !== 'ingress');
  if (services.length > 0 || overlays.length > 0) return `swarm kept: others use it (${[...services.map((s) => s.Spec?.Name), ...overlays.map((n) => n.Name)].join(', ')})`;
  await docker.swarmLeave({ force: true });
  return 'the swarm this bench started was left again';
}

export interface SwarmServiceOptions {
  /** Docker checks each task's health this often. */
  healthIntervalMs: number;
  /** Swarm waits this long before it starts a task anew (Swarm's default: 5 s); undefined keeps the default. */
  restartDelayMs?: number;
}

/**
 * busybox httpd answering on 80, checked by Docker itself. Stopped tasks are killed at once
 * (stop grace period 0), as Clocker removes members (httpd as PID 1 ignores SIGTERM, so the
 * default grace would add 10 s to every removal).
 */
export async function createSwarmService(docker: Docker, name: string, replicas: number, command: string[], options: SwarmServiceOptions): Promise<void> {
  await docker.createService({
    Name: name,
    Labels: { [LABEL]: name },
    TaskTemplate: {
      ContainerSpec: {
        Image: BUSYBOX_IMAGE,
        Command: command,
        Labels: { [LABEL]: name },
        HealthCheck: { Test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:80/ || exit 1'], Interval: options.healthIntervalMs * NS, Timeout: 2000 * NS, Retries: 3, StartPeriod: 0 },
        StopGracePeriod: 0,
      },
      ...(options.restartDelayMs === undefined ? {} : { RestartPolicy: { Condition: 'any', Delay: options.restartDelayMs * NS } }),
    },
    Mode: { Replicated: { Replicas: replicas } },
  });
}

export async function scaleSwarmService(docker: Docker, name: string, replicas: number): Promise<void> {
  const service = docker.getService(name);
  const info = (await service.inspect()) as { Version: { Index: number }; Spec: Record<string, unknown> };
  await service.update({ version: info.Version.Index, ...info.Spec, Mode: { Replicated: { Replicas: replicas } } });
}

/** Tasks the swarm wants running and that run (healthy, since the service has a health check), and healthy containers. */
export async function swarmHealthy(docker: Docker, name: string): Promise<{ tasks: number; containers: number }> {
  const tasks = (await docker.listTasks({ filters: { service: [name], 'desired-state': ['running'] } })) as { Status?: { State?: string } }[];
  const containers = await docker.listContainers({ filters: { label: [`${LABEL}=${name}`], health: ['healthy'] } });
  return { tasks: tasks.filter((t) => t.Status?.State === 'running').length, containers: containers.length };
}

export async function swarmContainers(docker: Docker, name: string, all = false): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all, filters: { label: [`${LABEL}=${name}`] } });
}

/** Removes the service (if there) and waits until its containers are gone; answers the ms that took. */
export async function removeSwarmService(docker: Docker, name: string, timeoutMs = 180_000): Promise<number> {
  const started = performance.now();
  await removeServiceOnly(docker, name);
  if (!(await containersGone(docker, name, timeoutMs))) throw new Error(`swarm service ${name}: containers still there after ${timeoutMs / 1000} s`);
  return performance.now() - started;
}

/**
 * Cleanup, not a measure: removes the service, gives Swarm graceMs to take its tasks down, then
 * removes what is left by force (a service whose hundreds of health checks load the machine may
 * not finish that in minutes, and a bench that gives up must not leave them running). Answers
 * how many containers had to be forced; throws only if even those do not go.
 */
export async function clearSwarmService(docker: Docker, name: string, graceMs = 60_000): Promise<number> {
  await removeServiceOnly(docker, name);
  if (await containersGone(docker, name, graceMs)) return 0;
  const left = await swarmContainers(docker, name, true);
  console.error(`swarm service ${name}: ${left.length} containers still there after ${graceMs / 1000} s; removing them by force`);
  for (let i = 0; i < left.length; i += FORCE_IN_FLIGHT) {
    await Promise.all(
      left.slice(i, i + FORCE_IN_FLIGHT).map(async (c) => {
        try {
          await docker.getContainer(c.Id).remove({ force: true });
        } catch (err) {
          if (statusCodeOf(err) !== 404 && statusCodeOf(err) !== 409) throw err; // gone already, or being removed by Swarm
        }
      }),
    );
  }
  if (!(await containersGone(docker, name, 120_000))) throw new Error(`swarm service ${name}: containers still there after forced removal`);
  return left.length;
}

/** Forced removals at once: enough to clear hundreds in a minute, few enough not to add to an engine's load. */
const FORCE_IN_FLIGHT = 8;

async function removeServiceOnly(docker: Docker, name: string): Promise<void> {
  try {
    await docker.getService(name).remove();
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
  }
}

async function containersGone(docker: Docker, name: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await swarmContainers(docker, name, true)).length > 0) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
