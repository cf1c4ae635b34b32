#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Local servers for the demo and the integration tests, without Docker.
#
#   scripts/services.sh install|up|down|status|reset|pause|resume [--profile demo|test] [--only S1,S2]
#   scripts/services.sh kafka-cli CLASS [ARGS...] [--profile ...]   run a Kafka CLI class from the broker jars
#
# install  installs software only (apt packages, pgvector 0.8.0, Kafka jars); never starts anything.
# up       install, then start every server that is not running; prints the addresses.
# down     stops every server (data kept).      reset  down, then delete the profile's run dir.
# status   one line per server; exit 0 only when all are running.
# pause    freezes servers with SIGSTOP (needs --only; kafka, neo4j, milvus): the process stays, its clients hang,
#          as with a stalled host. resume sends SIGCONT. For outage tests that must keep the server's data.
# --only   acts on some servers only, comma-separated (postgres,kafka,neo4j,milvus), e.g. to stop Milvus alone.
#
# Profiles (state in <repo>/.run/<profile>/, or $VS_RUN_DIR):
#   demo  PostgreSQL 55432, Kafka 19092 (controller 19093), Neo4j bolt 17687, Milvus 19530
#   test  PostgreSQL 55442, Kafka 19192 (controller 19193), Neo4j bolt 17697, Milvus 19540
# Env overrides: VS_PG_PORT, VS_KAFKA_PORT (controller = +1), VS_NEO4J_PORT, VS_MILVUS_PORT, VS_RUN_DIR, VS_CACHE_DIR
# (default ~/.cache/vectorsync: build dirs and jars shared by every clone), VS_KAFKA_HEAP, VS_NEO4J_HEAP (768m).
# reset --only NAME deletes that server's data only.
# up writes <run>/services.env (KEY=VALUE) for the app and the tests.
#
# A server is a set of functions <name>_install, <name>_up, <name>_down, <name>_status,
# <name>_address, <name>_env, <name>_clean in scripts/lib/<name>.sh plus an entry in SERVERS.
set -euo pipefail
umask 022

VS_SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VS_REPO_DIR=$(dirname "$VS_SCRIPTS_DIR")
export DEBIAN_FRONTEND=noninteractive

# Start order; down runs in reverse.
SERVERS=(postgres kafka neo4j milvus)

usage() {
  sed -n '3,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# ---- arguments -----------------------------------------------------------------------------------
COMMAND=''
VS_PROFILE=demo
ONLY=''
CLI_ARGS=()
while (($#)); do
  if [[ $COMMAND == kafka-cli && $1 != --profile* ]]; then
    CLI_ARGS+=("$1")
    shift
    continue
  fi
  case $1 in
    --profile)
      (($# >= 2)) || usage
      VS_PROFILE=$2
      shift 2
      ;;
    --profile=*)
      VS_PROFILE=${1#--profile=}
      shift
      ;;
    --only)
      (($# >= 2)) || usage
      ONLY=$2
      shift 2
      ;;
    -h | --help | help) usage ;;
    *)
      if [[ -z $COMMAND ]]; then
        COMMAND=$1
      else
        usage
      fi
      shift
      ;;
  esac
done
[[ -n $COMMAND ]] || usage

case $VS_PROFILE in
  demo)
    default_pg_port=55432
    default_kafka_port=19092
    default_neo4j_port=17687
    default_milvus_port=19530
    ;;
  test)
    default_pg_port=55442
    default_kafka_port=19192
    default_neo4j_port=17697
    default_milvus_port=19540
    ;;
  *)
    printf '[services] ERROR: unknown profile %s (demo or test)\n' "$VS_PROFILE" >&2
    exit 2
    ;;
esac
VS_PG_PORT=${VS_PG_PORT:-$default_pg_port}
VS_KAFKA_PORT=${VS_KAFKA_PORT:-$default_kafka_port}
VS_NEO4J_PORT=${VS_NEO4J_PORT:-$default_neo4j_port}
VS_MILVUS_PORT=${VS_MILVUS_PORT:-$default_milvus_port}
VS_RUN_DIR=${VS_RUN_DIR:-$VS_REPO_DIR/.run/$VS_PROFILE}
VS_RUN_DIR=${VS_RUN_DIR%/}
VS_CACHE_DIR=${VS_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/vectorsync}

# shellcheck source=lib/common.sh
. "$VS_SCRIPTS_DIR/lib/common.sh"
# shellcheck source=lib/postgres.sh
. "$VS_SCRIPTS_DIR/lib/postgres.sh"
# shellcheck source=lib/tls.sh
. "$VS_SCRIPTS_DIR/lib/tls.sh"
# shellcheck source=lib/kafka.sh
. "$VS_SCRIPTS_DIR/lib/kafka.sh"
# shellcheck source=lib/neo4j.sh
. "$VS_SCRIPTS_DIR/lib/neo4j.sh"
# shellcheck source=lib/milvus.sh
. "$VS_SCRIPTS_DIR/lib/milvus.sh"

[[ $VS_PG_PORT =~ ^[0-9]+$ ]] || die "VS_PG_PORT must be a port number, not '$VS_PG_PORT'"
[[ $VS_KAFKA_PORT =~ ^[0-9]+$ ]] || die "VS_KAFKA_PORT must be a port number, not '$VS_KAFKA_PORT'"
[[ $VS_NEO4J_PORT =~ ^[0-9]+$ ]] || die "VS_NEO4J_PORT must be a port number, not '$VS_NEO4J_PORT'"
[[ $VS_MILVUS_PORT =~ ^[0-9]+$ ]] || die "VS_MILVUS_PORT must be a port number, not '$VS_MILVUS_PORT'"

# The servers a command acts on: all, or the one named by --only. services.env always lists all.
ACTIVE=("${SERVERS[@]}")
if [[ -n $ONLY ]]; then
  ACTIVE=()
  for s in "${SERVERS[@]}"; do
    [[ ",$ONLY," == *",$s,"* ]] && ACTIVE+=("$s")
  done
  for s in ${ONLY//,/ }; do
    [[ " ${SERVERS[*]} " == *" $s "* ]] || die "--only takes names from: ${SERVERS[*]} (was '$s')"
  done
fi

# ---- commands ------------------------------------------------------------------------------------

do_install() {
  take_install_lock
  local s
  for s in "${ACTIVE[@]}"; do
    "${s}_install"
  done
  flock -u 7
}

# Prints one line per server; returns 1 when any is not running.
do_status() {
  local s rc=0
  for s in "${ACTIVE[@]}"; do
    "${s}_status" || rc=1
  done
  return "$rc"
}

write_env() {
  local s tmp=$VS_RUN_DIR/services.env.tmp
  {
    echo "# Written by scripts/services.sh up --profile $VS_PROFILE"
    echo "VS_PROFILE=$VS_PROFILE"
    echo "VS_RUN_DIR=$VS_RUN_DIR"
    for s in "${SERVERS[@]}"; do
      "${s}_env"
    done
  } >"$tmp"
  mv "$tmp" "$VS_RUN_DIR/services.env"
}

do_up() {
  local start s
  start=$(now)
  do_install
  take_profile_lock
  mkdir -p "$VS_RUN_DIR"
  for s in "${ACTIVE[@]}"; do
    "${s}_up"
  done
  write_env
  log "profile $VS_PROFILE up in $(elapsed_since "$start") s (addresses also in $VS_RUN_DIR/services.env)"
  do_status
}

do_down() {
  take_profile_lock
  local i
  for ((i = ${#ACTIVE[@]} - 1; i >= 0; i--)); do
    "${ACTIVE[i]}_down"
  done
}

# pause/resume: SIGSTOP/SIGCONT to each named server's own process.
do_signal() {
  local signal=$1 s pid
  [[ -n $ONLY ]] || die "$COMMAND needs --only, e.g. --only milvus"
  for s in "${ACTIVE[@]}"; do
    declare -F "${s}_pid" >/dev/null || die "$s cannot be paused"
    "${s}_paths"
    pid=$("${s}_pid") || die "$s is not running"
    kill "-$signal" "$pid"
    log "$s: SIG$signal sent to pid $pid"
  done
}

do_reset() {
  do_down
  local s
  for s in "${ACTIVE[@]}"; do
    "${s}_clean"
  done
  if [[ -z $ONLY ]]; then
    log "removing $VS_RUN_DIR"
    rm -rf "$VS_RUN_DIR"
  fi
}

case $COMMAND in
  install) do_install ;;
  up) do_up ;;
  down) do_down ;;
  status) do_status ;;
  reset) do_reset ;;
  pause) do_signal STOP ;;
  resume) do_signal CONT ;;
  kafka-cli)
    ((${#CLI_ARGS[@]})) || die "kafka-cli needs a class, e.g. org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$VS_KAFKA_PORT --list"
    [[ -d $KAFKA_LIBS ]] || die "kafka jars not installed: run scripts/services.sh install"
    kafka_java_tool "${CLI_ARGS[@]}"
    ;;
  *) usage ;;
esac
