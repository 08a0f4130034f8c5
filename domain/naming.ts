// Names and labels of the things Clocker creates derive only from (app, service, member), so a
// retried or replayed activity finds what an earlier attempt made instead of duplicating it.

/** Every label Clocker sets starts with this; blueprints may not set their own there. */
export const LABEL_PREFIX = 'io.clocker.';

export const LABEL = {
  managed: 'io.clocker.managed',
  app: 'io.clocker.app',
  service: 'io.clocker.service',
  member: 'io.clocker.member',
  network: 'io.clocker.network',
  volume: 'io.clocker.volume',
  /** On a member's container: the infrastructure it is booked in, so a host shared by two infrastructures is swept by each of its own only. */
  infrastructure: 'io.clocker.infrastructure',
} as const;

export interface MemberRef {
  app: string;
  service: string;
  member: string;
}

/** `<app>.<service>.<member>`: ids never contain '.', so the name is unambiguous. */
export function containerName(ref: MemberRef): string {
  return `${ref.app}.${ref.service}.${ref.member}`;
}

/** A member container's labels; `infrastructure` is absent on containers of earlier releases. */
export function memberLabels(ref: MemberRef, infrastructure?: string): Record<string, string> {
  const labels = { [LABEL.managed]: 'true', [LABEL.app]: ref.app, [LABEL.service]: ref.service, [LABEL.member]: ref.member };
  return infrastructure === undefined ? labels : { ...labels, [LABEL.infrastructure]: infrastructure };
}

/** True when `labels` mark a container as exactly this member (safe to adopt); the infrastructure label is not asked for. */
export function isMember(labels: Record<string, string> | undefined, ref: MemberRef): boolean {
  const want = memberLabels(ref);
  return labels !== undefined && Object.entries(want).every(([k, v]) => labels[k] === v);
}

/**
 * An application's network on a Docker host: `<app>.<network id>`; an overlay network's is
 * `<app>_<network id>`, as a swarm wants a DNS name component (no dots; ids have none).
 */
export function networkName(app: string, network: string, driver?: string): string {
  return driver === 'overlay' ? `${app}_${network}` : `${app}.${network}`;
}

export function networkLabels(app: string, network: string): Record<string, string> {
  return { [LABEL.managed]: 'true', [LABEL.app]: app, [LABEL.network]: network };
}

/** A named volume belongs to its application: `<app>.<volume>`. */
export function volumeName(app: string, volume: string): string {
  return `${app}.${volume}`;
}

export function volumeLabels(app: string, volume: string): Record<string, string> {
  return { [LABEL.managed]: 'true', [LABEL.app]: app, [LABEL.volume]: volume };
}

export const workflowIds = {
  infrastructure: (name: string) => `clocker/infra/${name}`,
  application: (app: string) => `clocker/app/${app}`,
  service: (app: string, service: string) => `clocker/app/${app}/svc/${service}`,
};

/** The monitor of one host's members (workflows/hostMonitor.ts). */
export function hostMonitorWorkflowId(infrastructure: string, hostId: string): string {
  return `${workflowIds.infrastructure(infrastructure)}/monitor/${hostId}`;
}

/** Member ids are small integers as strings, allocated in order and never reused by a service. */
export function memberIds(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(from + i));
}
