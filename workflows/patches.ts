// The ledger of every `patched()` id in the workflow code. A workflow started by an earlier
// release replays its history through the old branch; new runs take the new one. Each entry
// says what changed, in which release, and when the old branch may go: once no workflow that
// started before that release can still be running (applications and infrastructures live for
// months, so an old branch stays until the release named in `removeAfter` is the oldest one
// whose histories test/histories/ keeps). Replay of the retained releases' histories in
// test/workflow/releaseReplay.test.ts proves both branches.
//
// To retire a patch: first ship a release that calls `deprecatePatch(id)` instead of
// `patched(id)`, and only in a later one delete the call and the old branch.
export interface PatchEntry {
  /** What the new branch does differently (the commands it issues). */
  change: string;
  /** The release that introduced it. */
  since: string;
  /** The old branch may go once every retained history was recorded on `since` or later. */
  removeAfter: string;
}

// Call sites write the id literally, `patched('svc-start-converges')`; test/unit/patchLedger.test.ts
// checks that every id used in workflows/ is listed here and every listed id is used.
export const PATCHES = {
  'svc-start-converges': {
    change: 'a service `start` removes failed members, restarts stopped ones and places missing ones (was: restart existing members only)',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
} as const satisfies Record<string, PatchEntry>;

export type PatchId = keyof typeof PATCHES;
