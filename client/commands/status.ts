// `clocker status [APP]`: one application's services and members, or the list of applications.
// Asked first over the fast path (client/fastpath: no SDK to load, a tenth of the start-up);
// where it declines (TLS, encrypted payloads, an answer it does not read), through the SDK.
import { FastPathDeclined, fastAppStatus, fastListApplications, type AppRow } from '../fastpath/fastStatus';
import type { ClockerClient } from '../clockerClient';
import { renderApp, renderAppList } from '../render/appTable';
import { temporalConfig } from '../temporal/config';
import type { AppView } from '../../domain/application/status';

export type WithClocker = <T>(run: (c: ClockerClient) => Promise<T>) => Promise<T>;

async function orSdk<T>(fast: () => Promise<T>, sdk: () => Promise<T>): Promise<T> {
  if (process.env.CLOCKER_STATUS_SDK === '1') return sdk();
  try {
    return await fast();
  } catch (err) {
    if (err instanceof FastPathDeclined) return sdk();
    throw err;
  }
}

export async function status(app: string | undefined, o: { json: boolean; all: boolean }, withClocker: WithClocker): Promise<void> {
  const config = temporalConfig(process.env);
  if (app) {
    const view = await orSdk<AppView>(() => fastAppStatus(config, app), () => withClocker((c) => c.status(app)));
    console.log(o.json ? JSON.stringify(view, null, 2) : renderApp(view));
  } else {
    const rows = await orSdk<AppRow[]>(() => fastListApplications(config, o.all), () => withClocker((c) => c.listApplications(o.all)));
    console.log(o.json ? JSON.stringify(rows, null, 2) : renderAppList(rows));
  }
}
