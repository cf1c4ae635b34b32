#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The whole test suite on real servers, from a fresh machine: installs what is missing (JDK 17 and Maven from
# Debian, PostgreSQL 15 + pgvector, Kafka jars), starts clean test servers, runs unit tests and integration tests
# (mvn verify), and stops the servers again. Also installs Debian's chromium for the dashboard's browser test.
# Extra arguments go to Maven, e.g. -Dit.test=PipelineIT.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  echo "[test] installing JDK 17 and Maven"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi

VS_CACHE_DIR=${VS_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/vectorsync}
# shellcheck source=lib/common.sh
. scripts/lib/common.sh
# shellcheck source=lib/chromium.sh
. scripts/lib/chromium.sh
chromium_install

scripts/services.sh reset --profile test
scripts/services.sh up --profile test
trap 'scripts/services.sh down --profile test' EXIT

mvn -B -ntp verify "$@"
