// `clocker setup [--lb] [--dry-run]`: look at the machine, decide what is missing
// (client/setup/plan.ts), do it, and say what only the user can do.
import { join } from 'node:path';
import { clockerHome } from '../stateDir';
import { distProblem, repoRoot } from '../repoRoot';
import { executeStep, stepText } from '../setup/execute';
import { observeMachine } from '../setup/observe';
import { planSetup } from '../setup/plan';

/** Answers whether the machine is ready (nothing left for the user to do). */
export async function setup(o: { lb: boolean; dryRun: boolean }): Promise<boolean> {
  const repo = repoRoot();
  const facts = observeMachine({ lb: o.lb, distFresh: distProblem(repo) === undefined });
  const plan = planSetup(facts, { lb: o.lb, node: process.execPath, repo, dockerdLog: join(clockerHome(), 'dockerd.log') });
  if (plan.ready) {
    console.log(`setup: this machine is ready${o.lb ? ' (with the balancer images)' : ''}`);
    return true;
  }
  for (const [i, step] of plan.steps.entries()) {
    console.log(`setup ${i + 1}/${plan.steps.length}: ${stepText(step)}`);
    if (!o.dryRun) await executeStep(step);
  }
  if (plan.userActions.length > 0) {
    console.error(`setup: left for you to do${facts.root ? '' : ' (not running as root)'}:`);
    for (const action of plan.userActions) console.error(`  - ${action}`);
    console.error('then run `node bin/clocker.js setup` again.');
    return false;
  }
  console.log(o.dryRun ? 'setup: (dry run: nothing was done)' : 'setup: done');
  return true;
}
