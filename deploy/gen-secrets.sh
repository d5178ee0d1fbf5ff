#!/usr/bin/env bash
# Creates the cluster's secrets as files in DIR (default: deploy/secrets next to this script), one value
# per file, never overwriting an existing one:
#   cluster-secret  HMAC secret shared by routers and peers (48 random bytes, base64)
#   master-key      the cluster master key: base64 of 32 random bytes
#   access-key      root access key id (20 upper-case letters and digits)
#   secret-key      root secret key (40 characters, base64 of 30 random bytes)
# and, for optional mutual TLS between routers and peers (docs/operations.md, "TLS between nodes"), with
# openssl:
#   tls/ca.crt, tls/ca.key     the cluster CA (EC P-256, 10 years); ca.key stays owner-only (0600) and is
#                              only needed to issue more node certificates: keep it off the nodes
#   tls/NODE.crt, tls/NODE.key a certificate signed by the CA (EC P-256, 825 days, server and client
#                              use) and its unencrypted PKCS#8 key, for each NODE argument (0644 like
#                              the files above; the owner-only directories guard them on the host)
# A NODE is NAME or NAME=SAN,SAN,...: the certificate is tls/NAME.*, with CN=NAME and the subject
# alternative names SAN... (default: NAME itself); a SAN that is an IPv4 address becomes an IP entry.
# Routers check that a peer's certificate names the host of its https:// URL; peers accept any client
# certificate of the CA. Without NODE arguments the names of deploy/compose.yaml are used
# (peer1 peer2 peer3 router1 router2). Re-running adds certificates for new nodes with the same CA.
# The directory is owner-only; the files are world-readable (0644) so that Docker Compose, which bind-mounts
# them with the host's owner and mode, lets the image's non-root user (uid 10001) read them.
#
#   deploy/gen-secrets.sh                       # for deploy/compose.yaml
#   deploy/gen-secrets.sh deploy/kubernetes/secrets \
#     mictlanx-peer-0=mictlanx-peer-0.mictlanx-peer mictlanx-peer-1=mictlanx-peer-1.mictlanx-peer \
#     mictlanx-peer-2=mictlanx-peer-2.mictlanx-peer mictlanx-router   # for deploy/kubernetes
set -euo pipefail
dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets}"
shift || true
nodes=("$@")
if [[ ${#nodes[@]} -eq 0 ]]; then
  nodes=(peer1 peer2 peer3 router1 router2)
fi
mkdir -p "$dir"
chmod 0700 "$dir"

random_base64() { # random_base64 BYTES
  head -c "$1" /dev/urandom | base64 | tr -d '\n'
}

write() { # write NAME VALUE
  local f="$dir/$1"
  if [[ -e "$f" ]]; then
    echo "gen-secrets: keeping existing $f" >&2
    return 0
  fi
  (umask 022 && printf '%s\n' "$2" > "$f")
  echo "gen-secrets: wrote $f" >&2
}

write cluster-secret "$(random_base64 48)"
write master-key "$(random_base64 32)"
write access-key "$(head -c 4096 /dev/urandom | LC_ALL=C tr -dc 'A-Z0-9' | cut -c1-20)"
write secret-key "$(random_base64 30)"

if ! command -v openssl >/dev/null 2>&1; then
  echo "gen-secrets: no openssl: skipping the TLS certificates (only needed for TLS between nodes)" >&2
  exit 0
fi
tls="$dir/tls"
mkdir -p "$tls"
chmod 0700 "$tls"
if [[ ! -e "$tls/ca.crt" ]]; then
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tls/ca.key" 2>/dev/null)
  (umask 022 && openssl req -x509 -new -key "$tls/ca.key" -sha256 -days 3650 -subj "/CN=MictlanX cluster CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$tls/ca.crt")
  echo "gen-secrets: wrote $tls/ca.crt (CA key in $tls/ca.key, owner-only)" >&2
else
  echo "gen-secrets: keeping existing $tls/ca.crt" >&2
fi
[[ -e "$tls/ca.key" ]] || { echo "gen-secrets: $tls/ca.key is missing: cannot issue node certificates" >&2; exit 1; }

for node in "${nodes[@]}"; do
  name="${node%%=*}"
  sans="$name"
  [[ "$node" == *=* ]] && sans="${node#*=}"
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "gen-secrets: bad node name '$name'" >&2; exit 2; }
  if [[ -e "$tls/$name.crt" ]]; then
    echo "gen-secrets: keeping existing $tls/$name.crt" >&2
    continue
  fi
  san_list=""
  IFS=',' read -r -a san_items <<< "$sans"
  for san in "${san_items[@]}"; do
    if [[ "$san" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then entry="IP:$san"; else entry="DNS:$san"; fi
    san_list="${san_list:+$san_list,}$entry"
  done
  ext="$(mktemp)"
  csr="$(mktemp)"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' \
      "$san_list" > "$ext"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tls/$name.key" 2>/dev/null
  chmod 0644 "$tls/$name.key" # like the other secrets: readable by the container user through a bind mount
  openssl req -new -key "$tls/$name.key" -subj "/CN=$name" -out "$csr"
  (umask 022 && openssl x509 -req -in "$csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
      -days 825 -sha256 -extfile "$ext" -out "$tls/$name.crt" 2>/dev/null)
  rm -f "$ext" "$csr"
  echo "gen-secrets: wrote $tls/$name.crt and $tls/$name.key ($san_list)" >&2
done
