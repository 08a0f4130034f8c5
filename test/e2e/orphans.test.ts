// The orphan sweep against the real engine: only Clocker's member containers that nobody
// books are removed; booked members, another infrastructure's members and anything else on
// the host stay.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { orphanActivities } from '../../activities/docker/orphans';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../client/images/busyboxImage';
import { containerName, memberLabels } from '../../domain/naming';
import { skipUnlessPresent } from '../support/components';
import { appContainers, removeAppLeftovers } from '../support/dockerChecks';

const APP = `orphans${process.pid}`;
const STRANGER = `not-clocker-${process.pid}`;
const INFRA = `sweeping${process.pid}`;

describe('removing orphaned member containers', { skip: skipUnlessPresent('docker') }, () => {
  const factory = createDockerClientFactory();
  const docker = factory(localDockerEndpoint());

  before(async () => {
    await ensureBusyboxImage(docker);
    // 1 and 2 this infrastructure's, 3 another's on the same engine, 4 made by an earlier release (no infrastructure label).
    const owners: [string, string | undefined][] = [['1', INFRA], ['2', INFRA], ['3', `other${process.pid}`], ['4', undefined]];
    for (const [member, infrastructure] of owners) {
      const ref = { app: APP, service: 'web', member };
      await docker.createContainer({ name: containerName(ref), Image: BUSYBOX_IMAGE, Cmd: ['sleep', '600'], Labels: memberLabels(ref, infrastructure) });
    }
    // Someone else's container, labelled with our app but not a member: never touched.
    await docker.createContainer({ name: STRANGER, Image: BUSYBOX_IMAGE, Cmd: ['sleep', '600'], Labels: { 'io.clocker.app': APP } });
  });

  after(async () => {
    await removeAppLeftovers(docker, APP);
    await docker.getContainer(STRANGER).remove({ force: true }).catch(() => undefined); // gone already if the test failed after removing it
  });

  test("members not in the keep list go; booked members, another infrastructure's and foreign containers stay", async () => {
    const { removeOrphanContainers } = orphanActivities(factory);
    // Other apps' members on this engine (other tests) are not booked here either: keep them too.
    const others = (await docker.listContainers({ all: true, filters: { label: ['io.clocker.managed=true', 'io.clocker.member'] } }))
      .map((c) => ({ app: c.Labels['io.clocker.app'] ?? '', service: c.Labels['io.clocker.service'] ?? '', member: c.Labels['io.clocker.member'] ?? '' }))
      .filter((r) => r.app !== APP);
    const keep = [...others, { app: APP, service: 'web', member: '1' }];
    const removed = await removeOrphanContainers({ endpoint: localDockerEndpoint(), keep, infrastructure: INFRA });
    assert.deepEqual(removed.sort(), [`${APP}.web.2`, `${APP}.web.4`]);
    const left = (await appContainers(docker, APP)).flatMap((c) => c.Names.map((n) => n.slice(1))).sort();
    assert.deepEqual(left, [`${APP}.web.1`, `${APP}.web.3`, STRANGER].sort());
    assert.deepEqual(await removeOrphanContainers({ endpoint: localDockerEndpoint(), keep, infrastructure: INFRA }), [], 'a second sweep finds nothing');
    // Swept as an infrastructure of an earlier release does (no name): the other infrastructure's goes too, as it did then.
    assert.deepEqual(await removeOrphanContainers({ endpoint: localDockerEndpoint(), keep }), [`${APP}.web.3`]);
  });
});
