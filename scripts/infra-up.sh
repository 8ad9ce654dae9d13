#!/usr/bin/env bash
# Starts Kafka, Postgres and Redis on loopback and writes their URLs to .env.infra.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/kafka-local.sh up
scripts/postgres-local.sh up
scripts/redis-local.sh up
cat > .env.infra <<ENV
KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT:-19092}
DATABASE_URL=postgres://alpha_panda@127.0.0.1:${PG_PORT:-15432}/alpha_panda
REDIS_URL=redis://127.0.0.1:${REDIS_PORT:-16379}/0
ENV
echo "infra-up: wrote .env.infra"
