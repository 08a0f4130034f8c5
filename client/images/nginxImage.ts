// The local load-balancer image `clocker/nginx-lb:1`: Debian's nginx-light FROM the local
// clocker/debian:bookworm (no registry), configured from the environment:
//   BACKENDS     "host:port,host:port,…"  the upstream, round robin (empty: every request 503)
//   LISTEN_PORT  the port it serves on (default 80)
// A running balancer follows membership changes through
//   docker exec LB reload-backends "host:port,host:port"
// which rewrites the upstream, checks it with `nginx -t` (the old one stays on failure) and
// reloads nginx gracefully. The last reloaded set survives a container restart.
// Rebuilt only when the Dockerfile, the scripts or the base image change (hash in a label).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { DEBIAN_IMAGE, HASH_LABEL, ensureDebianBaseImage, imageHashLabel, removeSuperseded } from './debianImage';
import { followProgressStream, imageId } from './imageTransfer';

export const NGINX_LB_IMAGE = 'clocker/nginx-lb:1';

// (The scripts below avoid the shell's `${…}`: it would be a template substitution here.)
/** Writes the nginx config for a backend list; shared by the entrypoint and reload-backends. */
const LB_CONFIG_SCRIPT = String.raw`#!/bin/sh
# clocker-lb-config BACKENDS OUT: writes the balancer's nginx config for
# BACKENDS ("host:port,host:port,...", round robin) listening on $LISTEN_PORT (default 80).
set -eu
backends=$1
out=$2
port=$(printenv LISTEN_PORT || true)
[ -n "$port" ] || port=80
case $port in
  ''|*[!0-9]*) echo "clocker-lb: LISTEN_PORT must be a port number, not '$port'" >&2; exit 2 ;;
esac
servers=''
set -f
old_ifs=$IFS
IFS=', '
for b in $backends; do
  case $b in
    '') continue ;;
    *[!A-Za-z0-9._:-]*|:*|*[!0-9]) echo "clocker-lb: bad backend '$b' (want host:port)" >&2; exit 2 ;;
    *:*) ;;
    *) echo "clocker-lb: bad backend '$b' (want host:port)" >&2; exit 2 ;;
  esac
  servers="$servers    server $b max_fails=1 fail_timeout=5s;
"
done
IFS=$old_ifs
{
  printf '%s\n' "# written by clocker-lb-config from BACKENDS='$backends'"
  if [ -n "$servers" ]; then
    # zone: one round robin shared by all workers, not one per worker
    printf 'upstream clocker_backends {\n    zone clocker_backends 64k;\n%s}\n' "$servers"
  fi
  printf '%s\n' 'server {'
  printf '%s\n' "    listen $port default_server;"
  # One request per client connection: a reload (every membership change) closes an old
  # worker's idle keep-alive connections, and a client reusing one just then would fail.
  printf '%s\n' '    keepalive_timeout 0;'
  printf '%s\n' '    access_log /dev/stdout;'
  printf '%s\n' '    location = /clocker-lb/backends { default_type text/plain; return 200 "'"$backends"'\n"; }'
  if [ -n "$servers" ]; then
    printf '%s\n' '    location / {'
    printf '%s\n' '        proxy_pass http://clocker_backends;'
    printf '%s\n' '        proxy_http_version 1.1;'
    printf '%s\n' '        proxy_set_header Connection "";'
    printf '%s\n' '        proxy_set_header Host $host;'
    printf '%s\n' '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;'
    printf '%s\n' '        proxy_connect_timeout 2s;'
    printf '%s\n' '        proxy_next_upstream error timeout http_502 http_503;'
    printf '%s\n' '    }'
  else
    printf '%s\n' '    location / { default_type text/plain; return 503 "no backends\n"; }'
  fi
  printf '%s\n' '}'
} > "$out"
`;

const ENTRYPOINT_SCRIPT = String.raw`#!/bin/sh
# clocker-lb entrypoint: config from $BACKENDS (or the set last given to reload-backends, which
# survives a restart of this container), then nginx in the foreground.
set -eu
state=/var/lib/clocker-lb/backends
if [ -f "$state" ]; then backends=$(cat "$state"); else backends=$(printenv BACKENDS || true); fi
clocker-lb-config "$backends" /etc/nginx/conf.d/clocker-lb.conf
nginx -t -q
echo "clocker-lb: backends '$backends'"
exec nginx -g 'daemon off;'
`;

const RELOAD_SCRIPT = String.raw`#!/bin/sh
# reload-backends "host:port,host:port,...": a new upstream for the running balancer. The new
# config is checked with nginx -t first; on failure the old one stays and this exits non-zero.
set -eu
if [ $# -ne 1 ]; then echo 'usage: reload-backends "host:port,host:port,..."' >&2; exit 2; fi
conf=/etc/nginx/conf.d/clocker-lb.conf
state=/var/lib/clocker-lb/backends
cp "$conf" "$conf.previous"
if ! clocker-lb-config "$1" "$conf" || ! nginx -t -q; then
  mv "$conf.previous" "$conf"
  echo "reload-backends: kept the previous backends" >&2
  exit 1
fi
rm -f "$conf.previous"
mkdir -p "$(dirname "$state")"
printf '%s\n' "$1" > "$state"
nginx -s reload
echo "reload-backends: now '$1'"
`;

function dockerfile(hash: string): string {
  return [
    `FROM ${DEBIAN_IMAGE}`,
    'RUN apt-get update \\',
    ' && apt-get install -y --no-install-recommends nginx-light \\',
    ' && apt-get clean && rm -rf /var/lib/apt/lists/* \\',
    ' && rm -f /etc/nginx/sites-enabled/default \\',
    ' && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log',
    'COPY clocker-lb-config clocker-lb-entrypoint reload-backends /usr/local/bin/',
    'RUN chmod 0755 /usr/local/bin/clocker-lb-config /usr/local/bin/clocker-lb-entrypoint /usr/local/bin/reload-backends \\',
    ' && clocker-lb-config "" /etc/nginx/conf.d/clocker-lb.conf && nginx -t',
    'ENV LISTEN_PORT=80',
    'EXPOSE 80',
    'STOPSIGNAL SIGQUIT',
    'ENTRYPOINT ["/usr/local/bin/clocker-lb-entrypoint"]',
    `LABEL ${HASH_LABEL}=${hash}`,
    '',
  ].join('\n');
}

const CONTEXT_FILES: Record<string, string> = {
  'clocker-lb-config': LB_CONFIG_SCRIPT,
  'clocker-lb-entrypoint': ENTRYPOINT_SCRIPT,
  'reload-backends': RELOAD_SCRIPT,
};

/** Hash of everything the image is made from: Dockerfile, scripts, and the base image's id. */
function contentHash(baseId: string): string {
  const h = createHash('sha256').update(dockerfile('')).update(baseId);
  for (const [name, text] of Object.entries(CONTEXT_FILES)) h.update(`\0${name}\0${text}`);
  return h.digest('hex').slice(0, 16);
}

/**
 * Makes sure the engine has `clocker/nginx-lb:1` (building clocker/debian:bookworm first when
 * needed); returns whether it had to build the balancer. The build's `apt-get install` reaches
 * the Debian mirror the base image was bootstrapped from.
 */
export async function ensureNginxImage(docker: Docker): Promise<{ image: string; built: boolean }> {
  await ensureDebianBaseImage(docker);
  const baseId = await imageId(docker, DEBIAN_IMAGE);
  if (!baseId) throw new Error(`${DEBIAN_IMAGE} vanished while building ${NGINX_LB_IMAGE}`);
  const hash = contentHash(baseId);
  if ((await imageHashLabel(docker, NGINX_LB_IMAGE)) === hash) return { image: NGINX_LB_IMAGE, built: false };
  const previous = await imageId(docker, NGINX_LB_IMAGE);

  const dir = mkdtempSync(join(tmpdir(), 'clocker-nginx-lb-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), dockerfile(hash));
    for (const [name, text] of Object.entries(CONTEXT_FILES)) writeFileSync(join(dir, name), text, { mode: 0o755 });
    const tar = spawn('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', dir, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stream = await docker.buildImage(tar.stdout, { t: NGINX_LB_IMAGE, rm: true, forcerm: true, pull: false } as Docker.ImageBuildOptions);
    await followProgressStream(docker, stream, `building ${NGINX_LB_IMAGE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if ((await imageHashLabel(docker, NGINX_LB_IMAGE)) !== hash) throw new Error(`building ${NGINX_LB_IMAGE} finished without the expected image (label ${hash})`);
  await removeSuperseded(docker, previous, NGINX_LB_IMAGE);
  return { image: NGINX_LB_IMAGE, built: true };
}
