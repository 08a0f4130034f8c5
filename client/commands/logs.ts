// `clocker logs APP SERVICE [--follow]`: every live member's output, each line prefixed with
// its member id, read from the member's host through the one Docker client factory.
import { PassThrough, type Writable } from 'node:stream';
import { createDockerClientFactory } from '../../activities/docker/dockerClient';
import { demuxLogs } from '../../activities/docker/logFrames';
import type { ClockerClient } from '../clockerClient';

export interface LogsOptions {
  follow: boolean;
  tail: number;
}

export async function logs(clocker: ClockerClient, app: string, serviceId: string, opts: LogsOptions, out: Writable = process.stdout): Promise<void> {
  const view = await clocker.status(app);
  const service = view.services.find((s) => s.id === serviceId);
  if (!service) throw new Error(`application "${app}" has no service "${serviceId}" (it has: ${view.services.map((s) => s.id).join(', ')})`);
  const members = service.members.filter((m) => m.state !== 'REMOVED' && m.containerId);
  if (members.length === 0) throw new Error(`service "${serviceId}" has no containers right now (${service.status})`);
  const dockerFor = createDockerClientFactory();
  await Promise.all(
    members.map(async (m) => {
      const endpoint = service.hostEndpoints[m.hostId];
      if (!endpoint) throw new Error(`no Docker endpoint recorded for host ${m.hostId}`);
      const container = dockerFor(endpoint).getContainer(m.containerName);
      const prefix = members.length > 1 ? `${m.member} | ` : '';
      if (!opts.follow) {
        const buf = (await container.logs({ stdout: true, stderr: true, tail: opts.tail, follow: false })) as unknown as Buffer;
        for (const line of demuxLogs(buf).split('\n').filter(Boolean)) out.write(`${prefix}${line}\n`);
        return;
      }
      const stream = await container.logs({ stdout: true, stderr: true, tail: opts.tail, follow: true });
      const lines = new PassThrough();
      dockerFor(endpoint).modem.demuxStream(stream, lines, lines);
      let pending = '';
      lines.on('data', (chunk: Buffer) => {
        const text = pending + chunk.toString('utf8');
        const parts = text.split('\n');
        pending = parts.pop() ?? '';
        for (const line of parts) out.write(`${prefix}${line}\n`);
      });
      await new Promise<void>((resolve) => stream.on('end', () => resolve()));
    }),
  );
}
