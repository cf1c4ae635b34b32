# shellcheck shell=bash
# Kafka 4.3.0: a single-node KRaft broker+controller in its own JVM, jars from Maven Central
# (scripts/kafka/pom.xml), cached outside the repo so a fresh clone does not download them again.

KAFKA_VERSION=4.3.0
KAFKA_HOME=$VS_CACHE_DIR/kafka-$KAFKA_VERSION
KAFKA_LIBS=$KAFKA_HOME/libs
KAFKA_POM=$VS_SCRIPTS_DIR/kafka/pom.xml
KAFKA_HEAP=${VS_KAFKA_HEAP:-512m}

# The secured listener: SASL_SSL with SCRAM-SHA-512 on the port after the controller's, certificates from
# scripts/lib/tls.sh in <run>/tls. The standard authorizer guards it: only ACLs let its principals in. The plain
# listener stays for every other test (its clients are User:ANONYMOUS, a super user there, as is the broker itself);
# vs-admin, a SCRAM super user made when the storage is formatted, is for test harnesses to create users and ACLs.
KAFKA_SASL_ADMIN=vs-admin

kafka_paths() {
  KAFKA_SASL_PORT=$((VS_KAFKA_PORT + 2))
  KAFKA_TLS_DIR=$VS_RUN_DIR/tls
  KAFKA_DIR=$VS_RUN_DIR/kafka
  KAFKA_PROPS=$KAFKA_DIR/server.properties
  KAFKA_PIDFILE=$KAFKA_DIR/kafka.pid
  KAFKA_LOG=$KAFKA_DIR/server.log
  KAFKA_DATA=$KAFKA_DIR/data
}

java_bin() {
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    echo "$JAVA_HOME/bin/java"
  else
    echo java
  fi
}

kafka_address() { echo "127.0.0.1:$VS_KAFKA_PORT"; }

kafka_env() {
  kafka_paths
  echo "VS_KAFKA_BOOTSTRAP=127.0.0.1:$VS_KAFKA_PORT"
  echo "VS_KAFKA_SASL_BOOTSTRAP=127.0.0.1:$KAFKA_SASL_PORT"
  echo "VS_KAFKA_SASL_ADMIN=$KAFKA_SASL_ADMIN"
  echo "VS_KAFKA_SASL_ADMIN_PASSWORD_FILE=$KAFKA_DIR/admin.password"
  echo "VS_KAFKA_TRUSTSTORE=$KAFKA_TLS_DIR/ca.crt"
}

# The pom's checksum is the cache key: a changed pom fetches the jars again.
kafka_libs_stamp() { sha256sum "$KAFKA_POM" | cut -c1-64; }

kafka_install() {
  if ! command -v "$(java_bin)" >/dev/null 2>&1; then
    apt_install openjdk-17-jre-headless
  fi
  if [[ -f $KAFKA_HOME/libs.stamp && $(cat "$KAFKA_HOME/libs.stamp") == "$(kafka_libs_stamp)" ]]; then
    log "kafka: $KAFKA_VERSION jars are installed in $KAFKA_LIBS"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
  local start tmp
  start=$(now)
  log "kafka: fetching kafka_2.13 $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS ..."
  mkdir -p "$KAFKA_HOME"
  tmp=$KAFKA_HOME/libs.tmp
  rm -rf "$tmp"
  if ! mvn -q -B -f "$KAFKA_POM" dependency:copy-dependencies -DoutputDirectory="$tmp" \
    >"$KAFKA_HOME/mvn.log" 2>&1 </dev/null; then
    die_with_log "$KAFKA_HOME/mvn.log" "kafka: mvn dependency:copy-dependencies failed"
  fi
  [[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || die_with_log "$KAFKA_HOME/mvn.log" "kafka: kafka_2.13-$KAFKA_VERSION.jar missing after download"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  kafka_libs_stamp >"$KAFKA_HOME/libs.stamp"
  log "kafka: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $(elapsed_since "$start") s"
}

# A JVM on the broker's jars with quiet (WARN, stderr) logging, for CLI tools and checks.
kafka_tool_cmd() {
  KAFKA_TOOL_CMD=("$(java_bin)" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$VS_SCRIPTS_DIR/kafka/tools-log4j2.yaml"
    -cp "$KAFKA_LIBS/*")
}

# Runs a main class from the broker's jars: kafka_java_tool CLASS ARGS...
kafka_java_tool() {
  kafka_tool_cmd
  "${KAFKA_TOOL_CMD[@]}" "$@"
}

# Prints the broker pid when the pid file names a live process that is this profile's broker
# (a reused pid belonging to something else counts as stale).
kafka_pid() {
  local pid
  [[ -f $KAFKA_PIDFILE ]] || return 1
  pid=$(cat "$KAFKA_PIDFILE" 2>/dev/null) || return 1
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_PROPS" || return 1
  echo "$pid"
}

kafka_status() {
  kafka_paths
  if kafka_pid >/dev/null && port_open "$VS_KAFKA_PORT"; then
    printf '%-9s %-8s %s\n' kafka running "$(kafka_address)"
  else
    printf '%-9s %-8s %s\n' kafka stopped "$(kafka_address)"
    return 1
  fi
}

kafka_write_config() {
  local cport=$((VS_KAFKA_PORT + 1)) keystore_password
  tls_server_cert "$KAFKA_TLS_DIR" kafka "IP:127.0.0.1,DNS:localhost"
  keystore_password=$(tls_password "$KAFKA_TLS_DIR/kafka.p12.password")
  tls_pkcs12 "$KAFKA_TLS_DIR" kafka "$keystore_password"
  (umask 077 && : >"$KAFKA_PROPS")
  cat >"$KAFKA_PROPS" <<EOF
# Written by scripts/services.sh on every start: edit the script, not this file.
# Single-node KRaft (broker + controller in one JVM), static quorum, local tests only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$VS_KAFKA_PORT,CONTROLLER://127.0.0.1:$cport,SASL_SSL://127.0.0.1:$KAFKA_SASL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$VS_KAFKA_PORT,SASL_SSL://127.0.0.1:$KAFKA_SASL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
log.dirs=$KAFKA_DATA

# The secured listener (see kafka.sh): SCRAM-SHA-512 over TLS, ACLs by the standard authorizer.
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$KAFKA_TLS_DIR/kafka.p12
listener.name.sasl_ssl.ssl.keystore.password=$keystore_password
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:ANONYMOUS;User:$KAFKA_SASL_ADMIN
allow.everyone.if.no.acl.found=false

num.partitions=1
auto.create.topics.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

kafka_up() {
  kafka_paths
  mkdir -p "$KAFKA_DIR"
  local pid start cport=$((VS_KAFKA_PORT + 1))
  if pid=$(kafka_pid); then
    if port_open "$VS_KAFKA_PORT"; then
      log "kafka: already running on 127.0.0.1:$VS_KAFKA_PORT (pid $pid)"
      return 0
    fi
    if ! grep -q "^listeners=PLAINTEXT://127.0.0.1:$VS_KAFKA_PORT," "$KAFKA_PROPS"; then
      die "kafka: already running (pid $pid) with $(grep '^listeners=' "$KAFKA_PROPS"), not port $VS_KAFKA_PORT: run 'down' first"
    fi
    log "kafka: pid $pid is alive but not ready yet, waiting ..."
    kafka_wait_ready "$pid"
    return 0
  fi
  if [[ -f $KAFKA_PIDFILE ]]; then
    log "kafka: removing stale pid file (pid $(cat "$KAFKA_PIDFILE") is gone)"
    rm -f "$KAFKA_PIDFILE"
  fi
  local p
  for p in "$VS_KAFKA_PORT" "$cport" "$KAFKA_SASL_PORT"; do
    if port_open "$p"; then
      die "kafka: port $p is already in use by another process (set VS_KAFKA_PORT or stop it)"
    fi
  done
  start=$(now)
  kafka_write_config
  if [[ ! -f $KAFKA_DATA/meta.properties ]]; then
    # Generated once and kept: the storage is formatted with it and must keep matching.
    if [[ ! -s $KAFKA_DIR/cluster.id ]]; then
      # URL-safe base64 of 16 random bytes, as Kafka's own Uuid; one that starts with '-' would be
      # read as an option by the storage tool (a CI run failed on "-j-CJ..."), so draw again.
      local id
      until id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n') && [[ $id != -* ]]; do :; done
      printf '%s' "$id" >"$KAFKA_DIR/cluster.id"
    fi
    log "kafka: formatting storage $KAFKA_DATA (cluster id $(cat "$KAFKA_DIR/cluster.id")) ..."
    if ! kafka_java_tool kafka.tools.StorageTool format --cluster-id="$(cat "$KAFKA_DIR/cluster.id")" \
      -c "$KAFKA_PROPS" --add-scram "SCRAM-SHA-512=[name=$KAFKA_SASL_ADMIN,password=$(kafka_admin_password)]" \
      >"$KAFKA_DIR/format.log" 2>&1; then
      die_with_log "$KAFKA_DIR/format.log" "kafka: kafka.tools.StorageTool format failed"
    fi
    : >"$KAFKA_DIR/scram.stamp"
  fi
  log "kafka: starting on 127.0.0.1:$VS_KAFKA_PORT (controller $cport) ..."
  printf '\n==== services.sh start %s ====\n' "$(date -Is)" >>"$KAFKA_LOG"
  # setsid + nohup: the broker outlives this shell and its process group; the inner shell writes
  # its own pid and execs java, so the pid file names the JVM. 7>&- 8>&-: don't inherit our locks.
  # shellcheck disable=SC2016 # $$ and $0 are for the inner shell
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$KAFKA_PIDFILE" \
    "$(java_bin)" -Xms256m -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$VS_SCRIPTS_DIR/kafka/log4j2.yaml" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS" \
    </dev/null >>"$KAFKA_LOG" 2>&1 7>&- 8>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $KAFKA_PIDFILE ]] && break
    sleep 0.1
  done
  pid=$(cat "$KAFKA_PIDFILE" 2>/dev/null) || die_with_log "$KAFKA_LOG" "kafka: no pid file after launch"
  kafka_wait_ready "$pid"
  kafka_ensure_admin
  log "kafka: up in $(elapsed_since "$start") s (pid $pid; SASL_SSL on 127.0.0.1:$KAFKA_SASL_PORT)"
}

# Ready = the port accepts connections AND the broker answers an admin request (lists topics).
kafka_wait_ready() {
  local pid=$1 deadline=$((SECONDS + 60))
  kafka_tool_cmd
  while ((SECONDS < deadline)); do
    pid_alive "$pid" || die_with_log "$KAFKA_LOG" "kafka: broker process $pid exited during start-up"
    if port_open "$VS_KAFKA_PORT" &&
      timeout 30 "${KAFKA_TOOL_CMD[@]}" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "127.0.0.1:$VS_KAFKA_PORT" --list >/dev/null 2>>"$KAFKA_DIR/readiness.log"; then
      return 0
    fi
    sleep 0.5
  done
  die_with_log "$KAFKA_LOG" "kafka: not ready on 127.0.0.1:$VS_KAFKA_PORT after 60 s"
}

kafka_admin_password() { tls_password "$KAFKA_DIR/admin.password"; }

# Storage formatted before the secured listener existed has no vs-admin: add it through the plain listener once.
kafka_ensure_admin() {
  [[ -f $KAFKA_DIR/scram.stamp ]] && return 0
  log "kafka: adding SCRAM user $KAFKA_SASL_ADMIN (storage formatted without it) ..."
  if ! kafka_java_tool org.apache.kafka.tools.ConfigCommand --bootstrap-server "127.0.0.1:$VS_KAFKA_PORT" --alter \
    --add-config "SCRAM-SHA-512=[password=$(kafka_admin_password)]" --entity-type users \
    --entity-name "$KAFKA_SASL_ADMIN" >"$KAFKA_DIR/scram.log" 2>&1; then
    die_with_log "$KAFKA_DIR/scram.log" "kafka: could not add SCRAM user $KAFKA_SASL_ADMIN"
  fi
  : >"$KAFKA_DIR/scram.stamp"
}

kafka_down() {
  kafka_paths
  local pid i
  if ! pid=$(kafka_pid); then
    [[ -f $KAFKA_PIDFILE ]] && rm -f "$KAFKA_PIDFILE"
    log "kafka: not running"
    return 0
  fi
  log "kafka: stopping (pid $pid, SIGTERM) ..."
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    pid_alive "$pid" || break
    sleep 0.1
  done
  if pid_alive "$pid"; then
    log "kafka: still alive after 20 s, SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
  fi
  pid_alive "$pid" && die "kafka: pid $pid survived SIGKILL"
  rm -f "$KAFKA_PIDFILE"
}

kafka_clean() { :; }
