// Outages of one rig host, as a machine has them: its provisioned dockerd stops (and is started
// again with the very commands provisioning uses), or its network link goes down (the switch's
// end of its veth, so the host itself keeps its addresses and routes).
import { hostLayout } from '../../domain/provisioning/hostLayout';
import { daemonService } from '../../domain/provisioning/serviceManager';
import { run } from '../support/exec';
import { provisionedDockerdPid, provisionRoot, stopPid } from './provisionedDaemons';
import type { Rig, RigHost } from './rig';
import { waitUntil } from './waitUntil';

/** SIGTERM to the host's provisioned dockerd (it stops its containers), waited for until it is gone. */
export async function stopDockerd(host: RigHost): Promise<void> {
  const pid = provisionedDockerdPid(host.dir);
  if (pid === undefined) throw new Error(`${host.name} runs no provisioned dockerd`);
  await stopPid(pid);
}

/** Starts the host's dockerd as provisioning does (start-stop-daemon, its daemon.json), inside the host's network namespace. */
export async function startDockerd(host: RigHost): Promise<void> {
  const dockerd = (await run(['which', 'dockerd'])).trim();
  const layout = hostLayout(provisionRoot(host.dir));
  for (const cmd of daemonService('direct', host.user, dockerd, layout).start()) {
    await run(['nsenter', `--net=/var/run/netns/${host.netns}`, ...cmd.argv]);
  }
  await waitUntil(`dockerd on ${host.name} started again`, 30_000, async () => provisionedDockerdPid(host.dir) !== undefined, layout.logFile);
}

/** The switch's end of the host's veth pair, on the rig's bridge (rig.ts names it ck<rig>v<n>). */
export async function hostLink(rig: Rig, host: RigHost): Promise<string> {
  const link = `ck${rig.id}v${rig.hosts.indexOf(host) + 1}`;
  const shown = await run(['ip', '-n', rig.switchNetns, '-o', 'link', 'show', 'dev', link]);
  if (!shown.includes(`master ${rig.bridge}`)) throw new Error(`${link} is not on ${rig.bridge}: ${shown}`);
  return link;
}

export async function setLink(rig: Rig, host: RigHost, state: 'up' | 'down'): Promise<void> {
  await run(['ip', '-n', rig.switchNetns, 'link', 'set', 'dev', await hostLink(rig, host), state]);
}
