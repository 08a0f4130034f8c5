// The preflight's look at one host the dry run chose: are the images there (or pullable), are
// the fixed host ports free. Answers data, never throws for what it finds: a host whose engine
// does not answer is reported as such, so every other problem is still listed.
import type { DockerClientFactory } from '../docker/dockerClient';
import type { HostCheckAnswer, HostCheckRequest } from '../../domain/application/preflightProblems';
import { imageProblem } from './imagePresence';
import { heldLocally, publishedPorts } from './portHolders';

export async function checkHost(docker: DockerClientFactory, req: HostCheckRequest): Promise<HostCheckAnswer> {
  const answer: HostCheckAnswer = { hostId: req.hostId, images: [], ports: [] };
  try {
    const engine = docker(req.docker);
    for (const image of req.images) {
      const problem = await imageProblem(engine, req.hostId, image);
      if (problem !== undefined) answer.images.push({ image, problem });
    }
    if (req.ports.length === 0) return answer;
    const held = await publishedPorts(engine);
    for (const port of req.ports) {
      const holder = held.get(`${port.port}/${port.protocol}`);
      if (holder !== undefined) answer.ports.push({ ...port, holder });
      // The local engine publishes on this machine: a process that is not a container shows only here.
      else if (req.docker.kind === 'socket' && (await heldLocally(port))) answer.ports.push({ ...port, holder: 'a process on the host that is not a container' });
    }
    return answer;
  } catch (err) {
    return { hostId: req.hostId, unreachable: err instanceof Error ? err.message.split('\n')[0] : String(err), images: [], ports: [] };
  }
}
