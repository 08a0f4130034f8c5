// The multi-host rig: N "machines" on this one, each a network namespace on a bridge with its
// own address, running its own sshd (generated keys) and optionally its own dockerd.
// Traffic stays between the root namespace and these hosts. `teardown()` removes all of it,
// and a rig whose test process died is cleaned up by the next createRig().
//
// The bridge is a switch in a network namespace of its own, with the root namespace plugged in
// by one veth pair (the gateway address), so frames between two hosts never cross the root
// namespace's netfilter. They used to: this machine's Docker loads br_netfilter, so frames
// bridged in the root namespace went through its FORWARD and nat POSTROUTING, where the local
// engine inserts a `-s <subnet> ! -o br-… -j MASQUERADE` at the top for every network it makes.
// Each infrastructure's IPAM carves from the same pool, so a local test's network on the subnet
// a rig test's containers used masqueraded their traffic to the gateway, and the replies went to
// the local bridge: routedNetworks' probes between hosts failed while such a network existed
// (CI, twice), whatever exemption the rig had put at the top before.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import Docker from 'dockerode';
import { run } from '../support/exec';
import { sshdConfig } from './sshdConfig';
import { stopChild } from '../../client/childProcess';
import { waitUntil } from './waitUntil';
import { dockerdsUnder, stopPid } from './provisionedDaemons';

export interface RigHost {
  name: string;
  netns: string;
  address: string;
  sshPort: number;
  user: string;
  privateKey: string;
  hostKeyFingerprint: string;
  /** Present when the host runs its own dockerd (plain TCP 2375 inside the rig). */
  docker?: { kind: 'tcp'; host: string; port: number };
  dir: string;
}

export interface Rig {
  id: string;
  /** The bridge the hosts are on, in the network namespace `switchNetns`. */
  bridge: string;
  switchNetns: string;
  gateway: string;
  hosts: RigHost[];
  teardown(): Promise<void>;
}

const RIGS_ROOT = '/tmp/clocker-rigs';

interface RigRecord {
  id: string;
  ownerPid: number;
  bridge: string;
  netns: string[];
  /** The switch's namespace (absent in records of rigs whose bridge was in the root namespace). */
  switchNetns?: string;
  /** Rules of those older rigs in the root namespace, removed when one is cleaned up. */
  forwardRule?: string[];
  natRule?: string[];
}

export async function createRig(opts: { hosts: number; docker: boolean }): Promise<Rig> {
  await cleanupAbandonedRigs();
  // Rigs of test files running side by side must not share a subnet: the octet comes from the id, so ids whose octet a live rig holds are skipped.
  const octetOf = (rigId: string) => 100 + (parseInt(rigId, 16) % 150);
  const taken = new Set(existsSync(RIGS_ROOT) ? readdirSync(RIGS_ROOT).map(octetOf) : []);
  let id = randomBytes(2).toString('hex');
  while (taken.has(octetOf(id))) id = randomBytes(2).toString('hex');
  const octet = octetOf(id);
  const subnet = `10.213.${octet}`;
  const dir = join(RIGS_ROOT, id);
  mkdirSync(dir, { recursive: true });
  const bridge = `ckb${id}`;
  const switchNetns = `ck${id}sw`;
  const record: RigRecord = { id, ownerPid: process.pid, bridge, netns: [], switchNetns };
  const save = () => writeFileSync(join(dir, 'rig.json'), JSON.stringify(record));
  save();
  const children: ChildProcess[] = [];
  const hosts: RigHost[] = [];
  const rig: Rig = {
    id,
    bridge,
    switchNetns,
    gateway: `${subnet}.1`,
    hosts,
    teardown: () => teardownRig(record, hosts, children),
  };
  try {
    await run(['ip', 'netns', 'add', switchNetns]);
    await run(['ip', '-n', switchNetns, 'link', 'add', bridge, 'type', 'bridge']);
    await run(['ip', '-n', switchNetns, 'link', 'set', bridge, 'up']);
    // The root namespace's port on the switch: the gateway address, through which the worker, the
    // tests and a registry beside the hosts reach them.
    await run(['ip', 'link', 'add', `ck${id}r`, 'type', 'veth', 'peer', 'name', `ck${id}u`]);
    await run(['ip', 'link', 'set', `ck${id}u`, 'netns', switchNetns]);
    await run(['ip', '-n', switchNetns, 'link', 'set', `ck${id}u`, 'master', bridge, 'up']);
    await run(['ip', 'addr', 'add', `${subnet}.1/24`, 'dev', `ck${id}r`]);
    await run(['ip', 'link', 'set', `ck${id}r`, 'up']);
    await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `clocker-rig-${id}`, '-f', join(dir, 'id_ed25519')]);
    const privateKey = readFileSync(join(dir, 'id_ed25519'), 'utf8');
    const publicKey = readFileSync(join(dir, 'id_ed25519.pub'), 'utf8');
    mkdirSync('/run/sshd', { recursive: true });

    for (let i = 1; i <= opts.hosts; i++) {
      const name = `h${i}`;
      const netns = `ck${id}h${i}`;
      const address = `${subnet}.${10 + i}`;
      const hostDir = join(dir, name);
      mkdirSync(hostDir, { recursive: true });
      record.netns.push(netns);
      save();
      await run(['ip', 'netns', 'add', netns]);
      await run(['ip', 'link', 'add', `ck${id}v${i}`, 'type', 'veth', 'peer', 'name', `ck${id}p${i}`]);
      await run(['ip', 'link', 'set', `ck${id}p${i}`, 'netns', netns]);
      await run(['ip', 'link', 'set', `ck${id}v${i}`, 'netns', switchNetns]);
      await run(['ip', '-n', switchNetns, 'link', 'set', `ck${id}v${i}`, 'master', bridge, 'up']);
      await run(['ip', '-n', netns, 'link', 'set', `ck${id}p${i}`, 'name', 'eth0']);
      await run(['ip', '-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
      await run(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
      await run(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
      await run(['ip', '-n', netns, 'route', 'add', 'default', 'via', `${subnet}.1`]);

      await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `${name}-hostkey`, '-f', join(hostDir, 'host_key')]);
      writeFileSync(join(hostDir, 'authorized_keys'), publicKey, { mode: 0o600 });
      writeFileSync(join(hostDir, 'sshd_config'), sshdConfig({ address, dir: hostDir }));
      // nsenter, not `ip netns exec`: the latter remounts /sys and hides the cgroup mounts dockerd needs.
      const sshd = spawnIn(netns, ['/usr/sbin/sshd', '-D', '-e', '-f', join(hostDir, 'sshd_config')], join(hostDir, 'sshd.log'));
      children.push(sshd);
      const fingerprint = (await run(['ssh-keygen', '-l', '-f', join(hostDir, 'host_key.pub')])).split(' ')[1] ?? '';

      const host: RigHost = { name, netns, address, sshPort: 22, user: 'root', privateKey, hostKeyFingerprint: fingerprint, dir: hostDir };
      if (opts.docker) {
        const dockerd = spawnIn(
          netns,
          [
            'dockerd',
            '--host', `unix://${join(hostDir, 'docker.sock')}`,
            '--host', `tcp://${address}:2375`,
            '--data-root', join(hostDir, 'docker-data'),
            '--exec-root', join(hostDir, 'docker-exec'),
            '--pidfile', join(hostDir, 'docker.pid'),
            '--bip', `10.214.${i}.1/24`,
            '--default-address-pool', `base=10.216.${i * 16}.0/20,size=24`,
            '--tls=false',
          ],
          join(hostDir, 'dockerd.log'),
        );
        children.push(dockerd);
        host.docker = { kind: 'tcp', host: address, port: 2375 };
      }
      hosts.push(host);
    }
    await Promise.all(hosts.map((h) => waitForHost(h)));
    return rig;
  } catch (err) {
    await rig.teardown().catch((e: unknown) => console.error(`rig teardown after a failed start: ${String(e)}`));
    throw err;
  }
}

function spawnIn(netns: string, argv: string[], logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawn('nsenter', [`--net=/var/run/netns/${netns}`, ...argv], { stdio: ['ignore', log, log] });
  closeSync(log);
  return child;
}

async function waitForHost(h: RigHost): Promise<void> {
  await waitUntil(`sshd on ${h.name} (${h.address}:22)`, 30_000, () => tcpOpen(h.address, 22), join(h.dir, 'sshd.log'));
  if (h.docker) {
    const docker = new Docker({ protocol: 'http', host: h.address, port: 2375 });
    await waitUntil(`dockerd on ${h.name}`, 60_000, () => docker.ping().then(() => true, () => false), join(h.dir, 'dockerd.log'));
  }
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s: Socket = connect({ host, port });
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function teardownRig(record: RigRecord, hosts: RigHost[], children: ChildProcess[]): Promise<void> {
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  for (const h of hosts) {
    if (h.docker) {
      const docker = new Docker({ protocol: 'http', host: h.address, port: 2375 });
      await attempt(`containers on ${h.name}`, async () => {
        for (const c of await docker.listContainers({ all: true })) await docker.getContainer(c.Id).remove({ force: true });
      });
    }
  }
  // Daemons provisioning started over SSH are not our children: find them by their command line.
  for (const pid of dockerdsUnder(join(RIGS_ROOT, record.id))) await attempt(`stop provisioned dockerd ${pid}`, () => stopPid(pid));
  for (const child of children) await attempt('stop a rig daemon', () => stopChild(child, 20_000));
  for (const ns of record.netns) await attempt(`delete netns ${ns}`, () => run(['ip', 'netns', 'del', ns]));
  if (record.switchNetns) {
    // The bridge and every veth end in it go with the namespace; the root's end with its peer.
    await attempt(`delete the switch ${record.switchNetns}`, () => run(['ip', 'netns', 'del', record.switchNetns!]));
  } else {
    await attempt(`delete bridge ${record.bridge}`, () => run(['ip', 'link', 'del', record.bridge]));
    if (record.forwardRule) await attempt('delete the FORWARD rule', () => run(['iptables', '-D', ...record.forwardRule!]));
    if (record.natRule) await attempt('delete the nat rule', () => run(['iptables', '-t', 'nat', '-D', ...record.natRule!]));
  }
  await attempt('remove the rig folder', async () => {
    await run(['sh', '-c', `grep ' ${join(RIGS_ROOT, record.id)}' /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r umount -l`], { allowFail: true });
    rmSync(join(RIGS_ROOT, record.id), { recursive: true, force: true });
  });
  if (problems.length > 0) throw new Error(`rig ${record.id} teardown left problems:\n${problems.join('\n')}`);
}

/** A rig whose owning process is gone (killed test run) is torn down before a new one starts. */
async function cleanupAbandonedRigs(): Promise<void> {
  if (!existsSync(RIGS_ROOT)) return;
  for (const id of readdirSync(RIGS_ROOT)) {
    const file = join(RIGS_ROOT, id, 'rig.json');
    if (!existsSync(file)) continue;
    const record = JSON.parse(readFileSync(file, 'utf8')) as RigRecord;
    if (processAlive(record.ownerPid)) continue;
    console.error(`cleaning up abandoned rig ${id} (owner ${record.ownerPid} is gone)`);
    // Only processes whose command line names this rig's folder (its dockerds, containerds,
    // shims and sshds): a pid file left by a process that ended long ago may name a pid the
    // system has since given to something else (pids wrap around), which must not be signalled.
    await run(['pkill', '-f', `${join(RIGS_ROOT, id)}/`], { allowFail: true });
    await teardownRig(record, [], []).catch((err: unknown) => console.error(String(err)));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: no such process
  }
}
