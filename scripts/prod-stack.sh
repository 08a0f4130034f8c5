#!/usr/bin/env bash
# The production shape of Clocker on one machine, from packages this machine's registries
# serve (no container images): PostgreSQL (Debian's), the Temporal server as four processes
# (frontend, history, matching, worker; built once from the Go module proxy and cached like
# the CLI), the Temporal Web UI (ui-server, idem), a codec server for the UI, and N Clocker
# workers. The frontend speaks mTLS only (a CA, a server and a client certificate made here
# with openssl); payloads are encrypted with a keyring made here. docker-compose.yml is the
# container form of the same topology; test/unit/prodStackCompose.test.ts keeps the two in step.
#
#   scripts/prod-stack.sh build            build/cache the server, sql tool and UI server
#   scripts/prod-stack.sh certs            only make the certificates and the payload keyring
#                                          (docker-compose.yml mounts them from $CLOCKER_STACK_DIR)
#   scripts/prod-stack.sh up               start everything (first time: init the database)
#   scripts/prod-stack.sh env              print the client settings (source it: `. <(… env)`)
#   scripts/prod-stack.sh worker N         start worker N;  `kill-worker N` SIGKILLs it
#   scripts/prod-stack.sh down             stop every process, keep the data
#   scripts/prod-stack.sh destroy          stop and remove the stack's folder
#   scripts/prod-stack.sh status           which processes run
# Settings (environment): CLOCKER_STACK_DIR (default /var/lib/clocker/prod-stack as root,
# else ~/.local/state/clocker/prod-stack), CLOCKER_STACK_PORT_BASE (default 17000; every port
# is base + a fixed offset, and all must stay under 32768: Temporal stores membership ports
# in a PostgreSQL smallint), CLOCKER_STACK_WORKERS (default 2).
# Why a script and not a `clocker` command: this is operator infrastructure (a database, Go
# binaries, certificates) beside the product, the same role docker-compose.yml plays; the
# workers it starts are the product's own `clocker worker`.
set -euo pipefail

# --- Settings shared with docker-compose.yml (checked by a unit test) ---
TEMPORAL_SERVER_VERSION=1.29.1
TEMPORAL_UI_VERSION=2.42.1
POSTGRES_MAJOR=15
POSTGRES_USER=temporal
DB_PLUGIN=postgres12
NAMESPACE=default
TASK_QUEUE=clocker
NUM_HISTORY_SHARDS=4
FRONTEND_OFFSET=233      # base+233: frontend gRPC (7233 in docker-compose.yml)
UI_OFFSET=1233           # base+1233: Web UI (8233 in docker-compose.yml)
CODEC_OFFSET=1888        # base+1888: codec server (8888 in docker-compose.yml)
POSTGRES_OFFSET=432      # base+432: PostgreSQL (not published by docker-compose.yml)
# ---

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ $(id -u) == 0 ]]; then default_dir=/var/lib/clocker/prod-stack; else default_dir=$HOME/.local/state/clocker/prod-stack; fi
DIR=${CLOCKER_STACK_DIR:-$default_dir}
BASE=${CLOCKER_STACK_PORT_BASE:-17000}
WORKERS=${CLOCKER_STACK_WORKERS:-2}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/clocker
SERVER_BIN=$CACHE/temporal-server/v$TEMPORAL_SERVER_VERSION
UI_BIN=$CACHE/temporal-ui/v$TEMPORAL_UI_VERSION
SERVER_MODULE=go.temporal.io/server
UI_MODULE=github.com/temporalio/ui-server/v2

FRONTEND_PORT=$((BASE + FRONTEND_OFFSET))
FRONTEND_HTTP_PORT=$((BASE + 243))
HISTORY_PORT=$((BASE + 234))
MATCHING_PORT=$((BASE + 235))
SYSWORKER_PORT=$((BASE + 239))
UI_PORT=$((BASE + UI_OFFSET))
CODEC_PORT=$((BASE + CODEC_OFFSET))
PG_PORT=$((BASE + POSTGRES_OFFSET))
FRONTEND_NAME=clocker-frontend

log() { echo "prod-stack: $*" >&2; }
die() { log "$*"; exit 1; }

# --- Builds, cached by version (a scratch folder renamed into place: never half a binary) ---
go_build() { # <cache dir> <binary name in cache> <package@version> <built name>
  local dir=$1 name=$2 pkg=$3 built=$4
  [[ -x $dir/$name ]] && return 0
  command -v go >/dev/null || die "Go is needed to build $pkg once (Debian's golang-go ≥ 1.23, or go.dev)"
  mkdir -p "$dir"
  local scratch; scratch=$(mktemp -d "$dir/.build-XXXXXX")
  log "building $pkg (a few minutes, once) into $dir"
  if ! GOBIN=$scratch GOFLAGS=-mod=mod nice -n 10 go install "$pkg"; then rm -rf "$scratch"; die "go install $pkg failed"; fi
  mv "$scratch/$built" "$dir/$name"
  rm -rf "$scratch"
}

build() {
  go_build "$SERVER_BIN" server "$SERVER_MODULE/cmd/server@v$TEMPORAL_SERVER_VERSION" server
  go_build "$SERVER_BIN" sql "$SERVER_MODULE/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" sql
  go_build "$UI_BIN" ui-server "$UI_MODULE/cmd/server@v$TEMPORAL_UI_VERSION" server
}

server_module_dir() { # the module's source (schemas, dynamic config) from Go's module cache
  local d; d=$(GOFLAGS=-mod=mod go env GOMODCACHE)/$SERVER_MODULE@v$TEMPORAL_SERVER_VERSION
  [[ -d $d ]] || (cd /tmp && GOFLAGS=-mod=mod go mod download "$SERVER_MODULE@v$TEMPORAL_SERVER_VERSION" >/dev/null)
  echo "$d"
}

pg_bin() {
  for d in "/usr/lib/postgresql/$POSTGRES_MAJOR/bin" $(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)"); do
    [[ -x $d/pg_ctl ]] && { echo "$d"; return; }
  done
  die "no PostgreSQL $POSTGRES_MAJOR (apt-get install postgresql)"
}

temporal_cli() { node "$ROOT/bin/clocker.js" temporal-bin; }

# PostgreSQL refuses to run as root: as root it runs as Debian's `postgres` user.
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- Certificates: a CA, the frontend's certificate (also the server's client certificate
# toward its own frontend), and one client certificate for workers, CLI and UI ---
certs() {
  local t=$DIR/tls
  [[ -f $t/client.key ]] && return 0
  mkdir -p "$t" && chmod 700 "$t"
  local key='openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out'
  $key "$t/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$t/ca.key" -days 3650 -subj "/CN=clocker-prod-stack-ca" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out "$t/ca.pem" 2>/dev/null
  leaf() { # <name> <cn> <extendedKeyUsage> [subjectAltName]
    $key "$t/$1.key" 2>/dev/null
    openssl req -new -key "$t/$1.key" -subj "/CN=$2" -out "$t/$1.csr" 2>/dev/null
    { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"; echo "extendedKeyUsage=$3"
      [[ -n ${4:-} ]] && echo "subjectAltName=$4"; } >"$t/$1.ext"
    openssl x509 -req -in "$t/$1.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
      -days 825 -extfile "$t/$1.ext" -out "$t/$1.pem" 2>/dev/null
    rm -f "$t/$1.csr" "$t/$1.ext"
  }
  leaf frontend "$FRONTEND_NAME" serverAuth,clientAuth "DNS:$FRONTEND_NAME,DNS:localhost,IP:127.0.0.1"
  leaf client clocker-client clientAuth
  chmod 600 "$t"/*.key
}

# The payload keyring and the CA seed: what every worker must hold alike (in production,
# distributed to each worker machine like any credential), so that no worker's disk holds
# anything another worker needs.
keyring() {
  local k=$DIR/keys/payload-keys
  if [[ ! -f $k ]]; then
    mkdir -p "$DIR/keys" && chmod 700 "$DIR/keys"
    (umask 077 && echo "k1 $(openssl rand -base64 32)" >"$k")
  fi
  local seed=$DIR/secrets/clocker-ca-seed
  if [[ ! -f $seed ]]; then
    mkdir -p "$DIR/secrets" && chmod 700 "$DIR/secrets"
    (umask 077 && openssl rand -base64 32 >"$seed")
  fi
}

# --- PostgreSQL and the two schemas ---
postgres_up() {
  local bin; bin=$(pg_bin)
  local data=$DIR/postgres
  if [[ ! -f $data/PG_VERSION ]]; then
    mkdir -p "$data" && chmod 700 "$data"
    if [[ $(id -u) == 0 ]]; then chown postgres: "$data"; fi
    as_pg "$bin/initdb" -D "$data" -U "$POSTGRES_USER" --auth=trust >"$DIR/logs/initdb.log" 2>&1 || { cat "$DIR/logs/initdb.log" >&2; die "initdb failed"; }
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    touch "$DIR/logs/postgres.log"
    if [[ $(id -u) == 0 ]]; then chown postgres: "$DIR/logs/postgres.log"; fi
    as_pg "$bin/pg_ctl" -D "$data" -l "$DIR/logs/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null \
      || { tail -20 "$DIR/logs/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi
}

schemas() {
  [[ -f $DIR/.schema-$TEMPORAL_SERVER_VERSION ]] && return 0
  local module; module=$(server_module_dir)
  for db in temporal temporal_visibility; do
    local versioned=$module/schema/postgresql/v12/temporal/versioned
    [[ $db == temporal_visibility ]] && versioned=$module/schema/postgresql/v12/visibility/versioned
    local sql=("$SERVER_BIN/sql" --plugin "$DB_PLUGIN" --ep 127.0.0.1 -p "$PG_PORT" -u "$POSTGRES_USER" --db "$db")
    "${sql[@]}" create-database >>"$DIR/logs/schema.log" 2>&1 || true # exists already on a re-run
    "${sql[@]}" setup-schema -v 0.0 >>"$DIR/logs/schema.log" 2>&1 || { tail -20 "$DIR/logs/schema.log" >&2; die "setup-schema $db failed"; }
    "${sql[@]}" update-schema -d "$versioned" >>"$DIR/logs/schema.log" 2>&1 || { tail -20 "$DIR/logs/schema.log" >&2; die "update-schema $db failed"; }
  done
  touch "$DIR/.schema-$TEMPORAL_SERVER_VERSION"
}

# --- Temporal configuration: the module's development-postgres12.yaml with this stack's
# ports, database and TLS; dynamic config from development-sql.yaml ---
server_config() {
  local module; module=$(server_module_dir)
  mkdir -p "$DIR/config"
  cp "$module/config/dynamicconfig/development-sql.yaml" "$DIR/config/dynamicconfig.yaml"
  datastore() { cat <<EOF
      sql:
        pluginName: "$DB_PLUGIN"
        databaseName: "$1"
        connectAddr: "127.0.0.1:$PG_PORT"
        connectProtocol: "tcp"
        user: "$POSTGRES_USER"
        password: ""
        maxConns: $2
        maxIdleConns: $2
        maxConnLifetime: "1h"
EOF
  }
  cat >"$DIR/config/clocker.yaml" <<EOF
# Made by scripts/prod-stack.sh from the server module's config/development-postgres12.yaml.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: $NUM_HISTORY_SHARDS
  datastores:
    postgres-default:
$(datastore temporal 20)
    postgres-visibility:
$(datastore temporal_visibility 4)
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  tls:
    frontend:
      server:
        certFile: "$DIR/tls/frontend.pem"
        keyFile: "$DIR/tls/frontend.key"
        requireClientAuth: true
        clientCaFiles: ["$DIR/tls/ca.pem"]
    # The server's own clients of the frontend (system workflows, the operator service's
    # namespace look-ups) present the frontend's certificate, which is also a client one.
    systemWorker:
      certFile: "$DIR/tls/frontend.pem"
      keyFile: "$DIR/tls/frontend.key"
      client:
        serverName: "$FRONTEND_NAME"
        rootCaFiles: ["$DIR/tls/ca.pem"]
services:
  frontend:
    rpc: { grpcPort: $FRONTEND_PORT, membershipPort: $((BASE + 933)), bindOnLocalHost: true, httpPort: $FRONTEND_HTTP_PORT }
  history:
    rpc: { grpcPort: $HISTORY_PORT, membershipPort: $((BASE + 934)), bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: $MATCHING_PORT, membershipPort: $((BASE + 935)), bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: $SYSWORKER_PORT, membershipPort: $((BASE + 939)), bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:$FRONTEND_PORT"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "$DIR/config/dynamicconfig.yaml"
  pollInterval: "10s"
EOF
}

ui_config() {
  mkdir -p "$DIR/ui/config"
  cat >"$DIR/ui/config/clocker.yaml" <<EOF
temporalGrpcAddress: 127.0.0.1:$FRONTEND_PORT
host: 127.0.0.1
port: $UI_PORT
enableUi: true
defaultNamespace: $NAMESPACE
refreshInterval: 1m
cors:
  allowOrigins: ["http://127.0.0.1:$UI_PORT", "http://localhost:$UI_PORT"]
tls:
  caFile: $DIR/tls/ca.pem
  certFile: $DIR/tls/client.pem
  keyFile: $DIR/tls/client.key
  serverName: $FRONTEND_NAME
  enableHostVerification: true
codec:
  endpoint: http://127.0.0.1:$CODEC_PORT
EOF
}

# --- Processes: each one's pid in $DIR/pids/<name>.pid, its output in $DIR/logs/<name>.log ---
running() { [[ -f $DIR/pids/$1.pid ]] && kill -0 "$(cat "$DIR/pids/$1.pid")" 2>/dev/null; }

spawn() { # <name> <command...>
  local name=$1; shift
  running "$name" && return 0
  mkdir -p "$DIR/pids" "$DIR/logs"
  # A fresh log per start (the last one kept beside it): readiness is read from the log.
  if [[ -f $DIR/logs/$name.log ]]; then mv "$DIR/logs/$name.log" "$DIR/logs/$name.previous.log"; fi
  setsid "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/pids/$name.pid"
}

stop() { # <name>: SIGTERM, then SIGKILL after 15 s
  running "$1" || { rm -f "$DIR/pids/$1.pid"; return 0; }
  local pid; pid=$(cat "$DIR/pids/$1.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$DIR/pids/$1.pid"
}

client_env() {
  cat <<EOF
CLOCKER_TEMPORAL_ADDRESS=127.0.0.1:$FRONTEND_PORT
CLOCKER_NAMESPACE=$NAMESPACE
CLOCKER_TASK_QUEUE=$TASK_QUEUE
CLOCKER_TEMPORAL_TLS_CERT=$DIR/tls/client.pem
CLOCKER_TEMPORAL_TLS_KEY=$DIR/tls/client.key
CLOCKER_TEMPORAL_TLS_CA=$DIR/tls/ca.pem
CLOCKER_TEMPORAL_TLS_SERVER_NAME=$FRONTEND_NAME
CLOCKER_PAYLOAD_KEYS_FILE=$DIR/keys/payload-keys
CLOCKER_STACK_UI=http://127.0.0.1:$UI_PORT
CLOCKER_STACK_CODEC=http://127.0.0.1:$CODEC_PORT
EOF
}

tls_flags() { echo --address "127.0.0.1:$FRONTEND_PORT" --tls-cert-path "$DIR/tls/client.pem" --tls-key-path "$DIR/tls/client.key" --tls-ca-path "$DIR/tls/ca.pem" --tls-server-name "$FRONTEND_NAME"; }

wait_for() { # <what> <seconds> <command...>: tries until the deadline (client calls below are cut at 10 s each:
  # one to a half-up cluster can hang a minute)
  local what=$1 seconds=$2 deadline; shift 2
  deadline=$(( $(date +%s) + seconds ))
  while (( $(date +%s) < deadline )); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "$what not ready after ${seconds}s (logs in $DIR/logs)"
}

start_services() {
  for service in history matching frontend worker; do
    spawn "temporal-$service" "$SERVER_BIN/server" --root "$DIR" --config config --env clocker start --service "$service"
  done
}

# On a fresh database the four services race to write the cluster's metadata, and a loser exits
# ("duplicate key … cluster_metadata", seen in CI): whatever is not running is started again
# (the metadata is there by then) before each readiness try.
with_services() { start_services; "$@"; }

history_answers() { # <temporal CLI>
  # shellcheck disable=SC2046
  local out; out=$(timeout 10 "$1" workflow describe -n "$NAMESPACE" --workflow-id clocker-stack-readiness-probe $(tls_flags) 2>&1 || true)
  [[ ${out,,} == *"not found"* ]]
}

start_worker() { # <n>: its own CLOCKER_HOME: a worker keeps nothing another worker needs
  local n=$1
  mkdir -p "$DIR/workers/$n"
  # shellcheck disable=SC2046
  spawn "worker-$n" env $(client_env) CLOCKER_HOME="$DIR/workers/$n" CLOCKER_SECRETS_DIR="$DIR/secrets" \
    MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}" \
    node --max-semi-space-size=4 "$ROOT/bin/clocker.js" worker
}

up() {
  local started; started=$(date +%s%N)
  build
  mkdir -p "$DIR/logs" "$DIR/secrets"
  if [[ $(id -u) == 0 ]]; then chmod 755 "$DIR"; fi # PostgreSQL's user must reach its data folder
  certs
  keyring
  postgres_up
  schemas
  server_config
  local temporal; temporal=$(temporal_cli)
  start_services
  # shellcheck disable=SC2046
  wait_for "the frontend (mTLS)" 120 with_services timeout 10 "$temporal" operator cluster health $(tls_flags)
  # shellcheck disable=SC2046
  if ! "$temporal" operator namespace describe -n "$NAMESPACE" $(tls_flags) >/dev/null 2>&1; then
    "$temporal" operator namespace create -n "$NAMESPACE" --retention 7d $(tls_flags) >/dev/null
  fi
  # The frontend learns a new namespace on its next cache refresh (up to ~10 s).
  # shellcheck disable=SC2046
  wait_for "namespace $NAMESPACE" 60 timeout 10 "$temporal" workflow list -n "$NAMESPACE" --limit 1 $(tls_flags)
  # Every service in the frontend's membership ring: a describe reaches history and says
  # "not found" (while the ring is incomplete it says "Not enough hosts").
  # shellcheck disable=SC2046
  wait_for "the history and matching services" 60 with_services history_answers "$temporal"
  ui_config
  # shellcheck disable=SC2046
  spawn codec-server env $(client_env) node "$ROOT/bin/clocker.js" codec-server --port "$CODEC_PORT" \
    --cors-origin "http://127.0.0.1:$UI_PORT" --cors-origin "http://localhost:$UI_PORT"
  spawn ui-server "$UI_BIN/ui-server" --root "$DIR/ui" --config config --env clocker start
  for n in $(seq 1 "$WORKERS"); do start_worker "$n"; done
  for n in $(seq 1 "$WORKERS"); do wait_for "worker $n" 90 grep -q 'clocker worker:' "$DIR/logs/worker-$n.log"; done
  wait_for "the Web UI" 30 curl -sf "http://127.0.0.1:$UI_PORT/"
  log "up in $(( ($(date +%s%N) - started) / 1000000 )) ms: frontend 127.0.0.1:$FRONTEND_PORT (mTLS), UI http://127.0.0.1:$UI_PORT, $WORKERS workers; client settings: $0 env"
}

down() {
  for n in $(ls "$DIR/pids" 2>/dev/null | sed -n 's/^worker-\([0-9]*\)\.pid$/\1/p'); do stop "worker-$n"; done
  for p in ui-server codec-server temporal-frontend temporal-worker temporal-matching temporal-history; do stop "$p"; done
  if [[ -f $DIR/postgres/PG_VERSION ]]; then
    local bin; bin=$(pg_bin)
    as_pg "$bin/pg_ctl" -D "$DIR/postgres" status >/dev/null 2>&1 && as_pg "$bin/pg_ctl" -D "$DIR/postgres" -m fast -w stop >/dev/null
  fi
  return 0
}

status() {
  for f in "$DIR"/pids/*.pid; do
    [[ -e $f ]] || continue
    local name; name=$(basename "$f" .pid)
    if running "$name"; then echo "$name running (pid $(cat "$f"))"; else echo "$name stopped"; fi
  done
}

case ${1:-} in
  build) build ;;
  certs) mkdir -p "$DIR"; certs; keyring; log "certificates in $DIR/tls, payload keyring in $DIR/keys, CA seed in $DIR/secrets" ;;
  up) up ;;
  env) client_env ;;
  worker) start_worker "${2:?worker number}"; wait_for "worker $2" 90 grep -q 'clocker worker:' "$DIR/logs/worker-$2.log" ;;
  kill-worker) running "worker-${2:?worker number}" && kill -KILL "$(cat "$DIR/pids/worker-$2.pid")"; rm -f "$DIR/pids/worker-$2.pid" ;;
  down) down ;;
  destroy) down; rm -rf "$DIR" ;;
  status) status ;;
  *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
