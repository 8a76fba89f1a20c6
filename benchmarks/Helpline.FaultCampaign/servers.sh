#!/usr/bin/env bash
# The fault campaign's hands on the servers that deploy/local/run.sh --servers-only started under DIR
# (lib.sh's functions, as run.sh and test.sh use them). Run by the campaign program; docs/operations.md.
#
#   servers.sh pg-crash DIR            PostgreSQL stopped with -m immediate (no shutdown checkpoint: a crash)
#   servers.sh pg-start DIR PORT       PostgreSQL started again (crash recovery runs)
#   servers.sh rmq-stop DIR            RabbitMQ stopped (the node goes away)
#   servers.sh rmq-start DIR PORT      RabbitMQ started again, returns once it is up
#   servers.sh queues DIR PORT         "name<TAB>messages" for every queue of the helpline vhost
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../deploy/local/lib.sh"
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: servers.sh pg-crash|pg-start|rmq-stop|rmq-start|queues DIR [PORT]"
case "$cmd" in
  pg-crash) (cd /tmp && as_root runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null) ;;
  pg-start) pg_start "$dir/pg" "$3" ;;
  rmq-stop) rmq_stop "$dir/rabbitmq" ;;
  rmq-start) rmq_start "$dir/rabbitmq" "$3"; rmq_wait "$dir/rabbitmq" "$3" ;;
  queues) rmq_env "$dir/rabbitmq" "$3"; /usr/lib/rabbitmq/bin/rabbitmqctl -q list_queues -p helpline name messages --no-table-headers ;;
  *) die "unknown command $cmd" ;;
esac
