// A member is healthy when its container runs and every published TCP port accepts a
// connection that stays open. Why "stays open": Docker's userland proxy accepts on the host
// port even when nothing listens inside, then closes at once; a real server keeps it open.
import { Socket } from 'node:net';
import { heartbeat } from '@temporalio/activity';
import type { MappedPort } from '../../domain/application/status';
import type { DockerEndpoint } from '../../domain/infra/model';
import { ContainerExitedError, HealthTimeoutError } from '../errors';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError } from './dockerErrors';
import { logTail } from './containers';

export interface WaitHealthyInput {
  endpoint: DockerEndpoint;
  containerName: string;
  hostAddress: string;
  ports: MappedPort[];
  timeoutMs: number;
}

const SETTLE_MS = 300;
const POLL_MS = 250;

export function healthActivities(dockerFor: DockerClientFactory) {
  return {
    async waitHealthy(input: WaitHealthyInput): Promise<void> {
      const docker = dockerFor(input.endpoint);
      const where = describeEndpoint(input.endpoint);
      const deadline = Date.now() + input.timeoutMs;
      let problem = 'not checked yet';
      while (Date.now() < deadline) {
        heartbeat();
        const info = await docker
          .getContainer(input.containerName)
          .inspect()
          .catch((err: unknown) => {
            throw dockerError(where, `inspect container ${input.containerName}`, err);
          });
        if (!info.State.Running) {
          const tail = await logTail(docker, where, input.containerName, 20).catch(() => '');
          throw new ContainerExitedError(input.containerName, info.State.ExitCode, tail);
        }
        problem = await firstClosedPort(input.hostAddress, input.ports);
        if (problem === '') return;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      throw new HealthTimeoutError(input.containerName, input.timeoutMs, problem);
    },
  };
}

/** '' when every published TCP port answers; else what was wrong with the first that did not. */
async function firstClosedPort(address: string, ports: MappedPort[]): Promise<string> {
  for (const p of ports) {
    if (p.protocol !== 'tcp' || p.boundHostPort === undefined) continue;
    const result = await probeTcp(address, p.boundHostPort);
    if (result !== '') return `${address}:${p.boundHostPort}: ${result}`;
  }
  return '';
}

export function probeTcp(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(2_000, () => finish('connect timed out'));
    socket.once('error', (err) => finish(err.message));
    socket.once('data', () => finish(''));
    socket.once('end', () => finish('closed by peer right after connect'));
    socket.connect(port, host, () => setTimeout(() => finish(''), SETTLE_MS));
  });
}
