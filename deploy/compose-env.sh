#!/usr/bin/env bash
# Writes the secrets docker-compose.yml needs into an env file (default: .env at the repository root),
# once: an existing file is kept, so the keys stay stable. The file is mode 600 and git-ignored;
# docker-compose.yml has no fallback values, so `docker compose up` refuses to start without it.
#
#   deploy/compose-env.sh            write .env if it is not there
#   deploy/compose-env.sh FILE       write FILE instead
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
file=${1:-$root/.env}
if [ -s "$file" ]; then echo "$file exists; keeping its secrets"; exit 0; fi
umask 077
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
password() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
cat >"$file" <<ENV
HELPLINE_CALLER_HASH_KEY=$(random 32)
HELPLINE_FIELD_ENCRYPTION_KEY=$(random 32)
HELPLINE_POSTGRES_PASSWORD=$(password)
HELPLINE_ADMIN_PASSWORD=$(password)
ENV
echo "wrote $file (keep it safe: without its field-encryption key stored personal data cannot be read)"
