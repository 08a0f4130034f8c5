// The iptables rules that isolate an application network (`addIptablesRules: true`), as argv
// data. Nothing here runs anything: isolation.ts beside it sends the script to the host.
//
// Docker already keeps its networks apart (DOCKER-ISOLATION-STAGE-*) and lets only published
// ports in from elsewhere, but its DOCKER chain accepts a published container port by the
// member's own address too: a machine beside the host with a route to the subnet reaches the
// member without the port mapping. The rules close that: traffic forwarded into the network's
// interface passes only when it comes from the network itself, is a reply, or was
// destination-NATed by a published port.
//
//   FORWARD → DOCKER-USER → CLOCKER-ISOLATION
//     -i IF -o IF                         RETURN  members among themselves   (inserted at the top)
//     -o IF ctstate RELATED,ESTABLISHED   RETURN  replies to members' own connections
//     -o IF ctstate DNAT                  RETURN  a published port
//     -o IF                               DROP    anything else              (appended at the end)
//   (RETURN hands the packet back to Docker's own chains, which still apply.)
//
// RETURN rules are inserted at the top and DROP rules appended, each only when `-C` says it is
// missing, so a run cut short anywhere converges to the same order when run again. Each rule
// carries a comment naming its application network, which is how destroy finds them.
//
// Bridge: IF is the network's Linux bridge on that host. Overlay: members are reached from the
// host's side only through docker_gwbridge (the overlay itself carries only swarm peers'
// VXLAN), so the same rules apply to docker_gwbridge there.
import { commentMatch, IPT, listedRule, ownChainSteps, removalLine, stepLine, type RuleStep } from './iptablesSteps';

export const ISOLATION_CHAIN = 'CLOCKER-ISOLATION';
export const GWBRIDGE = 'docker_gwbridge';

export interface IsolatedNetwork {
  app: string;
  network: string;
  /** The interface members are reached through on this host. */
  iface: string;
}

/** The comment every rule of one application network carries (no spaces: `iptables -S` prints it bare). */
export function ruleComment(app: string, network?: string): string {
  return network === undefined ? `clocker:${app}/` : `clocker:${app}/${network}`;
}

/** The chain and Docker's jump to it, then each network's rules: what one host needs. */
export function isolationSteps(networks: readonly IsolatedNetwork[]): RuleStep[] {
  const steps = ownChainSteps(ISOLATION_CHAIN);
  for (const n of networks) {
    const tag = commentMatch(ruleComment(n.app, n.network));
    const returns = [
      ['-i', n.iface, '-o', n.iface, ...tag, '-j', 'RETURN'],
      ['-o', n.iface, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...tag, '-j', 'RETURN'],
      ['-o', n.iface, '-m', 'conntrack', '--ctstate', 'DNAT', ...tag, '-j', 'RETURN'],
    ];
    // Inserted in reverse, each at the top, so they read in the order above.
    for (const rule of [...returns].reverse()) steps.push({ check: [...IPT, '-C', ISOLATION_CHAIN, ...rule], add: [...IPT, '-I', ISOLATION_CHAIN, '1', ...rule] });
    const drop = ['-o', n.iface, ...tag, '-j', 'DROP'];
    steps.push({ check: [...IPT, '-C', ISOLATION_CHAIN, ...drop], add: [...IPT, '-A', ISOLATION_CHAIN, ...drop] });
  }
  return steps;
}

/**
 * One shell script for all steps, so a host costs one round trip: each step's check, and its
 * add only when the check failed; the first add that fails stops the script with its exit code.
 */
export function stepsScript(steps: readonly RuleStep[]): string[] {
  return ['sh', '-c', steps.map(stepLine).join('\n')];
}

/** Lists the isolation chain's rules (`-S`); exit 1 when the chain does not exist. */
export function listRulesCommand(): string[] {
  return [...IPT, '-S', ISOLATION_CHAIN];
}

/**
 * The `-D` commands that remove every rule of `app` (or of one of its networks) from a listing
 * of the chain as `iptables -S` prints it. Duplicates (two workers that raced) each get one.
 */
export function removalCommands(listing: string, app: string, network?: string): string[][] {
  const wanted = ruleComment(app, network);
  const commands: string[][] = [];
  for (const line of listing.split('\n')) {
    const { words, comment } = listedRule(line);
    if (words[0] !== '-A' || words[1] !== ISOLATION_CHAIN) continue;
    if (comment === undefined || (network === undefined ? !comment.startsWith(wanted) : comment !== wanted)) continue;
    commands.push([...IPT, '-D', ...words.slice(1)]);
  }
  return commands;
}

/** One script for the removals; exit 1 (the rule went meanwhile: another sweep) is not a failure. */
export function removalScript(commands: readonly string[][]): string[] {
  return ['sh', '-c', commands.map(removalLine).join('\n')];
}
