#!/usr/bin/env bash
# broker.sh ctl DIR PORT ARGS...: rabbitmqctl against a broker started by lib.sh's rmq_start.
# The tests use it to stop and restart a broker's app (stop_app / start_app) to prove that
# nothing is lost while RabbitMQ is down.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ "${1:-}" = ctl ] || die "usage: broker.sh ctl DIR PORT rabbitmqctl-args..."
dir=$2 port=$3; shift 3
rmq_env "$dir" "$port"
exec /usr/lib/rabbitmq/bin/rabbitmqctl "$@"
