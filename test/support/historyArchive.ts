// Workflow histories of a release, kept as files so CI replays them against later workflow
// code (test/workflow/releaseReplay.test.ts). The workflow tests record them when
// CLOCKER_SAVE_HISTORIES names a folder (scripts/record-histories.sh sets it). One file per
// run (a continue-as-new chain is one file per run), in the Temporal JSON history format
// (proto3 JSON, as `temporal workflow show -o json` prints it), plus a manifest.json listing
// every file so a file that vanishes fails the replay test.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

export const HISTORIES_ROOT = join(__dirname, '..', 'histories');
const MANIFEST = 'manifest.json';

export interface SavedRun {
  workflowId: string;
  runId: string;
  history: History;
}

export interface ManifestEntry {
  file: string;
  workflowType: string;
  workflowId: string;
  runId: string;
  events: number;
}

export interface LoadedRun extends ManifestEntry {
  history: History;
}

/** The folder CLOCKER_SAVE_HISTORIES asks the workflow tests to record into, if any. */
export function historiesToSave(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.CLOCKER_SAVE_HISTORIES || undefined;
}

/** `clocker/app/shop/svc/web` + run id -> `clocker_app_shop_svc_web--<runId>.json.gz`. */
export function historyFileName(workflowId: string, runId: string): string {
  return `${workflowId.replace(/[^A-Za-z0-9._-]/g, '_')}--${runId}.json`;
}

/** Writes each run to `dir` and adds it to the manifest there (kept across calls: several test files record into one release). */
export function saveHistories(dir: string, runs: SavedRun[]): ManifestEntry[] {
  mkdirSync(dir, { recursive: true });
  const byFile = new Map(readManifest(dir).map((e) => [e.file, e]));
  const added = runs.map(({ workflowId, runId, history }) => {
    const file = historyFileName(workflowId, runId);
    writeFileSync(join(dir, file), historyToJson(history));
    const entry = { file, workflowType: workflowTypeOf(history), workflowId, runId, events: history.events?.length ?? 0 };
    byFile.set(file, entry);
    return entry;
  });
  const entries = [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(entries, null, 1)}\n`);
  return added;
}

/**
 * Fetches and saves every run the client can list (optionally narrowed by a visibility
 * query), following continue-as-new links to runs visibility has not shown yet, so every run
 * of a chain is kept. Call it after the worker stopped, so the histories hold still.
 */
export async function recordHistories(client: Client, dir: string, query?: string): Promise<ManifestEntry[]> {
  const pending: { workflowId: string; runId: string }[] = [];
  for await (const wf of client.workflow.list(query ? { query } : {})) pending.push({ workflowId: wf.workflowId, runId: wf.runId });
  const seen = new Set(pending.map((r) => r.runId));
  const runs: SavedRun[] = [];
  while (pending.length > 0) {
    const { workflowId, runId } = pending.shift()!;
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ workflowId, runId, history });
    const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (next && !seen.has(next)) {
      seen.add(next);
      pending.push({ workflowId, runId: next });
    }
  }
  return saveHistories(dir, runs);
}

/** Release folders under `root` (each a subfolder with a manifest), oldest name first. */
export function releases(root: string = HISTORIES_ROOT): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function readManifest(dir: string): ManifestEntry[] {
  const path = join(dir, MANIFEST);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ManifestEntry[]) : [];
}

/**
 * Every history file in a release folder (whether or not the manifest lists it), read back.
 * A file may have been gzipped since it was saved (`x.json.gz`): it counts as `x.json`.
 */
export function loadRelease(dir: string): LoadedRun[] {
  const listed = new Map(readManifest(dir).map((e) => [e.file, e]));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json.gz') || (f.endsWith('.json') && f !== MANIFEST))
    .sort()
    .map((name) => {
      const file = name.replace(/\.gz$/, '');
      const bytes = readFileSync(join(dir, name));
      const history = historyFromJson(JSON.parse((name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')));
      const started = history.events?.[0];
      const entry = listed.get(file) ?? {
        file,
        workflowType: workflowTypeOf(history),
        workflowId: file.slice(0, file.lastIndexOf('--')),
        runId: started?.workflowExecutionStartedEventAttributes?.originalExecutionRunId ?? '',
        events: history.events?.length ?? 0,
      };
      return { ...entry, history };
    });
}

function workflowTypeOf(history: History): string {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? 'unknown';
}

// The SDK's historyToJSON/historyFromJSON (@temporalio/common/lib/proto-utils) throw "type must
// be a Type" in this install: @temporalio/common and @temporalio/proto each get their own copy
// of protobufjs 8 (the root one is 7, for grpc), and protojson checks `instanceof Type` against
// the wrong copy. The same conversion through the copy @temporalio/proto's types come from works,
// and writes the same format.
const protojson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
};
const historyType = temporal.api.history.v1.History;

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, historyType.fromObject(history)), null, 1);
}

export function historyFromJson(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history) throw new TypeError('not a history');
  return history;
}
