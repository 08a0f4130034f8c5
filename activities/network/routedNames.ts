// Writes the routed-network names (domain/network/routedNames.ts) into the /etc/hosts of every
// running member of the application on a routed network, on every live host: `docker exec` as
// root (the file is root's even when the image runs as another user), through the host's
// Docker API, so no host shell is needed for it.
import type { Client } from '@temporalio/client';
import type Docker from 'dockerode';
import type { HostAccess } from '../../domain/infra/hostAccess';
import { LABEL, networkName, workflowIds } from '../../domain/naming';
import { hostsSection, writeHostsArgv, type NameEntry } from '../../domain/network/routedNames';
import { hostAccessQuery } from '../../workflows/hostAccessQuery';
import { describeEndpoint, type DockerClientFactory } from '../docker/dockerClient';
import { dockerError, statusCodeOf } from '../docker/dockerErrors';
import { RemoteCommandError } from '../errors';
import { whileBeating } from '../heartbeatTicker';

export interface WriteNamesInput {
  infrastructure: string;
  app: string;
  /** The application's routed network ids. */
  networks: string[];
  entries: NameEntry[];
}

const live = (h: HostAccess) => h.status === 'AVAILABLE' || h.status === 'DRAINING';

export function routedNameActivities(temporal: Client, dockerFor: DockerClientFactory) {
  return {
    /** Returns the containers written, as `<container>@<host>`. */
    async writeRoutedNames(req: WriteNamesInput): Promise<string[]> {
      return whileBeating(() => writeAll(req));
    },
  };

  async function writeAll(req: WriteNamesInput): Promise<string[]> {
    const hosts = (await temporal.workflow.getHandle(workflowIds.infrastructure(req.infrastructure)).query(hostAccessQuery)).filter(live);
    const byName = new Map(req.networks.map((id) => [networkName(req.app, id, 'routed'), id]));
    const written = await Promise.all(
      hosts.map(async (h) => {
        const docker = dockerFor(h.docker);
        const where = describeEndpoint(h.docker);
        const running = await docker
          .listContainers({ filters: { label: [`${LABEL.app}=${req.app}`, `${LABEL.managed}=true`], status: ['running'] } })
          .catch((err: unknown) => Promise.reject(dockerError(where, 'list containers', err)));
        const done: string[] = [];
        for (const c of running) {
          const joined = Object.keys(c.NetworkSettings?.Networks ?? {}).flatMap((n) => byName.get(n) ?? []);
          if (joined.length === 0) continue;
          const name = (c.Names[0] ?? c.Id).replace(/^\//, '');
          if (await writeHosts(docker, where, c.Id, name, writeHostsArgv(hostsSection(req.entries, joined)))) done.push(`${name}@${h.id}`);
        }
        return done;
      }),
    );
    return written.flat().sort();
  }
}

/** False when the container went meanwhile (removed or stopped: its next start is written again). */
async function writeHosts(docker: Docker, where: string, id: string, name: string, argv: string[]): Promise<boolean> {
  let exec: Docker.Exec;
  try {
    exec = await docker.getContainer(id).exec({ Cmd: argv, User: '0', AttachStdout: true, AttachStderr: true });
  } catch (err) {
    if (statusCodeOf(err) === 404 || statusCodeOf(err) === 409) return false;
    throw dockerError(where, `exec in ${name}`, err);
  }
  const stream = await exec.start({ hijack: true, stdin: false }).catch((err: unknown) => Promise.reject(dockerError(where, `exec in ${name}`, err)));
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => (stream.destroy(), resolve()), 15_000);
    const done = () => (clearTimeout(timer), resolve());
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  const { ExitCode } = await exec.inspect().catch((err: unknown) => Promise.reject(dockerError(where, `exec in ${name}`, err)));
  if (ExitCode !== 0) throw new RemoteCommandError(`${name} on ${where}`, argv.slice(0, 2), ExitCode, Buffer.concat(chunks).toString('utf8').slice(-500));
  return true;
}
