// `clocker infra status`'s headroom lines, verbatim.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headroomLines } from '../../client/render/headroomLines';
import type { HeadroomRecord } from '../../domain/infra/headroomBooks';

const inputs = { free: 0.5, target: 0.25, tightest: 'containers' as const, used: 3, capacity: 6, coming: [], spares: 1, idle: [{ host: 'h2', forMs: 0 }] };

test('the setting, where the pool stands, and each decision that acted with its reason', () => {
  const bringIn: HeadroomRecord = { at: Date.UTC(2026, 0, 2, 3, 4, 5), action: { kind: 'bring-in', hosts: ['h2', 'h3'] }, reason: '0% of containers free, target 25%; bringing in h2, h3: 50% free once they are in', inputs };
  const last: HeadroomRecord = { at: Date.UTC(2026, 0, 2, 3, 5, 0), action: { kind: 'hold' }, reason: '50% free', inputs: { ...inputs, coming: ['h3'], idle: [{ host: 'h2', forMs: 90_500 }] } };
  assert.deepEqual(headroomLines({ free: 0.25, releaseAfterMs: 600_000, checkMs: 30_000, last, decisions: [bringIn] }), [
    'headroom: keep 25% free (idle hosts go back to the spares after 10m; checked every 30s)',
    '  now 50% free (containers 3/6 used), 1 spare; coming: h3; idle: h2 90.5s: hold',
    '  2026-01-02 03:04:05 bring in h2, h3: 0% of containers free, target 25%; bringing in h2, h3: 50% free once they are in',
  ]);
  assert.deepEqual(headroomLines({ free: 0.3, releaseAfterMs: 3_600_000, checkMs: 500, decisions: [] }), ['headroom: keep 30% free (idle hosts go back to the spares after 1h; checked every 0.5s)']);
  assert.match(headroomLines({ free: 0.3, releaseAfterMs: 0, checkMs: 1000, last: { ...last, inputs }, decisions: [] })[1] ?? '', /idle: h2 0s: hold$/);
});
