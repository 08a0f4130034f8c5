// Clocker 1.x `dockerfileUrl` → a native build whose context is the Dockerfile's folder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBlueprint } from '../../../domain/blueprint/load';
import { dockerfileUrlBuild } from '../../../domain/blueprint/normalize/dockerfileUrl';
import { parseYaml } from '../../../domain/blueprint/parseYaml';
import { Reporter } from '../../../domain/blueprint/reporter';

function mapped(url: unknown): { build?: { context: string; dockerfile: string }; errors: string[] } {
  const text = `services:\n  - dockerfileUrl: ${JSON.stringify(url)}\n`;
  const reporter = new Reporter('app.yaml', parseYaml(text, 'app.yaml').positions);
  const build = dockerfileUrlBuild(url, ['services', 0, 'dockerfileUrl'], reporter);
  return { ...(build && { build }), errors: reporter.errors.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`) };
}

test('a relative path or file: URL becomes the Dockerfile in its folder', () => {
  assert.deepEqual(mapped('app/Dockerfile'), { build: { context: 'app', dockerfile: 'Dockerfile' }, errors: [] });
  assert.deepEqual(mapped('Dockerfile.web'), { build: { context: '.', dockerfile: 'Dockerfile.web' }, errors: [] });
  assert.deepEqual(mapped('file:docker/web/Dockerfile'), { build: { context: 'docker/web', dockerfile: 'Dockerfile' }, errors: [] });
  assert.deepEqual(mapped('./web/Dockerfile'), { build: { context: './web', dockerfile: 'Dockerfile' }, errors: [] });
});

test('an absolute file: URL keeps its absolute folder (the loader then refuses it as outside the blueprint)', () => {
  assert.deepEqual(mapped('file:///srv/app/Dockerfile'), { build: { context: '/srv/app', dockerfile: 'Dockerfile' }, errors: [] });
});

test('a Dockerfile from elsewhere is refused at its position', () => {
  const message = (url: string) =>
    `app.yaml:2:20: dockerfileUrl "${url}" is fetched from elsewhere: only a Dockerfile on disk can be built (a path relative to the blueprint, or a file: URL); put it beside the blueprint`;
  for (const url of ['https://example.com/Dockerfile', 'classpath://io/brooklyn/Dockerfile', 'file://otherhost/Dockerfile']) {
    assert.deepEqual(mapped(url), { errors: [message(url)] });
  }
  assert.deepEqual(mapped('app/'), { errors: ['app.yaml:2:20: dockerfileUrl "app/" names a folder: name the Dockerfile in it'] });
  assert.deepEqual(mapped(3), { errors: ['app.yaml:2:20: dockerfileUrl must be the path of a Dockerfile, relative to the blueprint (or a file: URL)'] });
});

test('a Clocker 1.x blueprint builds its services from their Dockerfiles, named after them unless it names the image', () => {
  const text = [
    'name: shop',
    'services:',
    '  - id: web',
    '    brooklyn.config:',
    '      dockerfileUrl: docker/web/Dockerfile',
    '  - type: docker:shop/api:2',
    '    id: api',
    '    docker.dockerfile.url: file:api/Dockerfile.api',
    '  - type: docker:clocker/busybox:1',
    '    id: remote',
    '    dockerfileUrl: https://example.com/Dockerfile',
    '',
  ].join('\n');
  const result = loadBlueprint(text, 'shop.yaml');
  assert.equal(result.ok, false);
  assert.deepEqual(!result.ok && result.errors.map((d) => `${d.line}:${d.column}: ${d.message}`), [
    '11:20: dockerfileUrl "https://example.com/Dockerfile" is fetched from elsewhere: only a Dockerfile on disk can be built (a path relative to the blueprint, or a file: URL); put it beside the blueprint',
  ]);
  const ok = loadBlueprint(text.split('\n').slice(0, 8).join('\n'), 'shop.yaml');
  assert.ok(ok.ok, JSON.stringify(!ok.ok && ok.errors));
  const [web, api] = ok.blueprint.services;
  assert.equal(ok.blueprint.source.format, 'clocker1');
  assert.deepEqual(web?.build, { context: 'docker/web', dockerfile: 'Dockerfile' });
  assert.equal(web?.image, 'clocker-build/shop-web:latest', 'the client replaces the tag with the context hash');
  assert.deepEqual(api?.build, { context: 'api', dockerfile: 'Dockerfile.api' });
  assert.equal(api?.image, 'shop/api:2');
});
