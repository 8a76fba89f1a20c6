# Shared shell functions for run.sh and test.sh: install and run PostgreSQL and RabbitMQ as
# plain local processes under a folder of our own, on ports of our own. Sourced, not run.
# Recipes: docs/operations.md.

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "run as root or install sudo"; fi
}

apt_updated=""
apt_install() { # package...
  [ "$#" -gt 0 ] || return 0
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# ensure_tools [extra packages...]: PostgreSQL, RabbitMQ and curl, plus what the caller names
# (each as "command-to-test:debian-package").
ensure_tools() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v curl >/dev/null || missing+=(curl)
  command -v ss >/dev/null || missing+=(iproute2)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  local pair
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}"); done
  apt_install "${missing[@]}"
  command -v dotnet >/dev/null || die "the .NET 10 SDK is needed (https://learn.microsoft.com/dotnet/core/install/linux-debian)"
}

# port_free PORT: nothing listens on it. Asks the kernel's socket table rather than connecting: a
# connect to a free port in the ephemeral range can connect to itself, and the TIME-WAIT it leaves
# then stops the server from binding.
port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }

# --- PostgreSQL ---------------------------------------------------------------------------
# pg_traversable DIR: lets the postgres user reach DIR (a checkout under a private folder, such as one
# from mktemp -d): each parent it cannot enter gets o+x, which allows passing through, not listing.
pg_traversable() {
  local at
  at=$(dirname "$(readlink -f "$1")")
  while [ "$at" != / ]; do
    if ! runuser -u postgres -- test -x "$at"; then
      log "letting PostgreSQL pass through $at (chmod o+x)"
      as_root chmod o+x "$at"
    fi
    at=$(dirname "$at")
  done
}

# pg_start DIR PORT [throwaway]: initdb on first use, then start; throwaway turns off durability.
pg_start() {
  local dir=$1 port=$2 mode=${3:-} bin; bin=$(pg_bin)
  as_root mkdir -p "$dir"; as_root chown postgres: "$dir"
  pg_traversable "$dir"
  runuser -u postgres -- test -w "$dir" || die "the postgres user cannot write $dir: make its parent folders traversable (chmod o+x)"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    (cd /tmp && as_root runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null)
  fi
  # A lasting server (run.sh) asks for passwords over TCP (each service's role has one, the superuser none,
  # so it is reachable only through the socket as the postgres OS user); a throwaway one (tests) trusts.
  if [ "$mode" != throwaway ]; then
    printf 'local all postgres peer\nhost all all 127.0.0.1/32 scram-sha-256\n' | as_root runuser -u postgres -- tee "$dir/data/pg_hba.conf" >/dev/null
  fi
  local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
  [ "$mode" = throwaway ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  (cd /tmp && as_root runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null) \
    || die "PostgreSQL did not start; see $dir/server.log"
}

# pg_superuser_psql DIR PORT DATABASE [psql args...]: psql as the superuser through the server's socket.
pg_superuser_psql() {
  local dir=$1 port=$2 db=$3; shift 3
  (cd /tmp && as_root runuser -u postgres -- "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -d "$db" "$@")
}

# pg_roles DIR PORT DATABASE INTAKE_PASSWORD CONSOLE_PASSWORD: the database (if missing) and each service's
# role owning its schema (deploy/postgres/roles.sql). The passwords go in on stdin, not on the command line.
pg_roles() {
  local dir=$1 port=$2 db=$3 sql; sql=$(dirname "${BASH_SOURCE[0]}")/../postgres/roles.sql
  echo "SELECT 'CREATE DATABASE $db' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db') \gexec" |
    pg_superuser_psql "$dir" "$port" postgres >/dev/null
  { printf '\set intake_password %s\n\set console_password %s\n' "$4" "$5"; cat "$sql"; } |
    pg_superuser_psql "$dir" "$port" "$db" >/dev/null
}

pg_running() { [ -f "$1/data/postmaster.pid" ] && (cd /tmp && runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$1/data" status >/dev/null 2>&1); }

pg_stop() {
  pg_running "$1" || return 0
  (cd /tmp && as_root runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null) || true
}

# --- RabbitMQ -----------------------------------------------------------------------------
# rmq_env DIR PORT: the environment rabbitmq-server and rabbitmqctl need to use only DIR.
# Management listens on PORT+10000, Erlang distribution on PORT+20000; a crash dump (of the broker or
# of rabbitmqctl) goes into DIR too, never into the working directory.
rmq_env() {
  local dir=$1 port=$2
  export HOME=$dir RABBITMQ_NODENAME=helpline$port@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$((port + 20000)) RABBITMQ_MNESIA_BASE=$dir/mnesia \
    RABBITMQ_LOG_BASE=$dir/log RABBITMQ_PID_FILE=$dir/rabbit.pid RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf \
    RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins \
    RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config ERL_EPMD_ADDRESS=127.0.0.1 ERL_CRASH_DUMP=$dir/erl_crash.dump \
    RABBITMQ_SERVER_START_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

# rmq_start DIR PORT: starts a broker in the background (with management); rmq_wait waits for it.
rmq_start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  printf 'listeners.tcp.default = 127.0.0.1:%s\nmanagement.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' "$port" $((port + 10000)) >"$dir/rabbitmq.conf"
  echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  rm -f "$dir/rabbit.pid"
  (rmq_env "$dir" "$port"; /usr/lib/rabbitmq/bin/rabbitmq-server -detached >/dev/null 2>&1)
}

rmq_wait() {
  local dir=$1 port=$2 i
  for i in $(seq 1 300); do [ -s "$dir/rabbit.pid" ] && break; sleep 0.2; done
  (rmq_env "$dir" "$port"; /usr/lib/rabbitmq/bin/rabbitmqctl wait "$dir/rabbit.pid" --timeout 120 >/dev/null 2>&1) \
    || die "RabbitMQ did not start; see $dir/log"
}

# rmq_users DIR PORT VHOST NAME:PASSWORD...: the vhost, and each user with full rights on it and no other
# (and no tags: not an administrator, no management UI); guest is deleted. Passwords go in on stdin.
rmq_users() {
  local dir=$1 port=$2 vhost=$3 pair name; shift 3
  rmq_ctl() { (rmq_env "$dir" "$port"; /usr/lib/rabbitmq/bin/rabbitmqctl -q "$@"); }
  rmq_ctl list_vhosts --silent | grep -qx "$vhost" || rmq_ctl add_vhost "$vhost" >/dev/null || die "adding RabbitMQ vhost $vhost failed"
  for pair in "$@"; do
    name=${pair%%:*}
    if rmq_ctl list_users --silent | cut -f1 | grep -qx "$name"; then
      printf '%s' "${pair#*:}" | rmq_ctl change_password "$name" >/dev/null || die "setting RabbitMQ user $name's password failed"
    else
      printf '%s' "${pair#*:}" | rmq_ctl add_user "$name" >/dev/null || die "adding RabbitMQ user $name failed"
    fi
    rmq_ctl set_user_tags "$name" >/dev/null
    rmq_ctl set_permissions -p "$vhost" "$name" '.*' '.*' '.*' >/dev/null || die "granting $name on $vhost failed"
  done
  if rmq_ctl list_users --silent | cut -f1 | grep -qx guest; then rmq_ctl delete_user guest >/dev/null; fi
}

rmq_running() { [ -s "$1/rabbit.pid" ] && kill -0 "$(cat "$1/rabbit.pid")" 2>/dev/null; }

rmq_stop() {
  local dir=$1 pid
  rmq_running "$dir" || return 0
  pid=$(cat "$dir/rabbit.pid")
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}

# epmd is shared by every Erlang node on the machine: stop it only if we started it.
epmd_running() { pgrep -x epmd >/dev/null; }

# build_console_app ROOT: the advisor console's browser app (ClientApp → wwwroot), from the
# committed lockfile. Needs the npm registry the first time on a machine.
build_console_app() {
  (cd "$1/src/Helpline.Console/ClientApp" && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build >/dev/null) \
    || die "building the console's browser app failed"
}

# prepare_js_client ROOT: the Node SignalR client test's dependencies (tests/js-client), from its
# committed lockfile. Needs the npm registry the first time on a machine.
prepare_js_client() {
  (cd "$1/tests/js-client" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || die "installing the JS client test's packages (tests/js-client) failed"
}

# ensure_chromium: the browser tests drive Debian's Chromium (never a downloaded one).
ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

# --- Mail servers (tests, and a local mailbox for run.sh) -----------------------------------
ensure_mail_servers() {
  local missing=()
  [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  apt_install "${missing[@]}"
}

# dovecot_start DIR PORT: a Dovecot IMAP server (with IDLE) of its own, nothing read from /etc/dovecot.
# Users are in DIR/users (passwd-file, "name:{PLAIN}password", read again when it changes), mail under
# DIR/mail/<user>/Maildir.
dovecot_start() {
  local dir=$1 port=$2 i
  mkdir -p "$dir/run" "$dir/state" "$dir/mail"
  chown nobody:nogroup "$dir/mail"
  touch "$dir/users"; chmod 644 "$dir/users"
  grep -q '^probe:' "$dir/users" || echo 'probe:{PLAIN}probe' >>"$dir/users"
  cat >"$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
instance_name = helpline-$port
log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
  /usr/sbin/dovecot -c "$dir/dovecot.conf" -F >>"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/dovecot.pid"
  for i in $(seq 1 100); do
    curl -s "imap://127.0.0.1:$port/" -u probe:probe -X NOOP >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "Dovecot did not start; see $dir/dovecot.log"
}

# smtp_start DIR PORT: the SMTP receiver (deploy/local/smtp-receiver.py), mail into DIR/maildir.
smtp_start() {
  local dir=$1 port=$2 i
  mkdir -p "$dir"
  /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/smtp-receiver.py" "$port" "$dir/maildir" >>"$dir/smtp.log" 2>&1 &
  echo $! >"$dir/smtp.pid"
  for i in $(seq 1 100); do
    port_free "$port" || return 0
    sleep 0.1
  done
  die "the SMTP receiver did not start; see $dir/smtp.log"
}

# pid_stop FILE: stops the process whose id FILE holds, and waits for it.
pid_stop() {
  local pid
  [ -s "$1" ] || return 0
  pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$1"
}

# --- Prometheus (the dashboard test) ---------------------------------------------------------
# prom_start DIR PORT: a Prometheus of its own that scrapes, every second, whatever targets a test
# writes into DIR/targets/*.json (file service discovery: the services under test listen on ports
# they choose at start). Ready when /-/ready answers; prom_stop stops it.
prom_start() {
  local dir=$1 port=$2 i
  mkdir -p "$dir/targets" "$dir/data"
  cat >"$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: helpline
    file_sd_configs:
      - files: ["$dir/targets/*.json"]
        refresh_interval: 1s
YAML
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --log.level=warn >"$dir/prometheus.log" 2>&1 &
  echo $! >"$dir/prometheus.pid"
  for i in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "Prometheus did not start; see $dir/prometheus.log"
}

prom_stop() { pid_stop "$1/prometheus.pid"; }
