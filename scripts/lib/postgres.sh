# shellcheck shell=bash
# PostgreSQL 15 + pgvector 0.8.0: a private cluster per profile (own data dir, own port).
# The machine's default cluster is never touched: no pg_createcluster, no systemctl; initdb/pg_ctl only.

PG_MAJOR=15
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PGVECTOR_VERSION=0.8.0
PGVECTOR_CONTROL=/usr/share/postgresql/$PG_MAJOR/extension/vector.control
# Debian's deb-src only: no binary package can ever come from trixie (it would replace libc).
PGVECTOR_SRC_LIST=/etc/apt/sources.list.d/vectorsync-trixie-src.sources
# The role that may log in only with a client certificate (pg_write_tls, pg_write_config, pg_ensure_cert_role).
PG_CERT_ROLE=vs_cert

# PostgreSQL refuses to run as root: as root we run it as the 'postgres' OS user that the Debian
# package creates; as any other user, as that user.
pg_os_user() {
  if is_root; then echo postgres; else id -un; fi
}

pg_as_owner() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Where the cluster lives. Normally <run>/postgres. When the 'postgres' OS user cannot traverse
# into the run dir (a repo under /root, say), the cluster goes to /var/lib/vectorsync/<profile>-<hash>
# instead and <run>/postgres is a symlink to it; PG_DIR is always the real path, so postgres never
# has to follow the symlink. Sets PG_DIR, PG_DATA, PG_LOG.
pg_resolve_dir() {
  local create=${1:-}
  local link=$VS_RUN_DIR/postgres
  if [[ -L $link ]]; then
    PG_DIR=$(readlink -f "$link")
  elif [[ -d $link || $create != create ]]; then
    PG_DIR=$link
  else
    mkdir -p "$VS_RUN_DIR"
    if ! is_root || runuser -u postgres -- test -x "$VS_RUN_DIR" 2>/dev/null; then
      PG_DIR=$link
    else
      local key
      key=$(printf '%s' "$VS_RUN_DIR" | sha256sum | cut -c1-10)
      PG_DIR=/var/lib/vectorsync/$VS_PROFILE-$key/postgres
      log "postgres: user postgres cannot enter $VS_RUN_DIR; cluster goes to $PG_DIR (symlinked)"
      mkdir -p "$PG_DIR"
      chmod 755 /var/lib/vectorsync "$(dirname "$PG_DIR")"
      ln -sfn "$PG_DIR" "$link"
    fi
    mkdir -p "$PG_DIR"
    if is_root; then chown postgres:postgres "$PG_DIR"; fi
  fi
  PG_DATA=$PG_DIR/data
  PG_LOG=$PG_DIR/postgres.log
}

postgres_address() {
  echo "jdbc:postgresql://127.0.0.1:$VS_PG_PORT/postgres (user postgres)"
}

postgres_env() {
  cat <<EOF
VS_PG_HOST=127.0.0.1
VS_PG_PORT=$VS_PG_PORT
VS_PG_USER=postgres
VS_PG_DATABASE=postgres
VS_PG_JDBC_URL=jdbc:postgresql://127.0.0.1:$VS_PG_PORT/postgres
VS_PG_SSL_ROOT_CERT=$VS_RUN_DIR/postgres/tls/ca.crt
VS_PG_CERT_USER=$PG_CERT_ROLE
VS_PG_CLIENT_CERT=$VS_RUN_DIR/postgres/tls/$PG_CERT_ROLE.crt
VS_PG_CLIENT_KEY=$VS_RUN_DIR/postgres/tls/$PG_CERT_ROLE.pk8
EOF
}

# TLS (ssl=on): a certificate for localhost and 127.0.0.1 signed by a test CA in <cluster>/tls (scripts/lib/tls.sh);
# clients verify with tls/ca.crt, which services.env names VS_PG_SSL_ROOT_CERT. Plain connections stay allowed.
# Client certificates from the same CA: tls/vs_cert.{crt,pk8} for the role vs_cert, which may log in only with it
# (pg_hba 'cert': the certificate's CN is the role), and tls/vs_intruder.{crt,pk8}, valid but for another name.
pg_write_tls() {
  local dir=$PG_DIR/tls
  tls_server_cert "$dir" server "DNS:localhost,IP:127.0.0.1"
  tls_client_cert "$dir" "$PG_CERT_ROLE"
  tls_client_cert "$dir" vs_intruder
  if is_root; then chown -R postgres:postgres "$dir"; fi
  chmod 755 "$dir"
  chmod 644 "$dir/ca.crt" "$dir/server.crt"
}

pgvector_installed() {
  [[ -f $PGVECTOR_CONTROL ]] &&
    grep -Eq "^default_version[[:space:]]*=[[:space:]]*'$PGVECTOR_VERSION'" "$PGVECTOR_CONTROL"
}

# Prints the Debian version (0.8.0-N) of the pgvector source package apt knows, if any.
pgvector_source_version() {
  { apt-cache showsrc pgvector 2>/dev/null || true; } |
    awk -v v="$PGVECTOR_VERSION" '$1 == "Version:" && index($2, v "-") == 1 { print $2; exit }'
}

postgres_install() {
  apt_install postgresql-$PG_MAJOR postgresql-client-$PG_MAJOR
  if pgvector_installed; then
    log "postgres: PostgreSQL $PG_MAJOR and pgvector $PGVECTOR_VERSION are installed"
    return 0
  fi
  local start
  start=$(now)
  log "postgres: installing pgvector $PGVECTOR_VERSION (built from Debian's trixie source package) ..."
  apt_install postgresql-server-dev-$PG_MAJOR build-essential dpkg-dev

  if [[ ! -f $PGVECTOR_SRC_LIST ]]; then
    log "postgres: adding deb-src (source only) for trixie: $PGVECTOR_SRC_LIST"
    as_root tee "$PGVECTOR_SRC_LIST" >/dev/null <<'EOF'
# Added by vectorsync scripts/services.sh: source packages only (pgvector 0.8.0 is built locally).
# Never add "Types: deb" for trixie on bookworm: it would pull a new libc.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi
  local srcver
  srcver=$(pgvector_source_version)
  if [[ -z $srcver ]]; then
    apt_update force
    srcver=$(pgvector_source_version)
  fi
  [[ -n $srcver ]] || die "postgres: no pgvector $PGVECTOR_VERSION source package found (apt-cache showsrc pgvector; check $PGVECTOR_SRC_LIST)"

  local build=$VS_CACHE_DIR/pgvector-build
  rm -rf "$build"
  mkdir -p "$build"
  log "postgres: apt-get source pgvector=$srcver into $build ..."
  if ! (cd "$build" && apt-get source -q "pgvector=$srcver" >"$build/source.log" 2>&1 </dev/null); then
    die_with_log "$build/source.log" "postgres: apt-get source pgvector=$srcver failed"
  fi
  local src
  src=$(find "$build" -maxdepth 1 -type d -name "pgvector-$PGVECTOR_VERSION*" | head -n 1)
  [[ -n $src ]] || die_with_log "$build/source.log" "postgres: no pgvector-$PGVECTOR_VERSION directory after apt-get source"

  log "postgres: building pgvector $PGVECTOR_VERSION (make && make install) ..."
  # OPTFLAGS= : no -march=native, so the installed library also runs on another CPU model.
  if ! make -C "$src" -j"$(nproc)" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS= >"$build/build.log" 2>&1; then
    die_with_log "$build/build.log" "postgres: building pgvector failed"
  fi
  if ! as_root make -C "$src" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS= install >>"$build/build.log" 2>&1; then
    die_with_log "$build/build.log" "postgres: make install of pgvector failed"
  fi
  pgvector_installed || die "postgres: $PGVECTOR_CONTROL does not say default_version = '$PGVECTOR_VERSION' after install"
  log "postgres: pgvector $PGVECTOR_VERSION installed in $(elapsed_since "$start") s"
}

# Prints the postmaster pid when a postmaster of this cluster is alive.
pg_pid() {
  local pid
  [[ -f $PG_DATA/postmaster.pid ]] || return 1
  pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || return 1
  pid_alive "$pid" || return 1
  # A reused pid that belongs to something else means the pid file is stale.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$PG_DATA" || return 1
  echo "$pid"
}

pg_ready() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$VS_PG_PORT" -U postgres -d postgres -t 2
}

postgres_status() {
  pg_resolve_dir
  if pg_pid >/dev/null && pg_ready; then
    printf '%-9s %-8s %s\n' postgres running "$(postgres_address)"
  else
    printf '%-9s %-8s %s\n' postgres stopped "$(postgres_address)"
    return 1
  fi
}

pg_write_config() {
  local sockdir=$PG_DIR
  # A Unix socket path must fit in 107 bytes; a deep run dir gets TCP only.
  if ((${#sockdir} + 20 > 107)); then sockdir=''; fi
  pg_as_owner tee "$PG_DATA/vectorsync.conf" >/dev/null <<EOF
# Written by scripts/services.sh on every start: edit the script, not this file.
port = $VS_PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
wal_level = logical
max_replication_slots = 40
max_wal_senders = 40
max_connections = 200
shared_buffers = 256MB
ssl = on
ssl_cert_file = '$PG_DIR/tls/server.crt'
ssl_key_file = '$PG_DIR/tls/server.key'
ssl_ca_file = '$PG_DIR/tls/ca.crt'
# Local test cluster: durability traded for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  pg_as_owner tee "$PG_DATA/pg_hba.conf" >/dev/null <<'EOF'
# Written by scripts/services.sh: a local, trust-only test cluster, but for vs_cert: only over TLS with a client
# certificate the cluster's CA signed for CN=vs_cert (the first matching line wins).
hostssl all         vs_cert 127.0.0.1/32  cert
hostssl replication vs_cert 127.0.0.1/32  cert
host    all         vs_cert 127.0.0.1/32  reject
host    replication vs_cert 127.0.0.1/32  reject
local all         all                 trust
local replication all                 trust
host  all         all   127.0.0.1/32  trust
host  replication all   127.0.0.1/32  trust
EOF
  if ! grep -q "^include_if_exists = 'vectorsync.conf'" "$PG_DATA/postgresql.conf"; then
    printf "\ninclude_if_exists = 'vectorsync.conf'\n" | pg_as_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi
}

postgres_up() {
  pg_resolve_dir create
  local pid start
  if pid=$(pg_pid); then
    local running_port
    running_port=$(sed -n 4p "$PG_DATA/postmaster.pid")
    if [[ $running_port != "$VS_PG_PORT" ]]; then
      die "postgres: already running (pid $pid) on port $running_port, not $VS_PG_PORT: run 'down' first"
    fi
    if pg_ready; then
      log "postgres: already running on 127.0.0.1:$VS_PG_PORT (pid $pid)"
      return 0
    fi
    log "postgres: pid $pid is alive but not ready yet, waiting ..."
    pg_wait_ready "$pid"
    return 0
  fi
  if port_open "$VS_PG_PORT"; then
    die "postgres: port $VS_PG_PORT is already in use by another process (set VS_PG_PORT or stop it)"
  fi
  pg_wait_stale_pid_gone
  start=$(now)
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    log "postgres: initdb $PG_DATA ..."
    rm -rf "$PG_DATA"
    if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" --auth=trust -U postgres --encoding=UTF8 \
      --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
      die_with_log "$PG_DIR/initdb.log" "postgres: initdb failed"
    fi
  fi
  pg_write_tls
  pg_write_config
  log "postgres: starting on 127.0.0.1:$VS_PG_PORT ..."
  # 7>&- 8>&-: the postmaster must not inherit our lock fds.
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s start 7>&- 8>&-; then
    die_with_log "$PG_LOG" "postgres: pg_ctl start failed"
  fi
  pg_wait_ready ""
  pg_ensure_cert_role
  log "postgres: up in $(elapsed_since "$start") s"
}

# The role that logs in with a client certificate only (pg_hba above): a replication user that owns nothing; a test
# makes it the owner of its fresh databases and tables.
pg_ensure_cert_role() {
  if ! echo "SELECT 'CREATE ROLE $PG_CERT_ROLE LOGIN REPLICATION' WHERE NOT EXISTS
      (SELECT 1 FROM pg_roles WHERE rolname = '$PG_CERT_ROLE') \\gexec" |
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$VS_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 >>"$PG_LOG" 2>&1; then
    die_with_log "$PG_LOG" "postgres: could not create the role $PG_CERT_ROLE"
  fi
}

# After a crash (kill -9) the old postmaster can linger for a moment as an unreaped zombie, which
# PostgreSQL's own lock-file check takes for a live server: give it a few seconds to vanish.
pg_wait_stale_pid_gone() {
  local pid i
  [[ -f $PG_DATA/postmaster.pid ]] || return 0
  pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || return 0
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}

pg_wait_ready() {
  local pid=$1 i
  for ((i = 0; i < 120; i++)); do
    pg_ready && return 0
    if [[ -n $pid ]] && ! pid_alive "$pid"; then break; fi
    sleep 0.5
  done
  die_with_log "$PG_LOG" "postgres: not ready on 127.0.0.1:$VS_PG_PORT after 60 s"
}

postgres_down() {
  pg_resolve_dir
  local pid
  if ! pid=$(pg_pid); then
    log "postgres: not running"
    return 0
  fi
  log "postgres: stopping (pid $pid, pg_ctl stop -m fast) ..."
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 -s stop; then
    die_with_log "$PG_LOG" "postgres: pg_ctl stop failed"
  fi
}

# Removes the cluster (called by reset, after down).
postgres_clean() {
  local link=$VS_RUN_DIR/postgres
  if [[ -L $link ]]; then
    local real
    real=$(readlink -f "$link")
    log "postgres: removing $real"
    rm -rf "$real"
    rmdir "$(dirname "$real")" 2>/dev/null || true
  fi
}
