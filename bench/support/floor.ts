// The floor: what Docker itself takes, driven directly with dockerode and everything in
// parallel, no orchestration. Containers are busybox httpd on a published port, "up" once
// the port answers.
import type Docker from 'dockerode';
import { onceAttachmentsGo } from '../../activities/docker/networks';
import { probeTcp } from '../../activities/docker/probes';
import { BUSYBOX_IMAGE } from '../../client/images/busyboxImage';
import { LABEL } from '../../domain/naming';

/** busybox httpd on port 80 in the foreground: the container the benches make on every side. */
export const HTTPD_COMMAND = ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www'];

/** An engine the floor creates on, and the address its published ports answer on. */
export interface FloorEngine {
  docker: Docker;
  address: string;
}

async function answering(docker: Docker, name: string, address = '127.0.0.1'): Promise<void> {
  const port = Number((await docker.getContainer(name).inspect()).NetworkSettings.Ports['80/tcp']?.[0]?.HostPort);
  while ((await probeTcp(address, port, 1000)) !== '') await new Promise((r) => setTimeout(r, 50));
}

/** Creates and starts containers `<group>-<from>`…, all at once, until each answers; answers the ms. */
export function floorUp(docker: Docker, group: string, from: number, count: number): Promise<number> {
  return floorUpOn([{ docker, address: '127.0.0.1' }], group, from, count);
}

/**
 * The same across engines: member i on engine i mod their number (the rig's hosts). With
 * `network`, each container joins it (made beforehand with floorNetworkUp, inside the time of the
 * deploy it belongs to), beside its published port.
 */
export async function floorUpOn(engines: FloorEngine[], group: string, from: number, count: number, network?: string): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { docker, address } = engines[(from + i) % engines.length]!;
      const c = await docker.createContainer({
        name: `${group}-${from + i}`,
        Image: BUSYBOX_IMAGE,
        Cmd: HTTPD_COMMAND,
        Labels: { [LABEL.app]: group },
        ExposedPorts: { '80/tcp': {} },
        HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '' }] }, ...(network ? { NetworkMode: network } : {}) },
      });
      await c.start();
      await answering(docker, c.id, address);
    }),
  );
  return performance.now() - started;
}

/** `docker kill`, then `docker start` at once, until it answers again: a restart with nothing to notice or decide. */
export async function floorRestart(docker: Docker, name: string): Promise<number> {
  const c = docker.getContainer(name);
  const started = performance.now();
  await c.kill();
  await c.wait(); // until it has stopped: starting a container still running is refused
  await c.start();
  await answering(docker, name);
  return performance.now() - started;
}

/** Removes the group's containers, all at once; answers the ms. */
export async function floorDown(docker: Docker, group: string): Promise<number> {
  const started = performance.now();
  const listed = await docker.listContainers({ all: true, filters: { label: [`${LABEL.app}=${group}`] } });
  await Promise.all(listed.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  return performance.now() - started;
}

/**
 * The network a floor deploy joins, as Clocker makes its application networks: a bridge on each
 * engine, or one attachable overlay made on a swarm manager (the other engines see it as their
 * containers join). Answers the ms.
 */
export async function floorNetworkUp(kind: 'bridge' | 'overlay', engines: Docker[], name: string, group: string): Promise<number> {
  const started = performance.now();
  const spec = { Name: name, CheckDuplicate: true, Labels: { [LABEL.app]: group } };
  if (kind === 'bridge') await Promise.all(engines.map((docker) => docker.createNetwork({ ...spec, Driver: 'bridge' })));
  else await engines[0]!.createNetwork({ ...spec, Driver: 'overlay', Attachable: true });
  return performance.now() - started;
}

/**
 * Removes the group's networks (after its containers: a network in use is refused): each
 * engine's bridge, or the overlay from the manager it was made on. Answers the ms.
 */
export async function floorNetworkDown(kind: 'bridge' | 'overlay', engines: Docker[], group: string): Promise<number> {
  const started = performance.now();
  await Promise.all(
    (kind === 'bridge' ? engines : engines.slice(0, 1)).map(async (docker) => {
      const listed = await docker.listNetworks({ filters: { label: [`${LABEL.app}=${group}`] } });
      await Promise.all(listed.map((n) => onceAttachmentsGo(() => docker.getNetwork(n.Id).remove())));
    }),
  );
  return performance.now() - started;
}
