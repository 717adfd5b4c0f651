"""deploy/: what can be checked without Docker, a registry or a cluster.

- every YAML file parses; the compose files, with deploy/example.env filled in the way Compose
  fills variables in, have the services the app needs: every Frappe process on the app image and
  after the site job, workers for every queue the app enqueues on, one scheduler, MariaDB in
  utf8mb4 with a binary log, the replica and Frappe's replica settings only in the overlay;
- the scripts parse (bash -n; shellcheck where installed) and do what the compose files and helm
  values count on, run against stand-ins for bench, gunicorn, nginx and mariadb and the real
  Python: the settings ta-site.sh writes, the site it creates or migrates, the links
  ta-entrypoint.sh makes, the gunicorn and nginx it starts;
- the Containerfile builds on frappe/build and frappe/base v15, installs the app and
  fonts-dejavu-core, and copies only files that exist and that its ignore file lets through;
- the helm values give the chart the app image, the app to install, one scheduler, a shared
  sites volume and, in the overlay only, the replica. With TA_HELM_CHART pointing at an unpacked
  erpnext chart, every key set is checked to be one the chart has.

`docker compose config` runs only where the compose plugin is installed, `nginx -t` only where
nginx is (neither is on this project's machine: the tests say so when they skip).
"""

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed: the deploy/ YAML files cannot be read")

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
RESOURCES = DEPLOY / "resources"
APP = ROOT / "apps" / "ta_programmes" / "ta_programmes"
BENCH = "/home/frappe/frappe-bench"

FRAPPE_SERVICES = (
	"site-setup",
	"backend",
	"websocket",
	"queue-short",
	"queue-default",
	"queue-long",
	"scheduler",
	"frontend",
)
REPLICA_WORDS = ("REPLICA_", "read_from_replica", "replica_host", "replica_db_port", "ta_replica_max_lag")
UTF8MB4_FLAGS = (
	"--character-set-server=utf8mb4",
	"--collation-server=utf8mb4_unicode_ci",
	"--skip-character-set-client-handshake",
)


def read_yaml(path: Path):
	return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_deploy_holds_what_the_readme_lists_and_nothing_vendored():
	expected = {
		"Containerfile",
		"Containerfile.dockerignore",
		"README.md",
		"compose.yaml",
		"compose.replica.yaml",
		"example.env",
		"helm/values-ta.yaml",
		"helm/values-replica.yaml",
		"helm/values-mariadb-replication.yaml",
		"resources/ta-entrypoint.sh",
		"resources/ta-site.sh",
		"resources/ta-nginx.conf",
	}
	present = {str(p.relative_to(DEPLOY)) for p in DEPLOY.rglob("*") if p.is_file()}
	assert present == expected
	readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
	for name in expected - {"README.md"}:
		assert f"`{name}`" in readme, f"deploy/README.md does not describe {name}"


@pytest.mark.parametrize("path", sorted(DEPLOY.rglob("*.yaml")), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_yaml_parses_to_a_mapping(path):
	assert isinstance(read_yaml(path), dict)


# --- Compose: variables filled in as Compose does for the forms these files use


class Unset(Exception):
	"""${NAME:?message} with NAME unset or empty: Compose refuses to start."""


VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def fill(text: str, env: dict) -> str:
	def one(m):
		if m.group(0) == "$$":
			return "$"
		name = m.group(1) or m.group(4)
		op, arg = m.group(2), m.group(3) or ""
		value = env.get(name)
		missing = value is None or (value == "" and op and op.startswith(":"))
		if op in (":-", "-"):
			return arg if missing else value
		if op in (":?", "?"):
			if missing:
				raise Unset(f"{name}: {arg}")
			return value
		return value or ""

	return VARIABLE.sub(one, text)


def fill_all(node, env: dict):
	if isinstance(node, dict):
		return {key: fill_all(value, env) for key, value in node.items()}
	if isinstance(node, list):
		return [fill_all(value, env) for value in node]
	return fill(node, env) if isinstance(node, str) else node


def overlay(base, extra):
	"""Compose's merge for what compose.replica.yaml does: mappings merge, anything else is replaced."""
	if isinstance(base, dict) and isinstance(extra, dict):
		return {
			**base,
			**{key: overlay(base[key], value) if key in base else value for key, value in extra.items()},
		}
	return extra


def env_file(path: Path) -> dict:
	pairs = {}
	for line in path.read_text(encoding="utf-8").splitlines():
		if line.strip() and not line.lstrip().startswith("#"):
			key, _, value = line.partition("=")
			pairs[key.strip()] = value.strip()
	return pairs


EXAMPLE_ENV = env_file(DEPLOY / "example.env")


def project(*files: str, env: dict | None = None) -> dict:
	merged: dict = {}
	for name in files:
		merged = overlay(merged, fill_all(read_yaml(DEPLOY / name), EXAMPLE_ENV if env is None else env))
	return merged


BASE = project("compose.yaml")
REPLICA = project("compose.yaml", "compose.replica.yaml")


def argv(service: dict) -> list[str]:
	command = service.get("command") or []
	return shlex.split(command) if isinstance(command, str) else [str(a) for a in command]


def environment(service: dict) -> dict:
	env = service.get("environment") or {}
	if isinstance(env, list):
		env = dict(item.split("=", 1) for item in env)
	return {key: "" if value is None else str(value) for key, value in env.items()}


def test_the_filling_in_follows_compose():
	env = {"A": "a", "E": ""}
	assert fill("${A:-x}|${B:-x}|${E:-x}|${E-x}|$$host|$A|${B}", env) == "a|x|x||$host|a|"
	with pytest.raises(Unset, match="B: needed"):
		fill("${B:?needed}", env)
	# no default in these files holds a variable of its own (the pattern above does not nest)
	for name in ("compose.yaml", "compose.replica.yaml"):
		assert not re.search(r"\$\{[^}]*\$\{", (DEPLOY / name).read_text(encoding="utf-8")), name


def test_example_env_sets_what_compose_requires():
	project("compose.yaml", "compose.replica.yaml")  # no Unset
	required = set()
	for name in ("compose.yaml", "compose.replica.yaml"):
		required |= set(re.findall(r"\$\{(\w+):\?", (DEPLOY / name).read_text(encoding="utf-8")))
	assert required == {"SITE_NAME", "ADMIN_PASSWORD", "DB_ROOT_PASSWORD", "DB_REPLICATION_PASSWORD"}
	for name in required - {"DB_REPLICATION_PASSWORD"}:
		with pytest.raises(Unset, match=name):
			project("compose.yaml", env={k: v for k, v in EXAMPLE_ENV.items() if k != name})
	# the replication password is needed by the overlay only
	project("compose.yaml", env={k: v for k, v in EXAMPLE_ENV.items() if k != "DB_REPLICATION_PASSWORD"})


def test_the_services():
	assert set(BASE["services"]) == {*FRAPPE_SERVICES, "db", "redis-cache", "redis-queue"}
	assert set(REPLICA["services"]) - set(BASE["services"]) == {"db-replica"}
	published = {name for name, s in BASE["services"].items() if s.get("ports")}
	assert published == {"frontend"}


def test_every_frappe_process_runs_the_app_image_on_the_bench_volumes():
	services = BASE["services"]
	image = f"{EXAMPLE_ENV['TA_IMAGE']}:{EXAMPLE_ENV['TA_TAG']}"
	for name in FRAPPE_SERVICES:
		assert services[name]["image"] == image, name
		mounts = [v.split(":") for v in services[name]["volumes"]]
		assert ["sites", f"{BENCH}/sites"] == mounts[0][:2], name
	assert services["frontend"]["volumes"] == [f"sites:{BENCH}/sites:ro"]  # nginx only reads
	# built once, by the first service to run
	built = {name: s["build"] for name, s in services.items() if "build" in s}
	assert list(built) == ["site-setup"]
	assert (DEPLOY / built["site-setup"]["context"]).resolve() == ROOT
	assert (ROOT / built["site-setup"]["dockerfile"]).resolve() == DEPLOY / "Containerfile"
	assert services["db"]["image"].startswith("mariadb:10.11")
	assert all(services[n]["image"].startswith("redis:") for n in ("redis-cache", "redis-queue"))


def queues_enqueued_by_the_app() -> set[str]:
	found = set()
	for path in APP.rglob("*.py"):
		found |= set(re.findall(r"""\bqueue\s*=\s*["'](\w+)["']""", path.read_text(encoding="utf-8")))
	return found


def test_workers_cover_every_queue_and_there_is_one_scheduler():
	services = BASE["services"]
	listened = {}
	for name, service in services.items():
		command = argv(service)
		if command[:2] == ["bench", "worker"]:
			listened[name] = set(command[command.index("--queue") + 1].split(","))
	assert set(listened) == {"queue-short", "queue-default", "queue-long"}
	everything = set().union(*listened.values())
	assert "long" in queues_enqueued_by_the_app()  # the large desk PDF and the oversight re-checks
	assert queues_enqueued_by_the_app() | {"short", "default", "long"} <= everything
	assert listened["queue-long"] == {"long"}
	schedulers = [n for n, s in services.items() if argv(s)[:2] == ["bench", "schedule"]]
	assert schedulers == ["scheduler"]
	assert "deploy" not in services["scheduler"]  # no replicas


def test_the_processes_and_their_order():
	services = BASE["services"]
	assert argv(services["backend"]) == ["web"]
	assert argv(services["frontend"]) == ["frontend"]
	assert argv(services["websocket"]) == ["node", f"{BENCH}/apps/frappe/socketio.js"]
	assert argv(services["site-setup"]) == ["ta-site.sh", "configure", "create"]
	assert services["site-setup"]["restart"] == "no"
	setup_waits = services["site-setup"]["depends_on"]
	assert setup_waits["db"]["condition"] == "service_healthy"
	for name in ("backend", "websocket", "queue-short", "queue-default", "queue-long", "scheduler"):
		assert services[name]["depends_on"] == {"site-setup": {"condition": "service_completed_successfully"}}
	front = environment(services["frontend"])
	assert front["BACKEND"] == "backend:8000" and front["SOCKETIO"] == "websocket:9000"
	assert front["SITE_NAME"] == environment(services["site-setup"])["SITE_NAME"] == EXAMPLE_ENV["SITE_NAME"]
	setup = environment(services["site-setup"])
	assert setup["DB_HOST"] == "db" and setup["REDIS_CACHE"] == "redis://redis-cache:6379"
	assert setup["REDIS_QUEUE"] == "redis://redis-queue:6379"


def test_mariadb_in_utf8mb4_the_primary_logs_and_the_replica_follows_read_only():
	services = REPLICA["services"]
	for name in ("db", "db-replica"):
		assert set(UTF8MB4_FLAGS) <= set(services[name]["command"]), name
	primary, replica = services["db"]["command"], services["db-replica"]["command"]
	assert "--log-bin" in primary and any(f.startswith("--log-basename=") for f in primary)
	ids = [next(f for f in c if f.startswith("--server-id=")) for c in (primary, replica)]
	assert ids[0] != ids[1]
	assert "--read-only=1" in replica
	env, replica_env = environment(services["db"]), environment(services["db-replica"])
	assert replica_env["MARIADB_MASTER_HOST"] == "db"
	for key in ("MARIADB_REPLICATION_USER", "MARIADB_REPLICATION_PASSWORD"):
		assert env[key] and env[key] == replica_env[key]
	assert "MARIADB_REPLICATION_USER" not in environment(BASE["services"]["db"])
	assert services["db"]["healthcheck"]["test"][:2] == ["CMD", "healthcheck.sh"]


def test_replica_settings_only_in_the_overlays():
	for name in ("compose.yaml", "example.env", "helm/values-ta.yaml"):
		text = "\n".join(
			line
			for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines()
			if not line.lstrip().startswith("#")
		)
		assert not [w for w in REPLICA_WORDS if w in text], name
	setup = environment(REPLICA["services"]["site-setup"])
	assert setup["REPLICA_HOST"] == "db-replica" and setup["REPLICA_PORT"] == "3306"
	# nothing waits for the replica: reads fall back to the primary while it is away
	for name, service in REPLICA["services"].items():
		assert "db-replica" not in (service.get("depends_on") or {}), name


# --- the scripts


SCRIPTS = sorted(RESOURCES.glob("*.sh"))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_script_is_bash_that_parses(path):
	assert path.read_text(encoding="utf-8").startswith("#!/bin/bash\n")
	result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
	assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_script_passes_shellcheck(path):
	if not shutil.which("shellcheck"):
		pytest.skip("shellcheck is not installed")
	result = subprocess.run(["shellcheck", str(path)], capture_output=True, text=True)
	assert result.returncode == 0, result.stdout


def write_exe(path: Path, body: str):
	path.parent.mkdir(parents=True, exist_ok=True)
	path.write_text(body)
	path.chmod(0o755)


# A bench with stand-ins: env/bin/python runs the real Python for "-c" (ta-site.sh's JSON
# helpers) and only logs anything else (the demo loader); bench, mariadb, gunicorn and nginx log
# their arguments. The stand-in bench "creates" a site the way new-site leaves it.
FAKE_BENCH = r"""#!/bin/bash
printf 'bench %s\n' "$*" >> "$LOG"
case "$1 $3" in
"new-site "*)
	mkdir -p "sites/$2"
	echo '{"db_name": "_5e1f0a", "db_password": "p"}' > "sites/$2/site_config.json"
	touch "$STATE/installed" ;;
"--site install-app") touch "$STATE/installed" ;;
"--site list-apps") echo "frappe 15.56.1"; [ -f "$STATE/installed" ] && echo "ta_programmes 0.1.0" ;;
esac
exit 0
"""


@pytest.fixture
def bench(tmp_path):
	root = tmp_path / "frappe-bench"
	state = tmp_path / "state"
	for d in (root / "sites", root / "built" / "assets" / "frappe", state):
		d.mkdir(parents=True)
	(root / "built" / "apps.txt").write_text("frappe\nta_programmes\n")
	bin_dir = tmp_path / "bin"
	write_exe(bin_dir / "bench", FAKE_BENCH)
	write_exe(bin_dir / "mariadb", '#!/bin/bash\nprintf "mariadb %s pwd=%s\\n" "$*" "$MYSQL_PWD" >> "$LOG"\n')
	write_exe(bin_dir / "nginx", '#!/bin/bash\nprintf "nginx %s\\n" "$*" >> "$LOG"\n')
	write_exe(
		root / "env" / "bin" / "python",
		f'#!/bin/bash\n[ "$1" = -c ] && exec {shlex.quote(sys.executable)} "$@"\nprintf "python %s\\n" "$*" >> "$LOG"\n',
	)
	write_exe(root / "env" / "bin" / "gunicorn", '#!/bin/bash\nprintf "gunicorn %s\\n" "$*" >> "$LOG"\n')
	log = tmp_path / "log"

	def run(script: str, *args: str, **env):
		log.write_text("")
		result = subprocess.run(
			["bash", str(RESOURCES / script), *args],
			capture_output=True,
			text=True,
			timeout=60,
			cwd=tmp_path,
			env={
				"PATH": f"{bin_dir}:{os.environ['PATH']}",
				"HOME": str(tmp_path),
				"LOG": str(log),
				"STATE": str(state),
				"BENCH_DIR": str(root),
				"FIXTURES": "/fixtures",
				"WAIT_SECONDS": "20",
				"WAIT_INTERVAL": "0.1",
				**env,
			},
		)
		return result, log.read_text().splitlines()

	run.root = root
	run.common = lambda: json.loads((root / "sites" / "common_site_config.json").read_text())
	return run


@pytest.fixture
def database():
	"""Something listening where the site job expects the database."""
	server = socket.socket()
	server.bind(("127.0.0.1", 0))
	server.listen(8)
	yield server.getsockname()[1]
	server.close()


def connections(port: int) -> dict:
	return {
		"DB_HOST": "127.0.0.1",
		"DB_PORT": str(port),
		"REDIS_CACHE": "redis://redis-cache:6379",
		"REDIS_QUEUE": "redis://redis-queue:6379",
		"SOCKETIO_PORT": "9000",
	}


SITE = {"SITE_NAME": "programmes.example.org", "ADMIN_PASSWORD": "a", "DB_ROOT_PASSWORD": "r"}


def test_configure_without_and_with_the_replica(bench):
	base_env = environment(BASE["services"]["site-setup"])
	result, _ = bench("ta-site.sh", "configure", **base_env)
	assert result.returncode == 0, result.stderr
	assert bench.common() == {
		"db_host": "db",
		"db_port": 3306,
		"redis_cache": "redis://redis-cache:6379",
		"redis_queue": "redis://redis-queue:6379",
		"socketio_port": 9000,
		"read_from_replica": 0,
	}
	replica_env = environment(REPLICA["services"]["site-setup"])
	result, _ = bench("ta-site.sh", "configure", **replica_env)
	assert result.returncode == 0, result.stderr
	config = bench.common()
	assert config["read_from_replica"] == 1 and config["replica_host"] == "db-replica"
	assert config["replica_db_port"] == 3306 and config["ta_replica_max_lag"] == 30
	assert config["db_host"] == "db"  # writes stay on the primary
	# back without the overlay: the replica is forgotten, other settings are kept
	(bench.root / "sites" / "common_site_config.json").write_text(json.dumps({**config, "other": "kept"}))
	bench("ta-site.sh", "configure", **base_env)
	config = bench.common()
	assert config["read_from_replica"] == 0 and config["other"] == "kept"
	assert not {"replica_host", "replica_db_port", "ta_replica_max_lag"} & set(config)


def test_the_lag_setting_is_the_one_the_app_reads():
	replica = (APP / "replica.py").read_text(encoding="utf-8")
	assert '"ta_replica_max_lag"' in replica
	assert "SLAVE MONITOR" in replica  # what ta-site.sh grants


def test_configure_refuses_what_is_not_a_port(bench):
	result, _ = bench("ta-site.sh", "configure", **{**connections(1), "DB_PORT": "3306;x"})
	assert result.returncode != 0 and "DB_PORT" in result.stderr
	result, _ = bench(
		"ta-site.sh", "configure", **{**connections(1), "REPLICA_HOST": "r", "REPLICA_MAX_LAG": "soon"}
	)
	assert result.returncode != 0 and "REPLICA_MAX_LAG" in result.stderr


def test_create_makes_the_site_with_the_app_then_the_settings(bench, database):
	result, log = bench(
		"ta-site.sh", "configure", "create", **connections(database), **SITE, SITE_URL="https://p.example.org"
	)
	assert result.returncode == 0, result.stderr
	new_site = shlex.split(next(line for line in log if line.startswith("bench new-site")))
	assert new_site[2] == "programmes.example.org"
	assert new_site[new_site.index("--install-app") + 1] == "ta_programmes"
	assert new_site[new_site.index("--db-root-password") + 1] == "r"
	assert "--mariadb-user-host-login-scope=%" in new_site
	done = "\n".join(log)
	assert "bench --site programmes.example.org enable-scheduler" in done
	assert "'allow_error_traceback', 0" in done and "'setup_complete', 1" in done
	assert "bench --site programmes.example.org set-config host_name https://p.example.org" in done
	assert " migrate" not in done
	assert not [line for line in log if line.startswith(("mariadb", "python"))]  # no replica, no demo


def test_create_migrates_an_existing_site_and_grants_the_lag_with_a_replica(bench, database):
	env = {**connections(database), **SITE}
	bench("ta-site.sh", "configure", "create", **env)
	result, log = bench("ta-site.sh", "configure", "create", **env, REPLICA_HOST="db-replica", LOAD_DEMO="1")
	assert result.returncode == 0, result.stderr
	done = "\n".join(log)
	assert "new-site" not in done and "install-app" not in done
	assert "bench --site programmes.example.org migrate" in done
	grant = next(line for line in log if line.startswith("mariadb"))
	assert "GRANT SLAVE MONITOR ON *.* TO '_5e1f0a'@'%'" in grant
	assert f"--host=127.0.0.1 --port={database} --user=root" in grant
	assert grant.endswith("pwd=r")  # through MYSQL_PWD, never on the command line
	assert (
		"python /fixtures/load_demo.py --site programmes.example.org --sites-path sites --path /fixtures/demo"
		in log
	)


def test_create_installs_the_app_on_a_site_that_lacks_it(bench, database):
	site = bench.root / "sites" / "programmes.example.org"
	site.mkdir()
	(site / "site_config.json").write_text('{"db_name": "_x"}')
	result, log = bench("ta-site.sh", "configure", "create", **connections(database), **SITE, MIGRATE="0")
	assert result.returncode == 0, result.stderr
	assert "bench --site programmes.example.org install-app ta_programmes" in log
	assert not [line for line in log if line.endswith(" migrate")]


def test_create_gives_up_when_the_database_never_answers(bench):
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		closed = s.getsockname()[1]
	result, log = bench("ta-site.sh", "configure", "create", **connections(closed), **SITE, WAIT_SECONDS="1")
	assert result.returncode != 0 and "gave up" in result.stderr
	assert not [line for line in log if "new-site" in line]


def test_settings_in_helm_writes_the_replica_and_waits_for_nothing_else(bench):
	# the chart's own jobs have configured the bench and created the site
	(bench.root / "sites" / "common_site_config.json").write_text(
		json.dumps(
			{"db_host": "ta-db-mariadb-primary", "db_port": 3306, "redis_cache": "c", "redis_queue": "q"}
		)
	)
	site = bench.root / "sites" / "programmes.example.org"
	site.mkdir()
	(site / "site_config.json").write_text('{"db_name": "_x"}')
	(Path(bench.root).parent / "state" / "installed").touch()
	container = read_yaml(DEPLOY / "helm" / "values-replica.yaml")["jobs"]["custom"]["containers"][0]
	env = {e["name"]: e["value"] for e in container["env"] if "value" in e}
	result, log = bench(*container["args"], **env, DB_ROOT_PASSWORD="r")
	assert result.returncode == 0, result.stderr
	config = bench.common()
	assert config["read_from_replica"] == 1 and config["replica_host"] == "ta-db-mariadb-secondary"
	assert config["db_host"] == "ta-db-mariadb-primary"
	assert any(line.startswith("mariadb --host=ta-db-mariadb-primary") for line in log)


def test_ta_site_refuses_unknown_actions_and_missing_names(bench):
	result, _ = bench("ta-site.sh", "frobnicate")
	assert result.returncode == 2
	result, _ = bench("ta-site.sh")
	assert result.returncode == 2
	result, _ = bench("ta-site.sh", "settings")
	assert result.returncode != 0 and "SITE_NAME" in result.stderr


def test_entrypoint_links_what_the_image_owns_into_the_sites_volume(bench):
	sites = bench.root / "sites"
	(sites / "assets" / "stale").mkdir(parents=True)  # an older layout: a real directory
	result, log = bench("ta-entrypoint.sh", "bench", "worker", "--queue", "long")
	assert result.returncode == 0, result.stderr
	assert log == ["bench worker --queue long"]
	for name in ("assets", "apps.txt"):
		assert (sites / name).is_symlink() and os.readlink(sites / name) == str(bench.root / "built" / name)
	assert json.loads((sites / "common_site_config.json").read_text()) == {}
	# again: nothing to change, nothing left behind
	bench("ta-entrypoint.sh", "true")
	assert sorted(p.name for p in sites.iterdir()) == ["apps.txt", "assets", "common_site_config.json"]


def test_entrypoint_refuses_an_image_without_its_built_assets(bench):
	shutil.rmtree(bench.root / "built")
	result, log = bench("ta-entrypoint.sh", "bench", "schedule")
	assert result.returncode != 0 and log == []


def test_entrypoint_web_is_gunicorn_serving_frappe(bench):
	result, log = bench(
		"ta-entrypoint.sh", "web", GUNICORN_WORKERS="5", GUNICORN_THREADS="3", GUNICORN_TIMEOUT="90"
	)
	assert result.returncode == 0, result.stderr
	args = shlex.split(log[0])
	assert args[0] == "gunicorn" and args[-1] == "frappe.app:application"

	def option(name):
		return args[args.index(name) + 1]

	assert option("--bind") == "0.0.0.0:8000"
	assert option("--chdir") == str(bench.root / "sites")
	assert option("--worker-class") == "gthread"
	assert (option("--workers"), option("--threads"), option("--timeout")) == ("5", "3", "90")
	assert (bench.root / "sites" / "assets").is_symlink()


def render_nginx(bench, **env):
	run_dir = bench.root.parent / "nginx-run"
	result, log = bench(
		"ta-entrypoint.sh",
		"frontend",
		NGINX_TEMPLATE=str(RESOURCES / "ta-nginx.conf"),
		NGINX_RUN_DIR=str(run_dir),
		**env,
	)
	conf = run_dir / "nginx.conf"
	return result, log, conf.read_text() if conf.exists() else ""


def test_entrypoint_frontend_fills_in_the_nginx_template(bench):
	result, log, conf = render_nginx(bench, SITE_NAME="programmes.example.org", BACKEND="backend:8000")
	assert result.returncode == 0, result.stderr
	assert log[0].startswith("nginx -e stderr -c ") and log[0].endswith("-g daemon off;")
	assert not re.search(r"@[A-Z_]+@", conf)
	assert "server backend:8000;" in conf and "server websocket:9000;" in conf
	assert conf.count("proxy_set_header X-Frappe-Site-Name programmes.example.org;") == 2
	assert f"alias {bench.root}/built/assets/;" in conf  # assets from the image, not the volume
	assert f"root {bench.root}/sites/programmes.example.org/public;" in conf
	assert "internal;" in conf and "X-Use-X-Accel-Redirect 1" in conf
	assert "listen 8080;" in conf
	# the sites volume is not touched: nginx mounts it read-only
	assert not (bench.root / "sites" / "assets").exists()


@pytest.mark.parametrize("bad", ["a;b", "a b", "x}", "$host", ""])
def test_entrypoint_frontend_refuses_values_that_would_change_the_config(bench, bad):
	result, log, _ = render_nginx(bench, SITE_NAME="programmes.example.org", CLIENT_MAX_BODY_SIZE=bad or " ")
	assert result.returncode == 2 and log == []


def test_nginx_accepts_the_rendered_config(bench, tmp_path):
	nginx = shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:" + os.environ["PATH"])
	if not nginx or not Path("/etc/nginx/mime.types").exists():
		pytest.skip("nginx is not installed here (the image has it)")
	_, _, conf = render_nginx(
		bench, SITE_NAME="programmes.example.org", BACKEND="127.0.0.1:8000", SOCKETIO="127.0.0.1:9000"
	)
	path = tmp_path / "nginx.conf"
	path.write_text(conf)
	(bench.root.parent / "nginx-run").mkdir(exist_ok=True)
	result = subprocess.run([nginx, "-t", "-e", "stderr", "-c", str(path)], capture_output=True, text=True)
	assert result.returncode == 0, result.stderr


def test_every_placeholder_of_the_nginx_template_is_filled_by_the_entrypoint():
	template = set(re.findall(r"@([A-Z_]+)@", (RESOURCES / "ta-nginx.conf").read_text(encoding="utf-8")))
	script = (RESOURCES / "ta-entrypoint.sh").read_text(encoding="utf-8")
	filled = set(re.findall(r"^\t\t\[([A-Z_]+)\]=", script, re.M))
	assert template == filled


# --- the Containerfile


def instructions(path: Path) -> list[tuple[str, str]]:
	"""(INSTRUCTION, arguments), continuation lines joined, comments and the parser directive dropped."""
	steps, current = [], []
	for raw in path.read_text(encoding="utf-8").splitlines():
		line = raw.strip()
		if not line or line.startswith("#"):
			continue
		current.append(line.removesuffix("\\").strip())
		if not line.endswith("\\"):
			text = " ".join(current)
			current = []
			word, _, rest = text.partition(" ")
			steps.append((word.upper(), rest.strip()))
	assert not current, "the Containerfile ends inside a continued line"
	return steps


CONTAINERFILE = instructions(DEPLOY / "Containerfile")


def step_args(kind: str) -> list[str]:
	return [args for op, args in CONTAINERFILE if op == kind]


def test_containerfile_stages_are_frappes_v15_images():
	defaults = dict(a.split("=", 1) for a in step_args("ARG") if "=" in a)
	assert defaults["FRAPPE_IMAGES"] == "frappe" and defaults["FRAPPE_IMAGE_TAG"] == "version-15"
	assert defaults["FRAPPE_BRANCH"] == "version-15"
	stages = [
		a.replace("${FRAPPE_IMAGES}", "frappe").replace("${FRAPPE_IMAGE_TAG}", "version-15")
		for a in step_args("FROM")
	]
	assert stages == ["frappe/build:version-15 AS bench", "frappe/base:version-15"]
	runs = " ".join(step_args("RUN"))
	assert "bench init frappe-bench" in runs and '--frappe-branch "${FRAPPE_BRANCH}"' in runs


def test_containerfile_installs_the_app_and_builds_the_assets():
	runs = step_args("RUN")
	assert "apps/ta_programmes apps/ta_programmes" in " ".join(step_args("COPY"))
	install = next(r for r in runs if "pip install" in r)
	assert "-e apps/ta_programmes" in install and "bench build" in install  # its pyproject dependencies
	assert (APP.parent / "pyproject.toml").is_file()
	assert "printf '%s\\n' frappe ta_programmes > sites/apps.txt" in install
	assert any("mv sites/assets sites/apps.txt built/" in r for r in runs)  # where ta-entrypoint.sh looks
	assert "BUILT_DIR:-$BENCH_DIR/built" in (RESOURCES / "ta-entrypoint.sh").read_text(encoding="utf-8")
	assert ("ENTRYPOINT", '["/usr/local/bin/ta-entrypoint.sh"]') in CONTAINERFILE
	assert ("CMD", '["web"]') in CONTAINERFILE
	assert [a for op, a in CONTAINERFILE if op == "USER"][-1] == "frappe"


def test_containerfile_installs_the_font_the_pdf_looks_for():
	install = next(r for r in step_args("RUN") if "apt-get install" in r)
	assert "fonts-dejavu-core" in install.split()
	font_dirs = re.search(
		r"_FONT_DIRS = \(([^)]*)\)", (APP / "core" / "report_pdf.py").read_text(encoding="utf-8")
	)
	assert '"/usr/share/fonts/truetype/dejavu"' in font_dirs.group(1)
	assert "test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" in install
	assert "DejaVuSans-Bold.ttf" in install


def ignored(path: str) -> bool:
	"""Containerfile.dockerignore for the patterns it uses: the last matching line decides."""
	from fnmatch import fnmatch

	verdict = False
	parts = path.split("/")
	prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
	for line in (DEPLOY / "Containerfile.dockerignore").read_text(encoding="utf-8").splitlines():
		line = line.strip()
		if not line or line.startswith("#"):
			continue
		keep, pattern = line.startswith("!"), line.lstrip("!")
		if pattern.startswith("**/"):
			hit = any(fnmatch(part, pattern[3:]) for part in parts)
		else:
			hit = any(fnmatch(prefix, pattern) for prefix in prefixes)
		if hit:
			verdict = not keep
	return verdict


def test_containerfile_copies_only_files_that_exist_and_reach_the_build():
	sources = []
	for args in step_args("COPY"):
		words = [w for w in args.split() if not w.startswith("--")]
		if "--from=" not in args:
			sources += words[:-1]
	assert sources
	for source in sources:
		assert (ROOT / source).exists(), f"the Containerfile copies {source}, which is not in the repository"
		assert not ignored(source), f"{source} is left out by Containerfile.dockerignore"
	assert {
		"deploy/resources/ta-entrypoint.sh",
		"deploy/resources/ta-site.sh",
		"deploy/resources/ta-nginx.conf",
	} <= set(sources)
	# a bench made in the repository stays out of the build
	for path in (
		"env/bin/python",
		"apps/frappe/frappe/__init__.py",
		"sites/common_site_config.json",
		"apps/ta_programmes/ta_programmes/__pycache__/hooks.cpython-311.pyc",
	):
		assert ignored(path), path
	assert not ignored("apps/ta_programmes/ta_programmes/hooks.py")


# --- helm values for Frappe's chart


HELM = DEPLOY / "helm"
VALUES = read_yaml(HELM / "values-ta.yaml")
VALUES_REPLICA = overlay(VALUES, read_yaml(HELM / "values-replica.yaml"))
MARIADB = read_yaml(HELM / "values-mariadb-replication.yaml")


def test_helm_values_run_the_app_image_and_install_the_app():
	image = f"{VALUES['image']['repository']}:{VALUES['image']['tag']}"
	create = VALUES["jobs"]["createSite"]
	assert create["enabled"] is True and create["installApps"] == ["ta_programmes"]
	assert VALUES["dbRootUser"] == "root"
	for values in (VALUES, VALUES_REPLICA):
		job = values["jobs"]["custom"]
		container = job["containers"][0]
		assert container["image"] == image and container["args"] == ["ta-site.sh", "settings"]
		env = {e["name"]: e.get("value") for e in container["env"]}
		assert env["SITE_NAME"] == create["siteName"] == values["jobs"]["migrate"]["siteName"]
		mount = container["volumeMounts"][0]
		assert mount["mountPath"] == f"{BENCH}/sites"
		volume = next(v for v in job["volumes"] if v["name"] == mount["name"])
		assert volume["persistentVolumeClaim"]["claimName"] == values["fullnameOverride"]
	assert VALUES["nginx"]["environment"]["frappeSiteNameHeader"] == create["siteName"]
	assert "args" not in VALUES["worker"]["gunicorn"]  # the image's own command: web


def test_helm_values_workers_volume_and_database():
	assert VALUES["worker"]["scheduler"]["replicaCount"] == 1
	assert VALUES["worker"]["long"]["replicaCount"] >= 1
	assert {e["name"] for e in VALUES["worker"]["gunicorn"]["envVars"]} == {
		"GUNICORN_WORKERS",
		"GUNICORN_THREADS",
	}
	assert VALUES["persistence"]["worker"]["accessModes"] == ["ReadWriteMany"]
	sts = VALUES["mariadb-sts"]
	assert sts["enabled"] is True
	for setting in (
		"character-set-server = utf8mb4",
		"collation-server = utf8mb4_unicode_ci",
		"skip-character-set-client-handshake",
	):
		assert setting in sts["myCnf"]


def test_helm_replica_overlay():
	assert VALUES_REPLICA["mariadb-sts"]["enabled"] is False
	release = "ta-db-mariadb"  # helm install ta-db <the Bitnami chart>
	assert VALUES_REPLICA["dbHost"] == f"{release}-primary" and VALUES_REPLICA["dbExistingSecret"] == release
	env = {e["name"]: e for e in VALUES_REPLICA["jobs"]["custom"]["containers"][0]["env"]}
	assert env["REPLICA_HOST"]["value"] == f"{release}-secondary"
	assert env["DB_ROOT_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
		"name": release,
		"key": "mariadb-root-password",
	}
	assert MARIADB["architecture"] == "replication" and MARIADB["secondary"]["replicaCount"] >= 1
	for role in ("primary", "secondary"):
		assert set(UTF8MB4_FLAGS) <= set(MARIADB[role]["extraFlags"].split()), role
	assert "--read-only=1" in MARIADB["secondary"]["extraFlags"].split()


def key_paths(node, prefix=()):
	if isinstance(node, dict):
		for key, value in node.items():
			yield prefix + (key,)
			yield from key_paths(value, prefix + (key,))


def unknown_keys(ours: dict, chart_values: Path) -> list[str]:
	"""Keys we set that the chart's values.yaml neither has nor names in a comment. Below a key
	whose chart value is empty or not a mapping (free-form: env lists, pod specs), anything goes."""
	chart = read_yaml(chart_values)
	text = chart_values.read_text(encoding="utf-8")
	unknown = []
	for path in key_paths(ours):
		node = chart
		for key in path[:-1]:
			node = node.get(key) if isinstance(node, dict) else None
		if not isinstance(node, dict) or not node:
			continue
		if path[-1] not in node and not re.search(rf"^\s*#\s*{re.escape(path[-1])}:", text, re.M):
			unknown.append(".".join(path))
	return unknown


def test_helm_keys_are_the_charts():
	chart = os.environ.get("TA_HELM_CHART")
	if not chart:
		pytest.skip("TA_HELM_CHART is not set (an unpacked erpnext chart: helm pull frappe/erpnext --untar)")
	chart = Path(chart)
	for name in ("values-ta.yaml", "values-replica.yaml"):
		assert unknown_keys(read_yaml(HELM / name), chart / "values.yaml") == [], name
	bitnami = chart / "charts" / "mariadb" / "values.yaml"
	if bitnami.exists():
		assert unknown_keys(MARIADB, bitnami) == []


# --- Docker itself, where it is installed


def test_docker_compose_accepts_the_files(tmp_path):
	docker = shutil.which("docker")
	if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
		pytest.skip("the docker compose plugin is not installed here")
	result = subprocess.run(
		[
			docker,
			"compose",
			"--env-file",
			str(DEPLOY / "example.env"),
			"-f",
			str(DEPLOY / "compose.yaml"),
			"-f",
			str(DEPLOY / "compose.replica.yaml"),
			"config",
			"--quiet",
		],
		capture_output=True,
		text=True,
	)
	assert result.returncode == 0, result.stderr
