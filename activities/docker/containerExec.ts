// Runs argv inside a container (exec probes, `nc -z` for unpublished ports) and reports its
// exit code and output.
import type Docker from 'dockerode';
import { dockerError } from './dockerErrors';
import { demuxLogs } from './logFrames';

export interface ExecResult {
  exitCode: number | null;
  output: string;
}

export async function execInContainer(docker: Docker, where: string, container: string, argv: string[], timeoutMs: number): Promise<ExecResult> {
  try {
    const exec = await docker.getContainer(container).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        stream.destroy();
        resolve();
      }, timeoutMs);
      stream.on('data', (d: Buffer) => chunks.push(d));
      // A hijacked stream may end with 'close' and no 'end': either one means the command is done.
      const done = () => (clearTimeout(timer), resolve());
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', done);
    });
    const { ExitCode } = await exec.inspect();
    return { exitCode: ExitCode, output: demuxLogs(Buffer.concat(chunks)).trim() };
  } catch (err) {
    throw dockerError(where, `exec ${argv.join(' ')} in ${container}`, err);
  }
}
