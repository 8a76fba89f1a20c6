#!/usr/bin/env bash
# Writes the secrets docker-compose.yml needs into an env file (default: .env at the repository root),
# once: a secret already in the file is kept, so the keys stay stable; one missing (a file written by an
# older version) is added. The file is mode 600 and git-ignored; docker-compose.yml has no fallback values,
# so `docker compose up` refuses to start without it.
#
#   deploy/compose-env.sh            write .env, or add to it what it lacks
#   deploy/compose-env.sh FILE       write FILE instead
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
file=${1:-$root/.env}
umask 077
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
password() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
[ -e "$file" ] || : >"$file"
chmod 600 "$file"
[ ! -s "$file" ] || [ -z "$(tail -c 1 "$file")" ] || echo >>"$file"
added=""
add() { # NAME VALUE: unless NAME is already set in the file
  grep -q "^$1=" "$file" && return 0
  echo "$1=$2" >>"$file"; added="$added $1"
}
add HELPLINE_CALLER_HASH_KEY "$(random 32)"
add HELPLINE_FIELD_ENCRYPTION_KEY "$(random 32)"
# Console's records key (contact records, referrals, flags, drafts); Intake is not given it.
add HELPLINE_RECORDS_ENCRYPTION_KEY "$(random 32)"
add HELPLINE_DATA_PROTECTION_KEY "$(random 32)"
# The PostgreSQL superuser (only the postgres-roles step uses it) and each service's own role.
add HELPLINE_POSTGRES_PASSWORD "$(password)"
add HELPLINE_POSTGRES_INTAKE_PASSWORD "$(password)"
add HELPLINE_POSTGRES_CONSOLE_PASSWORD "$(password)"
# RabbitMQ's administrator (only the rabbitmq-users step uses it) and each service's own user.
add HELPLINE_RABBITMQ_ADMIN_PASSWORD "$(password)"
add HELPLINE_RABBITMQ_INTAKE_PASSWORD "$(password)"
add HELPLINE_RABBITMQ_CONSOLE_PASSWORD "$(password)"
add HELPLINE_ADMIN_PASSWORD "$(password)"
if [ -z "$added" ]; then echo "$file has every secret; keeping them"; exit 0; fi
echo "wrote$added into $file (keep it safe: without its field-encryption key stored personal data cannot be read)"
