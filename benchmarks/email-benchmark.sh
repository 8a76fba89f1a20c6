#!/usr/bin/env bash
# The email benchmark (docs/benchmarks.md): starts throwaway PostgreSQL, RabbitMQ and Dovecot as
# deploy/local/test.sh does, then runs benchmarks/Helpline.EmailBenchmark (Release).
#   benchmarks/email-benchmark.sh [messages=10000] [latency samples=200]
# Ports: HELPLINE_BENCH_PG_PORT (55491), HELPLINE_BENCH_RABBITMQ_PORT (5721), HELPLINE_BENCH_IMAP_PORT (11191).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$root/deploy/local/lib.sh"
pg_port=${HELPLINE_BENCH_PG_PORT:-55491}
rmq_port=${HELPLINE_BENCH_RABBITMQ_PORT:-5721}
imap_port=${HELPLINE_BENCH_IMAP_PORT:-11191}
ensure_tools
ensure_mail_servers
for p in "$pg_port" "$rmq_port" $((rmq_port + 10000)) "$imap_port"; do port_free "$p" || die "port $p is taken"; done
tmp=$(mktemp -d /tmp/helpline-bench.XXXXXX); chmod 755 "$tmp"
cleanup() {
  local rc=$?
  rmq_stop "$tmp/rabbitmq" & pg_stop "$tmp/pg" & pid_stop "$tmp/dovecot/dovecot.pid"; wait
  if [ "$rc" -ne 0 ]; then echo "--- server logs kept in $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
rmq_start "$tmp/rabbitmq" "$rmq_port"
pg_start "$tmp/pg" "$pg_port" throwaway
dovecot_start "$tmp/dovecot" "$imap_port"
dotnet build "$root/benchmarks/Helpline.EmailBenchmark" -c Release -v quiet -nologo
rmq_wait "$tmp/rabbitmq" "$rmq_port"
export HELPLINE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Maximum Pool Size=20"
export HELPLINE_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$rmq_port"
export HELPLINE_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:$((rmq_port + 10000))"
export HELPLINE_TEST_IMAP="127.0.0.1:$imap_port"
export HELPLINE_TEST_IMAP_USERS="$tmp/dovecot/users"
# The services run in-process from their source folders (WebApplicationFactory, as in the tests).
export ASPNETCORE_TEST_CONTENTROOT_HELPLINE_INTAKE="$root/src/Helpline.Intake" ASPNETCORE_TEST_CONTENTROOT_HELPLINE_CONSOLE="$root/src/Helpline.Console"
dotnet "$root/benchmarks/Helpline.EmailBenchmark/bin/Release/net10.0/Helpline.EmailBenchmark.dll" "$@"
