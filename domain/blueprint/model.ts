// The typed application model that workflows receive as plain JSON. It is produced only by
// the blueprint loader (validated at the edge); workflows never parse files or cast.
// Everything here is plain data (objects, arrays, strings, numbers) so it survives Temporal's
// JSON payload converter unchanged.

export interface Blueprint {
  /** Application name: becomes part of workflow ids, container and network names. */
  name: string;
  /** The infrastructure to deploy on (`clocker/infra/<location>`). Default `local`. */
  location: string;
  services: ServiceSpec[];
  /** Networks the application declares. A service with no `networks` joins the default one. */
  networks: NetworkSpec[];
  /** Names of every secret the blueprint references, sorted: resolved by activities only. */
  secrets: string[];
  /** Which dialect the file was written in (for messages and `clocker validate`). */
  source: BlueprintSource;
}

export interface BlueprintSource {
  file: string;
  /** The file's folder, absolute, on the machine that loaded it (binds inside it may be allowed on `local`). */
  folder?: string;
  format: 'native' | 'clocker1' | 'compose';
}

export interface ServiceSpec {
  /** Unique within the blueprint; part of container names; never contains '.'. */
  id: string;
  /** A Docker image reference, e.g. `clocker/busybox:1`. Derived from the id when only `build` is given. */
  image: string;
  /** Build the image from a context on the Docker host instead of pulling it. */
  build?: BuildSpec;
  /** Replaces the image's CMD, as argv (never a shell string). */
  command?: string[];
  /** Replaces the image's ENTRYPOINT, as argv. */
  entrypoint?: string[];
  /** The user (name or uid[:gid]) the process runs as; absent: the image's. */
  user?: string;
  /** The process's working directory (absolute); absent: the image's. */
  workingDir?: string;
  /** The container's hostname; absent: Docker's (the container id). */
  hostname?: string;
  /** Run an init process as PID 1 (reaps zombies, forwards signals). */
  init?: boolean;
  /** A privileged container (root on its host): refused unless the infrastructure's policy allows it. */
  privileged?: boolean;
  /** Linux capabilities added to the container (e.g. `NET_ADMIN`): each must be allowed by the policy. */
  capAdd?: string[];
  /** `host`: share the host's PID namespace; refused unless the policy allows it. */
  pid?: 'host';
  /** The signal `stop` sends first (e.g. `SIGINT`); absent: the image's, else SIGTERM. */
  stopSignal?: string;
  /** Extra `/etc/hosts` entries, each `name:address`. */
  extraHosts?: string[];
  /** DNS servers for the container, before those of its networks. */
  dns?: string[];
  /** Environment entries with literal values only. */
  env: Record<string, string>;
  /** Environment entries whose values hold references or secrets; resolved before create. */
  envTemplates: Record<string, Template>;
  ports: PortSpec[];
  /** How many members (containers) to run at first; equals `size.initial`. */
  count: number;
  /** Cluster bounds; `min == max == count` for a fixed-size service. */
  size: ClusterSize;
  /** Extra container labels; the `io.clocker.*` namespace is reserved. */
  labels: Record<string, string>;
  /** Services that must be up before this one starts (declared plus implied by references and links). */
  dependsOn: string[];
  volumes: VolumeSpec[];
  /** Networks to join; empty means the application's default network. */
  networks: NetworkAttachment[];
  /** Docker links (Clocker 1.x): the alias's link environment variables are in `envTemplates`. */
  links: LinkSpec[];
  resources: ResourceSpec;
  health?: HealthCheck;
  /**
   * When a value this service references (in `envTemplates` or `reload.exec`) changes, run
   * this in each running member instead of replacing the members; new members get the new env.
   * Absent: such a change rolls the service onto the new values.
   */
  reload?: ReloadSpec;
  /** How a rolling update replaces members; absent: one at a time, order chosen from the ports. */
  update?: UpdatePolicy;
  placement: PlacementSpec;
  policies: PolicySpec;
}

export interface PortSpec {
  /** The port the process listens on inside the container. */
  containerPort: number;
  /** Published on the host for ingress; 0 means "any free port". Absent: not published. */
  hostPort?: number;
  /**
   * Only with `hostPort`: the host address the port is bound to (e.g. `127.0.0.1`, reachable
   * from that host only). Absent: every address of the host.
   */
  hostIp?: string;
  protocol: 'tcp' | 'udp';
}

export interface BuildSpec {
  /** Relative to the blueprint's folder; never escapes it ('..' is rejected). */
  context: string;
  /** Relative to the context (Compose's meaning); default `Dockerfile`. */
  dockerfile?: string;
  /** Build arguments (`ARG` values). */
  args?: Record<string, string>;
  /**
   * Set by the client that read the blueprint file (client/resolveBuilds.ts): the context's
   * absolute path on that machine. The worker reads the context there, so it must be on the
   * worker's machine too (the same machine, or a shared folder).
   */
  contextPath?: string;
  /**
   * Set with `contextPath`: a hash of the context's files (after .dockerignore), the Dockerfile
   * path and the args. A changed file changes the spec, so `deploy` rolls the service.
   */
  hash?: string;
}

export interface ClusterSize {
  initial: number;
  min: number;
  max: number;
}

export type VolumeSpec =
  /**
   * A host folder mounted into the container; `source` is absolute and has no '..'.
   * `fromFile`: the source was written relative to the blueprint (Compose's `./data`) and was
   * resolved against the file's folder on the machine that loaded it, so it exists there only.
   */
  | { type: 'bind'; source: string; target: string; readOnly: boolean; fromFile?: boolean }
  /** A Docker named volume (created if absent); `source` is a Docker name. */
  | { type: 'volume'; source: string; target: string; readOnly: boolean }
  /** An anonymous volume at `target`. */
  | { type: 'anonymous'; target: string; readOnly: boolean };

export interface NetworkAttachment {
  /** A `NetworkSpec.id` of this blueprint. */
  network: string;
  aliases: string[];
  /** A static address inside the network's CIDR; absent: allocated. */
  ipv4Address?: string;
}

export interface LinkSpec {
  alias: string;
  service: string;
}

export interface ResourceSpec {
  /** CPU cores (fractions allowed), used for reservations by the scheduler. */
  cpus?: number;
  memoryBytes?: number;
}

export type HealthProbe =
  | { kind: 'tcp'; port: number }
  | { kind: 'http'; port: number; path: string; expectStatus: number }
  | { kind: 'exec'; command: string[] };

export interface HealthCheck {
  probe: HealthProbe;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  /**
   * How often to probe during the start period (Compose's `start_interval`). Clocker waits for
   * the first success, so a short one makes deploys faster. Absent: 250 ms.
   */
  startIntervalMs?: number;
}

export interface UpdatePolicy {
  /** Members replaced at once (Swarm's `parallelism`). */
  batch: number;
  /**
   * start-first: new members healthy before old ones go (no dip in capacity); stop-first: old
   * ones go first (needed when a fixed host port cannot be held twice). Absent: stop-first
   * exactly when the service publishes a fixed host port.
   */
  order?: 'start-first' | 'stop-first';
}

export interface ReloadSpec {
  /** argv run in each running member (docker exec, no shell); each element may hold references. */
  exec: Template[];
  timeoutMs: number;
}

export type PlacementStrategy = 'random' | 'depth-first' | 'breadth-first' | 'least-cpu' | 'least-memory' | 'fewest-containers';

export interface PlacementSpec {
  /** Rankers in tie-break order; empty lets the infrastructure choose. */
  strategies: PlacementStrategy[];
  constraints: PlacementConstraints;
}

export interface PlacementConstraints {
  /** Host labels that must match exactly. */
  labels: Record<string, string>;
  regions: string[];
  zones: string[];
  maxPerHost?: number;
  maxPerZone?: number;
  /** A safe expression over host attributes (evaluated by the scheduler, never `eval`). */
  predicate?: string;
}

export interface PolicySpec {
  autoscaler?: AutoscalerPolicy;
  restarter?: RestarterPolicy;
  replacer?: ReplacerPolicy;
}

export interface AutoscalerPolicy {
  /**
   * `cpu` (cores used over the member's CPU limit, or over one core without one), `memory`
   * (bytes used over its memory limit, or over the host's memory): fractions, averaged over the
   * members, from the engine's stats. Any other name is a custom metric read from `source`.
   */
  metric: string;
  lowThreshold: number;
  highThreshold: number;
  minSize: number;
  maxSize: number;
  /** What `growAfterMs` and `shrinkAfterMs` default to. */
  stabilizationMs: number;
  /** Grow only once the metric stayed above `highThreshold` this long (absent in specs from before: `stabilizationMs`). */
  growAfterMs?: number;
  /** Shrink only once it stayed below `lowThreshold` this long (absent in specs from before: `stabilizationMs`). */
  shrinkAfterMs?: number;
  /** Members added or removed per decision (absent in specs from before: 1). */
  step?: number;
  periodMs: number;
  /** A custom metric's HTTP endpoint on each member: a container port (published) and a path. */
  source?: { port: number; path: string };
}

export interface RestarterPolicy {
  maxRestarts: number;
  windowMs: number;
}

export interface ReplacerPolicy {
  /**
   * Replacements within the restarter's window before the service goes ON_FIRE (the failure
   * budget; domain/application/memberRecovery.ts).
   */
  failureThreshold: number;
  /** Try another host than the failed member's. */
  avoidFailedHost: boolean;
}

export type NetworkDriver = 'bridge' | 'overlay' | 'routed' | 'weave' | 'calico';

export interface NetworkSpec {
  /** Unique within the blueprint; part of Docker network names; never contains '.'. */
  id: string;
  cidr?: string;
  gateway?: string;
  /** Literal addresses or references (e.g. a DNS service's `host.address`). */
  dnsServers: Template[];
  /**
   * `weave` and `calico` are the seeds' spellings, loaded as `overlay` and `routed` (old histories keep them).
   * Absent when the blueprint names none: the application chooses by its infrastructure when it
   * allocates the network (domain/network/defaultDriver.ts; `bridge` on one host, `overlay` on
   * several), and hands its services the network with the driver chosen. Blueprints loaded before
   * this always carry one (`bridge` was the loader's default).
   */
  driver?: NetworkDriver;
  /** Shared by applications on the infrastructure, instead of per-application. */
  shared: boolean;
  /** Isolate the network from others with iptables rules. */
  addIptablesRules: boolean;
  /** Overlay only: IPsec ESP between hosts (Docker's `--opt encrypted`); refused where a host's kernel lacks it. */
  encrypted?: boolean;
  labels: Record<string, string>;
}

/** A value that may embed references: text parts and parts resolved later. */
export interface Template {
  parts: TemplatePart[];
}

export type TemplatePart =
  | { kind: 'text'; text: string }
  /** An attribute another service publishes once it is up, e.g. `host.address`. */
  | { kind: 'attribute'; service: string; attribute: string }
  /** A secret, resolved by the activity that needs it; never in workflow history. */
  | { kind: 'secret'; name: string };
