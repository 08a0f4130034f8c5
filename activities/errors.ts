// One error class per failure kind. Temporal uses the class name as the failure type, and
// workflows/activityOptions.ts lists the non-retryable ones by name (a unit test keeps the
// two in step via `retryable`).

export abstract class ClockerError extends Error {
  /** Whether retrying the same activity can succeed (Temporal retries only those). */
  abstract readonly retryable: boolean;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command ran on a host and exited non-zero. Deterministic: not retried. */
export class RemoteCommandError extends ClockerError {
  readonly retryable = false;
  constructor(
    readonly host: string,
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(`on ${host}: \`${argv.join(' ')}\` exited ${exitCode ?? 'by signal'}${stderrTail ? `: ${stderrTail}` : ''}`);
  }
}

/** A host could not be reached or the connection dropped: the network may come back. */
export class HostUnreachableError extends ClockerError {
  readonly retryable = true;
  constructor(readonly host: string, cause: string) {
    super(`cannot reach ${host}: ${cause}`);
  }
}

/** SSH refused our credentials: retrying with the same key cannot help. */
export class SshAuthError extends ClockerError {
  readonly retryable = false;
  constructor(readonly host: string, readonly user: string) {
    super(`ssh ${user}@${host}: authentication failed; check the key and the user's authorized_keys`);
  }
}

/** The host presented a key other than the pinned one: never trusted silently. */
export class HostKeyMismatchError extends ClockerError {
  readonly retryable = false;
  constructor(readonly host: string, readonly expected: string, readonly actual: string) {
    super(`host key of ${host} changed: pinned ${expected}, got ${actual}; if the host was rebuilt, forget its key and retry`);
  }
}

/** A command did not finish in its time limit. */
export class CommandTimeoutError extends ClockerError {
  readonly retryable = true;
  constructor(readonly host: string, readonly argv: readonly string[], readonly timeoutMs: number) {
    super(`on ${host}: \`${argv.join(' ')}\` did not finish within ${timeoutMs} ms`);
  }
}

/** The Docker API of a host did not answer (engine down, socket missing): may come back. */
export class DockerUnavailableError extends ClockerError {
  readonly retryable = true;
  constructor(readonly endpoint: string, cause: string) {
    super(`Docker engine at ${endpoint} is not answering: ${cause}`);
  }
}

/**
 * Docker answered 5xx because a call inside the engine timed out or dropped (containerd, the
 * swarm's raft, a registry it was reaching): the engine itself is up, and the same request can
 * pass a moment later, as it does under load on a busy host.
 */
export class DockerBusyError extends ClockerError {
  readonly retryable = true;
  constructor(readonly endpoint: string, readonly operation: string, readonly statusCode: number | undefined, detail: string) {
    super(`Docker at ${endpoint}: ${operation} timed out inside the engine${statusCode ? ` (HTTP ${statusCode})` : ''}, retried: ${detail}`);
  }
}

/** Docker refused a request for a reason that a retry will not change. */
export class DockerRequestError extends ClockerError {
  readonly retryable = false;
  constructor(readonly endpoint: string, readonly operation: string, readonly statusCode: number | undefined, detail: string) {
    super(`Docker at ${endpoint}: ${operation} failed${statusCode ? ` (HTTP ${statusCode})` : ''}: ${detail}`);
  }
}

export class ImageNotFoundError extends ClockerError {
  readonly retryable = false;
  constructor(readonly image: string, readonly endpoint: string, detail: string) {
    super(`image ${image} is not on ${endpoint} and could not be pulled: ${detail}`);
  }
}

/** A derived name (container, network, volume) is held by something Clocker did not create for it. */
export class NameConflictError extends ClockerError {
  readonly retryable = false;
  constructor(readonly kind: 'container' | 'network' | 'volume', readonly resourceName: string, readonly endpoint: string) {
    super(`a ${kind} named ${resourceName} already exists on ${endpoint} and is not Clocker's for it; remove or rename it`);
  }
}

/** The blueprint asks for something this deployment path cannot do yet; never silently ignored. */
export class UnsupportedFeatureError extends ClockerError {
  readonly retryable = false;
  constructor(what: string) {
    super(`not supported yet: ${what}`);
  }
}

/** The infrastructure's host policy does not allow what the spec asks of the host (a bind, privileged, …). */
export class HostPolicyRefusedError extends ClockerError {
  readonly retryable = false;
  constructor(what: string) {
    super(`refused by the host policy: ${what}`);
  }
}

/** A member's container stopped before it became healthy. */
export class ContainerExitedError extends ClockerError {
  readonly retryable = false;
  constructor(readonly containerName: string, readonly exitCode: number, readonly logTail: string) {
    super(`container ${containerName} exited with code ${exitCode} before it was healthy${logTail ? `; last output:\n${logTail}` : ''}`);
  }
}

/** The infrastructure a blueprint names has no running workflow. */
export class InfrastructureNotFoundError extends ClockerError {
  readonly retryable = false;
  constructor(readonly infrastructure: string) {
    super(`infrastructure "${infrastructure}" is not running; start it with \`clocker up\` (local) or \`clocker infra create\``);
  }
}

/** The scheduler found no host for some members; the message says why, per filter. */
export class PlacementRejectedError extends ClockerError {
  readonly retryable = false;
  constructor(readonly infrastructure: string, readonly reason: string) {
    super(`no room on infrastructure "${infrastructure}": ${reason}`);
  }
}


/** A member never passed its health check in the time allowed. */
export class HealthTimeoutError extends ClockerError {
  readonly retryable = false;
  constructor(readonly containerName: string, readonly timeoutMs: number, readonly lastProblem: string) {
    super(`container ${containerName} was not healthy within ${timeoutMs} ms: ${lastProblem}`);
  }
}

/** A blueprint references a secret that no store holds. */
export class SecretNotFoundError extends ClockerError {
  readonly retryable = false;
  constructor(readonly secret: string, envVar: string, file: string) {
    super(`secret "${secret}" is not set: define ${envVar} for the worker, or write it to ${file}`);
  }
}

/** The infrastructure's IPAM refused a network's subnet (overlap, outside the pools, pool full). */
export class SubnetRejectedError extends ClockerError {
  readonly retryable = false;
  constructor(readonly infrastructure: string, readonly owner: string, reason: string) {
    super(`no subnet for ${owner} on infrastructure "${infrastructure}": ${reason}`);
  }
}

/**
 * Another network on the engine holds the subnet IPAM gave (one made since the allocation, by
 * another Clocker or by hand): retrying the same subnet cannot help; the application asks IPAM
 * for another, which now sees it in use.
 */
export class SubnetTakenError extends ClockerError {
  readonly retryable = false;
  constructor(readonly endpoint: string, readonly network: string, readonly subnet: string, readonly holder: string) {
    super(`Docker at ${endpoint}: network ${network} cannot have ${subnet}: ${holder} holds that pool`);
  }
}

/**
 * A network carries this application's labels but another subnet than IPAM gave it, with
 * containers still on it: left by an earlier deployment of the same name whose records are gone
 * (another dev server, a wiped state folder). Retrying cannot help; someone must say which wins.
 */
export class StaleNetworkError extends ClockerError {
  readonly retryable = false;
  constructor(readonly endpoint: string, readonly network: string, readonly held: string, readonly wanted: string, readonly containers: string) {
    super(
      `Docker at ${endpoint}: network ${network} is on ${held}, not on ${wanted} as this deployment's addresses say; it is left from an earlier deployment of the same name and still has ${containers} on it: remove those containers (or destroy that deployment) and deploy again`,
    );
  }
}

/** The host runs an OS Clocker cannot install Docker on; a retry finds the same OS. */
export class UnsupportedOsError extends ClockerError {
  readonly retryable = false;
  constructor(readonly host: string, readonly supported: readonly string[], readonly os: string) {
    super(`${host} runs ${os}; Clocker installs Docker only on ${supported.join(', ')} (or install Docker yourself and retry)`);
  }
}

/** openssl refused to make a certificate on the worker: a retry runs the same command. */
export class CertificateError extends ClockerError {
  readonly retryable = false;
  constructor(readonly where: string, readonly argv: readonly string[], readonly exitCode: number | null, readonly stderrTail: string) {
    super(`on ${where}: \`${argv.join(' ')}\` exited ${exitCode ?? 'by signal'}${stderrTail ? `: ${stderrTail}` : ''}`);
  }
}

/** An SSH key reference (`$secret:NAME` or a path) names nothing readable on the worker. */
export class SshKeyNotFoundError extends ClockerError {
  readonly retryable = false;
  constructor(readonly keyRef: string, detail: string) {
    super(`ssh key ${keyRef} cannot be read on the worker: ${detail}`);
  }
}

/** A command run in a member's container (a `reload` hook) exited non-zero: the same argv would fail again. */
export class MemberCommandError extends ClockerError {
  readonly retryable = false;
  constructor(readonly containerName: string, readonly argv: readonly string[], readonly exitCode: number | null, readonly outputTail: string) {
    super(`\`${argv.join(' ')}\` in ${containerName} ${exitCode === null ? 'did not finish in time' : `exited ${exitCode}`}${outputTail ? `: ${outputTail}` : ''}`);
  }
}

/**
 * An image could not be built from a service's context: a Dockerfile step failed, the context
 * is not readable where the worker runs, or it changed since the blueprint was loaded. The same
 * build fails the same way again: not retried.
 */
export class ImageBuildError extends ClockerError {
  readonly retryable = false;
  constructor(readonly image: string, readonly endpoint: string, detail: string) {
    super(`building image ${image} on ${endpoint} failed: ${detail}`);
  }
}

/**
 * A host that must carry an overlay network is not in its infrastructure's swarm. The service
 * tops the swarm up before it makes the network on a host, so this means the join did not take
 * (no manager among the live hosts, say); a retry of this step alone finds the same.
 */
export class NotInSwarmError extends ClockerError {
  readonly retryable = false;
  constructor(readonly endpoint: string, readonly network: string, readonly state: string) {
    super(`Docker at ${endpoint} is not in the infrastructure's swarm (swarm state "${state}"), so it cannot carry the overlay network ${network}`);
  }
}

/** A host's kernel lacks what a network asks of it (e.g. IPsec ESP for an encrypted overlay); another host or no such field is the fix. */
export class KernelFeatureMissingError extends ClockerError {
  readonly retryable = false;
}

export const allErrorClasses = [
  RemoteCommandError,
  HostUnreachableError,
  SshAuthError,
  HostKeyMismatchError,
  CommandTimeoutError,
  DockerUnavailableError,
  DockerBusyError,
  DockerRequestError,
  ImageNotFoundError,
  ImageBuildError,
  NameConflictError,
  UnsupportedFeatureError,
  HostPolicyRefusedError,
  ContainerExitedError,
  InfrastructureNotFoundError,
  PlacementRejectedError,
  HealthTimeoutError,
  SecretNotFoundError,
  SubnetRejectedError,
  SubnetTakenError,
  StaleNetworkError,
  UnsupportedOsError,
  CertificateError,
  SshKeyNotFoundError,
  MemberCommandError,
  NotInSwarmError,
  KernelFeatureMissingError,
] as const;
