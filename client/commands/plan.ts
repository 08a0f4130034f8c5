// `clocker plan FILE...`: what `deploy` would change, and whether the running infrastructure
// can take it (the preflight: secrets, location, placement, host ports, images), every problem
// at its place in the file. Several files are checked in one run (a blueprint whose location is
// unknown has no hosts to check against, so one file cannot show every kind of problem).
import { readBlueprintFile, type FileOptions } from '../blueprintFile';
import type { ClockerClient } from '../clockerClient';
import { networkPlan } from '../networkPlan';
import { formatProblems, preflightFor } from '../preflightReport';

/** Prints each file's plan and problems; answers whether every file passed. */
export async function plan(clocker: ClockerClient, files: readonly string[], options: FileOptions = {}): Promise<boolean> {
  let passed = true;
  for (const file of files) {
    const blueprint = readBlueprintFile(file, options);
    console.log(await clocker.plan(blueprint));
    for (const line of await networkPlan(clocker, blueprint)) console.log(line);
    const problems = await preflightFor(clocker, blueprint);
    if (problems.length === 0) {
      console.log(`${file}: preflight ok: infrastructure "${blueprint.location}" can take "${blueprint.name}"`);
      continue;
    }
    passed = false;
    console.error(formatProblems(file, blueprint, problems));
    console.error(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}: \`clocker deploy\` would create nothing`);
  }
  return passed;
}
