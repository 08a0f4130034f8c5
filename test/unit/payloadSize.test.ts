import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blueprintSizeProblem, DEFAULT_PAYLOAD_LIMIT_BYTES, encodedSize, payloadLimit } from '../../client/payloadSize';
import { blueprint, serviceSpec } from '../support/specs';

test("a blueprint over the limit is refused with its encoded size, the limit and what to do; one under it is not", () => {
  const big = blueprint('big', [serviceSpec({ id: 'web', image: 'web', env: { BLOB: 'x'.repeat(3.4 * 1024 * 1024) } })]);
  assert.match(blueprintSizeProblem(big) ?? '', /^blueprint "big" is 3\.4 MB encoded; the limit is 2 MB \(the Temporal server's payload size limit\): split it into several applications/);
  const small = blueprint('small', [serviceSpec({ id: 'web', image: 'web' })]);
  assert.equal(blueprintSizeProblem(small), undefined);
  assert.equal(blueprintSizeProblem(small, encodedSize(small) - 1)?.includes('encoded'), true, 'one byte over is over');
});

test('the limit is the server default unless CLOCKER_PAYLOAD_LIMIT_BYTES names another', () => {
  assert.equal(payloadLimit({}), DEFAULT_PAYLOAD_LIMIT_BYTES);
  assert.equal(payloadLimit({ CLOCKER_PAYLOAD_LIMIT_BYTES: '4194304' }), 4 * 1024 * 1024);
  assert.equal(payloadLimit({ CLOCKER_PAYLOAD_LIMIT_BYTES: 'lots' }), DEFAULT_PAYLOAD_LIMIT_BYTES);
});
