#!/bin/bash
# ta-site.sh: the jobs that set up the ta_programmes site, run inside the app image
# (from /home/frappe/frappe-bench). One or more actions, in the order given:
#
#   configure   writes the bench-wide settings to sites/common_site_config.json from the
#               environment: DB_HOST, DB_PORT, REDIS_CACHE, REDIS_QUEUE, SOCKETIO_PORT, and the
#               replica (below). Docker Compose runs it; the helm chart has its own configure job.
#   create      waits for the database, then creates SITE_NAME with the app installed, or, when
#               the site exists, installs the app if it is missing and migrates (MIGRATE=1, the
#               default: how an upgraded image reaches the database); then "settings".
#   settings    waits until SITE_NAME exists with the app, then does what the app's own setup does
#               after install-app: scheduler on (daily oversight check, reminders, concern
#               deadlines), no tracebacks to clients, setup complete, host_name from SITE_URL for
#               the links sent by e-mail; on a replica set-up, lets the site's database user read
#               the replica's lag; the demo data only with LOAD_DEMO=1. With REPLICA_HOST in its
#               environment it also writes the replica settings (the helm chart's route).
#
# The replica: REPLICA_HOST (empty: none), REPLICA_PORT (3306), REPLICA_MAX_LAG (seconds; empty:
# the app's default). Written as Frappe's read_from_replica, replica_host, replica_db_port and the
# app's ta_replica_max_lag; without a replica, read_from_replica is 0 and the others are removed.
#
# Other environment: SITE_NAME (required by create and settings), ADMIN_PASSWORD and
# DB_ROOT_PASSWORD (to create the site; DB_ROOT_PASSWORD also for the replica grant), DB_ROOT_USER
# (root), SITE_URL, MIGRATE (1), LOAD_DEMO (0: the demo users share a published password, never on
# a site others can reach), WAIT_SECONDS (600) and WAIT_INTERVAL (5) for the waits, FIXTURES (where
# the image keeps the demo dataset).
set -euo pipefail

BENCH_DIR=${BENCH_DIR:-/home/frappe/frappe-bench}
FIXTURES=${FIXTURES:-/home/frappe/ta-fixtures}
WAIT_SECONDS=${WAIT_SECONDS:-600}
APP=ta_programmes
COMMON=sites/common_site_config.json
cd "$BENCH_DIR"
PY=$BENCH_DIR/env/bin/python

say() { printf 'ta-site: %s\n' "$*"; }
fail() {
	printf 'ta-site: %s\n' "$*" >&2
	exit 1
}

# --- JSON settings files, read and written with the bench's own Python

# json_get FILE KEY: the value, or nothing when the file or the key is missing
json_get() {
	"$PY" -c '
import json, sys
try:
	with open(sys.argv[1]) as f:
		value = json.load(f).get(sys.argv[2])
except (OSError, ValueError):
	value = None
if value is not None:
	print(value)
' "$1" "$2"
}

# json_set FILE ARG...: key=text sets a string, key:=literal sets a JSON number or boolean,
# -key removes the key. The file is replaced whole (write, then rename), never half-written.
json_set() {
	"$PY" -c '
import json, os, sys, tempfile
path = sys.argv[1]
try:
	with open(path) as f:
		config = json.load(f)
except FileNotFoundError:
	config = {}
for arg in sys.argv[2:]:
	if arg.startswith("-"):
		config.pop(arg[1:], None)
	elif ":=" in arg:
		key, value = arg.split(":=", 1)
		config[key] = json.loads(value)
	else:
		key, value = arg.split("=", 1)
		config[key] = value
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".config-")
with os.fdopen(fd, "w") as f:
	json.dump(config, f, indent=1, sort_keys=True)
	f.write("\n")
os.chmod(tmp, 0o644)
os.replace(tmp, path)
' "$@"
}

is_number() { [[ $1 =~ ^[0-9]+$ ]]; }

# --- waiting

# wait_until DESCRIPTION COMMAND...: retries COMMAND every few seconds for WAIT_SECONDS
wait_until() {
	local what=$1 deadline=$((SECONDS + WAIT_SECONDS))
	shift
	until "$@"; do
		((SECONDS < deadline)) || fail "gave up after ${WAIT_SECONDS}s waiting for $what"
		say "waiting for $what"
		sleep "${WAIT_INTERVAL:-5}"
	done
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

common_has_connections() {
	[ -n "$(json_get "$COMMON" db_host)" ] && [ -n "$(json_get "$COMMON" redis_cache)" ] &&
		[ -n "$(json_get "$COMMON" redis_queue)" ]
}

site_exists() { [ -f "sites/$SITE_NAME/site_config.json" ]; }

app_installed() {
	local apps
	apps=$(bench --site "$SITE_NAME" list-apps 2>/dev/null) || return 1
	grep -qw "$APP" <<<"$apps"
}

site_ready() { site_exists && app_installed; }

# --- the actions

replica_settings() {
	local host=${REPLICA_HOST:-} port=${REPLICA_PORT:-3306} lag=${REPLICA_MAX_LAG:-}
	if [ -z "$host" ]; then
		say "no replica: every read goes to $(json_get "$COMMON" db_host)"
		json_set "$COMMON" read_from_replica:=0 -replica_host -replica_db_port -ta_replica_max_lag
		return
	fi
	is_number "$port" || fail "REPLICA_PORT must be a number, not '$port'"
	[ -z "$lag" ] || is_number "$lag" || fail "REPLICA_MAX_LAG must be a number of seconds, not '$lag'"
	local lag_setting=-ta_replica_max_lag
	[ -z "$lag" ] || lag_setting=ta_replica_max_lag:=$lag
	say "reads from the replica $host:$port (read_from_replica)"
	json_set "$COMMON" read_from_replica:=1 replica_host="$host" replica_db_port:="$port" "$lag_setting"
}

configure() {
	: "${DB_HOST:?DB_HOST is required}" "${REDIS_CACHE:?REDIS_CACHE is required}" \
		"${REDIS_QUEUE:?REDIS_QUEUE is required}"
	local db_port=${DB_PORT:-3306} socketio_port=${SOCKETIO_PORT:-9000}
	is_number "$db_port" || fail "DB_PORT must be a number, not '$db_port'"
	is_number "$socketio_port" || fail "SOCKETIO_PORT must be a number, not '$socketio_port'"
	say "database $DB_HOST:$db_port, cache $REDIS_CACHE, queue $REDIS_QUEUE"
	json_set "$COMMON" db_host="$DB_HOST" db_port:="$db_port" redis_cache="$REDIS_CACHE" \
		redis_queue="$REDIS_QUEUE" socketio_port:="$socketio_port"
	replica_settings
}

create() {
	: "${SITE_NAME:?SITE_NAME is required}"
	wait_until "the database and Redis settings in $COMMON" common_has_connections
	local host port
	host=$(json_get "$COMMON" db_host)
	port=$(json_get "$COMMON" db_port)
	wait_until "the database at $host:${port:-3306}" tcp_open "$host" "${port:-3306}"

	if site_exists; then
		if ! app_installed; then
			say "installing $APP on $SITE_NAME"
			bench --site "$SITE_NAME" install-app "$APP"
		fi
		if [ "${MIGRATE:-1}" = 1 ]; then
			say "migrating $SITE_NAME"
			bench --site "$SITE_NAME" migrate
		fi
	else
		: "${ADMIN_PASSWORD:?ADMIN_PASSWORD is required to create the site}"
		: "${DB_ROOT_PASSWORD:?DB_ROOT_PASSWORD is required to create the site}"
		say "creating $SITE_NAME with $APP"
		# The site's database user may log in from any container ('%'), not only from this one.
		bench new-site "$SITE_NAME" \
			--db-root-username "${DB_ROOT_USER:-root}" \
			--db-root-password "$DB_ROOT_PASSWORD" \
			--admin-password "$ADMIN_PASSWORD" \
			--mariadb-user-host-login-scope=% \
			--install-app "$APP" \
			--set-default
	fi
	settings
}

# The site's database user may read the replica's lag (SHOW SLAVE STATUS needs SLAVE MONITOR).
# Granted on the primary, from which it replicates; the password travels in MYSQL_PWD, never on a
# command line.
grant_replica_monitor() {
	local db_user host port
	db_user=$(json_get "sites/$SITE_NAME/site_config.json" db_user)
	[ -n "$db_user" ] || db_user=$(json_get "sites/$SITE_NAME/site_config.json" db_name)
	[[ $db_user =~ ^[A-Za-z0-9_]+$ ]] || fail "unexpected database user '$db_user' in sites/$SITE_NAME/site_config.json"
	host=$(json_get "$COMMON" db_host)
	port=$(json_get "$COMMON" db_port)
	say "granting SLAVE MONITOR to $db_user, for the replica's lag"
	MYSQL_PWD=$DB_ROOT_PASSWORD mariadb --host="$host" --port="${port:-3306}" \
		--user="${DB_ROOT_USER:-root}" --execute="GRANT SLAVE MONITOR ON *.* TO '$db_user'@'%'"
}

settings() {
	: "${SITE_NAME:?SITE_NAME is required}"
	wait_until "$SITE_NAME with $APP installed" site_ready
	[ -z "${REPLICA_HOST+set}" ] || replica_settings

	bench --site "$SITE_NAME" enable-scheduler
	# web and API clients get error messages, never server tracebacks
	bench --site "$SITE_NAME" execute frappe.db.set_single_value \
		--args "['System Settings', 'allow_error_traceback', 0]"
	bench --site "$SITE_NAME" execute frappe.db.set_single_value \
		--args "['System Settings', 'setup_complete', 1]"
	if [ -n "${SITE_URL:-}" ]; then
		bench --site "$SITE_NAME" set-config host_name "$SITE_URL"
	fi

	if [ "$(json_get "$COMMON" read_from_replica)" = 1 ]; then
		if [ -n "${DB_ROOT_PASSWORD:-}" ]; then
			grant_replica_monitor
		else
			say "no DB_ROOT_PASSWORD: SLAVE MONITOR not granted; the app reads the primary until it is"
		fi
	fi

	if [ "${LOAD_DEMO:-0}" = 1 ]; then
		say "loading the demo data (its users share a published password)"
		"$PY" "$FIXTURES/load_demo.py" --site "$SITE_NAME" --sites-path sites --path "$FIXTURES/demo"
	fi
	say "$SITE_NAME is ready"
}

[ $# -gt 0 ] || {
	echo "usage: ta-site.sh configure|create|settings..." >&2
	exit 2
}
for action in "$@"; do
	case $action in
	configure | create | settings) ;;
	*)
		echo "ta-site.sh: unknown action '$action' (configure, create, settings)" >&2
		exit 2
		;;
	esac
done
for action in "$@"; do
	"$action"
done
