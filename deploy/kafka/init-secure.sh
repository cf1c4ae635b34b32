#!/bin/sh
# kafka-init in deploy/compose.secure.yml: the SCRAM users and each role's ACLs, over the broker's loopback PLAINTEXT
# listener (kafka-init shares the broker's network namespace; that listener's anonymous user is the super user).
# The ACLs are the table "ACLs per role" of docs/security.md for pipeline.name=vectorsync,
# streams.application.id=vectorsync-streams and source.offsets.topic=vectorsync.offsets (the defaults); the
# principals: User:vectorsync (the service) and User:operator (vectorsync mode set, validate). Idempotent.
set -eu
bin=/opt/kafka/bin
bootstrap=127.0.0.1:9092
: "${VS_KAFKA_PASSWORD:?}" "${VS_KAFKA_OPERATOR_PASSWORD:?}"

"$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type users --entity-name vectorsync \
  --add-config "SCRAM-SHA-512=[password=$VS_KAFKA_PASSWORD]"
"$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type users --entity-name operator \
  --add-config "SCRAM-SHA-512=[password=$VS_KAFKA_OPERATOR_PASSWORD]"

acl() {
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --add --force "$@"
}
service=User:vectorsync
operator=User:operator
uses="--operation Describe --operation DescribeConfigs --operation Create --operation Read --operation Write"
# shellcheck disable=SC2086 # $uses holds several options
{
  acl --allow-principal "$service" $uses --topic vectorsync. --resource-pattern-type prefixed
  acl --deny-principal "$service" --operation Write --topic vectorsync.control --resource-pattern-type prefixed
  acl --allow-principal "$service" $uses --topic cdc. --resource-pattern-type prefixed
  acl --allow-principal "$service" $uses --topic vectorsync.offsets
  acl --allow-principal "$service" $uses --operation Delete --topic vectorsync-streams --resource-pattern-type prefixed
  acl --allow-principal "$service" --operation Read --operation Describe --group vectorsync-streams \
    --resource-pattern-type prefixed
  acl --allow-principal "$service" --operation Read --operation Describe --group vectorsync- \
    --resource-pattern-type prefixed
}
acl --allow-principal "$operator" --operation Write --operation Describe --operation Create \
  --topic vectorsync.control.operator
acl --allow-principal "$operator" --operation Write --operation Read --operation Describe --topic vectorsync.validation
for topic in vectorsync.status vectorsync.retention.gaps; do
  acl --allow-principal "$operator" --operation Read --operation Describe --topic "$topic"
done
echo "kafka-init: users vectorsync and operator, and their ACLs, are in place"
