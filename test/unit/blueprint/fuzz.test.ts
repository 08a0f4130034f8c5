// 10,000+ mutated blueprints (from the examples) fed to the loaders: none throws or hangs,
// and every rejection is a structured diagnostic with a position. Seeded, so a failure
// reproduces: the message names the seed and the case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { Diagnostic } from '../../../domain/blueprint/diagnostic';
import { loadBlueprintOrCompose } from '../../../domain/blueprint/loadAny';
import { example, examplesDir } from './helpers';

/** mulberry32: small, fast, good enough to pick mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fragments = [
  '', ' ', ':', '- ', '{', '}', '[', ']', '"', "'", '\n', '  ', '#', '&a', '*a', '!!int', '%', '@', '\t', '|', '>',
  '${', '}', '$${', '${db.host.address}', '${secret:X}', '${config:nope}', '$brooklyn:entity("db")', '$brooklyn:formatString("%s")',
  '$brooklyn:component("x").attributeWhenReady(', '$secret:', '..', '../', '/etc', '-1', '0', '99999', '1e9', 'null', 'true', '~',
  'type: docker:', 'type: org.apache.Foo', 'networkId: n', 'openPorts: [80]', 'links: {a: b}', 'dependsOn: [web]', 'count: 3',
  'cluster: {minSize: 5}', 'health: {type: http}', 'ports: ["1:2:3"]', 'id: a.b', 'image:', 'services:', '<<: *a', '\u0000', 'é', '\r\n',
];

const sources = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml')).map((f) => example(f));

function mutate(text: string, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let out = text;
  const rounds = 1 + Math.floor(random() * 4);
  for (let r = 0; r < rounds; r++) {
    const lines = out.split('\n');
    const at = Math.floor(random() * (out.length + 1));
    const line = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 7)) {
      case 0: out = out.slice(0, at) + pick(fragments) + out.slice(at); break;
      case 1: out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 8)); break;
      case 2: lines.splice(line, 1); out = lines.join('\n'); break;
      case 3: lines.splice(line, 0, lines[Math.floor(random() * lines.length)] ?? ''); out = lines.join('\n'); break;
      case 4: lines[line] = (lines[line] ?? '').replace(/:\s.*$/, `: ${pick(fragments)}`); out = lines.join('\n'); break;
      case 5: lines[line] = ' '.repeat(Math.floor(random() * 8)) + (lines[line] ?? '').trimStart(); out = lines.join('\n'); break;
      default: out = out.slice(0, at) + out.slice(Math.floor(random() * out.length)); break;
    }
  }
  return out;
}

function assertPositioned(d: Diagnostic, where: string): void {
  assert.equal(typeof d.code, 'string', where);
  assert.ok(d.code.length > 0 && d.message.length > 0, where);
  assert.equal(typeof d.path, 'string', where);
  assert.ok(Number.isInteger(d.line) && d.line >= 1, `${where}: line ${d.line}`);
  assert.ok(Number.isInteger(d.column) && d.column >= 1, `${where}: column ${d.column}`);
  assert.equal(d.file, 'fuzz.yaml', where);
}

test('10,000 mutated blueprints: no throw, no hang, every rejection positioned', () => {
  const seed = 20151015;
  const random = prng(seed);
  let rejected = 0;
  let slowest = 0;
  for (let i = 0; i < 10_000; i++) {
    const text = mutate(sources[i % sources.length] ?? '', random);
    const where = `seed ${seed}, case ${i}`;
    const started = performance.now();
    let result;
    try {
      result = loadBlueprintOrCompose(text, 'fuzz.yaml');
    } catch (e) {
      assert.fail(`${where} threw ${String(e)}\n--- input ---\n${text}`);
    }
    slowest = Math.max(slowest, performance.now() - started);
    if (!result.ok) {
      rejected++;
      assert.ok(result.errors.length > 0, `${where}: rejected without errors`);
      result.errors.forEach((d) => assertPositioned(d, where));
    }
    result.warnings.forEach((d) => assertPositioned(d, where));
  }
  assert.ok(rejected > 1000, `mutations should break many blueprints (rejected ${rejected})`);
  // A hang guard, not a timing (loads take milliseconds; a loaded CI machine stretches them).
  assert.ok(slowest < 10_000, `one load took ${slowest} ms`);
});

/** Hostile shapes beyond small mutations: each loads without a throw, in bounded time, with positioned errors. */
function hostileShapes(random: () => number): { name: string; text: string; code?: string }[] {
  const base = sources[0] ?? '';
  const depth = () => 65 + Math.floor(random() * 3000);
  const shapes: { name: string; text: string; code?: string }[] = [];
  for (let i = 0; i < 20; i++) {
    const d = depth();
    shapes.push({ name: `flow nesting ${d}`, text: `${base}\n    labels: ${'['.repeat(d)}${']'.repeat(d)}\n`, code: 'text.depth' });
    const b = 65 + Math.floor(random() * 500);
    shapes.push({ name: `block nesting ${b}`, text: `name: x\nconfig:\n${Array.from({ length: b }, (_, k) => `${' '.repeat(2 + k)}k${k}:`).join('\n')} 1\n`, code: 'text.depth' });
    const n = 10_001 + Math.floor(random() * 200_000);
    shapes.push({ name: `line of ${n}`, text: base.replace(/\n/, `\n# ${'x'.repeat(n)}\n`), code: 'text.lineLength' });
    const at = Math.floor(random() * base.length);
    shapes.push({ name: `NUL at ${at}`, text: `${base.slice(0, at)}\u0000${base.slice(at)}` });
    const bytes = Buffer.from(base);
    const cut = Math.floor(random() * bytes.length);
    const junk = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 6) }, () => 0x80 + Math.floor(random() * 0x80)));
    shapes.push({ name: `invalid UTF-8 at byte ${cut}`, text: Buffer.concat([bytes.subarray(0, cut), junk, bytes.subarray(cut)]).toString('utf8') });
  }
  const many = ['name: many', 'services:', ...Array.from({ length: 10_000 }, (_, k) => `  - { id: s${k}, image: "clocker/busybox:1", env: { UP: "\${s${k + 1 < 10_000 ? k + 1 : 0}.host.address}" } }`), ''].join('\n');
  shapes.push({ name: '10,000 services in one dependency cycle', text: many, code: 'graph.cycle' });
  shapes.push({ name: '10,000 services in a chain', text: many.replace('${s0.host.address}', 'plain') });
  return shapes;
}

test('hostile shapes (deep nesting, huge lines, NUL, invalid UTF-8, 10,000 services): no throw, bounded time, the bound named', () => {
  const seed = 20261202;
  const random = prng(seed);
  for (const shape of hostileShapes(random)) {
    const where = `seed ${seed}, ${shape.name}`;
    const started = performance.now();
    let result;
    try {
      result = loadBlueprintOrCompose(shape.text, 'fuzz.yaml');
    } catch (e) {
      assert.fail(`${where} threw ${String(e).slice(0, 300)}`);
    }
    const took = performance.now() - started;
    // A hang guard, not a timing: wide enough for a loaded CI machine (the 10,000-service cycle took 13 s at load 18).
    assert.ok(took < 60_000, `${where} took ${took} ms`);
    if (!result.ok) {
      result.errors.forEach((d) => assertPositioned(d, where));
      result.errors.forEach((d) => assert.ok(d.message.length < 2000 || d.code === 'graph.cycle', `${where}: a ${d.message.length}-character message`));
      assert.ok(!result.errors.some((d) => /call stack/.test(d.message)), where);
    }
    if (shape.code !== undefined) {
      assert.ok(!result.ok && result.errors.some((d) => d.code === shape.code), `${where}: expected ${shape.code}, got ${JSON.stringify(result.ok || result.errors.map((e) => e.code))}`);
    }
    if (shape.name === '10,000 services in a chain') {
      assert.ok(result.ok, `${where}: ${JSON.stringify(!result.ok && result.errors.slice(0, 2))}`);
      assert.equal(result.blueprint.services.length, 10_000);
    }
  }
});
