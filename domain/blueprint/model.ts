// The typed application model that workflows receive as plain JSON. It is produced only by
// the blueprint loader (validated at the edge); workflows never parse files or cast.

export interface Blueprint {
  /** Application name: becomes part of workflow ids, container and network names. */
  name: string;
  /** The infrastructure to deploy on (`clocker/infra/<location>`). */
  location: string;
  services: ServiceSpec[];
}

export interface ServiceSpec {
  /** Unique within the blueprint; part of container names. */
  id: string;
  /** A Docker image reference, e.g. `clocker/busybox:1`. */
  image: string;
  /** Replaces the image's CMD, as argv (never a shell string). */
  command?: string[];
  /** Replaces the image's ENTRYPOINT, as argv. */
  entrypoint?: string[];
  env: Record<string, string>;
  ports: PortSpec[];
  /** How many members (containers) to run. */
  count: number;
  /** Extra container labels; the `io.clocker.*` namespace is reserved. */
  labels: Record<string, string>;
  /** Services that must be up before this one starts. */
  dependsOn: string[];
}

export interface PortSpec {
  /** The port the process listens on inside the container. */
  containerPort: number;
  /** Published on the host for ingress; 0 means "any free port". Absent: not published. */
  hostPort?: number;
  protocol: 'tcp' | 'udp';
}
