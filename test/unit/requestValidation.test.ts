import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePlaceRequest, validateReleaseRequest } from '../../workflows/requestValidation';
import type { PlaceRequest } from '../../workflows/messages';

test('a well-formed placement request passes', () => {
  assert.doesNotThrow(() => validatePlaceRequest({ app: 'shop', service: 'web', members: ['1', '2'] }));
});

test('malformed placement requests are rejected with the field named', () => {
  const cases: [unknown, RegExp][] = [
    [{ app: '', service: 'web', members: ['1'] }, /^Error: app must be/],
    [{ app: 'a.b', service: 'web', members: ['1'] }, /app must be .* \(got "a.b"\)/],
    [{ app: 'a', service: 'web', members: [] }, /members must be a non-empty list/],
    [{ app: 'a', service: 'web', members: ['1', '1'] }, /members must not repeat/],
    [{ app: 'a', service: 'web', members: ['1', '$(x)'] }, /members\[1\] must be/],
    [{ app: 'a', service: 'web' }, /members must be a non-empty list/],
  ];
  for (const [req, message] of cases) assert.throws(() => validatePlaceRequest(req as PlaceRequest), message);
});

test('release accepts a whole service or named members', () => {
  assert.doesNotThrow(() => validateReleaseRequest({ app: 'a', service: 's' }));
  assert.doesNotThrow(() => validateReleaseRequest({ app: 'a', service: 's', members: ['3'] }));
  assert.throws(() => validateReleaseRequest({ app: 'a', service: 's', members: 'all' as unknown as string[] }), /must be a list/);
});
