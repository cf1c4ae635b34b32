#!/bin/sh
# Runs `vectorsync <command>` (default: run) with one configuration made of every *.properties file under
# /etc/vectorsync/config, then under /etc/vectorsync/secret (a later file's key wins), so settings can come from a
# ConfigMap and passwords from a Secret without either holding the other.
set -eu
merged=/tmp/vectorsync.properties
: >"$merged"
for dir in /etc/vectorsync/config /etc/vectorsync/secret; do
  for f in "$dir"/*.properties; do
    [ -f "$f" ] || continue
    cat "$f" >>"$merged"
    printf '\n' >>"$merged"
  done
done
[ -s "$merged" ] || { echo "vectorsync: no *.properties under /etc/vectorsync/config" >&2; exit 2; }
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec java ${JAVA_OPTS:-} -jar /opt/vectorsync/vectorsync.jar "$@" --config "$merged"
