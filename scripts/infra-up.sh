#!/usr/bin/env bash
# Starts Kafka, Postgres and Redis on loopback and writes their URLs to .env.infra
# (or to INFRA_ENV_FILE). Installs what is missing: Kafka's jars from Maven Central, Debian's
# postgresql, redis-server, kcat, prometheus for promtool and chromium for the browser tests
# (apt-get, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v kcat >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null
fi
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v promtool >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
fi
scripts/kafka-local.sh up
scripts/postgres-local.sh up
scripts/redis-local.sh up
out=${INFRA_ENV_FILE:-.env.infra}
cat > "$out" <<ENV
KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT:-19092}
DATABASE_URL=postgres://alpha_panda@127.0.0.1:${PG_PORT:-15432}/alpha_panda
REDIS_URL=redis://127.0.0.1:${REDIS_PORT:-16379}/0
ENV
echo "infra-up: wrote $out"
