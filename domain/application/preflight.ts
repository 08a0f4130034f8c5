// What the deployment path cannot do yet, found before anything is created: such a blueprint
// fails at once with every reason, instead of half-deploying or silently ignoring a field.
import type { Blueprint } from '../blueprint/model';

/** What `addIptablesRules: true` does, for the loader's notice. */
export const IPTABLES_RULES_NOTICE =
  "addIptablesRules: true: Clocker puts iptables rules on each host (chain CLOCKER-ISOLATION, from DOCKER-USER) so that only the network's own members, replies and published ports reach its members; the hosts must be ones Clocker runs commands on (byon hosts over SSH, or the local engine)";

/** Why `addIptablesRules: true` was refused by the runs that refused it (`app-iptables-refused` without `app-iptables-rules`). */
export const IPTABLES_REASON =
  "Clocker makes no iptables rules of its own yet; Docker's isolation applies (networks cannot reach each other's members, only published ports are reachable from outside): remove the field or set it to false to accept that";

/**
 * `overlay`: whether overlay networks run (false replays the release before them, which refused
 * them; the application workflow passes its `app-overlay-swarm` patch). `iptables`: whether
 * `addIptablesRules: true` is refused (false replays the release before, which accepted and
 * ignored it; the workflow passes its `app-iptables-refused` patch, and false once
 * `app-iptables-rules` makes the rules).
 */
export function unsupportedFeatures(blueprint: Blueprint, { overlay = true, iptables = true }: { overlay?: boolean; iptables?: boolean } = {}): string[] {
  const problems: string[] = [];
  for (const n of blueprint.networks) {
    // Honoured or refused, never ignored: runs between the two patches refused it.
    if (n.addIptablesRules && iptables) problems.push(`network ${n.id}: addIptablesRules (${IPTABLES_REASON})`);
    if (n.driver === 'overlay' && !overlay) problems.push(`network ${n.id}: driver "${n.driver}" (only "bridge", on one host, works so far)`);
    else if (n.driver !== 'bridge' && n.driver !== 'overlay') problems.push(`network ${n.id}: driver "${n.driver}" (only "bridge", on one host, and "overlay", across a swarm, work so far)`);
    if (n.shared) problems.push(`network ${n.id}: shared networks (every network is per application so far)`);
  }
  for (const s of blueprint.services) {
    const statics = s.networks.filter((a) => a.ipv4Address);
    if (statics.length > 0 && s.count > 1) {
      problems.push(`service ${s.id}: a static ipv4Address with ${s.count} members (every member would take the same address)`);
    }
  }
  return problems;
}
