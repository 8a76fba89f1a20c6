#!/usr/bin/env bash
# Runs every test against real servers: installs what the tests need if missing, starts
# throwaway PostgreSQL, RabbitMQ, Dovecot IMAP, SMTP receiver and Prometheus instances in a temporary folder on their own ports, runs
# `dotnet test Helpline.sln`, tears everything down and exits non-zero on any failure.
# Extra arguments go to dotnet test (for example --filter).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

pg_port=${HELPLINE_TEST_PG_PORT:-55433}
rmq_port=${HELPLINE_TEST_RABBITMQ_PORT:-5675}
chaos_port=${HELPLINE_TEST_CHAOS_RABBITMQ_PORT:-5676}
imap_port=${HELPLINE_TEST_IMAP_PORT:-11143}
smtp_port=${HELPLINE_TEST_SMTP_PORT:-12525}
prom_port=${HELPLINE_TEST_PROMETHEUS_PORT:-19090}

ensure_tools docker-compose:docker-compose promtool:prometheus prometheus:prometheus
ensure_chromium
ensure_mail_servers
for p in "$pg_port" "$rmq_port" "$chaos_port" $((rmq_port + 10000)) $((chaos_port + 10000)) "$imap_port" "$smtp_port" "$prom_port"; do
  port_free "$p" || die "port $p is taken (another test run?)"
done

tmp=$(mktemp -d /tmp/helpline-test.XXXXXX); chmod 755 "$tmp"
epmd_was_running=""; epmd_running && epmd_was_running=1
cleanup() {
  local rc=$?
  rmq_stop "$tmp/rabbitmq" & rmq_stop "$tmp/chaos" & pg_stop "$tmp/pg" & pid_stop "$tmp/dovecot/dovecot.pid" & pid_stop "$tmp/smtp/smtp.pid" & prom_stop "$tmp/prometheus"; wait
  [ -n "$epmd_was_running" ] || pkill -x epmd 2>/dev/null || true
  [ "$rc" -ne 0 ] && [ -d "$tmp/pg" ] && { echo "--- server logs kept in $tmp" >&2; return; }
  rm -rf "$tmp"
}
trap cleanup EXIT

log "starting RabbitMQ on $rmq_port and $chaos_port, PostgreSQL on $pg_port"
rmq_start "$tmp/rabbitmq" "$rmq_port"
rmq_start "$tmp/chaos" "$chaos_port"
pg_start "$tmp/pg" "$pg_port" throwaway
log "starting Dovecot IMAP on $imap_port, the SMTP receiver on $smtp_port"
dovecot_start "$tmp/dovecot" "$imap_port"
smtp_start "$tmp/smtp" "$smtp_port"
log "starting Prometheus on $prom_port"
prom_start "$tmp/prometheus" "$prom_port"

log "building"
build_console_app "$root"
prepare_js_client "$root"
dotnet build "$root/Helpline.sln" -v quiet -nologo
rmq_wait "$tmp/rabbitmq" "$rmq_port"
rmq_wait "$tmp/chaos" "$chaos_port"

export HELPLINE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Maximum Pool Size=20"
export HELPLINE_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$rmq_port"
export HELPLINE_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:$((rmq_port + 10000))"
export HELPLINE_TEST_CHAOS_RABBITMQ="amqp://guest:guest@127.0.0.1:$chaos_port"
export HELPLINE_TEST_CHAOS_RABBITMQ_MANAGEMENT="http://127.0.0.1:$((chaos_port + 10000))"
export HELPLINE_TEST_CHAOS_RABBITMQ_DIR="$tmp/chaos"
export HELPLINE_TEST_CHAOS_RABBITMQ_PORT="$chaos_port"
# Each mailbox test adds a user of its own to Dovecot's passwd-file (read again when it changes).
export HELPLINE_TEST_IMAP="127.0.0.1:$imap_port"
export HELPLINE_TEST_IMAP_USERS="$tmp/dovecot/users"
export HELPLINE_TEST_SMTP="127.0.0.1:$smtp_port"
export HELPLINE_TEST_SMTP_MAILDIR="$tmp/smtp/maildir"
export HELPLINE_TEST_SMTP_RECEIVER="$here/smtp-receiver.py"
export HELPLINE_TEST_PROMETHEUS="http://127.0.0.1:$prom_port"
export HELPLINE_TEST_PROMETHEUS_TARGETS="$tmp/prometheus/targets"

log "testing"
set +e
dotnet test "$root/Helpline.sln" --no-build -nologo "$@" 2>&1 | tee "$tmp/test.log"
rc=${PIPESTATUS[0]}
set -e
# One closing line for the whole run, summed over the test assemblies.
grep -E '^(Passed|Failed)!' "$tmp/test.log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3} END {printf "tests: %d passed, %d failed, %d skipped\n", p, f, s}'
exit "$rc"
