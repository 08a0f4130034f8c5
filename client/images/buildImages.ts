// `clocker images [--lb]` (and `clocker setup`): the local images the examples use, each
// built once per Docker engine.
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { ensureBusyboxImage } from './busyboxImage';
import { ensureDebianBaseImage } from './debianImage';
import { ensureNginxImage } from './nginxImage';

export async function buildImages(lb: boolean): Promise<void> {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const builders = [ensureBusyboxImage, ...(lb ? [ensureDebianBaseImage, ensureNginxImage] : [])];
  for (const build of builders) {
    const { image, built } = await build(docker);
    console.log(`${image}: ${built ? 'built' : 'up to date'}`);
  }
}
