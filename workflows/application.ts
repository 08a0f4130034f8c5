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
  for (const layer of startLayers(blueprint.services)) {
    if (destroyRequested || state.failedServices().length > 0) break; // dependents of a failure never start
    for (const id of layer) {
      const spec = blueprint.services.find((s) => s.id === id)!;
      children.push(
        await startChild(service, {
          workflowId: workflowIds.service(blueprint.name, id),
          args: [{ app: blueprint.name, infrastructure: blueprint.location, spec }],
        }),
      );
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
  await Promise.all(children.map((c) => c.signal(destroySignal)));
  for (const child of children) {
    try {
      state.report(await child.result());
    } catch (err) {
      state.view.error = `${state.view.error ?? ''}${failureText(err)}`;
    }
  }
  state.destroyed();
  setStatus();
  return state.view;
}
