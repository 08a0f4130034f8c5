// Provisioning commands as data: the exact argv each builder returns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caCommands, leafCommands, leafExtensions, subjectAltNames } from '../../../domain/provisioning/certCommands';
import { aptInstallDocker, fileHash, findDockerd, uploadFile } from '../../../domain/provisioning/hostCommands';
import { hostLayout } from '../../../domain/provisioning/hostLayout';
import { daemonService, systemdDropIn } from '../../../domain/provisioning/serviceManager';

const layout = hostLayout('/srv/h1');

test('host layout hangs every path off the root prefix; root "" gives the usual places', () => {
  assert.equal(layout.configFile, '/srv/h1/etc/clocker/docker/daemon.json');
  assert.equal(layout.pidFile, '/srv/h1/run/clocker-docker.pid');
  assert.equal(hostLayout('').dataRoot, '/var/lib/docker');
  assert.equal(hostLayout('').socketPath, '/run/clocker-docker.sock');
});

test('observe and install commands', () => {
  assert.deepEqual(findDockerd(), { argv: ['which', 'dockerd'], okExitCodes: [0, 1] });
  assert.deepEqual(fileHash('root', '/a'), { argv: ['sha256sum', '/a'], okExitCodes: [0, 1] });
  assert.deepEqual(aptInstallDocker('admin').map((c) => c.argv), [
    ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update'],
    ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', 'docker.io'],
  ]);
  assert.deepEqual(uploadFile('root', '/etc/x.json', '{}', '644'), { argv: ['install', '-D', '-m', '644', '/dev/stdin', '/etc/x.json'], stdin: '{}' });
});

test('direct start is a pidfile-checked start-stop-daemon, so a second start leaves one daemon', () => {
  const svc = daemonService('direct', 'root', '/usr/sbin/dockerd', layout);
  const ssd = ['start-stop-daemon', '--pidfile', '/srv/h1/run/clocker-docker.pid', '--exec', '/usr/sbin/dockerd'];
  assert.deepEqual(svc.status(), { argv: [...ssd, '--status'], okExitCodes: [0, 1, 3, 4] });
  assert.deepEqual(svc.start().map((c) => c.argv), [
    ['mkdir', '-p', '/srv/h1/var/log', '/srv/h1/run'],
    [...ssd, '--start', '--oknodo', '--background', '--output', '/srv/h1/var/log/clocker-dockerd.log', '--', '--config-file', '/srv/h1/etc/clocker/docker/daemon.json'],
  ]);
  assert.deepEqual(svc.stop().map((c) => c.argv), [[...ssd, '--stop', '--retry', 'TERM/20/KILL/5', '--oknodo']]);
});

test('systemd: a drop-in points docker.service at our daemon.json; restart goes through systemctl', () => {
  const svc = daemonService('systemd', 'root', '/usr/bin/dockerd', hostLayout(''));
  assert.deepEqual(svc.restart().map((c) => c.argv), [['systemctl', 'daemon-reload'], ['systemctl', 'enable', 'docker'], ['systemctl', 'restart', 'docker']]);
  assert.deepEqual(svc.status(), { argv: ['systemctl', 'is-active', '--quiet', 'docker'], okExitCodes: [0, 3] });
  assert.equal(systemdDropIn('/usr/bin/dockerd', hostLayout('')), '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --config-file /etc/clocker/docker/daemon.json\n');
});

test('openssl: a CA, then leaves signed by it with a caller-chosen serial', () => {
  assert.deepEqual(caCommands('lab', { key: '/t/ca/key.pem', cert: '/t/ca/cert.pem' }).map((c) => c.argv), [
    ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', '/t/ca/key.pem'],
    ['openssl', 'req', '-new', '-x509', '-sha256', '-days', '3650', '-key', '/t/ca/key.pem', '-subj', '/CN=clocker lab CA', '-out', '/t/ca/cert.pem'],
  ]);
  const leaf = leafCommands('h1', { key: '/ca.key', cert: '/ca.pem' }, { key: '/k', csr: '/r', cert: '/c', ext: '/e' }, 'ab12');
  assert.deepEqual(leaf[2]?.argv, ['openssl', 'x509', '-req', '-sha256', '-days', '825', '-in', '/r', '-CA', '/ca.pem', '-CAkey', '/ca.key', '-set_serial', '0xab12', '-extfile', '/e', '-out', '/c']);
  assert.equal(subjectAltNames(['10.0.0.1', 'h1', 'fe80::1']), 'IP:10.0.0.1,DNS:h1,IP:fe80::1');
  assert.equal(
    leafExtensions('server', ['10.0.0.1', 'h1']),
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:10.0.0.1,DNS:h1\n',
  );
  assert.doesNotMatch(leafExtensions('client'), /subjectAltName/);
});
