// Keeps an activity's heartbeat going on a timer while `work` runs: steps that may be silent
// for a while (a teardown of many containers, an engine slow to answer) stay alive, and a
// worker that dies is noticed within the heartbeat timeout instead of the start-to-close one.
import { heartbeat } from '@temporalio/activity';

const TICK_MS = 2_000;

export async function whileBeating<T>(work: () => Promise<T>, beat: () => void = () => heartbeat()): Promise<T> {
  beat();
  const ticker = setInterval(beat, TICK_MS);
  try {
    return await work();
  } finally {
    clearInterval(ticker);
  }
}
