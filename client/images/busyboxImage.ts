// The local base image: no registry is reachable here, so `clocker/busybox:1` is made with
// `docker import` from Debian's static busybox and its applet links (sh, httpd, nc, sleep…).
// It is rebuilt only when the binary changes (content hash in a label).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';

export const BUSYBOX_IMAGE = 'clocker/busybox:1';
const HASH_LABEL = 'io.clocker.content-hash';
const LAYOUT_VERSION = '1';

export function busyboxBinary(): string {
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (existsSync(p)) return p;
  throw new Error("no busybox binary: install Debian's busybox-static (apt-get install busybox-static)");
}

/** Makes sure the engine has the image; returns whether it had to (re)build it. */
export async function ensureBusyboxImage(docker: Docker): Promise<{ image: string; built: boolean }> {
  const binary = busyboxBinary();
  const hash = createHash('sha256').update(LAYOUT_VERSION).update(readFileSync(binary)).digest('hex').slice(0, 16);
  const current = await docker
    .getImage(BUSYBOX_IMAGE)
    .inspect()
    .then((i) => i.Config?.Labels?.[HASH_LABEL])
    .catch(() => undefined); // absent: build it
  if (current === hash) return { image: BUSYBOX_IMAGE, built: false };

  const root = mkdtempSync(join(tmpdir(), 'clocker-busybox-'));
  try {
    layoutRootfs(root, binary);
    const tar = spawn('tar', ['-C', root, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = BUSYBOX_IMAGE.split(':') as [string, string];
    const stream = await docker.importImage(tar.stdout, {
      repo,
      tag,
      changes: ['ENV PATH=/bin', 'CMD ["sh"]', `LABEL ${HASH_LABEL}=${hash}`],
    } as object);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { image: BUSYBOX_IMAGE, built: true };
}

function layoutRootfs(root: string, binary: string): void {
  for (const d of ['bin', 'tmp', 'etc', 'www', 'root']) mkdirSync(join(root, d));
  chmodSync(join(root, 'tmp'), 0o1777);
  copyFileSync(binary, join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  const applets = spawnSync(binary, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((a) => a && a !== 'busybox');
  for (const applet of applets) symlinkSync('busybox', join(root, 'bin', applet));
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
}
