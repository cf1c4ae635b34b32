#!/bin/sh
# Certificates for deploy/compose.secure.yml, into this directory (its output is git-ignored): a CA (ca.crt, ca.key),
# PostgreSQL's certificate for the host name "postgres" (postgres.crt, postgres.key) and the Kafka broker's for
# "kafka" (kafka.pem: key and certificate in one PEM file, as ssl.keystore.type=PEM reads it). vectorsync trusts
# ca.crt. For trying the secured variant; in production use your own CA's certificates under the same names.
# Unencrypted 2048-bit RSA keys; an existing file is kept.
set -eu
cd "$(dirname "$0")"
[ -s ca.crt ] || openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=vectorsync compose CA" \
  -keyout ca.key -out ca.crt
for name in postgres kafka; do
  [ -s "$name.crt" ] && continue
  printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$name" >"$name.ext"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$name.key" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -extfile "$name.ext" \
    -out "$name.crt"
  rm -f "$name.csr" "$name.ext"
done
cat kafka.key kafka.crt >kafka.pem
# PostgreSQL refuses a key others can read; the image's postgres user is uid 999.
chmod 600 ca.key postgres.key kafka.key kafka.pem
if [ "$(id -u)" = 0 ]; then chown 999:999 postgres.key; fi
echo "made $(pwd)/ca.crt, postgres.crt, postgres.key, kafka.pem"
