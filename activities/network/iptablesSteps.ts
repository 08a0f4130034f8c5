// What Clocker's iptables rules have in common, as argv data: a chain of its own jumped to from
// Docker's DOCKER-USER, rules added only when `-C` says they are missing (so a run cut short
// converges when run again), a comment on each rule naming its owner, and removal by that
// comment from an `iptables -S` listing. Isolation (isolationRules.ts) and routed networks
// (routedCommands.ts) each say which rules; this says how.
import { quoteArgv } from '../ssh/shellQuote';

/** `-w`: wait for the xtables lock (dockerd and another worker may be changing rules too). */
export const IPT = ['iptables', '-w', '5'];
/** Docker's chain for its users' rules: evaluated first in FORWARD, kept across daemon restarts. */
export const DOCKER_USER_CHAIN = 'DOCKER-USER';

export interface RuleStep {
  /** Exits 0 when the rule is there already. */
  check: string[];
  add: string[];
}

/** The chain, and Docker's jump to it at the top of DOCKER-USER. */
export function ownChainSteps(chain: string): RuleStep[] {
  return [
    { check: [...IPT, '-n', '-L', chain], add: [...IPT, '-N', chain] },
    { check: [...IPT, '-C', DOCKER_USER_CHAIN, '-j', chain], add: [...IPT, '-I', DOCKER_USER_CHAIN, '1', '-j', chain] },
  ];
}

/** `-m comment --comment TEXT` (no spaces in TEXT: `iptables -S` prints it bare). */
export function commentMatch(text: string): string[] {
  return ['-m', 'comment', '--comment', text];
}

/** A script line: the step's add only when its check failed; a failing add stops the script with its exit code. */
export function stepLine(step: RuleStep): string {
  return `${quoteArgv(step.check)} >/dev/null 2>&1 || ${quoteArgv(step.add)} || exit $?`;
}

/** A script line for one `-D`: exit 1 (the rule went meanwhile: another sweep) is not a failure. */
export function removalLine(argv: readonly string[]): string {
  return `${quoteArgv(argv)}; rc=$?; [ $rc -le 1 ] || exit $rc`;
}

/** One line of `iptables -S` as words, and the comment it carries, if any (iptables-nft quotes it; it has no spaces). */
export function listedRule(line: string): { words: string[]; comment?: string } {
  const words = line.trim().split(/\s+/).map((w) => w.replace(/^"(.*)"$/, '$1'));
  const at = words.indexOf('--comment');
  const comment = at >= 0 ? words[at + 1] : undefined;
  return comment === undefined ? { words } : { words, comment };
}
