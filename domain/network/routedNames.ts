// Names across hosts on routed networks. Docker's embedded DNS answers only for containers on
// the same engine's network, and a routed network is a separate bridge on each host, so Clocker
// writes the names itself: a section of each member's /etc/hosts lists every running member of
// the application on the routed networks that member joins, as `<service>`, `<service>.<app>`
// and its link aliases. The application rewrites the sections whenever the members it knows
// change (one started, moved, removed): workflows/routedNames.ts.
import type { AppView } from '../application/status';
import type { ServiceSpec } from '../blueprint/model';

export interface NameEntry {
  network: string;
  address: string;
  names: string[];
  /** The member's container: a new container on the same address is written too. */
  container: string;
}

export const HOSTS_BEGIN = '# clocker routed names: begin';
export const HOSTS_END = '# clocker routed names: end';

/** Every running member with an address on one of `routed`, by network, service and address. */
export function routedNameEntries(app: string, services: readonly Pick<ServiceSpec, 'id' | 'networks'>[], view: Pick<AppView, 'services'>, routed: readonly string[]): NameEntry[] {
  const entries: NameEntry[] = [];
  for (const s of view.services) {
    const spec = services.find((x) => x.id === s.id);
    for (const attachment of spec?.networks ?? []) {
      if (!routed.includes(attachment.network)) continue;
      const names = [...new Set([s.id, `${s.id}.${app}`, ...attachment.aliases])];
      for (const m of s.members) {
        const address = m.networks?.[attachment.network];
        if (m.state === 'RUNNING' && address) entries.push({ network: attachment.network, address, names, container: m.containerName });
      }
    }
  }
  return entries.sort((a, b) => a.network.localeCompare(b.network) || a.names[0]!.localeCompare(b.names[0]!) || a.container.localeCompare(b.container));
}

/** The section for a member on `networks` (its routed networks), markers included. */
export function hostsSection(entries: readonly NameEntry[], networks: readonly string[]): string {
  const lines = entries.filter((e) => networks.includes(e.network)).map((e) => `${e.address}\t${e.names.join(' ')}`);
  return [HOSTS_BEGIN, ...lines, HOSTS_END, ''].join('\n');
}

/**
 * Replaces the section in the container's /etc/hosts, keeping what Docker wrote (localhost, the
 * container's own name). Shell builtins only (read, case, printf), so any image with a POSIX
 * `sh` takes it; the section travels as an argument, never inside the script.
 */
export function writeHostsArgv(section: string): string[] {
  const script = [
    "keep=''; skip=0; nl='",
    "'",
    'while IFS= read -r line || [ -n "$line" ]; do',
    `  case "$line" in "${HOSTS_BEGIN}") skip=1 ;; "${HOSTS_END}") skip=0 ;; *) [ "$skip" = 1 ] || keep="$keep$line$nl" ;; esac`,
    'done < /etc/hosts',
    'printf \'%s%s\' "$keep" "$1" > /etc/hosts',
  ].join('\n');
  return ['sh', '-c', script, 'clocker-names', section];
}
