# shellcheck shell=bash
# Shared helpers for scripts/services.sh: logging, privilege, apt, ports, locks.
# Sourced, never run. Progress and errors go to stderr; status and addresses to stdout.

log() { printf '[services] %s\n' "$*" >&2; }

die() {
  printf '[services] ERROR: %s\n' "$*" >&2
  exit 1
}

# die, after showing the last lines of a server's log.
die_with_log() {
  local logfile=$1
  shift
  if [[ -s $logfile ]]; then
    printf '[services] ---- last 40 lines of %s ----\n' "$logfile" >&2
    tail -n 40 "$logfile" >&2 || true
    printf '[services] ---- end of %s ----\n' "$logfile" >&2
  else
    printf '[services] (no log at %s)\n' "$logfile" >&2
  fi
  die "$@"
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as root: directly when we are root, else through passwordless sudo.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "need root (or passwordless sudo) to run: $*"
  fi
}

# ---- apt --------------------------------------------------------------------------------------

APT_UPDATED=0

# apt_update once|force: apt-get update, at most once per invocation unless forced (after adding a source).
apt_update() {
  local mode=$1
  [[ $APT_UPDATED -eq 1 && $mode != force ]] && return 0
  log "apt: apt-get update ..."
  mkdir -p "$VS_CACHE_DIR"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$VS_CACHE_DIR/apt.log" 2>&1; then
    die_with_log "$VS_CACHE_DIR/apt.log" "apt-get update failed"
  fi
  APT_UPDATED=1
}

# Prints the packages among "$@" that are not installed.
apt_missing() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Installs the missing packages among "$@" (apt-get update only when something is missing).
apt_install() {
  local missing
  missing=$(apt_missing "$@")
  [[ -z $missing ]] && return 0
  missing=$(printf '%s' "$missing" | tr '\n' ' ')
  apt_update once
  log "apt: installing ${missing% } ..."
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    $missing >"$VS_CACHE_DIR/apt.log" 2>&1 </dev/null; then
    die_with_log "$VS_CACHE_DIR/apt.log" "apt-get install $missing failed"
  fi
}

# ---- processes and ports -------------------------------------------------------------------------

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when process $1 exists and is not a zombie (an exited child we have not reaped yet).
pid_alive() {
  [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# Seconds since the epoch with fractions, for timing messages.
now() { date +%s.%N; }

elapsed_since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# ---- locks ---------------------------------------------------------------------------------------
# fd 7: install lock (apt, builds, jar downloads; shared by every profile).
# fd 8: profile lock (up/down/reset of one run dir).
# Daemons must be started with "7>&- 8>&-" so they don't keep a lock held after we exit.

take_install_lock() {
  mkdir -p "$VS_CACHE_DIR"
  exec 7>"$VS_CACHE_DIR/install.lock"
  flock -w 900 7 || die "timed out waiting for $VS_CACHE_DIR/install.lock (another install running?)"
}

take_profile_lock() {
  mkdir -p "$(dirname "$VS_RUN_DIR")"
  exec 8>"${VS_RUN_DIR%/}.lock"
  flock -w 300 8 || die "timed out waiting for ${VS_RUN_DIR%/}.lock (another services.sh on this profile?)"
}
