// The one-line summary each activity call carries into the Web UI's event history, e.g.
// `create shop.web.3 on h2 (10.0.0.12)`. Worked out from the activity's type and its input
// alone (workflows/consoleInterceptors.ts asks for it on every call), so no call site changes;
// an activity it does not know gets no summary. Never a secret: inputs hold references only,
// and only names, hosts and ids are read.
import { summaryLine } from './markdown';

/** A member's host, when the workflow saw where it was placed: `h2 (10.0.0.12)`. */
export type HostOfMember = (app: string, service: string, member: string) => string | undefined;

type Input = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Input => (typeof v === 'object' && v !== null ? (v as Input) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** `10.0.0.12` for a TCP engine, `the local engine` for a socket. */
function endpointText(endpoint: unknown): string | undefined {
  const e = obj(endpoint);
  if (e.kind === 'socket') return 'the local engine';
  return str(e.host);
}

function memberName(ref: unknown): string | undefined {
  const r = obj(ref);
  const [app, service, member] = [str(r.app), str(r.service), str(r.member)];
  return app && service && member ? `${app}.${service}.${member}` : undefined;
}

/** ` on h2 (10.0.0.12)`, ` on 10.0.0.12`, or nothing. */
function where(input: Input, hostOf?: HostOfMember): string {
  const r = obj(input.ref);
  const placed = str(r.app) && str(r.service) && str(r.member) ? hostOf?.(r.app as string, r.service as string, r.member as string) : undefined;
  const at = placed ?? endpointText(input.endpoint) ?? str(input.hostAddress);
  return at ? ` on ${at}` : '';
}

const hostTarget = (input: Input): string => {
  const h = obj(input.host);
  return `${str(h.id) ?? '?'} (${str(h.address) ?? '?'})`;
};

const SUMMARIES: Record<string, (input: Input, hostOf?: HostOfMember) => string | undefined> = {
  placeMembers: (i) => {
    const members = list(i.members).map(String);
    const avoid = list(i.avoidHosts).map(String);
    return `place ${i.app}.${i.service} ${members.length === 1 ? `member ${members[0]}` : `members ${members.join(', ')}`} on infrastructure ${i.infrastructure}${avoid.length > 0 ? `, not on ${avoid.join(', ')}` : ''}`;
  },
  ensureContainer: (i, hostOf) => `create ${memberName(i.ref)}${where(i, hostOf)}`,
  startMember: (i, hostOf) => `start ${memberName(i.ref)}${where(i, hostOf)} and wait until it is healthy`,
  waitHealthy: (i) => `wait until ${i.containerName} is healthy${i.hostAddress ? ` on ${i.hostAddress}` : ''}`,
  removeContainer: (i, hostOf) => `remove ${memberName(i.ref)}${where(i, hostOf)}`,
  stopContainer: (i, hostOf) => `stop ${memberName(i.ref)}${where(i, hostOf)}`,
  checkMember: (i, hostOf) => `check ${memberName(i.ref)}${where(i, hostOf)}${i.probe ? ' and probe it' : ''}`,
  containerLogTail: (i, hostOf) => `read the last lines of ${memberName(i.ref)}${where(i, hostOf)}`,
  runInMember: (i) => `reload: run ${list(i.argv).map(String).join(' ')} in ${i.containerName}`,
  releaseMembers: (i) =>
    `release ${list(i.members).length > 0 ? `members ${list(i.members).map(String).join(', ')} of` : 'every member of'} ${i.app}.${i.service} on infrastructure ${i.infrastructure}`,
  ensureNetwork: (i) => `make network ${i.app}.${str(obj(i.network).id) ?? '?'}${where(i)}`,
  allocateNetworkSubnet: (i) => `allocate a subnet for ${i.owner}${i.cidr ? ` (${i.cidr})` : ''} on infrastructure ${i.infrastructure}`,
  releaseNetworkSubnet: (i) => `release the subnet of ${i.owner} on infrastructure ${i.infrastructure}`,
  liveHostEndpoints: (i) => `list the live hosts of infrastructure ${i.infrastructure}`,
  infrastructureShape: (i) => `count the hosts of infrastructure ${i.infrastructure} (the default network driver)`,
  removeAppResources: (i) => `sweep ${i.app}'s containers, networks and volumes on ${list(i.endpoints).map(endpointText).join(', ')}`,
  ensureSwarm: (i) => `ensure the swarm over ${list(i.hosts).length} hosts`,
  repairSwarm: (i) => `repair the swarm over ${list(i.hosts).length} hosts`,
  removeOrphanContainers: (i) => `remove written-off containers${where(i)}`,
  watchHostMembers: (i) => `watch the members on host ${i.hostId} of infrastructure ${i.infrastructure}`,
  admissionDryRun: (i) => `dry-run placement of ${list(i.requests).length} services on infrastructure ${i.infrastructure}`,
  missingSecrets: (i) => `look up ${list(i.names).length} secrets in the worker's store`,
  checkHost: (i) => `check host ${i.hostId} (${i.address}): ${list(i.images).length} images, ${list(i.ports).length} fixed ports`,
  ensureInfraCertificates: (i) => `ensure the certificate authority of infrastructure ${String(i.value)}`,
  connectHost: (i) => `connect to host ${hostTarget(i)} over SSH`,
  detectOs: (i) => `detect the OS of host ${hostTarget(i)}`,
  ensureDocker: (i) => `install Docker on host ${hostTarget(i)} if missing`,
  installCertificates: (i) => `install TLS certificates on host ${hostTarget(i)}`,
  configureDaemon: (i) => `write daemon.json on host ${hostTarget(i)}`,
  startDaemon: (i) => `start dockerd on host ${hostTarget(i)}`,
  stopDaemon: (i) => `stop dockerd on host ${hostTarget(i)}`,
  verifyDocker: (i) => `verify Docker over TLS at ${i.address}`,
  checkHostAlive: (i) => `check that the engine at ${endpointText(i.docker)} answers`,
  measureHostUsage: (i) => `measure usage on ${endpointText(i.docker)}`,
  probeHost: (i) => `probe the engine at ${endpointText(i.docker)}`,
};

export function activitySummary(activityType: string, args: readonly unknown[], hostOf?: HostOfMember): string | undefined {
  const summarize = SUMMARIES[activityType];
  if (!summarize) return undefined;
  // A bare string argument (ensureInfraCertificates) is read as `value`.
  const first = args[0];
  const input = typeof first === 'string' ? { value: first } : obj(first);
  try {
    const text = summarize(input, hostOf);
    return text === undefined ? undefined : summaryLine(text);
  } catch {
    // A summary is a courtesy: an input of an unexpected shape must never fail the workflow task.
    return undefined;
  }
}
