// What a deploy will repair, appended to its plan: the services that are not fully up now
// (or the whole start, for an application that could not start at all).
import { serviceProblem } from '../domain/application/appHealth';
import type { ApplicationState } from './applicationState';

export function repairText(state: ApplicationState): string {
  if (state.blocked) return `\n  repair: start again from the beginning (${state.view.error ?? 'it could not start'})`;
  const lines = state.view.services.flatMap((s) => serviceProblem(s) ?? []);
  return lines.map((l) => `\n  repair ${l}`).join('');
}
