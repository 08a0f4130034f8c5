// What the deployment path cannot do yet, found before anything is created: such a blueprint
// fails at once with every reason, instead of half-deploying or silently ignoring a field.
import type { Blueprint } from '../blueprint/model';

/** What `addIptablesRules: true` does, for the loader's notice. */
export const IPTABLES_RULES_NOTICE =
  "addIptablesRules: true: Clocker puts iptables rules on each host (chain CLOCKER-ISOLATION, from DOCKER-USER) so that only the network's own members, replies and published ports reach its members; the hosts must be ones Clocker runs commands on (byon hosts over SSH, or the local engine)";

/** Why `addIptablesRules: true` was refused by the runs that refused it (`app-iptables-refused` without `app-iptables-rules`). */
export const IPTABLES_REASON =
  "Clocker makes no iptables rules of its own yet; Docker's isolation applies (networks cannot reach each other's members, only published ports are reachable from outside): remove the field or set it to false to accept that";

/** What `driver: calico` loads as, for the loader's notice. */
export const ROUTED_NOTICE =
  'driver "calico" runs as Clocker\'s "routed" driver (pure L3 with the hosts\' own routing, no encapsulation: each host a block of the subnet on its own bridge, routes to the other hosts\' blocks); Calico\'s agents (Felix, BIRD, etcd) are not used';

/** The pseudo-application whose networks shared networks are on the hosts (domain/ipam/sharedSubnets.ts). */
const SHARED_OWNER = 'clocker-shared';

/**
 * What runs today is the default; the options replay the releases before. `overlay`: whether
 * overlay networks run (false replays the release that refused them; the application workflow
 * passes its `app-overlay-swarm` patch). `refuseIptables`: the runs between `app-iptables-refused`
 * and `app-iptables-rules` refused `addIptablesRules: true`. `refuseShared`: the runs before
 * `app-shared-networks` refused `shared: true`.
 */
export function unsupportedFeatures(
  blueprint: Blueprint,
  { overlay = true, routed = true, refuseIptables = false, refuseShared = false }: { overlay?: boolean; routed?: boolean; refuseIptables?: boolean; refuseShared?: boolean } = {},
): string[] {
  const problems: string[] = [];
  if (!refuseShared && blueprint.name === SHARED_OWNER && blueprint.networks.length > 0) problems.push(`application name "${SHARED_OWNER}" (its networks would be taken for the infrastructure's shared networks): choose another name`);
  for (const n of blueprint.networks) {
    // Honoured or refused, never ignored: runs between the two patches refused it.
    if (n.addIptablesRules && refuseIptables) problems.push(`network ${n.id}: addIptablesRules (${IPTABLES_REASON})`);
    if (n.driver === 'overlay' && !overlay) problems.push(`network ${n.id}: driver "${n.driver}" (only "bridge", on one host, works so far)`);
    else if (n.driver === 'routed' && !routed) problems.push(`network ${n.id}: driver "${n.driver}" (only "bridge", on one host, and "overlay", across a swarm, work so far)`);
    // No driver written: the application chooses one its infrastructure runs (domain/network/defaultDriver.ts).
    else if (n.driver !== undefined && n.driver !== 'bridge' && n.driver !== 'overlay' && n.driver !== 'routed') problems.push(`network ${n.id}: driver "${n.driver}" (only "bridge", on one host, "overlay", across a swarm, and "routed" work so far)`);
    if (n.driver === 'routed' && routed) problems.push(...routedProblems(n));
    if (n.shared && refuseShared) problems.push(`network ${n.id}: shared networks (every network is per application so far)`);
  }
  for (const s of blueprint.services) {
    const statics = s.networks.filter((a) => a.ipv4Address);
    if (statics.length > 0 && s.count > 1) {
      problems.push(`service ${s.id}: a static ipv4Address with ${s.count} members (every member would take the same address)`);
    }
  }
  return problems;
}

/** What a routed network cannot do yet (activities/network/routed.ts). */
function routedProblems(n: Blueprint['networks'][number]): string[] {
  const problems: string[] = [];
  if (n.gateway !== undefined) problems.push(`network ${n.id}: gateway on a routed network (each host's block has its own gateway, the first address of the block): remove it`);
  if (n.shared) problems.push(`network ${n.id}: a shared routed network (a routed network belongs to one application so far)`);
  return problems;
}
