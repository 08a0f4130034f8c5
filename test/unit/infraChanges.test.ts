// `infra resize`, `add-host` and `remove-host` follow their hosts until the change settles:
// when that is, judged from the status alone (the first polls may predate the signal), what
// is refused before anything is sent, and the lines shown meanwhile.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostAddedSettled, hostChangeProblem, hostRemovedSettled, newlyFailed, resizeReach, resizeSettled } from '../../client/progress/infraChanges';
import { infraLines } from '../../client/progress/progressLines';
import type { InfraView } from '../../domain/infra/statusView';

type Status = 'PROVISIONING' | 'AVAILABLE' | 'FAILED' | 'DRAINING';
const host = (id: string, status: Status, extra: Record<string, unknown> = {}) => ({ id, address: `10.0.0.${id.slice(1)}`, status, ...extra });
const view = (hosts: ReturnType<typeof host>[], spares: string[] = []): InfraView =>
  ({ name: 'lab', hosts, spares: spares.map((id) => ({ id, address: `10.0.0.${id.slice(1)}` })) }) as unknown as InfraView;

describe('infra resize settles', () => {
  const before = view([host('h1', 'AVAILABLE'), host('h2', 'AVAILABLE')], ['h3', 'h4']);

  test('growing takes spares, as many as there are; shrinking reaches the target', () => {
    assert.equal(resizeReach(before, 3), 3);
    assert.equal(resizeReach(before, 9), 4);
    assert.equal(resizeReach(before, 1), 1);
    assert.equal(resizeReach(before, 2), 2);
    // A host already draining is on its way out: not counted.
    assert.equal(resizeReach(view([host('h1', 'AVAILABLE'), host('h2', 'DRAINING')], ['h3']), 3), 2);
  });

  test('growing: not before the signal is in, not while a host provisions; done when all are up (or failed)', () => {
    assert.equal(resizeSettled(before, 3), false, 'the poll before the workflow had the signal');
    assert.equal(resizeSettled(view([host('h1', 'AVAILABLE'), host('h2', 'AVAILABLE'), host('h3', 'PROVISIONING')], ['h4']), 3), false);
    assert.equal(resizeSettled(view([host('h1', 'AVAILABLE'), host('h2', 'AVAILABLE'), host('h3', 'AVAILABLE')], ['h4']), 3), true);
    assert.equal(resizeSettled(view([host('h1', 'AVAILABLE'), host('h2', 'AVAILABLE'), host('h3', 'FAILED')], ['h4']), 3), true);
  });

  test('shrinking: done once the drained host is back among the spares', () => {
    assert.equal(resizeSettled(before, 1), false);
    assert.equal(resizeSettled(view([host('h1', 'AVAILABLE'), host('h2', 'DRAINING')], ['h3', 'h4']), 1), false);
    assert.equal(resizeSettled(view([host('h1', 'AVAILABLE')], ['h3', 'h4', 'h2']), 1), true);
  });

  test('the hosts a change left FAILED (not those failed before) fail the command', () => {
    const was = view([host('h1', 'FAILED', { problem: 'old' }), host('h2', 'AVAILABLE')], ['h3']);
    const now = view([host('h1', 'FAILED', { problem: 'old' }), host('h2', 'AVAILABLE'), host('h3', 'FAILED', { problem: 'ssh: connection refused' })]);
    assert.deepEqual(newlyFailed(was, now), ['h3: ssh: connection refused']);
    assert.deepEqual(newlyFailed(was, was), []);
  });
});

describe('add-host and remove-host settle', () => {
  test('an added host: done when its provisioning ended, either way', () => {
    assert.equal(hostAddedSettled(view([host('h1', 'AVAILABLE')]), 'h5'), false, 'before the signal is in');
    assert.equal(hostAddedSettled(view([host('h1', 'AVAILABLE'), host('h5', 'PROVISIONING')]), 'h5'), false);
    assert.equal(hostAddedSettled(view([host('h1', 'AVAILABLE'), host('h5', 'AVAILABLE')]), 'h5'), true);
    assert.equal(hostAddedSettled(view([host('h1', 'AVAILABLE'), host('h5', 'FAILED')]), 'h5'), true);
  });

  test('a removed host: done once drained and forgotten', () => {
    assert.equal(hostRemovedSettled(view([host('h1', 'AVAILABLE'), host('h2', 'AVAILABLE')]), 'h2'), false, 'before the signal is in');
    assert.equal(hostRemovedSettled(view([host('h1', 'AVAILABLE'), host('h2', 'DRAINING')]), 'h2'), false);
    assert.equal(hostRemovedSettled(view([host('h1', 'AVAILABLE')]), 'h2'), true);
  });

  test('what the workflow would only log is refused before anything is sent', () => {
    const v = view([host('h1', 'AVAILABLE'), host('h2', 'AVAILABLE')], ['h3']);
    assert.equal(hostChangeProblem(v, { add: 'h2' }), 'infrastructure "lab" already has a host h2');
    assert.equal(hostChangeProblem(v, { add: 'h3' }), 'infrastructure "lab" already has a host h3');
    assert.equal(hostChangeProblem(v, { add: 'h9' }), undefined);
    assert.equal(hostChangeProblem(v, { remove: 'h9' }), 'infrastructure "lab" has no host h9 (hosts: h1, h2)');
    assert.equal(hostChangeProblem(v, { remove: 'h3' }), 'infrastructure "lab" has no host h3 (hosts: h1, h2)', 'a spare is not a host');
    assert.equal(hostChangeProblem(v, { remove: 'h1' }), undefined);
  });

  test('the lines meanwhile: a provisioning host with its step, a draining one with the members it still has', () => {
    const v = view([host('h1', 'AVAILABLE', { dockerVersion: '20.10.24', reserved: { containers: 3 } }), host('h2', 'DRAINING', { reserved: { containers: 2 } }), host('h3', 'DRAINING', { reserved: { containers: 1 } }), host('h4', 'DRAINING', { reserved: { containers: 0 } }), host('h5', 'PROVISIONING')], ['h6']);
    assert.deepEqual(
      infraLines(v, { h5: 'docker' }).map((l) => `${l.tone}|${l.text}`),
      [
        'plain|infrastructure lab: 5 hosts',
        'ok|  h1 10.0.0.1: AVAILABLE, Docker 20.10.24',
        'busy|  h2 10.0.0.2: DRAINING (2 members to move)',
        'busy|  h3 10.0.0.3: DRAINING (1 member to move)',
        'busy|  h4 10.0.0.4: DRAINING',
        'busy|  h5 10.0.0.5: PROVISIONING (docker)',
        'plain|  h6 10.0.0.6: spare',
      ],
    );
  });
});
