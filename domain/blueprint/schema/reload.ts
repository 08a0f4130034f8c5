// `reload`: what to run in each running member when a value the service references changes,
// instead of replacing the members. The argv stays text here; the model builder parses each
// element into a template (references allowed, secrets not: an argv shows in `ps`).
import { z } from 'zod';
import { duration, scalarText } from './primitives';

export const reloadSpec = z.strictObject({
  /** argv run with docker exec, no shell: a list, never one string to split. */
  exec: z.array(scalarText).min(1, 'needs the command to run, as a list like ["reload-backends", "${web.members.tiers.8080}"]'),
  timeout: duration.default(30_000),
});

export type RawReload = z.output<typeof reloadSpec>;
