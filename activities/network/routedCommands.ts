// The host commands of a routed network, as argv data; routed.ts beside it sends them through
// the host's shell (hostShell.ts: SSH for byon hosts, the worker for the local engine).
//
// On each host, for one application network:
//   ip route replace <block> via <host>  proto 201   every other live host's blocks
//   ip route del <block> proto 201                    blocks of hosts that left or failed
//   FORWARD → DOCKER-USER → CLOCKER-ROUTED, for each of the host's own blocks:
//     -s <subnet> -d <block>                ACCEPT  the network's members, from any host
//     -d <block> ctstate RELATED,ESTABLISHED,DNAT
//                                           RETURN  replies, and published ports (Docker's
//                                                   own chains then apply)
//     -d <block>                            DROP    anything else (appended at the end)
//   nat POSTROUTING -s <block> ! -d <subnet> MASQUERADE
//                                           the bridge's own masquerading is off (members
//                                           keep their addresses between hosts); traffic
//                                           leaving the network is masqueraded, as Calico's
//                                           natOutgoing
// Docker lets only published ports into a bridge from elsewhere only where its FORWARD policy
// is DROP (it sets that only when it turned forwarding on itself), so the network closes itself:
// a routed network is isolated whether or not it asks for addIptablesRules.
// Routes carry protocol 201, so Clocker's are listed and withdrawn by it and no one else's are
// touched; rules carry a comment naming the network, which is how destroy finds them.
// Every add is idempotent: `replace` for routes, `-C` before each rule; ACCEPT and RETURN rules
// are inserted at the top and DROP appended, so a run cut short converges to the same order.
import { quoteArgv } from '../ssh/shellQuote';
import type { Route } from '../../domain/network/routedBlocks';
import { commentMatch, IPT, listedRule, ownChainSteps, removalLine, stepLine, type RuleStep } from './iptablesSteps';

/** The routing protocol number Clocker's routes carry (unassigned in iproute2's rt_protos; Calico's Felix uses 80, BIRD 12). */
export const ROUTE_PROTO = '201';
export const ROUTED_CHAIN = 'CLOCKER-ROUTED';

export interface RoutedHostPlan {
  /** app/network, for the rules' comments. */
  owner: string;
  subnet: string;
  /** This host's blocks (none when it carries no member of the network yet). */
  ownBlocks: string[];
  routes: Route[];
  /** Routes of the subnet to withdraw (from staleRoutes). */
  stale: string[];
}

export function routedComment(owner: string): string {
  return `clocker-routed:${owner}`;
}

/** Lists Clocker's routes within the subnet (`ip -o`: one per line, the block first). */
export function listRoutesCommand(subnet: string): string[] {
  return ['ip', '-o', 'route', 'show', 'root', subnet, 'proto', ROUTE_PROTO];
}

function ruleSteps(plan: RoutedHostPlan): RuleStep[] {
  const tag = commentMatch(routedComment(plan.owner));
  const steps = ownChainSteps(ROUTED_CHAIN);
  const at = (table: string[], chain: string, rule: string[], add: string[]): RuleStep => ({ check: [...IPT, ...table, '-C', chain, ...rule], add: [...IPT, ...table, ...add, ...rule] });
  for (const block of plan.ownBlocks) {
    steps.push(
      at([], ROUTED_CHAIN, ['-s', plan.subnet, '-d', block, ...tag, '-j', 'ACCEPT'], ['-I', ROUTED_CHAIN, '1']),
      at([], ROUTED_CHAIN, ['-d', block, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED,DNAT', ...tag, '-j', 'RETURN'], ['-I', ROUTED_CHAIN, '1']),
      at([], ROUTED_CHAIN, ['-d', block, ...tag, '-j', 'DROP'], ['-A', ROUTED_CHAIN]),
      at(['-t', 'nat'], 'POSTROUTING', ['-s', block, '!', '-d', plan.subnet, ...tag, '-j', 'MASQUERADE'], ['-I', 'POSTROUTING', '1']),
    );
  }
  return steps;
}

/** One script for the host (one round trip): withdraw, route, then the rules. The first failing command stops it. */
export function routedHostScript(plan: RoutedHostPlan): string[] {
  const lines: string[] = [];
  // Gone already (another sweep) is what was wanted.
  for (const block of plan.stale) lines.push(`${quoteArgv(['ip', 'route', 'del', block, 'proto', ROUTE_PROTO])} 2>/dev/null || true`);
  for (const r of plan.routes) lines.push(`${quoteArgv(['ip', 'route', 'replace', r.block, 'via', r.via, 'proto', ROUTE_PROTO])} || exit $?`);
  if (plan.ownBlocks.length > 0) lines.push(...ruleSteps(plan).map(stepLine));
  return ['sh', '-c', lines.length > 0 ? lines.join('\n') : 'true'];
}

/** Lists the rules destroy looks through: CLOCKER-ROUTED's (none when the chain is missing) and nat POSTROUTING's, each line prefixed by its table. */
export function listRulesScript(): string[] {
  return ['sh', '-c', `${quoteArgv([...IPT, '-S', ROUTED_CHAIN])} 2>/dev/null | sed 's/^/filter /'; ${quoteArgv([...IPT, '-t', 'nat', '-S', 'POSTROUTING'])} | sed 's/^/nat /'`];
}

/** The `-D` commands for the rules of `owner` in a listing from listRulesScript. */
export function ruleRemovals(listing: string, owner: string): string[][] {
  const wanted = routedComment(owner);
  const out: string[][] = [];
  for (const line of listing.split('\n')) {
    const { words: [table, ...words], comment } = listedRule(line);
    if ((table !== 'filter' && table !== 'nat') || words[0] !== '-A') continue;
    if (comment !== wanted) continue;
    out.push([...IPT, ...(table === 'nat' ? ['-t', 'nat'] : []), '-D', ...words.slice(1)]);
  }
  return out;
}

/** Destroy on one host: the network's routes and its rules go. */
export function removalScript(subnet: string, removals: readonly string[][]): string[] {
  const lines = [quoteArgv(['ip', 'route', 'flush', 'root', subnet, 'proto', ROUTE_PROTO]), ...removals.map(removalLine)];
  return ['sh', '-c', lines.join('\n')];
}
