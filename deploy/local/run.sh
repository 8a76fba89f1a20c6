#!/usr/bin/env bash
# Runs the whole Helpline system on this machine: installs PostgreSQL and RabbitMQ if missing,
# starts them under .data/ on their own ports, applies migrations, starts Intake and Console,
# waits until both are ready and prints the URLs.
#
#   deploy/local/run.sh            run in the foreground; Ctrl-C stops what it started
#   deploy/local/run.sh --detach   start and return
#   deploy/local/run.sh stop       stop what an earlier run started
#   deploy/local/run.sh rotate-keys [shared|records|all]
#                                  add a new field-encryption key (default: all, both purposes) to the ring
#                                  in .data/secrets, make it active, restart Intake and Console with it and
#                                  re-encrypt what they store (docs/operations.md: rotating the field keys)
#   deploy/local/run.sh --servers-only   PostgreSQL, RabbitMQ, migrations, key and admin from an existing Release
#                                  build; no build, no service started (the fault campaign starts and kills its own)
#
# Data survives between runs (.data/ is git-ignored). Ports: PostgreSQL 55432, RabbitMQ 5674
# (management 15674), Intake 5080, Console 5081; override with HELPLINE_*_PORT, and the folder with HELPLINE_DATA_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

data=${HELPLINE_DATA_DIR:-$root/.data}
pg_port=${HELPLINE_PG_PORT:-55432}
rmq_port=${HELPLINE_RABBITMQ_PORT:-5674}
intake_port=${HELPLINE_INTAKE_PORT:-5080}
console_port=${HELPLINE_CONSOLE_PORT:-5081}
pids=$data/pids

stop_services() {
  local name pid
  for name in console intake; do
    if [ -s "$pids/$name" ]; then
      pid=$(cat "$pids/$name")
      if kill -0 "$pid" 2>/dev/null; then log "stopping $name"; kill -TERM "$pid" 2>/dev/null || true; fi
      while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
      rm -f "$pids/$name"
    fi
  done
}

stop_all() {
  stop_services
  if [ -f "$pids/rabbitmq" ]; then log "stopping RabbitMQ"; rmq_stop "$data/rabbitmq"; rm -f "$pids/rabbitmq"; fi
  if [ -f "$pids/postgres" ]; then log "stopping PostgreSQL"; pg_stop "$data/pg"; rm -f "$pids/postgres"; fi
  if [ -f "$pids/epmd" ]; then pkill -x epmd 2>/dev/null || true; rm -f "$pids/epmd"; fi
}

if [ "${1:-}" = stop ]; then stop_all; exit 0; fi
detach=""; [ "${1:-}" = --detach ] && detach=1
rotate=""
if [ "${1:-}" = rotate-keys ]; then
  rotate=${2:-all}; detach=1
  case "$rotate" in shared|records|all) ;; *) die "usage: deploy/local/run.sh rotate-keys [shared|records|all]" ;; esac
  [ -d "$data/secrets" ] || die "nothing to rotate: run deploy/local/run.sh first"
  # A new key per purpose, its id from the time (the ring's ids are lower-case letters and digits).
  stamp=$(date -u +%Y%m%d%H%M%S)
  new_key() { # folder id active-file
    mkdir -p "$data/secrets/$1"; chmod 700 "$data/secrets/$1"
    [ ! -e "$data/secrets/$1/$2" ] || die "key $2 exists already; wait a second and run again"
    (umask 077; head -c 32 /dev/urandom | base64 >"$data/secrets/$1/$2"; echo "$2" >"$data/secrets/$3")
    log "added key $2 ($1) and made it active"
  }
  [ "$rotate" = records ] || new_key field-keys "s$stamp" field-active-key
  [ "$rotate" = shared ] || new_key records-keys "r$stamp" records-active-key
  # The services read the ring at start: restart them (PostgreSQL and RabbitMQ keep running).
  stop_services
fi
servers_only=""; [ "${1:-}" = --servers-only ] && servers_only=1

ensure_tools
mkdir -p "$data/logs" "$pids"

if rmq_running "$data/rabbitmq"; then
  log "RabbitMQ already running"
else
  port_free "$rmq_port" || die "port $rmq_port is taken: set HELPLINE_RABBITMQ_PORT"
  epmd_running || touch "$pids/epmd"
  log "starting RabbitMQ on $rmq_port"
  rmq_start "$data/rabbitmq" "$rmq_port"; touch "$pids/rabbitmq"
fi
if pg_running "$data/pg"; then
  log "PostgreSQL already running"
else
  port_free "$pg_port" || die "port $pg_port is taken: set HELPLINE_PG_PORT"
  log "starting PostgreSQL on $pg_port"
  pg_start "$data/pg" "$pg_port"; touch "$pids/postgres"
fi

if [ -n "$servers_only" ]; then
  [ -f "$root/src/Helpline.Intake/bin/Release/net10.0/Helpline.Intake.dll" ] && [ -f "$root/src/Helpline.Console/bin/Release/net10.0/Helpline.Console.dll" ] \
    || die "--servers-only uses the caller's Release build of the services, and there is none: dotnet build -c Release first"
else
  log "building"
  build_console_app "$root"
  dotnet build "$root/Helpline.sln" -c Release -v quiet -nologo >"$data/logs/build.log" 2>&1 || { tail -n 30 "$data/logs/build.log"; die "build failed"; }
fi
rmq_wait "$data/rabbitmq" "$rmq_port"

mkdir -p "$data/secrets"; chmod 700 "$data/secrets"
secret() { # name bytes: generated once (mode 600), then printed
  [ -s "$data/secrets/$1" ] || (umask 077; head -c "$2" /dev/urandom | base64 | tr -d '/+=\n' >"$data/secrets/$1")
  cat "$data/secrets/$1"
}
[ -s "$data/secrets/caller-hash-key" ] || (umask 077; head -c 32 /dev/urandom | base64 >"$data/secrets/caller-hash-key")
[ -s "$data/secrets/field-encryption-key" ] || (umask 077; head -c 32 /dev/urandom | base64 >"$data/secrets/field-encryption-key")
[ -s "$data/secrets/records-encryption-key" ] || [ -s "$data/secrets/records-active-key" ] || (umask 077; head -c 32 /dev/urandom | base64 >"$data/secrets/records-encryption-key")
[ -s "$data/secrets/data-protection-key" ] || (umask 077; head -c 32 /dev/urandom | base64 >"$data/secrets/data-protection-key")

# Each service as its own PostgreSQL role owning its own schema (deploy/postgres/roles.sql), and as its own
# RabbitMQ user on the helpline vhost; the passwords are generated once into .data/secrets.
pg_roles "$data/pg" "$pg_port" helpline "$(secret postgres-intake-password 24)" "$(secret postgres-console-password 24)"
rmq_users "$data/rabbitmq" "$rmq_port" helpline "helpline-intake:$(secret rabbitmq-intake-password 24)" \
  "helpline-console:$(secret rabbitmq-console-password 24)"
log "database roles and broker users ready"
postgres_for() { echo "Host=127.0.0.1;Port=$pg_port;Username=helpline_$1;Password=$(secret "postgres-$1-password" 24);Database=helpline"; }
rabbitmq_for() { echo "amqp://helpline-$1:$(secret "rabbitmq-$1-password" 24)@127.0.0.1:$rmq_port/helpline"; }

export ASPNETCORE_ENVIRONMENT=Development
export CallerIdentity__HashKey="$(cat "$data/secrets/caller-hash-key")"
# The shared field-encryption key (key 0 of the ring) for both services: callback numbers, emails.
export FieldEncryption__Key="$(cat "$data/secrets/field-encryption-key")"
# Shared keys added by rotate-keys (field-keys/<id>), and the active one.
for f in "$data/secrets/field-keys"/*; do [ -s "$f" ] && export "FieldEncryption__Keys__$(basename "$f")=$(cat "$f")"; done
[ -s "$data/secrets/field-active-key" ] && export FieldEncryption__ActiveKey="$(cat "$data/secrets/field-active-key")"
# Console's records keys (contact records, referrals, flags, drafts): r1, those rotate-keys added
# (records-keys/<id>) and the active one. Intake is not given them (docs/security.md).
console_keys=(FieldEncryption__RecordsKey="$(cat "$data/secrets/records-active-key" 2>/dev/null || echo r1)")
[ -s "$data/secrets/records-encryption-key" ] && console_keys+=(FieldEncryption__Keys__r1="$(cat "$data/secrets/records-encryption-key")")
for f in "$data/secrets/records-keys"/*; do [ -s "$f" ] && console_keys+=("FieldEncryption__Keys__$(basename "$f")=$(cat "$f")"); done
# Console only: encrypts its Data Protection key ring (session cookies, bearer tokens) in console.data_protection_keys.
console_keys+=(DataProtection__KeyEncryptionKey="$(cat "$data/secrets/data-protection-key")")
dll() { echo "$root/src/Helpline.$1/bin/Release/net10.0/Helpline.$1.dll"; }

for svc in Intake Console; do
  lower=$(echo "$svc" | tr 'A-Z' 'a-z')
  (cd "$(dirname "$(dll $svc)")" && ConnectionStrings__Postgres="$(postgres_for "$lower")" ConnectionStrings__RabbitMq="$(rabbitmq_for "$lower")" \
    dotnet "$(dll $svc)" migrate) >>"$data/logs/migrate.log" 2>&1 || { tail -n 20 "$data/logs/migrate.log"; die "migrating $svc failed"; }
done
log "migrations applied"

# The integration key the load generator, the simulator and local tools send to Intake's call API
# (Bearer hlk_…): created once, stored hashed by Intake, the key itself only in .data/secrets.
if [ ! -s "$data/secrets/integration-key" ]; then
  rm -f "$data/secrets/integration-key"
  (cd "$(dirname "$(dll Intake)")" && ConnectionStrings__Postgres="$(postgres_for intake)" ConnectionStrings__RabbitMq="$(rabbitmq_for intake)" \
    dotnet "$(dll Intake)" integration-key create "local-$(date +%s)" calls,callbacks "$data/secrets/integration-key") >>"$data/logs/migrate.log" 2>&1 \
    || { tail -n 20 "$data/logs/migrate.log"; die "creating the integration key failed"; }
fi

# The first admin (also a supervisor): password generated once, kept in .data/secrets.
[ -s "$data/secrets/admin-password" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$data/secrets/admin-password")
(cd "$(dirname "$(dll Console)")" && ConnectionStrings__Postgres="$(postgres_for console)" ConnectionStrings__RabbitMq="$(rabbitmq_for console)" \
  HELPLINE_ADMIN_PASSWORD="$(cat "$data/secrets/admin-password")" env "${console_keys[@]}" dotnet "$(dll Console)" create-admin admin >>"$data/logs/migrate.log" 2>&1) \
  || { tail -n 20 "$data/logs/migrate.log"; die "creating the admin account failed"; }

if [ -n "$servers_only" ]; then
  log "servers ready (PostgreSQL on $pg_port, RabbitMQ on $rmq_port); no service started. Stop with: deploy/local/run.sh stop"
  exit 0
fi

start_service() { # name port
  local name=$1 port=$2 lower; lower=$(echo "$1" | tr 'A-Z' 'a-z')
  if [ -s "$pids/$lower" ] && kill -0 "$(cat "$pids/$lower")" 2>/dev/null; then log "$name already running"; return; fi
  port_free "$port" || die "port $port is taken: set HELPLINE_$(echo "$1" | tr 'a-z' 'A-Z')_PORT"
  # The service's own folder is its content root, where its appsettings.json is.
  local keys=()
  [ "$name" = Console ] && keys=("${console_keys[@]}")
  (cd "$(dirname "$(dll "$name")")" && ConnectionStrings__Postgres="$(postgres_for "$lower")" ConnectionStrings__RabbitMq="$(rabbitmq_for "$lower")" \
    ASPNETCORE_URLS="http://127.0.0.1:$port" exec nohup env "${keys[@]}" dotnet "$(dll "$name")" >>"$data/logs/$lower.log" 2>&1) &
  echo $! >"$pids/$lower"
}
start_service Intake "$intake_port"
start_service Console "$console_port"

for port in "$intake_port" "$console_port"; do
  for i in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    [ "$i" -eq 120 ] && { stop_all; die "a service on port $port did not become ready; see $data/logs"; }
    sleep 0.5
  done
done

if [ -n "$rotate" ]; then
  # Intake first: Console reads what Intake encrypts (emails), so Intake's values move to the new key
  # only once both services hold it. Each prints, per column, how many values it re-encrypted.
  for svc in Intake Console; do
    lower=$(echo "$svc" | tr 'A-Z' 'a-z'); keys=()
    [ "$svc" = Console ] && keys=("${console_keys[@]}")
    log "re-encrypting $svc's stored values"
    (cd "$(dirname "$(dll $svc)")" && ConnectionStrings__Postgres="$(postgres_for "$lower")" ConnectionStrings__RabbitMq="$(rabbitmq_for "$lower")" \
      env "${keys[@]}" dotnet "$(dll $svc)" rotate-field-keys) 2>>"$data/logs/rotate.log" | tee -a "$data/logs/rotate.log" \
      || die "re-encrypting $svc failed; see $data/logs/rotate.log (run rotate-keys again, or re-run the command: it carries on)"
  done
  log "rotation done; retire an old key once a run reports 0 for it (docs/operations.md)"
  exit 0
fi

cat <<TXT

Helpline is running.
  Advisor console         http://127.0.0.1:$console_port/   sign in as admin, password in .data/secrets/admin-password
                          (admins add advisors: POST /api/admin/users, see docs/api.md)
  Advisor hub             http://127.0.0.1:$console_port/hubs/advisor
  Intake call API         http://127.0.0.1:$intake_port/api/calls   Authorization: Bearer <.data/secrets/integration-key>
  OpenAPI                 http://127.0.0.1:$intake_port/openapi   http://127.0.0.1:$console_port/openapi
  Metrics                 http://127.0.0.1:$intake_port/metrics   http://127.0.0.1:$console_port/metrics
  RabbitMQ                127.0.0.1:$rmq_port  vhost helpline  (users helpline-intake, helpline-console; no guest)
                          deploy/local/broker.sh ctl $data/rabbitmq $rmq_port list_queues -p helpline
  PostgreSQL              127.0.0.1:$pg_port  database helpline  (roles helpline_intake, helpline_console)
                          superuser: sudo -u postgres psql -h $data/pg -p $pg_port helpline
  Passwords               $data/secrets/{postgres,rabbitmq}-{intake,console}-password
  Logs                    $data/logs

Try a call:
  curl -i -X POST http://127.0.0.1:$intake_port/api/calls -H 'Content-Type: application/json' \\
    -H "Authorization: Bearer \$(cat $data/secrets/integration-key)" \\
    -d '{"providerCallId":"demo-1","callerNumber":null,"dialledNumber":"+448088020300"}'

TXT

if [ -n "$detach" ]; then
  echo "Stop with: deploy/local/run.sh stop"
  exit 0
fi
echo "Press Ctrl-C to stop."
trap 'stop_all; exit 0' INT TERM
while kill -0 "$(cat "$pids/intake")" 2>/dev/null && kill -0 "$(cat "$pids/console")" 2>/dev/null; do sleep 1; done
log "a service exited; see $data/logs"
stop_all
exit 1
