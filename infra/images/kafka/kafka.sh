#!/bin/sh
# Writes the broker's properties from the environment and runs it (or only formats its storage).
#   KAFKA_ADVERTISED  host:port that clients outside the container use (default 127.0.0.1:9092);
#                     the published host port must be the same number, since clients reconnect to it.
#   KAFKA_HEAP_OPTS   JVM heap bounds (default -Xms128m -Xmx512m)
set -eu
# The JVM options hold a classpath wildcard that the shell must not expand.
set -f
DATA=/var/lib/kafka
PROPS=/opt/kafka/server.properties
cat > "$PROPS" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093,BROKER://127.0.0.1:9094
advertised.listeners=PLAINTEXT://${KAFKA_ADVERTISED:-127.0.0.1:9092},BROKER://127.0.0.1:9094
controller.listener.names=CONTROLLER
inter.broker.listener.name=BROKER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT
log.dirs=$DATA
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.ms=-1
log.retention.bytes=-1
PROPS
JVM="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -Dlog4j2.configurationFile=/opt/kafka/log4j2.xml -cp /opt/kafka/libs/*"
if [ ! -f "$DATA/meta.properties" ]; then
  # shellcheck disable=SC2086
  ID=$(java $JVM kafka.tools.StorageTool random-uuid | tail -n 1)
  # shellcheck disable=SC2086
  java $JVM kafka.tools.StorageTool format -t "$ID" -c "$PROPS"
fi
[ "${1:-}" = format ] && exit 0
# shellcheck disable=SC2086
exec java $JVM kafka.Kafka "$PROPS"
