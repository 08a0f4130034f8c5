// When a worker may load the prebuilt workflow bundle instead of bundling at start: only while
// the file is newer than everything it is made from.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BUNDLE_ENV, BUNDLE_FILE, bundleProblem, workflowSource } from '../../workers/workflowBundle';

describe('workflow bundle freshness', () => {
  const root = mkdtempSync(join(tmpdir(), 'clocker-bundle-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const at = (file: string, seconds: number) => {
    writeFileSync(file, '');
    utimesSync(file, seconds, seconds);
  };
  mkdirSync(join(root, 'workflows', 'nested'), { recursive: true });
  mkdirSync(join(root, 'domain'));
  mkdirSync(join(root, 'dist'));
  const bundle = join(root, 'dist', 'workflow-bundle.js');

  test('no file: bundle at start', () => {
    assert.match(bundleProblem(bundle, root) ?? '', /not built/);
  });

  test('newer than every source and the lockfile: loaded', () => {
    at(join(root, 'workflows', 'nested', 'a.ts'), 1_000);
    at(join(root, 'domain', 'b.ts'), 1_000);
    at(join(root, 'package-lock.json'), 1_000);
    at(bundle, 2_000);
    assert.equal(bundleProblem(bundle, root), undefined);
  });

  test('a workflow, a domain module or the lockfile changed since: bundle at start', () => {
    for (const file of [join(root, 'workflows', 'nested', 'a.ts'), join(root, 'domain', 'b.ts'), join(root, 'package-lock.json')]) {
      at(bundle, 2_000);
      at(file, 3_000);
      assert.match(bundleProblem(bundle, root) ?? '', /older than the workflow sources/, file);
      at(file, 1_000);
    }
  });

  test('an image that ships no sources: the bundle is all there is', () => {
    const bare = mkdtempSync(join(tmpdir(), 'clocker-bundle-bare-'));
    try {
      const file = join(bare, 'workflow-bundle.js');
      at(file, 1_000);
      assert.equal(bundleProblem(file, bare), undefined);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  test('a file named in the environment is used whatever its age', () => {
    const source = workflowSource({ [BUNDLE_ENV]: '/somewhere/bundle.js' });
    assert.deepEqual(source.options, { workflowBundle: { codePath: '/somewhere/bundle.js' } });
  });

  test('otherwise the built file while fresh, else the sources', () => {
    const source = workflowSource({});
    if (bundleProblem() === undefined) assert.deepEqual(source.options, { workflowBundle: { codePath: BUNDLE_FILE } });
    else assert.ok(source.options.workflowsPath?.includes('workflows'), source.description);
  });
});
