"""Reads from a MariaDB replica, the way Frappe does it, with a bound on how stale they may be.

Frappe reads from a replica when the site config says so::

    "read_from_replica": 1, "replica_host": "10.0.0.12", "replica_db_port": 3306
    (and "different_credentials_for_replica", "replica_db_name", "replica_db_password" if needed)

``frappe.read_only()`` then swaps ``frappe.local.db`` for a connection to the replica
(``frappe.connect_replica``) around a function; Frappe itself does it for ``query_report.run``
(every script report), ``reportview.get`` (list views) and a few desk endpoints. It does not ask
whether the replica is up or how far behind it is. This module adds that:

* :func:`reads_from_replica` (decorator) and :func:`reading` (context manager) read through
  Frappe's replica connection only while the replica is *usable*: it answers, it replicates (both
  threads running) and ``Seconds_Behind_Master`` is at most ``ta_replica_max_lag`` seconds
  (site config, default 30). Otherwise they read the primary. The answer is asked with
  ``SHOW SLAVE STATUS`` on a short-timeout connection at most once per ``ta_replica_check_seconds``
  (default 5) per site, whatever the number of processes: it is kept in Redis. A connection error
  on the replica in the middle of a read marks it down at once and the read is done again on the
  primary: a read path never fails because of the replica.
* Inside an outer ``frappe.read_only()`` (a script report's ``execute`` under
  ``query_report.run``) the decorator checks the replica Frappe switched to and, when it is not
  usable, points the rest of that read at a new primary connection.
* :func:`before_request` (``hooks.before_request``) turns ``read_from_replica`` off for one
  request while the replica is not usable, so Frappe's own ``read_only()`` endpoints (which run
  before any app code, e.g. the report's permission checks) read the primary too.
* :func:`mark_write` (after a commit whose effect readers must see, e.g. when a cache generation
  is bumped) records the primary's GTID position; a read through the replica first asks whether
  the replica has applied it (``MASTER_GTID_WAIT``, waiting ``ta_replica_wait`` seconds, default 0:
  never hold a request) and reads the primary if not: what is cached under a new generation is
  never older than the write that started it, and whoever just wrote reads what they wrote.
* :func:`reads_from_primary` / :func:`primary`: within a replica read, the parts that must see the
  latest writes (a work queue a user has just acted on) read the primary.

Writes never go to the replica: the paths decorated here write only to Redis, and the replica
must run with ``read_only=ON`` (the site's user has no ``READ ONLY ADMIN``), so a write there would
fail loudly rather than diverge. ``frappe.write_only()`` still works inside these paths.

Reads through the replica are at most ``ta_replica_max_lag + ta_replica_check_seconds`` seconds
old. The health check needs the site's database user (or ``replica_db_name`` with
``different_credentials_for_replica``) to hold ``SLAVE MONITOR`` (MariaDB ≥ 10.5.9; ``REPLICATION
CLIENT`` before): ``GRANT SLAVE MONITOR ON *.* TO '<db user>'@'%'`` on the primary. Without it every
read goes to the primary and ``frappe.logger("ta_replica")`` says why.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import time

import frappe

STATUS_KEY = "ta_replica:status"
LOCK_KEY = "ta_replica:checking"
WRITTEN_KEY = "ta_replica:written"
# A status older than this is not trusted at all (the process checking it died, or Redis was flushed).
STALE_AFTER = 60
# How long a recorded write position is checked by replica reads (beyond it, the lag bound alone).
WRITTEN_TTL = 3600
# pymysql / MariaDB client errors meaning the connection itself failed: can't connect (2002, 2003),
# server gone away (2006), lost connection (2013), out of sync / packet errors after a drop (2014, 2055),
# server shutdown in progress (1053).
CONNECTION_ERRORS = {1053, 2002, 2003, 2006, 2013, 2014, 2055}


def _conf(key: str, default: float) -> float:
	value = frappe.conf.get(key)
	try:
		return default if value in (None, "") else float(value)
	except (TypeError, ValueError):
		return default


def max_lag() -> float:
	return _conf("ta_replica_max_lag", 30)


def check_seconds() -> float:
	return max(0.5, _conf("ta_replica_check_seconds", 5))


def configured() -> bool:
	"""Whether the site is set up to read from a replica (Frappe's own setting)."""
	conf = getattr(frappe.local, "conf", None) or {}
	return bool(conf.get("read_from_replica") and conf.get("replica_host"))


# --- health -----------------------------------------------------------------------------------------


def _credentials() -> tuple[str, str]:
	conf = frappe.conf
	if conf.different_credentials_for_replica:
		return conf.replica_db_name, conf.replica_db_password
	return conf.db_name, conf.db_password


def probe() -> dict:
	"""Ask the replica how it is, now (no cache): {"usable", "lag", "why", "at"}."""
	import pymysql
	from pymysql.cursors import DictCursor

	conf = frappe.conf
	at = time.time()
	timeout = _conf("ta_replica_connect_timeout", 1)
	user, password = _credentials()
	try:
		conn = pymysql.connect(
			host=conf.replica_host,
			port=int(conf.replica_db_port or 3306),
			user=user,
			password=password or "",
			connect_timeout=timeout,
			read_timeout=max(1, int(timeout * 2)),
			write_timeout=max(1, int(timeout * 2)),
			cursorclass=DictCursor,
		)
	except Exception as e:
		return {"usable": False, "lag": None, "why": f"replica unreachable: {_error_text(e)}", "at": at}
	try:
		with conn.cursor() as cursor:
			cursor.execute("SHOW SLAVE STATUS")
			row = cursor.fetchone()
	except Exception as e:
		why = "no SLAVE MONITOR privilege for the health check" if _code(e) in (1227, 1045, 1142) else _error_text(e)
		return {"usable": False, "lag": None, "why": f"replica status unreadable: {why}", "at": at}
	finally:
		with contextlib.suppress(Exception):
			conn.close()
	if not row:
		return {"usable": False, "lag": None, "why": "the replica host is not replicating from anything", "at": at}
	lag = row.get("Seconds_Behind_Master")
	if lag is None:
		return {
			"usable": False,
			"lag": None,
			"why": f"replication stopped (IO thread {row.get('Slave_IO_Running')}, SQL thread {row.get('Slave_SQL_Running')})",
			"at": at,
		}
	lag = int(lag)
	limit = max_lag()
	if lag > limit:
		return {"usable": False, "lag": lag, "why": f"replica {lag} s behind (more than {limit:g} s)", "at": at}
	return {"usable": True, "lag": lag, "why": f"replica {lag} s behind", "at": at}


def _code(e: Exception) -> int | None:
	args = getattr(e, "args", ())
	return args[0] if args and isinstance(args[0], int) else None


def _error_text(e: Exception) -> str:
	return " ".join(str(a) for a in getattr(e, "args", ()) if a not in (None, "")) or type(e).__name__


def _redis_key(key: str) -> str:
	return frappe.cache.make_key(key)


def _read_status() -> dict | None:
	raw = frappe.cache.get(_redis_key(STATUS_KEY))
	return json.loads(raw) if raw else None


def _write_status(value: dict, previous: dict | None) -> None:
	frappe.cache.set(_redis_key(STATUS_KEY), json.dumps(value), ex=STALE_AFTER)
	if previous is None or previous.get("usable") != value["usable"]:
		log = frappe.logger("ta_replica", allow_site=True)
		(log.info if value["usable"] else log.warning)(
			f"reads from the replica {'resume' if value['usable'] else 'go to the primary'}: {value['why']}"
		)


def status(refresh: bool = False) -> dict:
	"""The replica's health as last checked by any process of the site (re-checked when older than
	``ta_replica_check_seconds``, by one process at a time; the others use the last answer)."""
	if not configured():
		return {"usable": False, "lag": None, "why": "no replica configured", "at": time.time()}
	memo = getattr(frappe.local, "ta_replica_status", None)
	if memo and not refresh and time.monotonic() - memo[0] < 1:
		return memo[1]
	try:
		current = _read_status()
		now = time.time()
		if refresh or not current or now - current["at"] >= check_seconds():
			lock = frappe.cache.set(_redis_key(LOCK_KEY), "1", nx=True, ex=max(2, int(check_seconds())))
			if lock or refresh or not current or now - current["at"] >= STALE_AFTER:
				fresh = probe()
				_write_status(fresh, current)
				current = fresh
	except Exception as e:  # Redis unavailable: no shared answer, read the primary
		current = {"usable": False, "lag": None, "why": f"replica status unavailable: {_error_text(e)}", "at": time.time()}
	frappe.local.ta_replica_status = (time.monotonic(), current)
	return current


def usable() -> bool:
	return status()["usable"]


def mark_down(why: str) -> None:
	"""The replica failed in use: every process reads the primary until the next check."""
	value = {"usable": False, "lag": None, "why": why, "at": time.time()}
	frappe.local.ta_replica_status = (time.monotonic(), value)
	with contextlib.suppress(Exception):
		_write_status(value, _read_status())


# --- writes readers must see ---------------------------------------------------------------------


def mark_write() -> None:
	"""Record the primary's position after a commit: replica reads first check that the replica has
	applied it, and read the primary if not. Call it from ``frappe.db.after_commit`` (or after a
	commit), before telling readers that something changed (a new cache generation). Recorded
	even while this request does not read the replica (it was down): it may come back behind."""
	if not (configured() or getattr(frappe.local, "ta_replica_off", None)):
		return
	db = getattr(frappe.local, "primary_db", None) if _on_replica() else frappe.db
	try:
		position = db.sql("select @@global.gtid_binlog_pos")[0][0]  # nosemgrep: frappe-using-db-sql -- a server variable, no query-builder form
	except Exception:
		return
	if position:
		with contextlib.suppress(Exception):
			frappe.cache.set(_redis_key(WRITTEN_KEY), position, ex=WRITTEN_TTL)


def _caught_up() -> bool:
	"""On the replica connection: has it applied the last recorded write?"""
	try:
		position = frappe.cache.get(_redis_key(WRITTEN_KEY))
	except Exception:
		return True
	if not position:
		return True
	position = position.decode() if isinstance(position, bytes) else position
	wait = max(0.0, _conf("ta_replica_wait", 0))
	return frappe.db.sql("select master_gtid_wait(%s, %s)", (position, wait))[0][0] == 0  # nosemgrep: frappe-using-db-sql -- a server function, no query-builder form


# --- switching connections -------------------------------------------------------------------------


def _on_replica() -> bool:
	replica = getattr(frappe.local, "replica_db", None)
	return replica is not None and getattr(frappe.local, "db", None) is replica


def _record(where: str, why: str) -> None:
	frappe.local.ta_read_from = where
	frappe.local.ta_read_from_why = why


def served_by() -> str | None:
	"""Where the last read through this module was served from in this request or job:
	"replica" or "primary" (None: none yet)."""
	return getattr(frappe.local, "ta_read_from", None)


def _switch_to_replica() -> bool:
	# frappe.read_only() leaves local.replica_db / local.primary_db behind after switching back, and
	# frappe.connect_replica() then refuses to switch again in the same request or job.
	if getattr(frappe.local, "replica_db", None) is not None and not _on_replica():
		for name in ("replica_db", "primary_db"):
			if hasattr(frappe.local, name):
				delattr(frappe.local, name)
	return frappe.connect_replica()


def _switch_back() -> None:
	replica = frappe.local.db
	frappe.local.db = frappe.local.primary_db
	with contextlib.suppress(Exception):
		replica.close()
	for name in ("replica_db", "primary_db"):
		if hasattr(frappe.local, name):
			delattr(frappe.local, name)


def _redirect_to_primary() -> None:
	"""Inside a replica read opened by someone else (frappe.read_only): the rest of it reads a new
	connection to the primary; whoever opened it closes that and restores its own primary."""
	from frappe.database import get_db

	conf = frappe.conf
	dead = frappe.local.db
	fresh = get_db(
		socket=conf.db_socket,
		host=conf.db_host,
		port=conf.db_port,
		user=conf.db_name,
		password=conf.db_password,
		cur_db_name=conf.db_name,
	)
	frappe.local.db = frappe.local.replica_db = fresh
	with contextlib.suppress(Exception):
		dead.close()


def _connection_failed(e: BaseException) -> bool:
	import pymysql

	if isinstance(e, pymysql.err.InterfaceError):
		return True
	return isinstance(e, pymysql.err.OperationalError) and _code(e) in CONNECTION_ERRORS


@contextlib.contextmanager
def reading():
	"""Reads inside the block go to the replica when it is usable, else to the primary. A failing
	replica connection is not retried here (the block may have done part of its work): use the
	decorator for a function that may simply be run again."""
	depth = getattr(frappe.local, "ta_replica_depth", 0)
	if depth or not configured():
		frappe.local.ta_replica_depth = depth + 1
		try:
			if not depth:
				_record("primary", getattr(frappe.local, "ta_replica_off", None) or "no replica configured")
			yield
		finally:
			frappe.local.ta_replica_depth = depth
		return

	frappe.local.ta_replica_depth = 1
	switched = False
	try:
		health = status()
		if not health["usable"]:
			if _on_replica():
				_redirect_to_primary()
			_record("primary", health["why"])
		else:
			outer = _on_replica()
			switched = False if outer else _switch_to_replica()
			try:
				fresh_enough = _caught_up()
			except Exception as e:
				if not _connection_failed(e):
					raise
				mark_down(f"replica connection failed: {_error_text(e)}")
				fresh_enough = None
			if fresh_enough:
				_record("replica", health["why"])
			else:
				if switched:
					_switch_back()
					switched = False
				else:
					_redirect_to_primary()
				_record("primary", "replica failed" if fresh_enough is None else "replica behind a recent write")
		yield
	finally:
		frappe.local.ta_replica_depth = 0
		if switched and _on_replica():
			_switch_back()


def reads_from_replica(fn):
	"""Decorator for a read-only path (see the module's docstring). A function whose replica
	connection fails is run again on the primary; a generator function reads while it is
	iterated (no retry: part of it was already sent)."""
	if inspect.isgeneratorfunction(fn):

		@functools.wraps(fn)
		def generator_wrapper(*args, **kwargs):
			with reading():
				yield from fn(*args, **kwargs)

		generator_wrapper._ta_reads_from_replica = True
		generator_wrapper.__signature__ = inspect.signature(fn)
		return generator_wrapper

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		if getattr(frappe.local, "ta_replica_depth", 0) or not configured():
			with reading():
				return fn(*args, **kwargs)
		try:
			with reading():
				return fn(*args, **kwargs)
		except Exception as e:
			if served_by() != "replica" or not _connection_failed(e):
				raise
			mark_down(f"replica connection failed: {_error_text(e)}")
		# Once more, on the primary (the replica is now marked down for every process).
		if _on_replica():
			_redirect_to_primary()
		_record("primary", "replica failed during the read")
		return fn(*args, **kwargs)

	wrapper._ta_reads_from_replica = True
	# Frappe's page renderer asks inspect.getfullargspec (which ignores __wrapped__) whether
	# get_context takes the context.
	wrapper.__signature__ = inspect.signature(fn)
	return wrapper


@contextlib.contextmanager
def primary():
	"""Inside a replica read, the block reads (and writes) the primary: what must be fresh."""
	_record("primary", "fresh data needed")
	if not _on_replica():
		yield
		return
	replica_db = frappe.local.db
	frappe.local.db = frappe.local.primary_db
	try:
		yield
	finally:
		frappe.local.db = replica_db


def reads_from_primary(fn):
	"""Decorator: the function reads the primary even when called under a replica read (e.g. a
	script report under Frappe's ``query_report.run``, which reads the replica whenever the site
	is configured for one): for what a user expects to change as soon as they act."""

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		with primary():
			return fn(*args, **kwargs)

	wrapper._ta_reads_from_primary = True
	wrapper.__signature__ = inspect.signature(fn)
	return wrapper


# --- hooks -------------------------------------------------------------------------------------------


# Frappe's whitelisted methods wrapped in frappe.read_only(): they switch to the replica before any
# app code runs.
FRAPPE_READ_ONLY = frozenset(
	{
		"frappe.desk.query_report.run",
		"frappe.desk.reportview.get",
		"frappe.desk.reportview.get_list",
		"frappe.desk.reportview.get_count",
		"frappe.desk.reportview.export_query",
		"frappe.desk.reportview.get_sidebar_stats",
		"frappe.desk.reportview.get_stats",
		"frappe.desk.desktop.get_desktop_page",
		"frappe.desk.notifications.get_notifications",
		"frappe.desk.notifications.get_open_count",
		"ta_programmes.api.guard.run_report",  # the app's checked query_report.run (override_whitelisted_methods)
	}
)


def _frappe_read_only_request() -> bool:
	request = getattr(frappe.local, "request", None)
	path = getattr(request, "path", "") or ""
	method = path[len("/api/method/") :] if path.startswith("/api/method/") else frappe.form_dict.get("cmd")
	return isinstance(method, str) and method.strip("/") in FRAPPE_READ_ONLY


def _answers() -> bool:
	"""A TCP connection to the replica opens (no query): a server that died since the last check."""
	import socket

	conf = frappe.conf
	try:
		with socket.create_connection((conf.replica_host, int(conf.replica_db_port or 3306)), timeout=0.3):
			return True
	except OSError:
		return False


def before_request() -> None:
	"""hooks.before_request: while the replica is not usable, this request does not read from it,
	Frappe's own ``read_only()`` endpoints included (``frappe.local.conf`` is the request's own copy).
	For those endpoints (reports, list views), which would fail outright on a dead replica before any
	app code runs, a replica that no longer accepts connections is also caught at once."""
	if not configured():
		return
	health = status()
	if health["usable"] and _frappe_read_only_request() and not _answers():
		mark_down("replica not accepting connections")
		health = status()
	if not health["usable"]:
		frappe.local.conf.read_from_replica = 0
		frappe.local.ta_replica_off = health["why"]


def after_request(response=None, request=None) -> None:
	"""hooks.after_request: with ``ta_replica_debug_header`` in the site config, say which database
	served the app's read paths (``X-TA-Read-From: replica`` or ``primary``). For tests and
	operations; off by default."""
	where = served_by()
	if response is not None and where and frappe.conf.get("ta_replica_debug_header"):
		response.headers["X-TA-Read-From"] = where
