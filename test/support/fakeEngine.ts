// An in-memory Docker engine for the workflow tier: it implements the container activities'
// contract (idempotent create/adopt, delete-if-present, health) so workflow logic can be
// tested against a real Temporal server without Docker. End-to-end tests never use it.
import { ApplicationFailure } from '@temporalio/activity';
import type { Activities } from '../../activities';
import type { EnsureContainerInput } from '../../activities/docker/containers';
import { containerName } from '../../domain/naming';

type ContainerActivities = Pick<Activities, 'ensureContainer' | 'removeContainer' | 'waitHealthy' | 'containerLogTail'>;

export interface FakeContainer {
  name: string;
  host: string;
  image: string;
  env: Record<string, string>;
}

export class FakeEngine {
  readonly containers = new Map<string, FakeContainer>();
  /** Every create, in order, as `host/name`. */
  readonly created: string[] = [];
  /** Images that "do not exist": creating from them fails like a missing image does. */
  readonly missingImages = new Set<string>();

  activities(): ContainerActivities {
    return {
      ensureContainer: async ({ endpoint, ref, spec }: EnsureContainerInput) => {
        const host = endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath;
        const name = containerName(ref);
        const key = `${host}/${name}`;
        if (!this.containers.has(key)) {
          if (this.missingImages.has(spec.image)) {
            throw ApplicationFailure.create({ type: 'ImageNotFoundError', message: `image ${spec.image} is not on ${host}`, nonRetryable: true });
          }
          this.containers.set(key, { name, host, image: spec.image, env: spec.env });
          this.created.push(key);
        }
        return { containerId: `id-${name}`, running: true, ports: spec.ports.map((p) => ({ ...p, boundHostPort: p.hostPort || 30000 })) };
      },
      removeContainer: async ({ endpoint, ref }) => {
        const host = endpoint.kind === 'tcp' ? endpoint.host : endpoint.socketPath;
        return this.containers.delete(`${host}/${containerName(ref)}`);
      },
      waitHealthy: async () => undefined,
      containerLogTail: async () => '',
    };
  }
}
