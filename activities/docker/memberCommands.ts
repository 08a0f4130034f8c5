// Commands run in a member's running container on behalf of the application: the `reload`
// hook a service declares, run when a value it references changes (a balancer told its new
// backends). The argv goes to Docker's exec API as a list: no shell sees it.
import type { DockerEndpoint } from '../../domain/infra/model';
import { MemberCommandError } from '../errors';
import { redact, secretValues } from '../secrets/redact';
import type { SecretStore } from '../secrets/secretStore';
import { execInContainer } from './containerExec';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';

export interface RunInMemberInput {
  endpoint: DockerEndpoint;
  containerName: string;
  argv: string[];
  timeoutMs: number;
  /** The secrets the member was given: its output, if it goes into an error, is redacted of them. */
  secretNames?: string[];
}

/** The last part of a command's output, enough to say why it failed. */
const OUTPUT_TAIL = 2_000;

export function memberCommandActivities(dockerFor: DockerClientFactory, secrets: SecretStore) {
  return {
    /** Runs argv in the container; fails with MemberCommandError (output redacted of secrets) on a non-zero exit. */
    async runInMember(input: RunInMemberInput): Promise<void> {
      const where = describeEndpoint(input.endpoint);
      const docker = dockerFor(input.endpoint);
      const result = await execInContainer(docker, where, input.containerName, input.argv, input.timeoutMs);
      if (result.exitCode !== 0) {
        const output = redact(result.output, secretValues(input.secretNames ?? [], secrets));
        throw new MemberCommandError(input.containerName, input.argv, result.exitCode, output.slice(-OUTPUT_TAIL));
      }
    },
  };
}
