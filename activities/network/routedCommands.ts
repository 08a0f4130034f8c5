// The host commands of a routed network, as argv data; routed.ts beside it sends them through
// the host's shell (hostShell.ts: SSH for byon hosts, the worker for the local engine).
//
// On each host, for one application network:
//   ip route replace <block> via <host>  proto 201   every other live host's blocks
//   ip route del <block> proto 201                    blocks of hosts that left or failed
//   DOCKER-USER  -s <subnet> -d <own block> ACCEPT    Docker's FORWARD lets only published
//                                                    ports into a bridge from elsewhere; the
//                                                    network's members on other hosts come in
//   nat POSTROUTING -s <own block> ! -d <subnet> MASQUERADE
//                                                    the bridge's own masquerading is off (the
//                                                    members keep their addresses between
//                                                    hosts); traffic leaving the network is
//                                                    masqueraded, as Calico's natOutgoing
// Routes carry protocol 201, so Clocker's are listed and withdrawn by it and no one else's are
// touched; rules carry a comment naming the network, which is how destroy finds them.
// Every add is idempotent: `replace` for routes, `-C` before `-I` for rules.
import { quoteArgv } from '../ssh/shellQuote';
import type { Route } from '../../domain/network/routedBlocks';

/** The routing protocol number Clocker's routes carry (unassigned in iproute2's rt_protos; Calico's Felix uses 80, BIRD 12). */
export const ROUTE_PROTO = '201';
const IPT = ['iptables', '-w', '5'];
const FILTER_CHAIN = 'DOCKER-USER';

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

function rules(plan: RoutedHostPlan): { table: string[]; chain: string; rule: string[] }[] {
  const tag = ['-m', 'comment', '--comment', routedComment(plan.owner)];
  return plan.ownBlocks.flatMap((block) => [
    { table: [], chain: FILTER_CHAIN, rule: ['-s', plan.subnet, '-d', block, ...tag, '-j', 'ACCEPT'] },
    { table: ['-t', 'nat'], chain: 'POSTROUTING', rule: ['-s', block, '!', '-d', plan.subnet, ...tag, '-j', 'MASQUERADE'] },
  ]);
}

/** One script for the host (one round trip): withdraw, route, then the rules. The first failing command stops it. */
export function routedHostScript(plan: RoutedHostPlan): string[] {
  const lines: string[] = [];
  // Gone already (another sweep) is what was wanted.
  for (const block of plan.stale) lines.push(`${quoteArgv(['ip', 'route', 'del', block, 'proto', ROUTE_PROTO])} 2>/dev/null || true`);
  for (const r of plan.routes) lines.push(`${quoteArgv(['ip', 'route', 'replace', r.block, 'via', r.via, 'proto', ROUTE_PROTO])} || exit $?`);
  for (const { table, chain, rule } of rules(plan)) {
    lines.push(`${quoteArgv([...IPT, ...table, '-C', chain, ...rule])} >/dev/null 2>&1 || ${quoteArgv([...IPT, ...table, '-I', chain, '1', ...rule])} || exit $?`);
  }
  return ['sh', '-c', lines.length > 0 ? lines.join('\n') : 'true'];
}

/** Lists the rules destroy looks through: DOCKER-USER's and nat POSTROUTING's, each line prefixed by its table. */
export function listRulesScript(): string[] {
  return ['sh', '-c', `${quoteArgv([...IPT, '-S', FILTER_CHAIN])} 2>/dev/null | sed 's/^/filter /'; ${quoteArgv([...IPT, '-t', 'nat', '-S', 'POSTROUTING'])} | sed 's/^/nat /'`];
}

/** The `-D` commands for the rules of `owner` in a listing from listRulesScript. */
export function ruleRemovals(listing: string, owner: string): string[][] {
  const wanted = routedComment(owner);
  const out: string[][] = [];
  for (const line of listing.split('\n')) {
    // iptables-nft quotes the comment; it has no spaces, so the words stand alone.
    const [table, ...words] = line.trim().split(/\s+/).map((w) => w.replace(/^"(.*)"$/, '$1'));
    if ((table !== 'filter' && table !== 'nat') || words[0] !== '-A') continue;
    const at = words.indexOf('--comment');
    if (at < 0 || words[at + 1] !== wanted) continue;
    out.push([...IPT, ...(table === 'nat' ? ['-t', 'nat'] : []), '-D', ...words.slice(1)]);
  }
  return out;
}

/** Destroy on one host: the network's routes and its rules go. */
export function removalScript(subnet: string, removals: readonly string[][]): string[] {
  const lines = [quoteArgv(['ip', 'route', 'flush', 'root', subnet, 'proto', ROUTE_PROTO]), ...removals.map((argv) => `${quoteArgv(argv)}; rc=$?; [ $rc -le 1 ] || exit $rc`)];
  return ['sh', '-c', lines.join('\n')];
}
