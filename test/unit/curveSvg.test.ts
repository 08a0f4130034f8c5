// The deploy curve's chart (bench/support/curveSvg.ts): round ticks that cover the data, one
// polyline per series with its points in x order, and text escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineChartSvg, ticks } from '../../bench/support/curveSvg';

test('ticks are round steps from 0 that reach past the largest value', () => {
  assert.deepEqual(ticks(300), [0, 50, 100, 150, 200, 250, 300]);
  assert.deepEqual(ticks(7.3), [0, 2, 4, 6, 8]);
  assert.deepEqual(ticks(0), [0]);
});

test('one polyline per series of two points or more, points drawn in x order, a legend entry each', () => {
  const svg = lineChartSvg({
    title: 'a <b> & c',
    xLabel: 'members',
    yLabel: 'seconds',
    series: [
      { name: 'floor', color: '#777', points: [[300, 30], [10, 1], [100, 10]] },
      { name: 'Swarm', color: '#d00', points: [[200, 40]] },
    ],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(svg.match(/<polyline /g)?.length, 1); // Swarm's single point is a dot, not a line
  assert.equal(svg.match(/<circle /g)?.length, 4);
  const xs = /<polyline [^>]*points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => Number(p.split(',')[0]));
  assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
  assert.ok(svg.includes('a &lt;b&gt; &amp; c'));
  assert.ok(svg.includes('>floor</text>') && svg.includes('>Swarm</text>'));
  assert.ok(svg.trimEnd().endsWith('</svg>'));
});
