# shellcheck shell=bash
# Certificates for local test servers (Kafka's SASL_SSL listener; PostgreSQL's ssl=on can take the same): a
# certificate authority and server certificates it signs, made once per run directory with openssl and kept, so
# clients that trust the CA keep working across restarts. Local tests only: keys are unencrypted PEM, 2048-bit RSA.
#
#   tls_ca DIR                          DIR/ca.key, DIR/ca.crt
#   tls_server_cert DIR NAME SANS       DIR/NAME.key, DIR/NAME.crt signed by DIR's CA; SANS e.g.
#                                       "IP:127.0.0.1,DNS:localhost" (clients verifying the host check these)
#   tls_client_cert DIR NAME            DIR/NAME.crt (CN=NAME, clientAuth) signed by DIR's CA, its key DIR/NAME.key
#                                       (PEM) and DIR/NAME.pk8 (unencrypted PKCS-8 DER: what pgjdbc 42.7 reads)
#   tls_pkcs12 DIR NAME PASSWORD        DIR/NAME.p12: NAME's key and certificate with the CA, for Java servers
#   tls_password FILE                   prints the password kept in FILE, drawing a random one the first time

tls_need_openssl() {
  command -v openssl >/dev/null 2>&1 || apt_install openssl
}

tls_ca() {
  local dir=$1
  tls_need_openssl
  mkdir -p "$dir"
  chmod 700 "$dir"
  [[ -s $dir/ca.crt && -s $dir/ca.key ]] && return 0
  if ! openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=vectorsync local test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" >"$dir/openssl.log" 2>&1; then
    die_with_log "$dir/openssl.log" "tls: could not make a CA in $dir"
  fi
  chmod 600 "$dir/ca.key"
}

tls_server_cert() {
  local dir=$1 name=$2 sans=$3
  tls_ca "$dir"
  [[ -s $dir/$name.crt && -s $dir/$name.key ]] && return 0
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$sans" >"$dir/$name.ext"
  if ! { openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$dir/$name.key" -out "$dir/$name.csr" &&
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
      -days 3650 -extfile "$dir/$name.ext" -out "$dir/$name.crt"; } >"$dir/openssl.log" 2>&1; then
    die_with_log "$dir/openssl.log" "tls: could not make a certificate for $name in $dir"
  fi
  chmod 600 "$dir/$name.key"
  rm -f "$dir/$name.csr"
}

tls_client_cert() {
  local dir=$1 name=$2
  tls_ca "$dir"
  [[ -s $dir/$name.crt && -s $dir/$name.pk8 ]] && return 0
  printf 'extendedKeyUsage=clientAuth\n' >"$dir/$name.ext"
  if ! { openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$dir/$name.key" -out "$dir/$name.csr" &&
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
      -days 3650 -extfile "$dir/$name.ext" -out "$dir/$name.crt" &&
    openssl pkcs8 -topk8 -inform PEM -in "$dir/$name.key" -outform DER -nocrypt -out "$dir/$name.pk8"; } \
    >"$dir/openssl.log" 2>&1; then
    die_with_log "$dir/openssl.log" "tls: could not make a client certificate for $name in $dir"
  fi
  chmod 600 "$dir/$name.key" "$dir/$name.pk8"
  rm -f "$dir/$name.csr"
}

tls_pkcs12() {
  local dir=$1 name=$2 password=$3
  [[ -s $dir/$name.p12 ]] && return 0
  if ! openssl pkcs12 -export -in "$dir/$name.crt" -inkey "$dir/$name.key" -certfile "$dir/ca.crt" \
    -name "$name" -passout "pass:$password" -out "$dir/$name.p12" >"$dir/openssl.log" 2>&1; then
    die_with_log "$dir/openssl.log" "tls: could not make $dir/$name.p12"
  fi
  chmod 600 "$dir/$name.p12"
}

tls_password() {
  local file=$1
  if [[ ! -s $file ]]; then
    mkdir -p "$(dirname "$file")"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' 'AB' | tr -d '=\n' >"$file")
  fi
  cat "$file"
}
