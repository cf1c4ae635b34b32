#!/usr/bin/env bash
# The fault drill (issue 11; docs/reliability.md): the service as separate processes (connector, two streams workers,
# two sinks) on the test servers, a steady writer, faults chosen from a seed, then every store compared with the
# source. Prints one line: faults=N lost=L doubled=D stale=S dlq=K (all explained|M unexplained).
#
#   scripts/drill.sh [--profile ci|long] [--faults N] [--seed N] [--without KIND,KIND...] [MAVEN ARGS...]
#
# --profile  ci: 10 s outages (what scripts/test.sh runs); long (the default here): 60 s outages
# --faults   how many faults (default 12 for ci, 50 for long)
# --seed     the seed of every random choice; the drill logs it with a replay command (default: the clock)
# --without  fault kinds to leave out: kill, stop, broker-restart, source-restart, store-cut, store-hang, sink-join,
#            row-2mb, row-20mb, invalid-text, poison-cdc, poison-sink. Given, it replaces DrillIT's own default
#            exclusions; --without '' runs every kind.
# Servers: the test profile's (scripts/services.sh up --profile test; VS_*_PORT overrides apply), started when not
# running and left running. The whole log: drill/target/drill.log; each process's log: drill/target/drill-<seed>-*/.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=long
args=()
while (($#)); do
  case $1 in
    --profile) profile=$2; shift 2 ;;
    --faults) args+=("-Ddrill.faults=$2"); shift 2 ;;
    --seed) args+=("-Ddrill.seed=$2"); shift 2 ;;
    --without) args+=("-Ddrill.without=$2"); shift 2 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

scripts/services.sh up --profile test >&2
mkdir -p drill/target
status=0
mvn -B -ntp verify -pl drill -am -Dit.test=DrillIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false "-Ddrill.profile=$profile" "${args[@]}" >drill/target/drill.log 2>&1 \
  || status=$?
grep -E 'Drill - drill |replay with|Drill - drill took|finding:|unexpected exit:|^faults=' drill/target/drill.log || true
((status == 0)) || echo "[drill] failed (exit $status): see drill/target/drill.log" >&2
exit "$status"
