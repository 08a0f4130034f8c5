// An application: start one service child per blueprint service, in dependency order; report
// RUNNING or FAILED; on `destroy`, tear the services down and end.
import { condition, setHandler, startChild, upsertSearchAttributes, type ChildWorkflowHandle } from '@temporalio/workflow';
import { startLayers } from '../domain/application/startLayers';
import type { Blueprint } from '../domain/blueprint/model';
import { workflowIds } from '../domain/naming';
import { ApplicationState } from './applicationState';
import { failureText } from './failureText';
import { appStatusQuery, destroySignal, serviceReportSignal } from './messages';
import { searchAttributes } from './searchAttributes';
import { service } from './service';

export interface ApplicationInput {
  blueprint: Blueprint;
}

export async function application({ blueprint }: ApplicationInput) {
  const state = new ApplicationState(blueprint);
  let destroyRequested = false;
  setHandler(appStatusQuery, () => state.view);
  setHandler(serviceReportSignal, (view) => state.report(view));
  setHandler(destroySignal, () => void (destroyRequested = true));
  const setStatus = () => upsertSearchAttributes([{ key: searchAttributes.status, value: state.view.status }]);
  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'application' },
    { key: searchAttributes.app, value: blueprint.name },
    { key: searchAttributes.infrastructure, value: blueprint.location },
  ]);
  setStatus();

  const children: ChildWorkflowHandle<typeof service>[] = [];
  const results: Promise<void>[] = [];
  for (const layer of startLayers(blueprint.services)) {
    if (destroyRequested || state.failedServices().length > 0) break; // dependents of a failure never start
    for (const spec of blueprint.services.filter((s) => layer.includes(s.id))) {
      const child = await startChild(service, {
        workflowId: workflowIds.service(blueprint.name, spec.id),
        args: [{ app: blueprint.name, infrastructure: blueprint.location, spec }],
      });
      // A child that ends (destroyed, or crashed) reports its last word here.
      results.push(
        child.result().then(
          (view) => state.report(view),
          (err: unknown) => state.serviceCrashed(spec.id, failureText(err)),
        ),
      );
      children.push(child);
    }
    await condition(() => destroyRequested || layer.every((id) => state.settled(id)));
  }
  if (!destroyRequested) {
    state.finishDeploy();
    setStatus();
  }

  await condition(() => destroyRequested);
  state.destroying();
  setStatus();
  await Promise.all(children.map((c) => c.signal(destroySignal).catch(() => undefined))); // a crashed child cannot hear it
  await Promise.all(results);
  state.destroyed();
  setStatus();
  return state.view;
}
