// `clocker status [APP]`: one application's services and members, or the list of applications.
import type { ClockerClient } from '../clockerClient';
import { renderApp, renderAppList } from '../render/appTable';

export type WithClocker = <T>(run: (c: ClockerClient) => Promise<T>) => Promise<T>;

export async function status(app: string | undefined, o: { json: boolean; all: boolean }, withClocker: WithClocker): Promise<void> {
  await withClocker(async (c) => {
    if (app) {
      const view = await c.status(app);
      console.log(o.json ? JSON.stringify(view, null, 2) : renderApp(view));
    } else {
      const rows = await c.listApplications(o.all);
      console.log(o.json ? JSON.stringify(rows, null, 2) : renderAppList(rows));
    }
  });
}
