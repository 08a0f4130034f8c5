// Build contexts: which files a build receives, the hash that names the image, and how the
// client resolves a blueprint's `build` against the file's folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { contextFiles, contextHash, contextProblem } from '../../activities/docker/contextFiles';
import { BuildContextError, resolveBuilds } from '../../client/resolveBuilds';
import { builtImageTag, unbuiltImage } from '../../domain/blueprint/build/builtImage';
import { loadBlueprint } from '../../domain/blueprint';
import { blueprint, serviceSpec } from '../support/specs';

const root = mkdtempSync(join(tmpdir(), 'clocker-build-ctx-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function context(files: Record<string, string>): string {
  const dir = join(root, `ctx${n++}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

test('the context lists every file, nested ones with "/" paths, sorted', () => {
  const dir = context({ Dockerfile: 'FROM x\n', 'b.txt': 'b', 'a/z.txt': 'z', 'a/deep/y.txt': 'y' });
  symlinkSync('b.txt', join(dir, 'link'));
  assert.deepEqual(contextFiles(dir), ['Dockerfile', 'a/deep/y.txt', 'a/z.txt', 'b.txt', 'link']);
});

test('.dockerignore removes files, folders and exceptions come back with "!"', () => {
  const dir = context({
    '.dockerignore': '# comment\n*.log\nsecrets/\ncache\n!cache/keep.txt\n',
    Dockerfile: 'FROM x\n',
    'app.log': 'noise',
    'sub/debug.log': 'kept: *.log matches the top folder only',
    'secrets/key': 'k',
    'cache/tmp.bin': 't',
    'cache/keep.txt': 'keep',
    'index.html': 'hi',
  });
  assert.deepEqual(contextFiles(dir), ['.dockerignore', 'Dockerfile', 'cache/keep.txt', 'index.html', 'sub/debug.log']);
});

test('the hash changes with a file, a new file, the executable bit, the Dockerfile path and the args; not with an ignored file', () => {
  const dir = context({ '.dockerignore': 'tmp/\n', Dockerfile: 'FROM x\n', 'page.html': 'one', 'tmp/scratch': 'a' });
  const inputs = { contextPath: dir };
  const first = contextHash(inputs);
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.equal(contextHash(inputs), first, 'the same files hash the same');

  writeFileSync(join(dir, 'tmp', 'scratch'), 'b');
  writeFileSync(join(dir, 'tmp', 'more'), 'c');
  assert.equal(contextHash(inputs), first, 'ignored files do not count');

  writeFileSync(join(dir, 'page.html'), 'two');
  const second = contextHash(inputs);
  assert.notEqual(second, first, 'a changed file changes the hash');
  writeFileSync(join(dir, 'page.html'), 'one');
  assert.equal(contextHash(inputs), first, 'changed back: the same hash again');

  chmodSync(join(dir, 'page.html'), 0o755);
  assert.notEqual(contextHash(inputs), first, 'chmod +x changes what COPY makes');
  chmodSync(join(dir, 'page.html'), 0o644);

  writeFileSync(join(dir, 'new.txt'), '');
  assert.notEqual(contextHash(inputs), first, 'an added (even empty) file changes the hash');
  rmSync(join(dir, 'new.txt'));
  assert.equal(contextHash(inputs), first);

  assert.notEqual(contextHash({ ...inputs, dockerfile: 'Dockerfile' }), contextHash({ ...inputs, dockerfile: 'other/Dockerfile' }));
  assert.notEqual(contextHash({ ...inputs, args: { V: '1' } }), contextHash({ ...inputs, args: { V: '2' } }));
  assert.equal(contextHash({ ...inputs, args: { A: '1', B: '2' } }), contextHash({ ...inputs, args: { B: '2', A: '1' } }), 'args order does not matter');
});

test('a renamed file changes the hash even with the same bytes', () => {
  const a = context({ Dockerfile: 'FROM x\n', 'a.txt': 'same' });
  const b = context({ Dockerfile: 'FROM x\n', 'b.txt': 'same' });
  assert.notEqual(contextHash({ contextPath: a }), contextHash({ contextPath: b }));
  const a2 = context({ Dockerfile: 'FROM x\n', 'a.txt': 'same' });
  assert.equal(contextHash({ contextPath: a }), contextHash({ contextPath: a2 }), 'the folder itself is not hashed, only what is in it');
});

test('a missing context, a file as context and a missing Dockerfile are named', () => {
  const dir = context({ 'page.html': 'x' });
  assert.equal(contextProblem({ contextPath: join(root, 'nowhere') }), `build context ${join(root, 'nowhere')} is not a readable folder`);
  assert.equal(contextProblem({ contextPath: join(dir, 'page.html') }), `build context ${join(dir, 'page.html')} is not a readable folder (it is a file)`);
  assert.equal(contextProblem({ contextPath: dir }), `Dockerfile ${join(dir, 'Dockerfile')} does not exist`);
  assert.equal(contextProblem({ contextPath: dir, dockerfile: 'page.html' }), undefined);
});

test('built images are named after the app and service, tagged with the hash', () => {
  const hash = 'abcdef0123456789'.repeat(4);
  assert.equal(builtImageTag('shop', 'web', hash), 'clocker-build/shop-web:abcdef012345');
  assert.equal(builtImageTag('Shop', 'web_1', hash), 'clocker-build/shop-web_1:abcdef012345');
  assert.equal(unbuiltImage('shop', 'web'), 'clocker-build/shop-web:latest');
});

test('the client resolves each context against the blueprint file, hashes it and names the image', () => {
  const folder = context({ 'app/Dockerfile': 'FROM clocker/busybox:1\n', 'app/page.html': 'v1', 'api/Dockerfile.api': 'FROM x\n' });
  const file = join(folder, 'shop.yaml');
  const loaded = loadBlueprint(
    ['name: shop', 'services:', '  - id: web', '    build: ./app', '  - id: api', '    image: registry.example:5000/shop/api:2', '    build: { context: api, dockerfile: Dockerfile.api, args: { V: 1 } }', '  - id: db', '    image: clocker/busybox:1', ''].join('\n'),
    file,
  );
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
  const bp = resolveBuilds(loaded.blueprint, file);
  const [web, api, db] = bp.services;
  const webHash = contextHash({ contextPath: join(folder, 'app') });
  assert.deepEqual(web?.build, { context: './app', contextPath: join(folder, 'app'), hash: webHash });
  assert.equal(web?.image, `clocker-build/shop-web:${webHash.slice(0, 12)}`);
  const apiHash = contextHash({ contextPath: join(folder, 'api'), dockerfile: 'Dockerfile.api', args: { V: '1' } });
  assert.deepEqual(api?.build, { context: 'api', dockerfile: 'Dockerfile.api', args: { V: '1' }, contextPath: join(folder, 'api'), hash: apiHash });
  assert.equal(api?.image, 'registry.example:5000/shop/api:2', 'an image the blueprint names stays its name');
  assert.equal(db, loaded.blueprint.services[2], 'a service without build is untouched');
});

test('the client names every unreadable context at once', () => {
  const folder = context({ 'only/readme': 'no Dockerfile here' });
  const bp = blueprint('x', [
    serviceSpec({ id: 'web', image: unbuiltImage('x', 'web'), build: { context: 'missing' } }),
    serviceSpec({ id: 'api', image: unbuiltImage('x', 'api'), build: { context: 'only' } }),
  ]);
  assert.throws(
    () => resolveBuilds(bp, join(folder, 'x.yaml')),
    (err: unknown) =>
      err instanceof BuildContextError &&
      err.message === `service web: build context ${join(folder, 'missing')} is not a readable folder\nservice api: Dockerfile ${join(folder, 'only', 'Dockerfile')} does not exist`,
  );
});

test('sockets and pipes in the context are not content: skipped', () => {
  const dir = context({ Dockerfile: 'FROM x\n' });
  const fifo = spawnSync('mkfifo', [join(dir, 'pipe')]);
  assert.equal(fifo.status, 0, String(fifo.stderr));
  assert.deepEqual(contextFiles(dir), ['Dockerfile']);
  assert.match(contextHash({ contextPath: dir }), /^[0-9a-f]{64}$/, 'hashing does not block on the pipe');
});
