#!/usr/bin/env bash
# Stops the loopback Kafka, Postgres and Redis started by infra-up (their data stays in .infra/).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/redis-local.sh down
scripts/postgres-local.sh down
scripts/kafka-local.sh down
