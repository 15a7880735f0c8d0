# Certificates and the admin kubeconfig of the local cluster, made once per .stack folder with openssl.
# Sourced by scripts/stack.sh.

# Keys are ECDSA P-256: made in milliseconds where RSA 2048 took seconds each on a busy machine.
make_pki() {
  local pki=$PERCH_RUN/pki key=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
  [ -f "$pki/admin.crt" ] && return 0
  mkdir -p "$pki" && cd "$pki"
  openssl req -x509 "${key[@]}" -nodes -days 3650 -subj "/CN=perch-local-ca" \
    -keyout ca.key -out ca.crt 2>/dev/null
  sign() { # sign NAME SUBJECT EXTENSIONS
    openssl req "${key[@]}" -nodes -subj "$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null
    printf '%s\n' "$3" >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  }
  sign apiserver "/CN=kube-apiserver" \
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
extendedKeyUsage=serverAuth"
  sign admin "/O=system:masters/CN=perch-admin" "extendedKeyUsage=clientAuth"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out sa.key 2>/dev/null
  openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
  cd - >/dev/null
}

write_kubeconfig() {
  local pki=$PERCH_RUN/pki b64="base64 -w0"
  replace_file "$PERCH_RUN/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: perch-local
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $($b64 <"$pki/ca.crt")
users:
- name: perch-admin
  user:
    client-certificate-data: $($b64 <"$pki/admin.crt")
    client-key-data: $($b64 <"$pki/admin.key")
contexts:
- name: perch-local
  context: {cluster: perch-local, user: perch-admin}
current-context: perch-local
KC
}
