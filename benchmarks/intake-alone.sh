#!/usr/bin/env bash
# "Intake alone" (docs/benchmarks.md): against the system deploy/local/run.sh --detach started,
#   1. pgbench's single-row insert rate on the same PostgreSQL (a throwaway database, pgbench_floor),
#   2. Console stopped, calls posted to Intake alone at a fixed rate by the load generator's intake mode,
#      every accepted call hung up again (Intake's queue to Console fills with both),
#   3. Console started again, and the contacts counted until every accepted call is one contact in Console.
#   benchmarks/intake-alone.sh [load generator intake options, e.g. --rate 2000 --seconds 20]
# Ports as run.sh's (HELPLINE_PG_PORT, 55432).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$root/deploy/local/lib.sh"
data=$root/.data
pg_port=${HELPLINE_PG_PORT:-55432}
[ -s "$data/pids/console" ] && kill -0 "$(cat "$data/pids/console")" 2>/dev/null || die "start the system first: deploy/local/run.sh --detach"
psql_as_superuser() { pg_superuser_psql "$data/pg" "$pg_port" "$@"; }

log "pgbench: single-row inserts, 16 clients, 10 s"
psql_as_superuser postgres -c "DROP DATABASE IF EXISTS pgbench_floor" -c "CREATE DATABASE pgbench_floor"
psql_as_superuser pgbench_floor -c "CREATE TABLE calls (id bigserial PRIMARY KEY, provider_call_id text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())"
script=$(mktemp /tmp/pgbench-insert.XXXXXX.sql); chmod 644 "$script"
echo "INSERT INTO calls (provider_call_id) VALUES (md5(random()::text));" >"$script"
(cd /tmp && as_root runuser -u postgres -- "$(pg_bin)/pgbench" -n -h "$data/pg" -p "$pg_port" -c 16 -j 2 -T 10 -f "$script" pgbench_floor) | grep -E "tps|latency average"
rm -f "$script"
psql_as_superuser postgres -c "DROP DATABASE pgbench_floor"

log "stopping Console"
console_pid=$(cat "$data/pids/console"); kill -TERM "$console_pid"
while kill -0 "$console_pid" 2>/dev/null; do sleep 0.2; done
rm -f "$data/pids/console"

out=$(mktemp /tmp/intake-alone.XXXXXX)
dotnet run -c Release --project "$root/benchmarks/Helpline.LoadGenerator" -- intake "$@" | tee "$out" || true
run=$(sed -n 's/^== intake, run \([0-9a-f]*\):.*/\1/p' "$out")
accepted=$(sed -n 's/^ *accepted calls, warm-up included *\([0-9]*\)$/\1/p' "$out")
rm -f "$out"
[ -n "$run" ] && [ -n "$accepted" ] || die "the load generator did not report its run"

log "starting Console again; waiting for its $accepted contacts"
started=$(date +%s%3N)
"$root/deploy/local/run.sh" --detach >/dev/null
count() { psql_as_superuser helpline -At -c "SELECT count(*), count(DISTINCT provider_reference), count(*) FILTER (WHERE status NOT IN ('Queued', 'Offered', 'Assigned')) FROM console.contacts WHERE provider_reference LIKE 'intake-$run-%'"; }
hung_up=$accepted; case " $* " in *" --hang-up 0 "*) hung_up=0 ;; esac
for _ in $(seq 1 1200); do
  IFS='|' read -r rows distinct closed <<<"$(count)"
  [ "$rows" -ge "$accepted" ] && [ "$closed" -ge "$hung_up" ] && break
  sleep 0.5
done
IFS='|' read -r rows distinct closed <<<"$(count)"
printf '  %-43s %s\n' "contacts in Console" "$rows for $accepted accepted calls ($distinct distinct, $closed ended)" \
  "lost" "$((accepted - distinct))" "doubled" "$((rows - distinct))" \
  "Console caught up after" "$(( $(date +%s%3N) - started )) ms (start-up included)"
