#!/usr/bin/env bash
# Runs a command with a fresh Kafka, Postgres and Redis on loopback, then stops them.
#   scripts/with-test-infra.sh npx vitest run
# The test servers use their own ports and data under .infra/test (wiped first), so a
# development set started by `make infra-up` is left alone; TEST_INFRA_DIR and the TEST_*_PORT
# variables give a second run servers of its own. The command gets KAFKA_BROKERS,
# DATABASE_URL and REDIS_URL in its environment; its exit status is this script's.
set -uo pipefail
cd "$(dirname "$0")/.."
export INFRA_DIR=${TEST_INFRA_DIR:-$PWD/.infra/test}
export KAFKA_PORT=${TEST_KAFKA_PORT:-29092} KAFKA_CONTROLLER_PORT=${TEST_KAFKA_CONTROLLER_PORT:-29093}
export PG_PORT=${TEST_PG_PORT:-25432} REDIS_PORT=${TEST_REDIS_PORT:-26379}
export INFRA_ENV_FILE=$INFRA_DIR/env

stop() { scripts/infra-down.sh >/dev/null 2>&1 || true; }
# Leftovers of an interrupted run first: stop them and start from empty storage.
stop
rm -rf "$INFRA_DIR"
mkdir -p "$INFRA_DIR"
trap stop EXIT
if ! scripts/infra-up.sh; then
  echo "with-test-infra: could not start the test servers (see the messages above)" >&2
  exit 1
fi
set -a
# shellcheck disable=SC1090
. "$INFRA_ENV_FILE"
set +a
"$@"
