// A network that names no driver gets its infrastructure's: overlay where members may be on
// several hosts, bridge on one; a running network keeps its driver across versions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderApp } from '../../../client/render/appTable';
import { networkLine, networkView, plannedNetworkLines } from '../../../domain/application/networkView';
import { defaultNetworkSpec } from '../../../domain/blueprint/build/defaultNetwork';
import type { NetworkSpec } from '../../../domain/blueprint/model';
import { defaultNetworkDriver, overlayDefaultNotice, sameNetwork, withDefaultDriver } from '../../../domain/network/defaultDriver';
import { validateNextBlueprint } from '../../../workflows/blueprintValidation';
import { blueprint, serviceSpec } from '../../support/specs';

test('the default driver by the infrastructure: overlay on more than one host or with spares, bridge on one', () => {
  const cases: [{ found: boolean; hosts: number; spares: number }, string, string][] = [
    [{ found: true, hosts: 1, spares: 0 }, 'bridge', 'infrastructure "lab" has 1 host'],
    [{ found: true, hosts: 3, spares: 0 }, 'overlay', 'infrastructure "lab" has 3 hosts'],
    [{ found: true, hosts: 2, spares: 0 }, 'overlay', 'infrastructure "lab" has 2 hosts'],
    [{ found: true, hosts: 1, spares: 1 }, 'overlay', 'infrastructure "lab" has 1 host and 1 spare'],
    [{ found: true, hosts: 0, spares: 2 }, 'overlay', 'infrastructure "lab" has 0 hosts and 2 spares'],
    [{ found: true, hosts: 0, spares: 0 }, 'bridge', 'infrastructure "lab" has 0 hosts'],
    [{ found: false, hosts: 0, spares: 0 }, 'bridge', 'infrastructure "lab" was not found'],
  ];
  for (const [shape, driver, reason] of cases) assert.deepEqual(defaultNetworkDriver('lab', shape), { driver, reason }, JSON.stringify(shape));
});

test('only networks that name no driver take the default; the notice names them and how to keep a bridge', () => {
  const declared: NetworkSpec[] = [
    { id: 'front', dnsServers: [], driver: 'bridge', shared: false, addIptablesRules: false, labels: {} },
    { id: 'back', dnsServers: [], shared: false, addIptablesRules: false, labels: {} },
    defaultNetworkSpec(),
  ];
  const { networks, chosen } = withDefaultDriver(declared, 'overlay');
  assert.deepEqual(networks.map((n) => [n.id, n.driver]), [['front', 'bridge'], ['back', 'overlay'], ['default', 'overlay']]);
  assert.deepEqual(chosen, ['back', 'default']);
  const choice = defaultNetworkDriver('rig', { found: true, hosts: 3, spares: 0 });
  assert.equal(
    overlayDefaultNotice(chosen, choice),
    'networks back, default: no driver written, so "overlay" (infrastructure "rig" has 3 hosts: one network across the hosts; write `driver: bridge` to keep a bridge per host)',
  );
  assert.equal(overlayDefaultNotice(['default'], choice).split(':')[0], 'network default');
});

test('status shows each network with the driver it runs on, and why when none was written', () => {
  const choice = defaultNetworkDriver('rig', { found: true, hosts: 3, spares: 0 });
  assert.equal(networkLine(networkView({ id: 'default', driver: 'overlay', cidr: '10.128.1.0/24' }, choice)), 'network default: overlay 10.128.1.0/24 (no driver written; infrastructure "rig" has 3 hosts)');
  assert.equal(networkLine(networkView({ id: 'front', driver: 'bridge', cidr: '10.128.2.0/24' })), 'network front: bridge 10.128.2.0/24');
});

test('a new version whose network names no driver keeps the running one; a written driver must be the one it runs on', () => {
  const running = { ...defaultNetworkSpec(), driver: 'overlay' as const, cidr: '10.128.1.0/24' };
  assert.equal(sameNetwork(defaultNetworkSpec(), defaultNetworkSpec(), [running]), true);
  assert.equal(sameNetwork(defaultNetworkSpec(), { ...defaultNetworkSpec(), driver: 'overlay' }, [running]), true);
  assert.equal(sameNetwork(defaultNetworkSpec(), { ...defaultNetworkSpec(), driver: 'bridge' }, [running]), false);
  // An application started before the default was chosen runs `bridge`, written by the loader then.
  const old = { ...defaultNetworkSpec(), driver: 'bridge' as const };
  const oldRunning: NetworkSpec = { ...old, cidr: '10.128.1.0/24' };
  assert.equal(sameNetwork(old, defaultNetworkSpec(), [oldRunning]), true);
  assert.equal(sameNetwork(old, defaultNetworkSpec()), true);
  assert.equal(sameNetwork(old, undefined), false);

  const web = serviceSpec({ id: 'web', image: 'web:1', networks: [{ network: 'default', aliases: [] }] });
  const current = { ...blueprint('shop', [web]), networks: [defaultNetworkSpec()] };
  assert.doesNotThrow(() => validateNextBlueprint(current, { ...current, services: [{ ...web, image: 'web:2' }] }, true, [running]));
  assert.throws(() => validateNextBlueprint(current, { ...current, networks: [{ ...defaultNetworkSpec(), driver: 'bridge' }] }, true, [running]), /changing or removing a network of a running application is not supported yet \(default\)/);
  // The old release's blueprint (driver written by the loader) takes the new loader's file unchanged.
  const oldBlueprint = { ...current, networks: [old] };
  assert.doesNotThrow(() => validateNextBlueprint(oldBlueprint, current, true, [oldRunning]));
});

test('clocker plan lists the networks a deploy would make, with the driver each would run on', () => {
  const overlay = defaultNetworkDriver('rig', { found: true, hosts: 3, spares: 0 });
  const declared = [{ id: 'front', driver: 'bridge' as const }, { id: 'back', cidr: '192.168.34.0/24' }, { id: 'default' }];
  // A new application: the infrastructure's choice where none is written.
  assert.deepEqual(plannedNetworkLines(declared, undefined, overlay), [
    '+ network front: bridge',
    '+ network back: overlay 192.168.34.0/24 (no driver written; infrastructure "rig" has 3 hosts)',
    '+ network default: overlay (no driver written; infrastructure "rig" has 3 hosts)',
  ]);
  // A running application keeps what it made, and the choice it made (here bridge, on one host back then).
  const running = [networkView({ id: 'default', driver: 'bridge', cidr: '10.128.0.0/24' }, defaultNetworkDriver('rig', { found: true, hosts: 1, spares: 0 }))];
  assert.deepEqual(plannedNetworkLines(declared, running, overlay), ['+ network front: bridge', '+ network back: bridge 192.168.34.0/24 (no driver written; infrastructure "rig" has 1 host)']);
});

test('clocker status prints each network under the member table', () => {
  const choice = defaultNetworkDriver('rig', { found: true, hosts: 3, spares: 0 });
  const text = renderApp({ name: 'shop', location: 'rig', status: 'RUNNING', version: 1, services: [], networks: [networkView({ id: 'default', driver: 'overlay', cidr: '10.128.1.0/24' }, choice)] });
  assert.match(text, /^network default: overlay 10\.128\.1\.0\/24 \(no driver written; infrastructure "rig" has 3 hosts\)$/m);
});
