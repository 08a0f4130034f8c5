// The local Debian base image `clocker/debian:bookworm`: no registry is reachable here, so it
// is made with `debootstrap --variant=minbase` from the Debian mirror this machine's apt
// already uses, then `docker import`ed. Images with real servers (clocker/nginx-lb:1) are
// ordinary Dockerfiles FROM it. Built once per machine: a label holds a hash of the recipe
// (suite, variant, mirror, layout), and a matching image is reused as it is.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { followProgressStream, imageId } from './imageTransfer';

export const DEBIAN_IMAGE = 'clocker/debian:bookworm';
export const DEBIAN_SUITE = 'bookworm';
export const DEBIAN_VARIANT = 'minbase';
export const HASH_LABEL = 'io.clocker.content-hash';
/** Bump when the rootfs tweaks below change. */
const LAYOUT_VERSION = '1';
const CACHE_ROOT = '/var/cache/clocker';
const APT_SOURCES = '/etc/apt/sources.list';
const APT_SOURCES_DIR = '/etc/apt/sources.list.d';

export interface DebianRecipe {
  suite: string;
  variant: string;
  mirror: string;
}

/** The recipe this machine would build: its hash names the image's content. */
export function debianRecipe(): DebianRecipe {
  return { suite: DEBIAN_SUITE, variant: DEBIAN_VARIANT, mirror: debianMirror(DEBIAN_SUITE) };
}

export function recipeHash(recipe: DebianRecipe): string {
  const canonical = JSON.stringify([LAYOUT_VERSION, recipe.suite, recipe.variant, recipe.mirror]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/**
 * The Debian archive URL this machine's apt uses for `suite` (a `deb` entry listing exactly
 * that suite, from /etc/apt/sources.list or sources.list.d/*.list|*.sources). Never a
 * hard-coded host: the images fetch packages only from where this machine already does.
 */
export function debianMirror(suite: string, files: Array<{ path: string; text: string }> = aptSourceFiles()): string {
  for (const { path, text } of files) {
    const entries = path.endsWith('.sources') ? deb822Entries(text) : oneLineEntries(text);
    const hit = entries.find((e) => e.types.includes('deb') && e.suites.includes(suite) && e.components.includes('main'));
    const uri = hit?.uris.find((u) => /^https?:\/\//.test(u));
    if (uri) return uri.replace(/\/+$/, '');
  }
  throw new Error(`no Debian mirror for "${suite}" (main) in ${APT_SOURCES} or ${APT_SOURCES_DIR}/: add a deb line for it`);
}

interface SourceEntry {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
}

function aptSourceFiles(): Array<{ path: string; text: string }> {
  const paths = existsSync(APT_SOURCES) ? [APT_SOURCES] : [];
  if (existsSync(APT_SOURCES_DIR)) {
    // apt reads only these two extensions (".disabled", ".save" and the like are ignored).
    for (const f of readdirSync(APT_SOURCES_DIR).sort()) if (f.endsWith('.list') || f.endsWith('.sources')) paths.push(join(APT_SOURCES_DIR, f));
  }
  return paths.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/** `deb [opts] URI SUITE COMPONENT…` lines. */
function oneLineEntries(text: string): SourceEntry[] {
  const entries: SourceEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (!type || !uri || !suite) continue;
    entries.push({ types: [type], uris: [uri], suites: [suite], components });
  }
  return entries;
}

/** deb822 stanzas (`Types:`, `URIs:`, `Suites:`, `Components:`, `Enabled:`). */
function deb822Entries(text: string): SourceEntry[] {
  const entries: SourceEntry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (m?.[1]) fields.set((last = m[1].toLowerCase()), m[2] ?? '');
      else if (last && /^\s/.test(line)) fields.set(last, `${fields.get(last)} ${line.trim()}`);
    }
    if ((fields.get('enabled') ?? 'yes').toLowerCase() === 'no') continue;
    const list = (k: string) => (fields.get(k) ?? '').split(/\s+/).filter(Boolean);
    entries.push({ types: list('types'), uris: list('uris'), suites: list('suites'), components: list('components') });
  }
  return entries;
}

/** The recipe hash the engine's image carries, or undefined when it has no such image. */
export async function imageHashLabel(docker: Docker, ref: string): Promise<string | undefined> {
  return docker
    .getImage(ref)
    .inspect()
    .then((i) => i.Config?.Labels?.[HASH_LABEL])
    .catch(() => undefined); // absent: build it
}

/**
 * Makes sure the engine has `clocker/debian:bookworm` for this machine's recipe; returns
 * whether it had to build it (about a minute: debootstrap fetches ~90 packages).
 * Needs root (debootstrap) and Debian's `debootstrap` package.
 */
export async function ensureDebianBaseImage(docker: Docker): Promise<{ image: string; built: boolean }> {
  const recipe = debianRecipe();
  const hash = recipeHash(recipe);
  if ((await imageHashLabel(docker, DEBIAN_IMAGE)) === hash) return { image: DEBIAN_IMAGE, built: false };

  const previous = await imageId(docker, DEBIAN_IMAGE);
  if (process.getuid?.() !== 0) throw new Error(`building ${DEBIAN_IMAGE} needs root (debootstrap)`);
  const root = mkdtempSync(join(workRoot(), 'debootstrap-'));
  try {
    await runLogged('debootstrap', [`--variant=${recipe.variant}`, recipe.suite, root, recipe.mirror], root);
    tuneRootfs(root);
    const tar = spawn('tar', ['--numeric-owner', '-C', root, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tarDone = exitOf(tar, 'tar');
    const [repo, tag] = DEBIAN_IMAGE.split(':') as [string, string];
    const stream = await docker.importImage(tar.stdout, {
      repo,
      tag,
      changes: [
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'ENV LANG=C.UTF-8',
        'CMD ["bash"]',
        `LABEL ${HASH_LABEL}=${hash}`,
        `LABEL io.clocker.recipe=debootstrap/${recipe.variant}/${recipe.suite}`,
      ],
    } as object);
    await followProgressStream(docker, stream, `importing ${DEBIAN_IMAGE}`);
    // A tar that broke off leaves a truncated image under the label: never keep that one.
    await tarDone.catch(async (err: Error) => {
      await docker.getImage(DEBIAN_IMAGE).remove({ force: true }).catch(() => undefined);
      throw err;
    });
  } finally {
    await removeRootfs(root);
  }
  await removeSuperseded(docker, previous, DEBIAN_IMAGE);
  return { image: DEBIAN_IMAGE, built: true };
}

/**
 * After a rebuild, drops the image `ref` named before (now untagged) so rebuilds do not pile
 * up; one still used by a container or another image stays.
 */
export async function removeSuperseded(docker: Docker, previousId: string | undefined, ref: string): Promise<void> {
  if (!previousId || previousId === (await imageId(docker, ref))) return;
  await docker.getImage(previousId).remove({ noprune: false }).catch(() => undefined);
}

/**
 * Deletes a rootfs folder. debootstrap mounts proc, sys and (in a container) a /dev of bind
 * mounts inside it and unmounts them on exit; one that was killed leaves them, so anything
 * still mounted below the folder is detached first, and the folder is kept (with an error)
 * rather than deleted through a mount that will not go.
 */
async function removeRootfs(root: string): Promise<void> {
  const mounted = () => mountsUnder(root);
  for (const mountPoint of mounted().sort((a, b) => b.length - a.length)) {
    await new Promise<void>((resolve) => spawn('umount', ['-l', mountPoint], { stdio: 'ignore' }).once('close', () => resolve()).once('error', () => resolve()));
  }
  const left = mounted();
  if (left.length > 0) throw new Error(`left ${root} in place: still mounted below it: ${left.join(', ')}`);
  rmSync(root, { recursive: true, force: true });
}

function mountsUnder(root: string): string[] {
  const unescape = (p: string) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => unescape(line.split(' ')[4] ?? ''))
    .filter((mp) => mp === root || mp.startsWith(`${root}/`));
}

/** /var/cache/clocker when it is (or can be made) writable, else the system temp dir. */
function workRoot(): string {
  try {
    mkdirSync(CACHE_ROOT, { recursive: true });
    accessSync(CACHE_ROOT, constants.W_OK);
    return CACHE_ROOT;
  } catch {
    return tmpdir();
  }
}

/** Container conventions: no services started by package scripts, no apt caches kept. */
function tuneRootfs(root: string): void {
  const policy = join(root, 'usr', 'sbin', 'policy-rc.d');
  writeFileSync(policy, '#!/bin/sh\n# containers: package scripts never start services\nexit 101\n');
  chmodSync(policy, 0o755);
  writeFileSync(
    join(root, 'etc', 'apt', 'apt.conf.d', '90clocker-container'),
    'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\nDPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb || true"; };\n',
  );
  for (const dir of ['var/lib/apt/lists', 'var/cache/apt/archives']) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs)) if (f !== 'partial' && f !== 'lock') rmSync(join(abs, f), { recursive: true, force: true });
  }
}

/** Runs argv (no shell); on failure the error carries the output's and debootstrap.log's tail. */
function runLogged(file: string, args: string[], root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (err) => reject(new Error(`${file}: ${err.message}${(err as NodeJS.ErrnoException).code === 'ENOENT' ? " (install Debian's debootstrap package)" : ''}`)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const log = join(root, 'debootstrap', 'debootstrap.log');
      const logTail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '';
      reject(new Error(`\`${file} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`}):\n${output.split('\n').slice(-20).join('\n')}${logTail ? `\n--- debootstrap.log ---\n${logTail}` : ''}`));
    });
  });
}

function exitOf(child: ReturnType<typeof spawn>, name: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4_000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited ${code}: ${stderr.trim()}`))));
  });
}
