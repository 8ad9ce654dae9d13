#!/usr/bin/env bash
# PostgreSQL (Debian's package) on loopback, for tests and development.
#   scripts/postgres-local.sh up     install if missing (apt-get, as root), initdb once, start, create the database
#   scripts/postgres-local.sh down
#   scripts/postgres-local.sh status
# PG_PORT (default 15432), INFRA_DIR (default .infra). Database and user: alpha_panda (trust auth on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
INFRA_DIR=${INFRA_DIR:-$(pwd)/.infra}
PORT=${PG_PORT:-15432}
DIR=$INFRA_DIR/postgres

bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && echo "$d"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  [ -n "$(bin)" ] && return
  [ "$(id -u)" = 0 ] || { echo "postgres-local: PostgreSQL is not installed; run as root to apt-get install it" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

running() { [ -n "$(bin)" ] && [ -f "$DIR/data/postmaster.pid" ] && as_pg "$(bin)/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; }

up() {
  install
  local B
  B=$(bin)
  if running; then echo "postgres-local: already running on 127.0.0.1:$PORT"; return; fi
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    as_pg "$B/initdb" -D "$DIR/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
  fi
  as_pg "$B/pg_ctl" -D "$DIR/data" -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR" -l "$DIR/server.log" -w start >/dev/null
  as_pg "$B/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='alpha_panda'" | grep -q 1 ||
    as_pg "$B/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE ROLE alpha_panda LOGIN"
  as_pg "$B/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='alpha_panda'" | grep -q 1 ||
    as_pg "$B/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE alpha_panda OWNER alpha_panda"
  echo "postgres-local: ready on 127.0.0.1:$PORT"
}

down() {
  if ! running; then echo "postgres-local: not running"; return; fi
  as_pg "$(bin)/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
  echo "postgres-local: stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if running; then echo "postgres-local: running on 127.0.0.1:$PORT"; else echo "postgres-local: not running"; exit 3; fi ;;
  *) echo "usage: scripts/postgres-local.sh up|down|status" >&2; exit 2 ;;
esac
