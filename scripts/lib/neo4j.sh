# shellcheck shell=bash
# Neo4j 5.26 (community) for the demo and the tests: scripts/neo4j/Neo4jServer.java runs neo4j-harness in its own
# JVM, Bolt only on 127.0.0.1:$VS_NEO4J_PORT, no auth, no TLS, no HTTP. Jars from Maven Central
# (scripts/neo4j/pom.xml), cached outside the repo like Kafka's.
#
# Data survives down/up: the harness would keep its database in a random folder that it deletes on close, so
# Neo4jServer points the data directory at <run>/neo4j/data instead (home/ is the harness's scratch folder, emptied
# at every start; debug.log is in logs/). reset deletes it, also with --only neo4j.
#
# Readiness: the JVM writes <run>/neo4j/ready only after a driver ran RETURN 1 over Bolt; status also repeats a Bolt
# handshake, so a running server is one that answers Bolt now.

NEO4J_VERSION=5.26.30
NEO4J_HOME=$VS_CACHE_DIR/neo4j-$NEO4J_VERSION
NEO4J_LIBS=$NEO4J_HOME/libs
NEO4J_POM=$VS_SCRIPTS_DIR/neo4j/pom.xml
NEO4J_MAIN=$VS_SCRIPTS_DIR/neo4j/Neo4jServer.java
NEO4J_HEAP=${VS_NEO4J_HEAP:-768m}
NEO4J_START_TIMEOUT=120

neo4j_paths() {
  NEO4J_DIR=$VS_RUN_DIR/neo4j
  NEO4J_PIDFILE=$NEO4J_DIR/neo4j.pid
  NEO4J_LOG=$NEO4J_DIR/server.log
  NEO4J_READY=$NEO4J_DIR/ready
}

neo4j_address() { echo "bolt://127.0.0.1:$VS_NEO4J_PORT"; }

neo4j_env() {
  echo "VS_NEO4J_URI=bolt://127.0.0.1:$VS_NEO4J_PORT"
}

# The pom's checksum is the cache key: a changed pom fetches the jars again.
neo4j_libs_stamp() { sha256sum "$NEO4J_POM" | cut -c1-64; }

neo4j_install() {
  if ! command -v "$(java_bin)" >/dev/null 2>&1; then
    apt_install openjdk-17-jre-headless
  fi
  if [[ -f $NEO4J_HOME/libs.stamp && $(cat "$NEO4J_HOME/libs.stamp") == "$(neo4j_libs_stamp)" ]]; then
    log "neo4j: $NEO4J_VERSION jars are installed in $NEO4J_LIBS"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
  local start tmp
  start=$(now)
  log "neo4j: fetching neo4j-harness $NEO4J_VERSION jars from Maven Central into $NEO4J_LIBS ..."
  mkdir -p "$NEO4J_HOME"
  tmp=$NEO4J_HOME/libs.tmp
  rm -rf "$tmp"
  if ! mvn -q -B -f "$NEO4J_POM" dependency:copy-dependencies -DoutputDirectory="$tmp" \
    >"$NEO4J_HOME/mvn.log" 2>&1 </dev/null; then
    die_with_log "$NEO4J_HOME/mvn.log" "neo4j: mvn dependency:copy-dependencies failed"
  fi
  [[ -f $tmp/neo4j-harness-$NEO4J_VERSION.jar ]] ||
    die_with_log "$NEO4J_HOME/mvn.log" "neo4j: neo4j-harness-$NEO4J_VERSION.jar missing after download"
  rm -rf "$NEO4J_LIBS"
  mv "$tmp" "$NEO4J_LIBS"
  neo4j_libs_stamp >"$NEO4J_HOME/libs.stamp"
  log "neo4j: $(find "$NEO4J_LIBS" -name '*.jar' | wc -l) jars in $(elapsed_since "$start") s"
}

# Prints the server pid when the pid file names a live process that is this profile's Neo4jServer
# (a reused pid belonging to something else counts as stale).
neo4j_pid() {
  local pid
  [[ -f $NEO4J_PIDFILE ]] || return 1
  pid=$(cat "$NEO4J_PIDFILE" 2>/dev/null) || return 1
  pid_alive "$pid" || return 1
  # Every argument in /proc/PID/cmdline ends in NUL, so the last one is followed by a space here: an exact match.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "Neo4jServer.java --port $VS_NEO4J_PORT --dir $NEO4J_DIR " ||
    return 1
  echo "$pid"
}

# A Bolt handshake on 127.0.0.1:$1: the magic preamble and four proposed versions (5.4 down to 5.0, then 4.4 down
# to 4.0); a Bolt server answers with the version it picked, anything else with nothing or zeros.
bolt_handshake() {
  local reply
  # shellcheck disable=SC2016 # $1 is for the inner shell
  reply=$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "\x60\x60\xb0\x17\x00\x04\x04\x05\x00\x04\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00" >&3
    head -c 4 <&3 | od -An -tx1 | tr -d " \n"' _ "$1" 2>/dev/null) || return 1
  [[ ${#reply} -eq 8 && $reply != 00000000 ]]
}

# Ready = our JVM wrote the ready marker (a query ran over Bolt) and Bolt answers a handshake now.
neo4j_ready() {
  local pid=$1
  [[ -f $NEO4J_READY && $(cut -d' ' -f1 "$NEO4J_READY" 2>/dev/null) == "$pid" ]] && bolt_handshake "$VS_NEO4J_PORT"
}

neo4j_status() {
  neo4j_paths
  local pid
  if pid=$(neo4j_pid) && neo4j_ready "$pid"; then
    printf '%-9s %-8s %s\n' neo4j running "$(neo4j_address)"
  else
    printf '%-9s %-8s %s\n' neo4j stopped "$(neo4j_address)"
    return 1
  fi
}

neo4j_up() {
  neo4j_paths
  mkdir -p "$NEO4J_DIR"
  local pid start
  if pid=$(neo4j_pid); then
    if neo4j_ready "$pid"; then
      log "neo4j: already running on 127.0.0.1:$VS_NEO4J_PORT (pid $pid)"
      return 0
    fi
    log "neo4j: pid $pid is alive but not ready yet, waiting ..."
    neo4j_wait_ready "$pid"
    return 0
  fi
  if [[ -f $NEO4J_PIDFILE ]]; then
    log "neo4j: removing stale pid file (pid $(cat "$NEO4J_PIDFILE") is gone)"
    rm -f "$NEO4J_PIDFILE"
  fi
  if port_open "$VS_NEO4J_PORT"; then
    die "neo4j: port $VS_NEO4J_PORT is already in use by another process (set VS_NEO4J_PORT or stop it)"
  fi
  rm -f "$NEO4J_READY"
  start=$(now)
  log "neo4j: starting $NEO4J_VERSION on bolt://127.0.0.1:$VS_NEO4J_PORT (data $NEO4J_DIR/data) ..."
  printf '\n==== services.sh start %s ====\n' "$(date -Is)" >>"$NEO4J_LOG"
  # setsid + nohup: the server outlives this shell and its process group; the inner shell writes its own pid and
  # execs java, so the pid file names the JVM. 7>&- 8>&-: don't inherit our locks. --add-opens as Neo4j's own
  # launcher does, for its page cache and Netty.
  # shellcheck disable=SC2016 # $$ and $0 are for the inner shell
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$NEO4J_PIDFILE" \
    "$(java_bin)" -Xms256m -Xmx"$NEO4J_HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true \
    -cp "$NEO4J_LIBS/*" "$NEO4J_MAIN" --port "$VS_NEO4J_PORT" --dir "$NEO4J_DIR" \
    </dev/null >>"$NEO4J_LOG" 2>&1 7>&- 8>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $NEO4J_PIDFILE ]] && break
    sleep 0.1
  done
  pid=$(cat "$NEO4J_PIDFILE" 2>/dev/null) || die_with_log "$NEO4J_LOG" "neo4j: no pid file after launch"
  neo4j_wait_ready "$pid"
  log "neo4j: up in $(elapsed_since "$start") s (pid $pid)"
}

neo4j_wait_ready() {
  local pid=$1 deadline=$((SECONDS + NEO4J_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    pid_alive "$pid" || die_with_log "$NEO4J_LOG" "neo4j: server process $pid exited during start-up"
    neo4j_ready "$pid" && return 0
    sleep 0.5
  done
  die_with_log "$NEO4J_LOG" "neo4j: not ready on bolt://127.0.0.1:$VS_NEO4J_PORT after $NEO4J_START_TIMEOUT s (debug log: $NEO4J_DIR/logs/debug.log)"
}

neo4j_down() {
  neo4j_paths
  local pid i
  if ! pid=$(neo4j_pid); then
    [[ -f $NEO4J_PIDFILE ]] && rm -f "$NEO4J_PIDFILE"
    log "neo4j: not running"
    return 0
  fi
  log "neo4j: stopping (pid $pid, SIGTERM) ..."
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    pid_alive "$pid" || break
    sleep 0.1
  done
  if pid_alive "$pid"; then
    log "neo4j: still alive after 30 s, SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
  fi
  pid_alive "$pid" && die "neo4j: pid $pid survived SIGKILL"
  rm -f "$NEO4J_PIDFILE" "$NEO4J_READY"
}

# Deletes the data (called by reset, after down), also for reset --only neo4j.
neo4j_clean() {
  neo4j_paths
  if [[ -d $NEO4J_DIR ]]; then
    log "neo4j: removing $NEO4J_DIR"
    rm -rf "$NEO4J_DIR"
  fi
}
