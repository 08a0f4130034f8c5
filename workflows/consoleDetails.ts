// Keeps a workflow's current details (the Web UI's "Current Details", markdown) equal to what
// `render` says now. `setCurrentDetails` issues no command, so this changes no history: a
// workflow of any release replays the same with it (test/workflow/releaseReplay.test.ts).
// The render runs after every activation, like any condition, and is set only when it changed.
import { condition, log, setCurrentDetails } from '@temporalio/workflow';

/**
 * `render` must be cheap and must not throw; if it throws all the same, the details say so and
 * the workflow goes on (a throwing condition would fail every workflow task).
 * `changed` runs after each new rendering (the service reports its member gauges there).
 */
export function keepCurrentDetails(render: () => string, changed?: () => void): void {
  let shown: string | undefined;
  const safely = (): string => {
    try {
      return render();
    } catch (err) {
      return `(the details could not be rendered: ${err instanceof Error ? err.message : String(err)})`;
    }
  };
  void (async () => {
    for (;;) {
      let next = '';
      await condition(() => (next = safely()) !== shown);
      shown = next;
      setCurrentDetails(next);
      try {
        changed?.();
      } catch (err) {
        log.warn(`after the current details changed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  })();
}
