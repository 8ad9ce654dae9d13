#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft) on loopback, from Maven Central jars.
#   scripts/kafka-local.sh up     fetch the jars if missing, format storage once, start, wait until ready
#   scripts/kafka-local.sh down   stop (SIGTERM, then wait)
#   scripts/kafka-local.sh status
# KAFKA_PORT (default 19092), KAFKA_CONTROLLER_PORT (19093), INFRA_DIR (default .infra).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
INFRA_DIR=${INFRA_DIR:-$ROOT/.infra}
PORT=${KAFKA_PORT:-19092}
CPORT=${KAFKA_CONTROLLER_PORT:-19093}
DIR=$INFRA_DIR/kafka
LIB=$ROOT/infra/kafka/lib
PID=$DIR/kafka.pid

running() { [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; }

up() {
  command -v java >/dev/null || { echo "kafka-local: java (17+) is required" >&2; exit 1; }
  if running; then echo "kafka-local: already running on 127.0.0.1:$PORT"; return; fi
  if [ ! -f "$LIB/.complete" ]; then
    command -v mvn >/dev/null || { echo "kafka-local: mvn is required to fetch Kafka from Maven Central" >&2; exit 1; }
    (cd infra/kafka && mvn -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=lib) && touch "$LIB/.complete"
  fi
  mkdir -p "$DIR/data"
  cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/data
offsets.topic.replication.factor=1
# One partition each for the internal topics: on a fresh 2-core machine creating 50 of each
# delays the first transaction and the first consumer group by tens of seconds.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  if [ ! -f "$DIR/data/meta.properties" ]; then
    id=$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid)
    java -cp "$LIB/*" kafka.tools.StorageTool format -t "$id" -c "$DIR/server.properties" >"$DIR/format.log" 2>&1
  fi
  nohup java -Xms256m -Xmx512m -cp "$LIB/*" kafka.Kafka "$DIR/server.properties" >"$DIR/server.log" 2>&1 &
  echo $! >"$PID"
  for _ in $(seq 1 300); do
    # The broker is ready once its listener accepts connections (clients retry the brief
    # coordinator-loading phase after that).
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      echo "kafka-local: ready on 127.0.0.1:$PORT"
      return
    fi
    running || { echo "kafka-local: exited while starting; see $DIR/server.log" >&2; tail -20 "$DIR/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "kafka-local: not ready after 30 s; see $DIR/server.log" >&2
  exit 1
}

down() {
  if ! running; then echo "kafka-local: not running"; rm -f "$PID"; return; fi
  kill -TERM "$(cat "$PID")"
  for _ in $(seq 1 150); do running || break; sleep 0.1; done
  running && kill -KILL "$(cat "$PID")"
  rm -f "$PID"
  echo "kafka-local: stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if running; then echo "kafka-local: running on 127.0.0.1:$PORT"; else echo "kafka-local: not running"; exit 3; fi ;;
  *) echo "usage: scripts/kafka-local.sh up|down|status" >&2; exit 2 ;;
esac
