#!/bin/bash
# ta-entrypoint.sh: the first thing every container of the ta_programmes image runs.
#
#   ta-entrypoint.sh web          gunicorn serving Frappe on port 8000 (the image's default command)
#   ta-entrypoint.sh frontend     nginx on port 8080, with deploy/resources/ta-nginx.conf
#   ta-entrypoint.sh CMD ARGS...  anything else, e.g. "bench worker --queue long", "ta-site.sh create"
#
# Why it exists. sites/ is a volume: it holds the site's config, its files and backups, is shared
# by every container and outlives the image. Two things in sites/ belong to the image instead:
# the assets that `bench build` made when the image was built (sites/assets) and the list of the
# apps the image contains (sites/apps.txt). Kept in the volume, they would go stale at the first
# upgrade. So the image keeps them outside sites/, in built/, and this script makes sites/assets
# and sites/apps.txt symbolic links to them before the command starts. Every version of the
# image keeps them at the same path, so the links never change: each container reads its own
# image's assets through them, nothing is copied at start, and an old and a new container can
# run side by side during an upgrade. The nginx of "frontend" serves /assets straight from
# built/assets and mounts sites/ read-only, so it changes nothing in the volume.
#
# Environment: see "web" and "frontend" below; BENCH_DIR and BUILT_DIR only for trying the script
# outside the image.
set -euo pipefail

BENCH_DIR=${BENCH_DIR:-/home/frappe/frappe-bench}
BUILT_DIR=${BUILT_DIR:-$BENCH_DIR/built}
SITES_DIR=$BENCH_DIR/sites

note() { printf 'ta-entrypoint: %s\n' "$*" >&2; }

# Make $SITES_DIR/$1 a link to $BUILT_DIR/$1, atomically: the link is made under a temporary name
# and renamed over the old entry, so a container already running never finds it missing.
link_from_image() {
	local name=$1 target=$BUILT_DIR/$1 entry=$SITES_DIR/$1 tmp
	[ "$(readlink "$entry" 2>/dev/null || true)" = "$target" ] && return 0
	if [ -d "$entry" ] && [ ! -L "$entry" ]; then
		# a real directory from an older layout: rename cannot replace it
		note "replacing the directory sites/$name with a link to the image's copy"
		rm -rf "$entry"
	fi
	tmp=$(mktemp -u "$SITES_DIR/.$name.XXXXXX")
	ln -s "$target" "$tmp"
	mv -Tf "$tmp" "$entry"
}

prepare_sites() {
	if [ ! -d "$BUILT_DIR/assets" ] || [ ! -f "$BUILT_DIR/apps.txt" ]; then
		note "$BUILT_DIR has no assets/ or apps.txt: not an image built from deploy/Containerfile?"
		exit 1
	fi
	mkdir -p "$SITES_DIR"
	link_from_image assets
	link_from_image apps.txt
	# Frappe's commands need this file; the site job fills it in.
	[ -e "$SITES_DIR/common_site_config.json" ] || printf '{}\n' >"$SITES_DIR/common_site_config.json"
}

# gunicorn with Frappe's WSGI application; sized by the environment. The backend port is never
# published: only nginx reaches it, so X-Forwarded-Proto is believed from any peer by default
# (Frappe marks its cookies Secure when the scheme is https).
web() {
	cd "$BENCH_DIR"
	exec "$BENCH_DIR/env/bin/gunicorn" \
		--chdir "$SITES_DIR" \
		--bind "${GUNICORN_BIND:-0.0.0.0:8000}" \
		--worker-class "${GUNICORN_WORKER_CLASS:-gthread}" \
		--workers "${GUNICORN_WORKERS:-2}" \
		--threads "${GUNICORN_THREADS:-4}" \
		--timeout "${GUNICORN_TIMEOUT:-120}" \
		--graceful-timeout "${GUNICORN_GRACEFUL_TIMEOUT:-30}" \
		--max-requests "${GUNICORN_MAX_REQUESTS:-5000}" \
		--max-requests-jitter "${GUNICORN_MAX_REQUESTS_JITTER:-500}" \
		--forwarded-allow-ips "${GUNICORN_FORWARDED_ALLOW_IPS:-*}" \
		--worker-tmp-dir /dev/shm \
		--preload \
		"$@" \
		frappe.app:application
}

# nginx as the frappe user: the template's placeholders (@WORD@) filled from the environment, the
# pid file and temporary files under /tmp, logs to the container's output.
frontend() {
	local template=${NGINX_TEMPLATE:-/home/frappe/ta-nginx.conf} run_dir=${NGINX_RUN_DIR:-/tmp/ta-nginx}
	local conf name value
	shopt -u patsub_replacement 2>/dev/null || true # "&" in a value stays "&"
	: "${SITE_NAME:?SITE_NAME is required: the one site nginx serves}"
	declare -A values=(
		[SITE_NAME]=$SITE_NAME
		[BACKEND]=${BACKEND:-backend:8000}
		[SOCKETIO]=${SOCKETIO:-websocket:9000}
		[LISTEN_PORT]=${LISTEN_PORT:-8080}
		[CLIENT_MAX_BODY_SIZE]=${CLIENT_MAX_BODY_SIZE:-50m}
		[PROXY_READ_TIMEOUT]=${PROXY_READ_TIMEOUT:-120}
		[TRUSTED_PROXY]=${TRUSTED_PROXY:-127.0.0.1}
		[BENCH_DIR]=$BENCH_DIR
		[BUILT_DIR]=$BUILT_DIR
		[RUN_DIR]=$run_dir
	)
	# one nginx word each: no spaces, quotes, braces, semicolons or variables from the environment
	local not_a_word='[[:space:];{}"'"'"'$\\]'
	conf=$(<"$template")
	for name in "${!values[@]}"; do
		value=${values[$name]}
		if [[ -z $value || $value =~ $not_a_word ]]; then
			note "$name='$value' is not a value nginx can take"
			exit 2
		fi
		conf=${conf//@"$name"@/"$value"}
	done
	if [[ $conf =~ @[A-Z_]+@ ]]; then
		note "$template has a placeholder this script does not know: ${BASH_REMATCH[0]}"
		exit 2
	fi
	mkdir -p "$run_dir"
	printf '%s\n' "$conf" >"$run_dir/nginx.conf"
	exec nginx -e stderr -c "$run_dir/nginx.conf" -g 'daemon off;'
}

case "${1:-web}" in
web)
	[ $# -gt 0 ] && shift
	prepare_sites
	web "$@"
	;;
frontend)
	frontend
	;;
*)
	prepare_sites
	cd "$BENCH_DIR"
	exec "$@"
	;;
esac
