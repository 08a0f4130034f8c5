// What long commands show while they follow the work: the exact lines for a view, what a
// printer writes to a pipe (changed lines only, stamped) and to a terminal (one block redrawn,
// colour unless NO_COLOR).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppView, MemberView, ServiceView } from '../../domain/application/status';
import { appLines, changedLines, infraLines, MEMBER_LINES_UP_TO, serviceLines } from '../../client/progress/progressLines';
import { withMemberSteps, type LiveMemberView } from '../../client/progress/memberSteps';
import { ProgressPrinter } from '../../client/progress/progressPrinter';
import type { InfraView } from '../../domain/infra/statusView';

const member = (n: number, state: MemberView['state'], error?: string): MemberView => ({
  member: String(n),
  hostId: 'h1',
  hostAddress: '10.0.0.1',
  containerName: `shop.web.${n}`,
  state,
  generation: 1,
  ports: [],
  ...(error ? { error } : {}),
});
const service = (id: string, status: ServiceView['status'], members: MemberView[], desired = members.length): ServiceView => ({ id, status, desired, members, hostEndpoints: {}, generation: 1 });
const app = (status: AppView['status'], services: ServiceView[]): AppView => ({ name: 'shop', location: 'local', status, services, version: 1 });

class Sink {
  text = '';
  isTTY: boolean;
  columns = 60;
  constructor(tty: boolean) {
    this.isTTY = tty;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('progress lines', () => {
  test('per service and per member: placed, created, healthy, failed', () => {
    const view = app('DEPLOYING', [
      service('web', 'STARTING', [member(1, 'PLACED'), member(2, 'CREATED'), member(3, 'RUNNING')]),
      service('db', 'FAILED', [member(1, 'FAILED', 'exited with code 3')]),
      service('lb', 'PENDING', [], 1),
    ]);
    assert.deepEqual(
      appLines(view).map((l) => `${l.tone}|${l.text}`),
      [
        'busy|application shop: DEPLOYING',
        'busy|web: STARTING, 1 of 3 healthy (1 placed, 1 created)',
        'busy|  web.1 on h1: placed',
        'busy|  web.2 on h1: created; waiting until healthy',
        'ok|  web.3 on h1: healthy',
        'bad|db: FAILED, 0 of 1 healthy (1 failed)',
        'bad|  db.1 on h1: failed: exited with code 3',
        'busy|lb: PENDING',
      ],
    );
  });

  test("a member inside its start activity reads as the step its heartbeats report: pulling with counts, creating, created, then healthy", () => {
    const placed = (progress?: LiveMemberView['progress']): LiveMemberView => ({ ...member(1, 'PLACED'), ...(progress ? { progress } : {}) });
    const line = (m: LiveMemberView) => {
      const s = service('web', 'STARTING', [m]);
      return serviceLines(s).map((l) => `${l.tone}|${l.text}`)[1];
    };
    assert.equal(line(placed({ member: '1', step: 'pulling', image: 'clocker/x:1', layers: { done: 3, total: 7 } })), 'busy|  web.1 on h1: pulling clocker/x:1 (3/7 layers)');
    assert.equal(line(placed({ member: '1', step: 'creating' })), 'busy|  web.1 on h1: creating the container');
    assert.equal(line(placed({ member: '1', step: 'waiting for health' })), 'busy|  web.1 on h1: created; waiting until healthy');
    assert.equal(line(member(1, 'RUNNING')), 'ok|  web.1 on h1: healthy');
    // A later attempt says so; one waiting for its turn says why the last one failed.
    assert.equal(line({ ...placed({ member: '1', step: 'creating' }), retry: { attempt: 2 } }), 'busy|  web.1 on h1: creating the container (attempt 2)');
    assert.equal(line({ ...placed({ member: '1', step: 'pulling', image: 'a:1' }), retry: { attempt: 3, waitingAfter: 'pull a:1: connection reset' } }), 'bad|  web.1 on h1: retrying (attempt 3) after: pull a:1: connection reset');
    // A step is shown only while the member is PLACED: past it, the service's own state speaks.
    assert.equal(line({ ...member(1, 'FAILED', 'no such image'), progress: { member: '1', step: 'pulling', image: 'a:1' } }), 'bad|  web.1 on h1: failed: no such image');
  });

  test('the steps reach a member from its service\'s pending activities by member id, only while it is PLACED', () => {
    const s = service('web', 'STARTING', [member(1, 'PLACED'), member(2, 'PLACED'), member(3, 'RUNNING')]);
    const steps = new Map([
      ['1', { progress: { member: '1', step: 'pulling' as const, image: 'a:1' } }],
      ['3', { progress: { member: '3', step: 'starting' as const } }],
    ]);
    assert.deepEqual(
      serviceLines(withMemberSteps(s, steps)).map((l) => l.text),
      ['web: STARTING, 1 of 3 healthy (2 placed)', '  web.1 on h1: pulling a:1', '  web.2 on h1: placed', '  web.3 on h1: healthy'],
    );
    assert.equal(withMemberSteps(s, new Map()), s);
  });

  test('a service going away counts only what is left', () => {
    const going = (members: MemberView[]) => appLines(app('DESTROYING', [service('db', 'DESTROYING', members, 2)]))[1]?.text;
    assert.equal(going([member(1, 'RUNNING'), member(2, 'DRAINING')]), 'db: DESTROYING (1 healthy, 1 draining)');
    assert.equal(going([member(1, 'REMOVED')]), 'db: DESTROYING (1 removed)');
    assert.equal(going([]), 'db: DESTROYING');
  });

  test('past a few members a service is counted, not listed', () => {
    const many = Array.from({ length: MEMBER_LINES_UP_TO + 1 }, (_, i) => member(i + 1, 'RUNNING'));
    assert.deepEqual(appLines(app('RUNNING', [service('web', 'RUNNING', many)])).map((l) => l.text), ['application shop: RUNNING', `web: RUNNING, ${many.length} of ${many.length} healthy`]);
  });

  test('hosts while provisioning, with the step their workflow is on', () => {
    const host = (id: string, status: 'PROVISIONING' | 'AVAILABLE' | 'FAILED', extra = {}) => ({ id, address: `10.0.0.${id.slice(1)}`, status, ...extra });
    const view = { name: 'lab', hosts: [host('h1', 'AVAILABLE', { dockerVersion: '20.10.24' }), host('h2', 'PROVISIONING'), host('h3', 'FAILED', { problem: 'ssh: connection refused' })], spares: [{ id: 'h4', address: '10.0.0.4' }] } as unknown as InfraView;
    assert.deepEqual(
      infraLines(view, { h2: 'docker' }).map((l) => l.text),
      ['infrastructure lab: 3 hosts', '  h1 10.0.0.1: AVAILABLE, Docker 20.10.24', '  h2 10.0.0.2: PROVISIONING (docker)', '  h3 10.0.0.3: FAILED: ssh: connection refused', '  h4 10.0.0.4: spare'],
    );
  });

  test('only lines whose text changed under their key are new', () => {
    const lines = appLines(app('DEPLOYING', [service('web', 'STARTING', [member(1, 'CREATED')])]));
    const shown = new Map(lines.map((l) => [l.key, l.text]));
    const next = appLines(app('DEPLOYING', [service('web', 'STARTING', [member(1, 'RUNNING')])]));
    assert.deepEqual(changedLines(shown, next).map((l) => l.text), ['web: STARTING, 1 of 1 healthy', '  web.1 on h1: healthy']);
  });
});

describe('progress printer', () => {
  const first = appLines(app('DEPLOYING', [service('web', 'STARTING', [member(1, 'PLACED')])]));
  const second = appLines(app('RUNNING', [service('web', 'RUNNING', [member(1, 'RUNNING')])]));

  test('not a terminal: each changed line once, stamped, no escape codes', () => {
    const out = new Sink(false);
    let now = 1000;
    const p = new ProgressPrinter({ out, env: {}, now: () => now });
    p.update(first);
    p.update(first);
    now = 3500;
    p.update(second);
    assert.equal(
      out.text,
      [
        '[  0.0s] application shop: DEPLOYING',
        '[  0.0s] web: STARTING, 0 of 1 healthy (1 placed)',
        '[  0.0s]   web.1 on h1: placed',
        '[  2.5s] application shop: RUNNING',
        '[  2.5s] web: RUNNING, 1 of 1 healthy',
        '[  2.5s]   web.1 on h1: healthy',
        '',
      ].join('\n'),
    );
  });

  test('a terminal: the block is redrawn in place, coloured; cut to the width', () => {
    const out = new Sink(true);
    const p = new ProgressPrinter({ out, env: {} });
    p.update(first);
    const drawn = out.text;
    assert.match(drawn, /^\x1b\[33mapplication shop: DEPLOYING\x1b\[0m\n/);
    assert.ok(drawn.split('\n').every((l) => l.replace(/\x1b\[\d+m/g, '').length <= 59), drawn);
    p.update(first); // nothing changed: nothing written
    assert.equal(out.text, drawn);
    p.update(second);
    assert.ok(out.text.slice(drawn.length).startsWith('\x1b[3F\x1b[0J\x1b[32mapplication shop: RUNNING'), JSON.stringify(out.text.slice(drawn.length)));
  });

  test('NO_COLOR: a terminal still redraws, without colour', () => {
    const out = new Sink(true);
    new ProgressPrinter({ out, env: { NO_COLOR: '1' } }).update(first);
    assert.equal(out.text.includes('\x1b[3'), false);
    assert.match(out.text, /^application shop: DEPLOYING\n/);
  });
});
