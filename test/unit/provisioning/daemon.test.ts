// daemon.json content, the restart decision, and what /etc/os-release means.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DOCKER_SETTINGS, type ByonHost } from '../../../domain/infra/machines';
import { daemonConfig, daemonConfigText } from '../../../domain/provisioning/daemonConfig';
import { planDaemon } from '../../../domain/provisioning/daemonPlan';
import { hostLayout } from '../../../domain/provisioning/hostLayout';
import { packageManagerFor, parseOsRelease } from '../../../domain/provisioning/osRelease';

const host: ByonHost = { id: 'h1', address: '10.0.0.1', port: 22, user: 'root', keyRef: '$secret:k', labels: { disk: 'ssd' }, maxContainers: 10, root: '', region: 'eu', zone: 'eu-1', bip: '10.214.1.1/24' };

test('daemon.json: TLS-verified 2376 and a unix socket only, labels, bridge, registries', () => {
  const config = daemonConfig('lab', host, { ...DEFAULT_DOCKER_SETTINGS, insecureRegistries: ['10.0.0.5:5000'] }, hostLayout(''));
  assert.deepEqual(config.hosts, ['unix:///run/clocker-docker.sock', 'tcp://0.0.0.0:2376']);
  assert.equal(config.tlsverify, true);
  assert.equal(config.tlscacert, '/etc/clocker/docker/tls/ca.pem');
  assert.deepEqual(config.labels, ['disk=ssd', 'io.clocker.host=h1', 'io.clocker.infrastructure=lab', 'io.clocker.region=eu', 'io.clocker.zone=eu-1']);
  assert.equal(config.bip, '10.214.1.1/24');
  assert.deepEqual(config['insecure-registries'], ['10.0.0.5:5000']);
  assert.equal(config['log-driver'], 'json-file');
});

test('daemon.json text is stable: sorted keys, so the same inputs hash the same', () => {
  const text = daemonConfigText({ b: 1, a: { d: 2, c: 3 } });
  assert.equal(text, '{\n  "a": {\n    "c": 3,\n    "d": 2\n  },\n  "b": 1\n}\n');
});

test('the daemon is started when down, restarted when its config changed, else left alone', () => {
  assert.equal(planDaemon({ running: false }, 'x'), 'start');
  assert.equal(planDaemon({ running: true, startedWith: 'x' }, 'x'), 'none');
  assert.equal(planDaemon({ running: true, startedWith: 'y' }, 'x'), 'restart');
  assert.equal(planDaemon({ running: true }, 'x'), 'restart');
});

test('os-release: Debian and Ubuntu install through apt; others are unsupported', () => {
  const ubuntu = parseOsRelease('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n');
  assert.deepEqual(ubuntu, { id: 'ubuntu', idLike: ['debian'], versionId: '22.04', prettyName: 'Ubuntu 22.04.4 LTS' });
  assert.equal(packageManagerFor(ubuntu), 'apt');
  assert.equal(packageManagerFor(parseOsRelease('ID=debian\n')), 'apt');
  assert.equal(packageManagerFor(parseOsRelease('ID="rocky"\nID_LIKE="rhel centos fedora"\n')), undefined);
});
