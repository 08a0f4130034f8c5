import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unsupportedFeatures } from '../../domain/application/preflight';
import { blueprint, serviceSpec } from '../support/specs';

test('what the deployment path cannot do yet is named, all at once (a build is not among them)', () => {
  const bp = blueprint('x', [
    serviceSpec({ id: 'api', image: 'api', build: { context: 'api' } }),
    serviceSpec({ id: 'web', image: 'web', count: 2, networks: [{ network: 'front', aliases: [], ipv4Address: '10.1.0.5' }] }),
  ]);
  bp.networks = [{ id: 'front', driver: 'calico', dnsServers: [], shared: true, addIptablesRules: false, labels: {} }];
  assert.deepEqual(unsupportedFeatures(bp, { refuseShared: true }), [
    'network front: driver "calico" (only "bridge", on one host, "overlay", across a swarm, and "routed" work so far)',
    'network front: shared networks (every network is per application so far)',
    'service web: a static ipv4Address with 2 members (every member would take the same address)',
  ]);
});

test('a plain blueprint has nothing unsupported', () => {
  assert.deepEqual(unsupportedFeatures(blueprint('x', [serviceSpec({ id: 'web', image: 'web' })])), []);
});

test('overlay networks run, except when replaying the release before them, which refused them', () => {
  const bp = blueprint('x', [serviceSpec({ id: 'web', image: 'web' })]);
  bp.networks = [{ id: 'mesh', driver: 'overlay', dnsServers: [], shared: false, addIptablesRules: false, labels: {} }];
  assert.deepEqual(unsupportedFeatures(bp), []);
  assert.deepEqual(unsupportedFeatures(bp, { overlay: false }), ['network mesh: driver "overlay" (only "bridge", on one host, works so far)']);
});

test('addIptablesRules: true runs (the rules are made); the runs that refused it replay with the reason', () => {
  const bp = blueprint('x', [serviceSpec({ id: 'web', image: 'web' })]);
  bp.networks = [{ id: 'back', driver: 'bridge', dnsServers: [], shared: false, addIptablesRules: true, labels: {} }];
  assert.deepEqual(unsupportedFeatures(bp), []);
  const [problem, ...rest] = unsupportedFeatures(bp, { refuseIptables: true });
  assert.deepEqual(rest, []);
  assert.match(problem ?? '', /^network back: addIptablesRules \(Clocker makes no iptables rules of its own yet; Docker's isolation applies .*remove the field or set it to false/);
});

test('shared networks run; the runs before them replay refused; the name they live under is not an application name', () => {
  const bp = blueprint('x', [serviceSpec({ id: 'web', image: 'web' })]);
  bp.networks = [{ id: 'common', driver: 'bridge', dnsServers: [], shared: true, addIptablesRules: false, labels: {} }];
  assert.deepEqual(unsupportedFeatures(bp), []);
  assert.deepEqual(unsupportedFeatures(bp, { refuseShared: true }), ['network common: shared networks (every network is per application so far)']);
  assert.deepEqual(unsupportedFeatures({ ...bp, name: 'clocker-shared' }), ['application name "clocker-shared" (its networks would be taken for the infrastructure\'s shared networks): choose another name']);
});

test('routed networks run (the loader turns calico into routed), with or without addIptablesRules (they close themselves); a gateway or shared on one is refused with the reason; the release before refused the driver', () => {
  const bp = blueprint('x', [serviceSpec({ id: 'web', image: 'web' })]);
  bp.networks = [{ id: 'mesh', driver: 'routed', dnsServers: [], shared: false, addIptablesRules: false, labels: {} }];
  assert.deepEqual(unsupportedFeatures(bp), []);
  assert.deepEqual(unsupportedFeatures(bp, { routed: false }), ['network mesh: driver "routed" (only "bridge", on one host, and "overlay", across a swarm, work so far)']);
  bp.networks = [{ id: 'mesh', driver: 'routed', dnsServers: [], shared: false, addIptablesRules: true, labels: {} }];
  assert.deepEqual(unsupportedFeatures(bp), []);
  bp.networks = [{ id: 'mesh', driver: 'routed', gateway: '10.1.0.1', dnsServers: [], shared: true, addIptablesRules: true, labels: {} }];
  assert.deepEqual(unsupportedFeatures(bp), [
    "network mesh: gateway on a routed network (each host's block has its own gateway, the first address of the block): remove it",
    'network mesh: a shared routed network (a routed network belongs to one application so far)',
  ]);
});
