// `clocker setup` decides here, from what it found on the machine, what to do: pure, so the
// decisions are tested without a machine. Every step is argv data the executor runs as is;
// what only the user can do (as root, or a prerequisite Clocker does not install) is said in
// words with the exact command line.
import { BASE_PACKAGES, LB_PACKAGES, BASE_IMAGES, LB_IMAGES, MIN_GO } from './wants';

export interface MachineFacts {
  /** Running as root (uid 0): packages can be installed and dockerd started. */
  root: boolean;
  /** apt-get and dpkg-query are there (Debian or a derivative). */
  apt: boolean;
  /** Of the packages setup wants, those dpkg says are installed. */
  installedPackages: readonly string[];
  /** `docker version` reached the engine; `denied`: the socket is there but this user may not use it. */
  docker: 'answers' | 'silent' | 'denied';
  /** systemd runs the machine (services are started through it rather than by hand). */
  systemd: boolean;
  /** The Temporal CLI found (CLOCKER_TEMPORAL_BIN, PATH, or the cache), if any. */
  temporalCli?: string;
  /** `go version`'s version (e.g. "1.23.4"), if Go is there. */
  goVersion?: string;
  /** dist/ is built and newer than the sources. */
  distFresh: boolean;
  /** Of the images setup wants, those the engine has (by tag). */
  images: readonly string[];
}

export interface SetupOptions {
  /** Also what examples/three-tier.yaml needs (debootstrap, the Debian base and nginx images). */
  lb: boolean;
  /** The node binary and the checkout, to build argv for the CLI's own steps. */
  node: string;
  repo: string;
  /** Where a dockerd setup starts writes its log. */
  dockerdLog: string;
}

export type SetupStep =
  /** Run to completion; a non-zero exit stops setup. */
  | { kind: 'run'; why: string; argv: string[]; env?: Record<string, string> }
  /** Start in the background (it outlives setup), then wait until the Docker engine answers. */
  | { kind: 'daemon'; why: string; argv: string[]; log: string };

export interface SetupPlan {
  steps: SetupStep[];
  /** What the user must do (as root, or a prerequisite), each with the exact command where there is one. */
  userActions: string[];
  /** Everything was there: nothing to run, nothing to ask. */
  ready: boolean;
}

/** `1.23.4` ≥ `1.23`? Compared number by number; a `go1.24rc1`-style suffix counts as its numbers. */
export function versionAtLeast(version: string, min: string): boolean {
  const nums = (v: string) => v.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const [a, b] = [nums(version), nums(min)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i] ?? 0, b[i] ?? 0];
    if (x !== y) return x > y;
  }
  return true;
}

export function aptInstallArgv(packages: readonly string[]): string[] {
  return ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages];
}

export function planSetup(facts: MachineFacts, o: SetupOptions): SetupPlan {
  const steps: SetupStep[] = [];
  const userActions: string[] = [];
  const cli = (...args: string[]) => [o.node, `${o.repo}/bin/clocker.js`, ...args];

  // 1. Debian packages: installed when root, else the line to run.
  const wanted = [...BASE_PACKAGES, ...(o.lb ? LB_PACKAGES : [])];
  const missing = wanted.filter((p) => !facts.installedPackages.includes(p));
  let packagesComing = missing.length === 0;
  if (missing.length > 0 && !facts.apt) {
    userActions.push(`install ${missing.join(', ')} with this system's package manager (setup knows apt-get only)`);
  } else if (missing.length > 0 && facts.root) {
    steps.push({ kind: 'run', why: 'package lists, for the install', argv: ['apt-get', 'update', '-qq'] });
    steps.push({ kind: 'run', why: `Debian packages: ${missing.join(' ')}`, argv: aptInstallArgv(missing), env: { DEBIAN_FRONTEND: 'noninteractive' } });
    packagesComing = true;
  } else if (missing.length > 0) {
    userActions.push(`as root, install the Debian packages: apt-get update && ${aptInstallArgv(missing).join(' ')}`);
  }

  // 2. A Docker engine that answers: started if none does (as .ci/run does).
  const engineInstalled = packagesComing || facts.installedPackages.includes('docker.io');
  let dockerComing = facts.docker === 'answers';
  if (facts.docker === 'denied') {
    userActions.push('this user may not use the Docker engine: as root, `usermod -aG docker $USER`, then log in again');
  } else if (facts.docker === 'silent' && facts.root && engineInstalled) {
    steps.push(
      facts.systemd
        ? { kind: 'daemon', why: 'the Docker engine (through systemd)', argv: ['systemctl', 'start', 'docker'], log: o.dockerdLog }
        : { kind: 'daemon', why: 'the Docker engine (no engine answered)', argv: ['dockerd'], log: o.dockerdLog },
    );
    dockerComing = true;
  } else if (facts.docker === 'silent') {
    userActions.push(facts.systemd ? 'as root, start the Docker engine: systemctl start docker' : `as root, start the Docker engine: nohup dockerd >${o.dockerdLog} 2>&1 &`);
  }

  // 3. The Temporal CLI (the dev server `clocker up` runs), built once with Go when missing.
  if (!facts.temporalCli) {
    if (facts.goVersion && versionAtLeast(facts.goVersion, MIN_GO)) {
      steps.push({ kind: 'run', why: 'the Temporal CLI, built once from the Go module proxy (a few minutes) and cached', argv: cli('temporal-bin') });
    } else {
      const found = facts.goVersion ? `Go ${facts.goVersion} is older than ${MIN_GO}` : 'Go is not installed';
      userActions.push(
        `no \`temporal\` CLI, and ${found} to build one: install Go ≥ ${MIN_GO} (https://go.dev/doc/install; Debian 12's golang-go is 1.19), ` +
          'or put a `temporal` binary on PATH, or set CLOCKER_TEMPORAL_BIN to its path',
      );
    }
  }

  // 4. The compiled CLI and worker: commands start in a tenth of the time tsx takes.
  if (!facts.distFresh) {
    steps.push({ kind: 'run', why: 'the compiled CLI and worker (dist/)', argv: [o.node, `${o.repo}/node_modules/typescript/bin/tsc`, '-p', `${o.repo}/tsconfig.build.json`] });
  }

  // 5. The images the examples run, made locally (no registry needed).
  const wantedImages = [...BASE_IMAGES, ...(o.lb ? LB_IMAGES : [])];
  const missingImages = wantedImages.filter((i) => !facts.images.includes(i));
  const missingBase = missingImages.filter((i) => BASE_IMAGES.includes(i));
  const missingLb = missingImages.filter((i) => LB_IMAGES.includes(i));
  // busybox-static (and debootstrap) must be there too: the image builders run them.
  if (missingImages.length > 0 && (!dockerComing || !packagesComing)) {
    userActions.push(`then build the images (${missingImages.join(', ')}): ${cli('images', ...(o.lb ? ['--lb'] : [])).join(' ')}`);
  } else if (missingLb.length > 0 && !facts.root) {
    // debootstrap needs root; the busybox image does not.
    if (missingBase.length > 0) steps.push({ kind: 'run', why: `the local images: ${missingBase.join(', ')}`, argv: cli('images') });
    userActions.push(`as root, build the balancer's images (${missingLb.join(', ')}; debootstrap needs root): ${cli('images', '--lb').join(' ')}`);
  } else if (missingImages.length > 0) {
    steps.push({ kind: 'run', why: `the local images: ${missingImages.join(', ')}`, argv: cli('images', ...(missingLb.length > 0 ? ['--lb'] : [])) });
  }

  return { steps, userActions, ready: steps.length === 0 && userActions.length === 0 };
}
