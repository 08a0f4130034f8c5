// `clocker deploy FILE`: validate, start the application workflow, follow it to RUNNING/FAILED.
import { publishedEndpoints, SETTLED_APP_STATUSES, type AppView } from '../../domain/application/status';
import { readBlueprintFile } from '../blueprintFile';
import type { ClockerClient } from '../clockerClient';
import { renderApp } from '../render/appTable';
import { refuseOnProblems } from '../preflightReport';
import { appLines } from '../progress/progressLines';
import { FOLLOW_INTERVAL_MS } from '../progress/followInterval';
import { ProgressPrinter } from '../progress/progressPrinter';
import { detachedText, followUntilInterrupted, watchHint } from '../progress/reattach';

export interface DeployOptions {
  timeoutSec: number;
  wait?: boolean;
  /** Overrides the blueprint's `location`. */
  location?: string;
  /** Compose profiles to activate (`--profile`). */
  profiles?: string[];
  /** Return once started, saying how to follow it (`--detach`). */
  detach?: boolean;
  /**
   * Ctrl-C stops following and says how to reattach (default). `clocker up` turns it off: its
   * Ctrl-C stops the server and worker it started.
   */
  interruptible?: boolean;
}

export async function deployAndWait(clocker: ClockerClient, file: string, opts: DeployOptions): Promise<AppView | undefined> {
  const loaded = readBlueprintFile(file, { profiles: opts.profiles });
  const blueprint = opts.location ? { ...loaded, location: opts.location } : loaded;
  console.log(`checking "${blueprint.name}" against the infrastructure (secrets, location, room, ports, images)…`);
  await refuseOnProblems(clocker, file, blueprint); // the preflight: nothing is started when it finds anything
  const started = Date.now();
  const outcome = await clocker.deploy(blueprint, { admitted: true }); // the application need not run the same preflight again
  if (outcome.kind === 'started') console.log(`deploying "${blueprint.name}" (workflow clocker/app/${blueprint.name})`);
  else console.log(`updating "${blueprint.name}" to version ${outcome.version}:\n${outcome.plan}`);
  if (opts.detach) console.log(detachedText(`"${blueprint.name}"`, watchHint(blueprint.name)));
  if (opts.wait === false || opts.detach) return undefined;
  const version = outcome.kind === 'updated' ? outcome.version : 1;
  const printer = new ProgressPrinter();
  const follow = () =>
    clocker.waitFor(blueprint.name, (v) => v.version >= version && SETTLED_APP_STATUSES.includes(v.status), opts.timeoutSec * 1000, (v) => printer.update(appLines(v)), FOLLOW_INTERVAL_MS);
  const view = opts.interruptible === false ? await follow() : await followUntilInterrupted(printer, watchHint(blueprint.name), follow);
  printer.end();
  console.log(renderApp(view));
  if (view.status !== 'RUNNING') throw new Error(`deployment of "${view.name}" is ${view.status}: ${view.error ?? ''}`);
  const rolledBack = view.rolledBack?.version === version ? view.services.filter((s) => view.rolledBack?.services.includes(s.id)) : [];
  if (view.rolledBack?.version === version && view.lastEvent?.startsWith(`version ${version} refused`)) throw new Error(`"${view.name}": ${view.lastEvent}`);
  if (rolledBack.length > 0) {
    throw new Error(`version ${version} of "${view.name}" was rolled back: ${rolledBack.map((s) => `${s.id}: ${s.rollout?.message}`).join('; ')}`);
  }
  console.log(`"${view.name}" is RUNNING after ${((Date.now() - started) / 1000).toFixed(1)}s`);
  for (const s of view.services) for (const e of publishedEndpoints(s)) console.log(`  ${s.id}: ${e}`);
  return view;
}
