#!/usr/bin/env bash
# Creates the cluster's secrets as files in DIR (default: deploy/secrets next to this script), one value
# per file, never overwriting an existing one:
#   cluster-secret  HMAC secret shared by routers and peers (48 random bytes, base64)
#   master-key      the cluster master key: base64 of 32 random bytes
#   access-key      root access key id (20 upper-case letters and digits)
#   secret-key      root secret key (40 characters, base64 of 30 random bytes)
# The directory is owner-only; the files are world-readable (0644) so that Docker Compose, which bind-mounts
# them with the host's owner and mode, lets the image's non-root user (uid 10001) read them.
#
#   deploy/gen-secrets.sh                       # for deploy/compose.yaml
#   deploy/gen-secrets.sh deploy/kubernetes/secrets   # for deploy/kubernetes (kustomize secretGenerator)
set -euo pipefail
dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets}"
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
