# shellcheck shell=bash
# Milvus 2.3.5 standalone (embedded etcd, RocksMQ, local storage: one process, no Docker), taken from the PyPI
# package 'milvus' (scripts/milvus/requirements.txt) in a virtualenv under $VS_CACHE_DIR. 2.3.5 is the newest 2.3
# release PyPI has for Linux x86_64: 2.3.8 and 2.3.9 exist only as macOS arm64 wheels.
#
# scripts/milvus/launch.py writes the config from the package's own template and execs the server binary, so the
# pid file names the server itself. The package's milvus-server script is not used: it picks any free metrics port,
# and its embedded etcd always listens on 2379/2380, so two profiles could not run side by side.
#
# Ports: every port of a profile is derived from its proxy port P = VS_MILVUS_PORT (demo 19530, test 19540) and
# ends in the same two digits, so profiles whose P differ by anything but a multiple of 100 never collide:
#   P proxy (gRPC and REST, what clients use)   P+100 metrics, /healthz   P+200 etcd client   P+300 etcd peer
#   P+400 proxy internal   P+500 root coord   P+600 query coord   P+700 query node   P+800 index coord (reserved,
#   2.3 runs it inside data coord)   P+900 index node   P+1000 data coord   P+1100 data node
# etcd listens on 127.0.0.1 only; Milvus 2.3 binds its gRPC ports on every interface and cannot be told otherwise.
# up refuses to start, naming the port, when any of them is taken.
#
# Data: every start begins with an empty data dir (<run>/milvus/data), so 'up' after 'down' gives an empty Milvus;
# every user of this server (the tests, the demo's sink) creates its collections itself. Restarted on its old data
# dir, Milvus 2.3.5 answered /healthz after 7 s but a query then hung for over 20 s (it answered a minute later), so
# readiness could not be trusted. down sends SIGTERM and SIGKILL after 10 s: a loaded
# Milvus 2.3 often does not finish stopping, and nothing is lost since the data is dropped anyway.
# Logs: <run>/milvus/server.log, appended across starts, at level VS_MILVUS_LOG_LEVEL (default warn).
# Measured on 2 cores: install (pip + unpack) 10 s once; up 2.2-3.2 s; RSS 210 MB idle, 660 MB after the sink tests.

MILVUS_VERSION=2.3.5
MILVUS_HOME=$VS_CACHE_DIR/milvus-$MILVUS_VERSION
MILVUS_VENV=$MILVUS_HOME/venv
MILVUS_REQUIREMENTS=$VS_SCRIPTS_DIR/milvus/requirements.txt
MILVUS_LAUNCHER=$VS_SCRIPTS_DIR/milvus/launch.py
MILVUS_START_TIMEOUT=180
# Port name (a launch.py argument or a template '*_port' key) and its offset from VS_MILVUS_PORT, in hundreds.
MILVUS_PORT_PLAN=(proxy_port:0 metrics:1 etcd_client:2 etcd_peer:3 proxy_internal_port:4 root_coord_port:5
  query_coord_port:6 query_node_port:7 index_coord_port:8 index_node_port:9 data_coord_port:10 data_node_port:11)

milvus_paths() {
  MILVUS_DIR=$VS_RUN_DIR/milvus
  MILVUS_PIDFILE=$MILVUS_DIR/milvus.pid
  MILVUS_LOG=$MILVUS_DIR/server.log
  MILVUS_DATA=$MILVUS_DIR/data
  # Names the server's lock file, /run/milvus/standalone-<alias>.pid, which is per machine.
  MILVUS_ALIAS=vectorsync$VS_MILVUS_PORT
}

# milvus_port NAME: the port of NAME in this profile.
milvus_port() {
  local entry
  for entry in "${MILVUS_PORT_PLAN[@]}"; do
    if [[ ${entry%%:*} == "$1" ]]; then
      echo $((VS_MILVUS_PORT + 100 * ${entry##*:}))
      return 0
    fi
  done
  die "milvus: no port named $1"
}

milvus_address() { echo "http://127.0.0.1:$VS_MILVUS_PORT"; }

milvus_env() { echo "VS_MILVUS_URI=http://127.0.0.1:$VS_MILVUS_PORT"; }

milvus_python() {
  if [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null; then
    echo /usr/bin/python3
    return 0
  fi
  apt_install python3 python3-venv
  echo /usr/bin/python3
}

# The requirements file's checksum is the cache key: a changed pin installs again.
milvus_stamp() { sha256sum "$MILVUS_REQUIREMENTS" | cut -c1-64; }

milvus_installed() {
  [[ -f $MILVUS_HOME/install.stamp && $(cat "$MILVUS_HOME/install.stamp") == "$(milvus_stamp)" ]] &&
    [[ -x $MILVUS_HOME/bin/milvus ]] &&
    [[ $("$MILVUS_VENV/bin/python" -c 'import milvus; print(milvus.__version__)' 2>/dev/null) == "$MILVUS_VERSION" ]]
}

milvus_install() {
  if milvus_installed; then
    log "milvus: $MILVUS_VERSION is installed in $MILVUS_HOME"
    return 0
  fi
  local start python
  start=$(now)
  python=$(milvus_python)
  log "milvus: installing PyPI milvus $MILVUS_VERSION into $MILVUS_VENV ..."
  rm -rf "$MILVUS_HOME"
  mkdir -p "$MILVUS_HOME"
  if ! "$python" -m venv "$MILVUS_VENV" >"$MILVUS_HOME/install.log" 2>&1; then
    die_with_log "$MILVUS_HOME/install.log" "milvus: $python -m venv $MILVUS_VENV failed"
  fi
  if ! "$MILVUS_VENV/bin/pip" install --no-input --disable-pip-version-check -q -r "$MILVUS_REQUIREMENTS" \
    >>"$MILVUS_HOME/install.log" 2>&1 </dev/null; then
    die_with_log "$MILVUS_HOME/install.log" "milvus: pip install -r $MILVUS_REQUIREMENTS failed"
  fi
  # Unpacked once here (250 MB), not into every data dir as the package's own script does.
  log "milvus: unpacking the server binaries into $MILVUS_HOME/bin ..."
  if ! "$MILVUS_VENV/bin/python" "$MILVUS_LAUNCHER" extract "$MILVUS_HOME" >>"$MILVUS_HOME/install.log" 2>&1; then
    die_with_log "$MILVUS_HOME/install.log" "milvus: unpacking the binaries failed"
  fi
  milvus_stamp >"$MILVUS_HOME/install.stamp"
  milvus_installed || die_with_log "$MILVUS_HOME/install.log" "milvus: $MILVUS_VERSION not usable after install"
  log "milvus: $MILVUS_VERSION installed in $(elapsed_since "$start") s"
}

# Prints the server pid when the pid file names a live Milvus of this install (a reused pid belonging to something
# else counts as stale).
milvus_pid() {
  local pid
  [[ -f $MILVUS_PIDFILE ]] || return 1
  pid=$(cat "$MILVUS_PIDFILE" 2>/dev/null) || return 1
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
    grep -qF -e "$MILVUS_HOME/bin/milvus run standalone" -e "$MILVUS_LAUNCHER run" || return 1
  echo "$pid"
}

# The alias the running server was started with (from its command line), i.e. which port it serves.
milvus_running_alias() {
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -A1 -x -- '--alias' | tail -n 1
}

# True when /healthz on the metrics port answers 200 with OK. Plain bash, so no curl is needed.
milvus_healthy() {
  local port
  port=$(milvus_port metrics)
  # shellcheck disable=SC2016 # the inner shell expands them
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    response=$(cat <&3)
    [[ $response == "HTTP/1."?" 200"* && $response == *OK* ]]' "$port" 2>/dev/null
}

milvus_ready() { milvus_healthy && port_open "$VS_MILVUS_PORT"; }

milvus_status() {
  milvus_paths
  if milvus_pid >/dev/null && milvus_ready; then
    printf '%-9s %-8s %s\n' milvus running "$(milvus_address)"
  else
    printf '%-9s %-8s %s\n' milvus stopped "$(milvus_address)"
    return 1
  fi
}

# Dies naming the first port of the plan that is out of range or already taken.
milvus_check_ports() {
  local entry name port
  for entry in "${MILVUS_PORT_PLAN[@]}"; do
    name=${entry%%:*}
    port=$(milvus_port "$name")
    ((port <= 65535)) || die "milvus: VS_MILVUS_PORT=$VS_MILVUS_PORT puts the ${name%_port} port at $port, past 65535"
    if port_open "$port"; then
      die "milvus: port $port (${name%_port}, VS_MILVUS_PORT + $((port - VS_MILVUS_PORT))) is already in use by another process (set VS_MILVUS_PORT or stop it)"
    fi
  done
}

milvus_up() {
  milvus_paths
  mkdir -p "$MILVUS_DIR"
  local pid start
  if pid=$(milvus_pid); then
    if [[ $(milvus_running_alias "$pid") != "$MILVUS_ALIAS" ]]; then
      die "milvus: already running (pid $pid, $(milvus_running_alias "$pid")), not on port $VS_MILVUS_PORT: run 'down' first"
    fi
    if milvus_ready; then
      log "milvus: already running on 127.0.0.1:$VS_MILVUS_PORT (pid $pid)"
      return 0
    fi
    log "milvus: pid $pid is alive but not ready yet, waiting ..."
    milvus_wait_ready "$pid"
    return 0
  fi
  if [[ -f $MILVUS_PIDFILE ]]; then
    log "milvus: removing stale pid file (pid $(cat "$MILVUS_PIDFILE") is gone)"
    rm -f "$MILVUS_PIDFILE"
  fi
  milvus_check_ports
  milvus_installed || die "milvus: $MILVUS_VERSION is not installed in $MILVUS_HOME: run scripts/services.sh install"
  start=$(now)
  rm -rf "$MILVUS_DATA"
  mkdir -p "$MILVUS_DATA"
  local args=() entry name
  for entry in "${MILVUS_PORT_PLAN[@]}"; do
    name=${entry%%:*}
    [[ $name == *_port ]] && args+=(--port "$name=$(milvus_port "$name")")
  done
  log "milvus: starting on 127.0.0.1:$VS_MILVUS_PORT (metrics $(milvus_port metrics), empty data dir $MILVUS_DATA) ..."
  printf '\n==== services.sh start %s ====\n' "$(date -Is)" >>"$MILVUS_LOG"
  # setsid + nohup: the server outlives this shell in a process group of its own, which down kills whole. The
  # inner shell writes its pid and execs the launcher, which execs the server: the pid file names the server.
  # 7>&- 8>&-: don't inherit our locks.
  # shellcheck disable=SC2016 # $$ and $0 are for the inner shell
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$MILVUS_PIDFILE" \
    "$MILVUS_VENV/bin/python" "$MILVUS_LAUNCHER" run --home "$MILVUS_HOME" --data "$MILVUS_DATA" \
    --alias "$MILVUS_ALIAS" --metrics-port "$(milvus_port metrics)" \
    --etcd-client-port "$(milvus_port etcd_client)" --etcd-peer-port "$(milvus_port etcd_peer)" "${args[@]}" \
    </dev/null >>"$MILVUS_LOG" 2>&1 7>&- 8>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $MILVUS_PIDFILE ]] && break
    sleep 0.1
  done
  pid=$(cat "$MILVUS_PIDFILE" 2>/dev/null) || die_with_log "$MILVUS_LOG" "milvus: no pid file after launch"
  milvus_wait_ready "$pid"
  log "milvus: up in $(elapsed_since "$start") s (pid $pid, RSS $(milvus_rss_mb "$pid") MB)"
}

milvus_rss_mb() {
  awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo '?'
}

milvus_wait_ready() {
  local pid=$1 deadline=$((SECONDS + MILVUS_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    pid_alive "$pid" || die_with_log "$MILVUS_LOG" "milvus: server process $pid exited during start-up"
    milvus_ready && return 0
    sleep 0.5
  done
  die_with_log "$MILVUS_LOG" "milvus: /healthz on 127.0.0.1:$(milvus_port metrics) not OK after $MILVUS_START_TIMEOUT s (pid $pid still running: 'down' stops it)"
}

# True while any process of group $1 exists.
milvus_group_alive() {
  kill -0 -- "-$1" 2>/dev/null
}

# Prints the ports of the plan that still accept connections.
milvus_open_ports() {
  local entry port
  for entry in "${MILVUS_PORT_PLAN[@]}"; do
    port=$(milvus_port "${entry%%:*}")
    port_open "$port" && printf '%s ' "$port"
  done
  return 0
}

milvus_down() {
  milvus_paths
  local pid i
  if ! pid=$(milvus_pid); then
    [[ -f $MILVUS_PIDFILE ]] && rm -f "$MILVUS_PIDFILE"
    log "milvus: not running"
    return 0
  fi
  # The server leads its own process group (setsid): signal the group, so nothing it spawned is left behind.
  # Nothing is lost by the SIGKILL after 10 s: the next start begins with an empty data dir anyway.
  log "milvus: stopping (process group $pid, SIGTERM) ..."
  kill -TERM -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    milvus_group_alive "$pid" || break
    sleep 0.1
  done
  if milvus_group_alive "$pid"; then
    log "milvus: still alive after 10 s, SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      milvus_group_alive "$pid" || break
      sleep 0.1
    done
  fi
  milvus_group_alive "$pid" && die "milvus: process group $pid survived SIGKILL"
  rm -f "$MILVUS_PIDFILE"
  local open=''
  for ((i = 0; i < 100; i++)); do
    open=$(milvus_open_ports)
    [[ -z $open ]] && return 0
    sleep 0.1
  done
  die "milvus: stopped, but ports ${open% } still accept connections (another process?)"
}

# Removes the data (called by reset, after down); the next up starts empty anyway.
milvus_clean() {
  milvus_paths
  rm -rf "$MILVUS_DATA"
  rm -f "/run/milvus/standalone-$MILVUS_ALIAS.pid" "/tmp/milvus/standalone-$MILVUS_ALIAS.pid"
}
