#!/usr/bin/env bash
# Scale-out check on Odoo's own multi-node set-up, all on loopback:
#
#   PostgreSQL primary (throw-away cluster: initdb + pg_ctl)
#     └─ streaming replica (pg_basebackup -R, hot_standby)
#   Odoo node 1 and node 2 (--workers 2, --max-cron-threads 1 each,
#     db_replica_host/port = the replica, proxy_mode, ONE shared data_dir:
#     filestore and sessions)
#   nginx balancing both nodes (round robin; /websocket to the gevent ports)
#
# then bench/scaleout_check.py drives the load test's clients through the
# balancer while both nodes run every job, and checks the outcome (no server
# error, no lost update, no double notification, mail or stock move, every
# job's work done once, replica figures equal the primary's). Everything it
# started is stopped on exit, by pid. Exit code: the checks' (0 = passed).
#
#   bash scripts/scaleout.sh                 # new database with the addons
#   bash scripts/scaleout.sh --from-db DB    # copy DB (and its filestore) from
#                                            # the main cluster instead (CI)
#
#   SCALEOUT_CLIENTS=4 SCALEOUT_ORDERS=50    load size (full: 20 and 2000)
#   SCALEOUT_PG_PORT=5491                    primary; the replica uses +1
#   SCALEOUT_HTTP_PORT=8891                  node 1 http; node 1 gevent +1,
#                                            node 2 http +2 and gevent +3,
#                                            nginx +4, SMTP sink +5
#   SCALEOUT_DB=scaleout                     database name on the primary
#   SCALEOUT_DIR=/tmp/...                    work directory (default: new;
#                                            must not exist or be empty)
#   SCALEOUT_KEEP=1                          keep the work directory
#   SCALEOUT_MAX_SECONDS=1800                time bound of the load
#   SCALEOUT_WORKERS=2                       HTTP workers per node
#
# kill -USR1 <pid of this script> ends the load early (the clients stop
# before their next order) and the checks still run on what was done.
source "$(dirname "$0")/common.sh"

FROM_DB=""
while [ $# -gt 0 ]; do
    case "$1" in
        --from-db) FROM_DB="$2"; shift 2 ;;
        *) die "unknown argument $1 (usage: scripts/scaleout.sh [--from-db DB])" ;;
    esac
done

CLIENTS="${SCALEOUT_CLIENTS:-4}"
ORDERS="${SCALEOUT_ORDERS:-50}"
PG_PORT="${SCALEOUT_PG_PORT:-5491}"
REPLICA_PORT=$((PG_PORT + 1))
HTTP_PORT="${SCALEOUT_HTTP_PORT:-8891}"
NODE1_PORT=$HTTP_PORT
NODE1_GEVENT=$((HTTP_PORT + 1))
NODE2_PORT=$((HTTP_PORT + 2))
NODE2_GEVENT=$((HTTP_PORT + 3))
LB_PORT=$((HTTP_PORT + 4))
SMTP_PORT=$((HTTP_PORT + 5))
DB="${SCALEOUT_DB:-scaleout}"
PG_VERSION="${PG_VERSION:-$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"

check_odoo
ensure_venv
[ -x "$PG_BIN/initdb" ] || die "No PostgreSQL server binaries in $PG_BIN (apt-get install postgresql)."
[ -x "$NGINX" ] || die "nginx is missing (apt-get install nginx)."

# The work directory is removed at the end: never one with someone's files.
if [ -n "${SCALEOUT_DIR:-}" ] && [ -n "$(ls -A "$SCALEOUT_DIR" 2>/dev/null)" ]; then
    die "SCALEOUT_DIR=$SCALEOUT_DIR is not empty (a new or empty directory is needed)."
fi
WORK="${SCALEOUT_DIR:-$(mktemp -d /tmp/scaleout.XXXXXX)}"
mkdir -p "$WORK"
chmod 755 "$WORK"
PIDS=()  # Odoo nodes (each the leader of its process group: its workers) and nginx
STEP=""  # the long step running now (install, copy, load), a process group too

# PostgreSQL refuses to run as root: the clusters belong to "postgres" then.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cleanup() {
    local rc=$?
    set +e
    trap '' INT TERM HUP  # cleaning up is not interrupted
    if [ -n "$STEP" ] && kill -0 -- "-$STEP" 2>/dev/null; then
        kill -TERM -- "-$STEP" 2>/dev/null
        for _ in $(seq 1 20); do
            kill -0 -- "-$STEP" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL -- "-$STEP" 2>/dev/null
    fi
    # by process group: an Odoo node's workers (and their wkhtmltopdf) too
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill -TERM -- "-${PIDS[$i]}" 2>/dev/null || kill -TERM "${PIDS[$i]}" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 60); do
            kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    done
    for cluster in replica primary; do
        if [ -f "$WORK/$cluster/postmaster.pid" ]; then
            as_pg "$PG_BIN/pg_ctl" -D "$WORK/$cluster" -m fast -t 60 -w stop >/dev/null 2>&1 \
                || as_pg "$PG_BIN/pg_ctl" -D "$WORK/$cluster" -m immediate -w stop >/dev/null 2>&1
        fi
    done
    if [ -z "${SCALEOUT_KEEP:-}" ]; then
        rm -rf "$WORK"
    else
        say "Work directory kept: $WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A long step runs in its own process group (job control on while it is
# started), waited for: a signal interrupts the wait at once, and cleanup
# stops the step with everything it started (odoo-bin, pg_dump, the check).
# A trapped signal (SIGUSR1) interrupts the wait too: the wait goes on.
step() {
    set -m
    "$@" &
    STEP=$!
    set +m
    local rc
    while true; do
        wait "$STEP" && rc=0 || rc=$?
        kill -0 "$STEP" 2>/dev/null || return "$rc"
    done
}
trap 'say "SIGUSR1 ends the load early: the load has not started yet."' USR1

wait_http() {  # wait_http URL PID LOG
    for _ in $(seq 1 180); do
        kill -0 "$2" 2>/dev/null || { tail -30 "$3"; die "Process $2 exited (log: $3)."; }
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 1
    done
    tail -30 "$3"
    die "$1 did not answer within 180 s (log: $3)."
}

# --- PostgreSQL primary -------------------------------------------------
say "PostgreSQL $PG_VERSION primary on 127.0.0.1:$PG_PORT ($WORK/primary)"
mkdir -p "$WORK/primary" "$WORK/replica" "$WORK/run"
chmod 700 "$WORK/primary" "$WORK/replica"
[ "$(id -u)" = 0 ] && chown postgres: "$WORK/primary" "$WORK/replica" "$WORK/run"
as_pg "$PG_BIN/initdb" -D "$WORK/primary" -U "$PGUSER" --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; die "initdb failed."; }
# A throw-away cluster: durability is not the point (fsync off), replication is.
cat >>"$WORK/primary/postgresql.conf" <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK/run'
max_connections = 200
wal_level = replica
max_wal_senders = 5
hot_standby = on
fsync = off
synchronous_commit = off
EOF
as_pg "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/run/primary.log" -w start >/dev/null \
    || { tail -20 "$WORK/run/primary.log"; die "The primary did not start."; }

# --- The database --------------------------------------------------------
SRC_PGHOST=$PGHOST SRC_PGPORT=$PGPORT
export PGHOST=127.0.0.1 PGPORT=$PG_PORT
if [ -n "$FROM_DB" ]; then
    say "Copying $FROM_DB from $SRC_PGHOST:$SRC_PGPORT into $DB on the primary"
    createdb -T template0 "$DB"
    copy_db() {
        PGHOST=$SRC_PGHOST PGPORT=$SRC_PGPORT pg_dump -Fc --no-owner "$FROM_DB" \
            | pg_restore --no-owner -d "$DB" 2>"$WORK/restore.log"
    }
    step copy_db || { tail -20 "$WORK/restore.log"; die "Copying $FROM_DB failed."; }
    src_store="$HOME/.local/share/Odoo/filestore/$FROM_DB"
    mkdir -p "$WORK/data/filestore"
    [ -d "$src_store" ] && cp -a "$src_store" "$WORK/data/filestore/$DB"
else
    say "Creating $DB with $ADDONS on the primary"
    step create_database "$DB" "" --data-dir="$WORK/data" --log-level=warn >"$WORK/install.log" 2>&1 \
        || { tail -40 "$WORK/install.log"; die "Installing the addons failed ($WORK/install.log)."; }
fi

# Links in mails and the assets wkhtmltopdf loads go to the balancer, not
# to the node that happened to serve the admin's last login: a node whose
# workers all render PDFs cannot also serve their assets. Mail leaves only
# through the mail queue job (one node at a time, under the job's lock), not
# also right after the request that wrote it, which races with the queue.
psql -q -d "$DB" -v ON_ERROR_STOP=1 -v url="http://127.0.0.1:$LB_PORT" >/dev/null <<'SQL'
INSERT INTO ir_config_parameter (key, value, create_date, write_date)
VALUES ('web.base.url', :'url', now(), now()), ('web.base.url.freeze', 'True', now(), now()),
       ('report.url', :'url', now(), now()), ('mail.mail.force.send.limit', '0', now(), now())
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = now();
SQL
T_DB=$SECONDS

# --- Streaming replica -----------------------------------------------------
say "Streaming replica (pg_basebackup) on 127.0.0.1:$REPLICA_PORT"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U "$PGUSER" -D "$WORK/replica" \
    -R -X stream -c fast >"$WORK/basebackup.log" 2>&1 \
    || { cat "$WORK/basebackup.log"; die "pg_basebackup failed."; }
echo "port = $REPLICA_PORT" >>"$WORK/replica/postgresql.auto.conf"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/replica" -l "$WORK/run/replica.log" -w start >/dev/null \
    || { tail -20 "$WORK/run/replica.log"; die "The replica did not start."; }
[ "$(psql -p "$REPLICA_PORT" -d postgres -tAc 'select pg_is_in_recovery()')" = t ] \
    || die "The replica is not in recovery (hot standby)."
[ "$(psql -d postgres -tAc "select count(*) from pg_stat_replication where state = 'streaming'")" -ge 1 ] \
    || die "The primary streams to no replica."

# --- Two Odoo nodes --------------------------------------------------------
# One configuration for both: same primary, same replica, same data_dir
# (filestore and HTTP sessions shared), workers and a cron thread each.
cat >"$WORK/odoo-node.conf" <<EOF
[options]
addons_path = $ADDONS_PATH
data_dir = $WORK/data
db_host = 127.0.0.1
db_port = $PG_PORT
db_user = $PGUSER
db_password = $PGPASSWORD
db_replica_host = 127.0.0.1
db_replica_port = $REPLICA_PORT
db_name = $DB
dbfilter = ^$DB\$
list_db = False
proxy_mode = True
http_interface = 127.0.0.1
workers = ${SCALEOUT_WORKERS:-2}
max_cron_threads = 1
limit_time_cpu = 300
limit_time_real = 600
limit_time_real_cron = 1800
smtp_server = 127.0.0.1
smtp_port = $SMTP_PORT
log_level = warn
EOF
start_node() {  # start_node NAME HTTP GEVENT
    local log="$WORK/$1.log"
    ODOO_PGAPPNAME="odoo-$1-{pid}" ODOO_NOTIFY_CRON_CHANGES=1 \
        setsid "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$WORK/odoo-node.conf" \
        --http-port="$2" --gevent-port="$3" --logfile="$log" \
        --log-handler=odoo.addons.base.models.ir_cron:INFO >/dev/null 2>&1 &
    PIDS+=($!)
    say "Odoo $1 (pid $!) on 127.0.0.1:$2, websocket :$3"
}
start_node node1 "$NODE1_PORT" "$NODE1_GEVENT"
start_node node2 "$NODE2_PORT" "$NODE2_GEVENT"

# --- nginx ---------------------------------------------------------------
mkdir -p "$WORK/nginx"
# deploy/nginx.conf (the docker-compose profile's) with loopback addresses
sed -e "s/odoo1:8069/127.0.0.1:$NODE1_PORT/; s/odoo2:8069/127.0.0.1:$NODE2_PORT/" \
    -e "s/odoo1:8072/127.0.0.1:$NODE1_GEVENT/; s/odoo2:8072/127.0.0.1:$NODE2_GEVENT/" \
    -e "s/listen 80;/listen 127.0.0.1:$LB_PORT;/" \
    -e "s#access_log .*#access_log $WORK/nginx/access.log balanced;#" \
    "$REPO_DIR/deploy/nginx.conf" >"$WORK/nginx/odoo.conf"
nginx_user=""
[ "$(id -u)" = 0 ] && nginx_user="user root;"
cat >"$WORK/nginx/nginx.conf" <<EOF
$nginx_user
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    include $WORK/nginx/odoo.conf;
}
EOF
"$NGINX" -t -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx/test.log" 2>&1 \
    || { cat "$WORK/nginx/test.log"; die "nginx refused its configuration."; }
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g "daemon off;" &
PIDS+=($!)
say "nginx (pid $!) on 127.0.0.1:$LB_PORT -> :$NODE1_PORT, :$NODE2_PORT"

wait_http "http://127.0.0.1:$NODE1_PORT/web/health" "${PIDS[0]}" "$WORK/node1.log"
wait_http "http://127.0.0.1:$NODE2_PORT/web/health" "${PIDS[1]}" "$WORK/node2.log"
wait_http "http://127.0.0.1:$LB_PORT/web/health" "${PIDS[2]}" "$WORK/nginx/error.log"
T_UP=$SECONDS

# --- Load and checks -------------------------------------------------------
say "Load through the balancer: $CLIENTS clients x $ORDERS orders, both nodes running every job"
set +e
STEP=""
trap 'say "SIGUSR1: ending the load early"; [ -n "$STEP" ] && kill -USR1 "$STEP" 2>/dev/null' USR1
ADDONS_PATH="$ADDONS_PATH" ODOO_PATH="$ODOO_PATH" step "$VENV/bin/python" \
    "$REPO_DIR/bench/scaleout_check.py" \
    --db "$DB" --clients "$CLIENTS" --orders "$ORDERS" \
    --url "http://127.0.0.1:$LB_PORT" \
    --node "http://127.0.0.1:$NODE1_PORT" --node "http://127.0.0.1:$NODE2_PORT" \
    --log "$WORK/node1.log" --log "$WORK/node2.log" \
    --access-log "$WORK/nginx/access.log" \
    --primary-port "$PG_PORT" --replica-port "$REPLICA_PORT" --smtp-port "$SMTP_PORT" \
    --max-seconds "${SCALEOUT_MAX_SECONDS:-1800}"
rc=$?
set -e
say "Times: primary and database $T_DB s, replica, nodes and nginx up $((T_UP - T_DB)) s, load and checks $((SECONDS - T_UP)) s"
[ "$rc" -eq 0 ] && say "Scale-out check passed." || say "Scale-out check FAILED."
exit "$rc"
