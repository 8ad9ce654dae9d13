#!/usr/bin/env bash
# Redis (Debian's package) on loopback, no persistence, for tests and development.
#   scripts/redis-local.sh up | down | status
# REDIS_PORT (default 16379), INFRA_DIR (default .infra).
set -euo pipefail
cd "$(dirname "$0")/.."
INFRA_DIR=${INFRA_DIR:-$(pwd)/.infra}
PORT=${REDIS_PORT:-16379}
DIR=$INFRA_DIR/redis
PID=$DIR/redis.pid

running() { [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; }

up() {
  if ! command -v redis-server >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "redis-local: redis-server is not installed; run as root to apt-get install it" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if running; then echo "redis-local: already running on 127.0.0.1:$PORT"; return; fi
  mkdir -p "$DIR"
  redis-server --daemonize yes --port "$PORT" --bind 127.0.0.1 --dir "$DIR" --pidfile "$PID" \
    --logfile "$DIR/server.log" --save '' --appendonly no
  for _ in $(seq 1 100); do
    if redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; then echo "redis-local: ready on 127.0.0.1:$PORT"; return; fi
    sleep 0.05
  done
  echo "redis-local: not ready after 5 s; see $DIR/server.log" >&2
  exit 1
}

down() {
  if ! running; then echo "redis-local: not running"; rm -f "$PID"; return; fi
  kill -TERM "$(cat "$PID")"
  for _ in $(seq 1 100); do running || break; sleep 0.05; done
  rm -f "$PID"
  echo "redis-local: stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if running; then echo "redis-local: running on 127.0.0.1:$PORT"; else echo "redis-local: not running"; exit 3; fi ;;
  *) echo "usage: scripts/redis-local.sh up|down|status" >&2; exit 2 ;;
esac
