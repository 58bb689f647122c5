#!/usr/bin/env bash
# Makes what docker-compose.secure.yml mounts: a private CA, Kafka's TLS key and certificate (PEM, signed by
# the CA, valid for the names kafka and localhost), random SCRAM passwords for the users `pulse` and
# `schema-registry`, a random basic-auth password for the registry user `pulse`, and the client files that
# use them. Usage: deploy/secure/make-secrets.sh [DIR]   (default deploy/secure/generated, git-ignored).
# Needs openssl. Refuses to overwrite an existing folder: delete it to rotate everything.
set -euo pipefail
dir=${1:-"$(dirname "$0")/generated"}
if [ -e "$dir" ]; then
  echo "make-secrets: $dir exists; remove it to make new secrets" >&2
  exit 1
fi
worker="$(cd "$(dirname "$0")/../.." && pwd)/connect/docker/worker.properties"
umask 077
mkdir -p "$dir"
cd "$dir"
password() { openssl rand -hex 24; }

# CA and broker certificate. The broker key stays unencrypted in PEM (Kafka's PEM keystore then needs no
# password); the files' permissions are what protects it, as with any mounted secret.
openssl req -x509 -newkey rsa:3072 -sha256 -days 825 -nodes -subj "/CN=community-pulse-ca" \
  -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:3072 -sha256 -nodes -subj "/CN=kafka" -keyout kafka.key -out kafka.csr 2>/dev/null
printf 'subjectAltName=DNS:kafka,DNS:localhost\nextendedKeyUsage=serverAuth\n' > kafka.ext
openssl x509 -req -in kafka.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -sha256 \
  -extfile kafka.ext -out kafka.crt 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in kafka.key -out kafka.pk8
cat kafka.pk8 kafka.crt ca.crt > kafka-keystore.pem
rm -f kafka.csr kafka.ext kafka.key kafka.pk8 ca.srl
# Clients trust the CA only; a PEM truststore needs no password.
cp ca.crt truststore.pem

pulse_password=$(password)
registry_kafka_password=$(password)
registry_http_password=$(password)
printf '%s' "$pulse_password" > scram-pulse.password
printf '%s' "$registry_kafka_password" > scram-schema-registry.password

client_properties() { # truststore path, user, password
  cat <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$2" password="$3";
ssl.truststore.type=PEM
ssl.truststore.location=$1
PROPS
}
# For the pulse containers (mounted at /run/secrets/pulse) and for `pulse ... --command-config` on the host.
client_properties /run/secrets/pulse/truststore.pem pulse "$pulse_password" > pulse-client.properties
client_properties "$(pwd)/truststore.pem" pulse "$pulse_password" > pulse-client-host.properties

# The optional Connect worker: the repository's worker file plus the same client settings for the worker and
# for the producers, consumers and admin clients it makes for connectors. Its container mounts only this file
# and the truststore, not this folder: its file config provider may read /run/secrets.
{
  cat "$worker"
  echo
  echo "# Secured cluster (deploy/secure/make-secrets.sh)"
  for prefix in "" producer. consumer. admin.; do
    client_properties /etc/pulse-connect/truststore.pem pulse "$pulse_password" | sed "s/^/$prefix/"
  done
} > connect-worker.properties

# The registry's own Kafka client (JAAS KafkaClient) and its HTTP basic authentication (realm SchemaRegistry).
cat > registry-jaas.conf <<JAAS
KafkaClient {
  org.apache.kafka.common.security.scram.ScramLoginModule required
  username="schema-registry" password="$registry_kafka_password";
};
SchemaRegistry {
  org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required
  file="/run/secrets/pulse/registry-users.properties";
};
JAAS
printf 'pulse: %s,pulse\n' "$registry_http_password" > registry-users.properties
# What PULSE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE names: user:password for the registry's basic authentication.
printf 'pulse:%s' "$registry_http_password" > registry-user-info

# Readable by the containers' users (they do not run as this user); the folder itself stays private.
chmod 0644 -- *
# The CA key signs certificates: only this user, and no container mounts need it.
chmod 0600 ca.key
chmod 0711 .
echo "make-secrets: wrote $(pwd)"
