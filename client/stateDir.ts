// Where the embedded default keeps its state (the Temporal SQLite file, logs):
// CLOCKER_HOME, else $XDG_STATE_HOME/clocker, else ~/.local/state/clocker.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function clockerHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLOCKER_HOME) return env.CLOCKER_HOME;
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'clocker');
}
