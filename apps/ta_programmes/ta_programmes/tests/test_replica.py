"""Reads from a MariaDB replica (ta_programmes.replica), on a site that has one.

tests/replica/run starts a primary and a replica of its own (the machine's MariaDB is not touched),
creates a site on the primary with ``read_from_replica`` and runs this module there, with
``TA_REPLICA_WORK`` naming the folder of the two servers (their sockets, for root, and the command
that starts the replica again). On any other site the module is skipped, saying why.

What it shows, through the real request path (Frappe's WSGI application, in-process):
- the read paths (public page, CSV, PDF, IATI file, oversight meetings, donor view, the desk
  reports) are served by the replica: a row that exists only on the replica shows on them, and
  the ``X-TA-Read-From`` header (site config ``ta_replica_debug_header``) says so;
- data written on the primary reaches them through replication;
- a replica more than ``ta_replica_max_lag`` seconds behind (``MASTER_DELAY``), with replication
  stopped, or down altogether: every path answers 200 from the primary, none fails;
- a write recorded with ``replica.mark_write`` is never read older from a delayed replica;
- nothing writes to the replica (it runs read_only; ``frappe.write_only`` still reaches the primary).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import unittest
import urllib.parse

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes import replica
from ta_programmes.tests import factories as F

WORK = os.environ.get("TA_REPLICA_WORK")
PRIMARY_ID, REPLICA_ID = 17, 18

# The read paths and the functions that carry @replica.reads_from_replica.
DECORATED = (
	"ta_programmes.api.transparency.public_csv",
	"ta_programmes.api.transparency.public_pdf",
	"ta_programmes.api.iati.activities",
	"ta_programmes.www.transparency.get_context",
	"ta_programmes.www.my_programmes.get_context",
	"ta_programmes.www.my_programme.get_context",
	"ta_programmes.api.donor.statement",
	"ta_programmes.www.oversight_meetings.get_context",
	"ta_programmes.technical_assistance.report.ta_assistance_delivered.ta_assistance_delivered.execute",
	"ta_programmes.technical_assistance.report.ta_assistance_balance.ta_assistance_balance.execute",
	"ta_programmes.technical_assistance.report.ta_indicator_progress.ta_indicator_progress.execute",
	"ta_programmes.technical_assistance.report.ta_oversight_balance.ta_oversight_balance.execute",
)
# A reviewer's work queue is read fresh, from the primary, even under Frappe's query_report.run.
FRESH = ("ta_programmes.technical_assistance.report.awaiting_my_sign_off.awaiting_my_sign_off.execute",)
REPORTS = ("TA Assistance Delivered", "TA Assistance Balance", "TA Indicator Progress", "TA Oversight Balance")


def root(name: str):
	import pymysql

	return pymysql.connect(
		unix_socket=f"{WORK}/{name}.sock", user="root", password="", database=frappe.conf.db_name, autocommit=True,
		cursorclass=pymysql.cursors.DictCursor,
	)


def root_sql(name: str, query: str, args=None) -> list[dict]:
	conn = root(name)
	try:
		with conn.cursor() as cursor:
			cursor.execute(query, args)
			return list(cursor.fetchall())
	finally:
		conn.close()


def slave_status() -> dict:
	rows = root_sql("replica", "SHOW SLAVE STATUS")
	return rows[0] if rows else {}


def caught_up(timeout: int = 60) -> None:
	position = root_sql("primary", "SELECT @@gtid_binlog_pos AS p")[0]["p"]
	waited = root_sql("replica", "SELECT MASTER_GTID_WAIT(%s, %s) AS r", (position, timeout))[0]["r"]
	if waited != 0:
		raise AssertionError(f"the replica did not reach {position} within {timeout} s: {slave_status()}")


def replica_running() -> bool:
	return subprocess.run(
		["mariadb-admin", "--no-defaults", "-S", f"{WORK}/replica.sock", "-uroot", "ping"], capture_output=True
	).returncode == 0


def stop_replica_server() -> None:
	subprocess.run(["mariadb-admin", "--no-defaults", "-S", f"{WORK}/replica.sock", "-uroot", "shutdown"], check=True, capture_output=True)
	for _ in range(200):
		if not replica_running():
			return
		time.sleep(0.05)
	raise AssertionError("the replica did not stop")


def start_replica_server() -> None:
	subprocess.Popen(
		["bash", f"{WORK}/replica.start"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
		start_new_session=True,
	)
	for _ in range(300):
		if replica_running():
			break
		time.sleep(0.1)
	else:
		raise AssertionError(f"the replica did not start again; see {WORK}/replica.err")


def healthy_replica() -> None:
	"""The replica up, replicating without delay and caught up, and every process told so."""
	if not replica_running():
		start_replica_server()
	s = slave_status()
	if s.get("SQL_Delay") or s.get("Slave_SQL_Running") != "Yes" or s.get("Slave_IO_Running") != "Yes":
		root_sql("replica", "STOP SLAVE")
		root_sql("replica", "CHANGE MASTER TO MASTER_DELAY=0")
		root_sql("replica", "START SLAVE")
	for _ in range(100):
		s = slave_status()
		if s.get("Slave_SQL_Running") == "Yes" and s.get("Slave_IO_Running") == "Yes":
			break
		time.sleep(0.1)
	caught_up()
	forget_recorded_write()
	health = replica.status(refresh=True)
	if not health["usable"]:
		raise AssertionError(f"the replica should be usable: {health}")


def forget_recorded_write() -> None:
	"""Drop the position replica.mark_write recorded (clear_public_cache records one on every write of
	the app's records)."""
	frappe.cache.delete(frappe.cache.make_key(replica.WRITTEN_KEY))


@contextlib.contextmanager
def site_config(**values):
	"""Site config for this process and for the requests (each reads site_config.json)."""
	from frappe.installer import update_site_config

	old = {k: frappe.local.conf.get(k) for k in values}
	for k, v in values.items():
		update_site_config(k, v)
		frappe.local.conf[k] = v
	try:
		yield
	finally:
		for k, v in old.items():
			update_site_config(k, "None" if v is None else v)
			if v is None:
				frappe.local.conf.pop(k, None)
			else:
				frappe.local.conf[k] = v


def new_donor(prefix: str) -> str:
	name = f"{prefix} {frappe.generate_hash(length=8)}"
	frappe.get_doc({"doctype": "TA Donor", "donor_name": name, "donor_type": "Foundation"}).insert(ignore_permissions=True)
	frappe.db.commit()
	return name


def under_frappe_read_only(fn):
	"""``fn`` inside Frappe's own frappe.read_only(), as a script report's execute under
	query_report.run (clearing what an earlier frappe.read_only left behind, so that Frappe switches)."""
	if getattr(frappe.local, "replica_db", None) is not None and frappe.local.db is not frappe.local.replica_db:
		del frappe.local.replica_db, frappe.local.primary_db
	return frappe.read_only()(fn)()


@replica.reads_from_replica
def server_id() -> int:
	return int(frappe.db.sql("select @@server_id")[0][0])


def current_server() -> int:
	return int(frappe.db.sql("select @@server_id")[0][0])


class TestReplica(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		if not replica.configured():
			raise unittest.SkipTest(
				"this site reads no MariaDB replica (read_from_replica, replica_host): tests/replica/run makes one"
			)
		if not WORK or not os.path.exists(f"{WORK}/replica.start"):
			raise unittest.SkipTest("TA_REPLICA_WORK does not name the servers of tests/replica/run")
		super().setUpClass()
		frappe.set_user("Administrator")
		settings = frappe.get_single("TA Transparency Settings")
		settings.public_page_enabled = 1
		settings.reporting_org_ref = settings.reporting_org_ref or "XM-DAC-47066"
		settings.reporting_org_name = settings.reporting_org_name or "Replica test publisher"
		settings.save(ignore_permissions=True)
		donor_user = frappe.get_all("TA Donor User", filters={"parenttype": "TA Donor"}, pluck="user", limit=1)
		if not donor_user:
			raise AssertionError("tests/replica/run fills the site with tests/benchmark/bulk.py first")
		# The desk reports run as Administrator: in Frappe v15, query_report.run refuses a user without
		# read permission on a doctype a report's Link column names (Currency, TA Partner Organisation).
		cls.auth = {"donor": F.api_auth(donor_user[0]), "admin": F.api_auth("Administrator")}
		frappe.db.commit()
		cls.donors = []

	@classmethod
	def tearDownClass(cls):
		with contextlib.suppress(Exception):
			healthy_replica()
		for name in getattr(cls, "donors", []):
			frappe.delete_doc("TA Donor", name, ignore_permissions=True, force=True)
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		healthy_replica()
		frappe.local.ta_read_from = None

	def donor(self, prefix: str) -> str:
		name = new_donor(prefix)
		self.donors.append(name)
		return name

	# --- requests -----------------------------------------------------------------------------------

	def paths(self) -> list[tuple[str, str, str | None]]:
		report = [
			(f"desk report {r}", "/api/method/frappe.desk.query_report.run?" + urllib.parse.urlencode({"report_name": r, "filters": "{}"}), "admin")
			for r in REPORTS
		]
		return [
			("public page", "/transparency?page=1", None),
			("public CSV", "/api/method/ta_programmes.api.transparency.public_csv", None),
			("public PDF", "/api/method/ta_programmes.api.transparency.public_pdf?regional_group=African", None),
			("IATI file", "/api/method/ta_programmes.api.iati.activities", None),
			("oversight meetings", "/oversight-meetings", None),
			("donor view", "/my-programmes", "donor"),
			*report,
		]

	def get(self, path: str, who: str | None = None):
		headers = {"Accept": "text/html,application/json"}
		if who:
			headers.update(self.auth[who])
		response = F.rest("GET", path, headers=headers)
		return response.status_code, response.headers.get("X-TA-Read-From"), response.get_data()

	def assert_every_path(self, source: str) -> None:
		"""Every read path answers 200, served by ``source``."""
		for label, path, who in self.paths():
			with self.subTest(path=label):
				status, served, body = self.get(path, who)
				self.assertEqual(status, 200, f"{label}: {body[:300]!r}")
				self.assertEqual(served, source, f"{label} should read the {source}")

	# --- set-up -----------------------------------------------------------------------------------------

	def test_01_paths_are_decorated_and_hooks_registered(self):
		for path in DECORATED:
			with self.subTest(path=path):
				self.assertTrue(
					getattr(frappe.get_attr(path), "_ta_reads_from_replica", False), f"{path} needs @replica.reads_from_replica"
				)
		for path in FRESH:
			with self.subTest(path=path):
				self.assertTrue(getattr(frappe.get_attr(path), "_ta_reads_from_primary", False), f"{path} needs @replica.reads_from_primary")
		self.assertIn("ta_programmes.replica.before_request", frappe.get_hooks("before_request"), "hooks.py: before_request")
		self.assertIn("ta_programmes.replica.after_request", frappe.get_hooks("after_request"), "hooks.py: after_request")
		# The replica refuses writes from the site's user.
		self.assertEqual(root_sql("replica", "SELECT @@read_only AS r")[0]["r"], 1)
		self.assertEqual(root_sql("primary", "SELECT @@server_id AS r")[0]["r"], PRIMARY_ID)

	# --- which connection serves ----------------------------------------------------------------------

	def test_reads_go_through_the_replica_connection_and_back(self):
		self.assertEqual(current_server(), PRIMARY_ID)
		self.assertEqual(server_id(), REPLICA_ID)
		self.assertEqual(replica.served_by(), "replica")
		self.assertEqual(current_server(), PRIMARY_ID, "the primary connection is back after the read")
		with replica.reading():
			self.assertEqual(current_server(), REPLICA_ID)
			self.assertEqual(server_id(), REPLICA_ID, "nested: the same replica connection")
			with replica.primary():
				self.assertEqual(current_server(), PRIMARY_ID)
			self.assertEqual(current_server(), REPLICA_ID)
		# Under Frappe's own frappe.read_only() (as a script report under query_report.run), and again
		# after it (Frappe leaves its replica attributes behind).
		self.assertEqual(under_frappe_read_only(current_server), REPLICA_ID, "Frappe switches")
		self.assertEqual(under_frappe_read_only(server_id), REPLICA_ID)
		self.assertEqual(server_id(), REPLICA_ID)
		self.assertEqual(current_server(), PRIMARY_ID)

	def test_writes_stay_on_the_primary(self):
		import pymysql

		@frappe.write_only()
		def written_on() -> int:
			return current_server()

		with replica.reading():
			self.assertEqual(current_server(), REPLICA_ID)
			with self.assertRaises(pymysql.err.OperationalError) as refused:
				frappe.db.sql("update `tabTA Transparency Settings` set modified = modified")
			self.assertEqual(refused.exception.args[0], 1290, "the replica runs read_only")
			self.assertEqual(written_on(), PRIMARY_ID, "frappe.write_only reaches the primary")

	def test_data_written_on_the_primary_is_read_from_the_replica(self):
		# Written on the primary, replicated, read from the replica.
		written = self.donor("Replicated donor")
		caught_up()
		status, served, body = self.get("/transparency?page=1")
		self.assertEqual((status, served), (200, "replica"))
		self.assertIn(written.encode(), body)
		# A row only the replica has (written there by root, which read_only does not stop) shows on
		# the decorated paths: they read the replica, not the primary.
		marker = f"Replica only donor {frappe.generate_hash(length=8)}"
		root_sql(
			"replica",
			"INSERT INTO `tabTA Donor` (name, donor_name, donor_type, creation, modified, owner, modified_by) "
			"VALUES (%s, %s, 'Foundation', NOW(), NOW(), 'Administrator', 'Administrator')",
			(marker, marker),
		)
		try:
			status, served, body = self.get("/transparency?page=1")
			self.assertEqual((status, served), (200, "replica"))
			self.assertIn(marker.encode(), body)
			with replica.reading():
				self.assertTrue(frappe.db.exists("TA Donor", marker))
			self.assertFalse(frappe.db.exists("TA Donor", marker), "the primary never had it")
		finally:
			root_sql("replica", "DELETE FROM `tabTA Donor` WHERE name = %s", (marker,))

	def test_every_path_reads_the_replica(self):
		self.assert_every_path("replica")
		status, served, _body = self.get(
			"/api/method/frappe.desk.query_report.run?report_name=Awaiting+My+Sign-off&filters=%7B%7D", "admin"
		)
		self.assertEqual((status, served), (200, "primary"), "a reviewer's work queue reads the primary")

	# --- lag, stopped replication, a dead replica -----------------------------------------------------

	@contextlib.contextmanager
	def delayed(self, seconds: int = 300):
		root_sql("replica", "STOP SLAVE")
		root_sql("replica", f"CHANGE MASTER TO MASTER_DELAY={int(seconds)}")
		root_sql("replica", "START SLAVE")
		try:
			yield
		finally:
			healthy_replica()

	def wait_for_lag(self, at_least: int) -> int:
		for _ in range(200):
			lag = slave_status().get("Seconds_Behind_Master")
			if lag is not None and lag >= at_least:
				return lag
			time.sleep(0.1)
		raise AssertionError(f"the replica never lagged {at_least} s: {slave_status()}")

	def test_a_lagging_replica_is_read_until_the_limit_then_the_primary(self):
		with self.delayed():
			late = self.donor("Delayed donor")
			forget_recorded_write()  # a write nobody recorded with replica.mark_write: only the lag bound holds
			self.wait_for_lag(1)
			# Within ta_replica_max_lag (30 s): the replica is read, and it has not the new donor yet.
			self.assertTrue(replica.status(refresh=True)["usable"])
			status, served, body = self.get("/transparency?page=1")
			self.assertEqual((status, served), (200, "replica"))
			self.assertNotIn(late.encode(), body, "the delayed replica has not applied it")
			# Beyond the limit: the primary, which has it.
			with site_config(ta_replica_max_lag=1):
				lag = self.wait_for_lag(2)
				health = replica.status(refresh=True)
				self.assertFalse(health["usable"], health)
				self.assertIn(f"{lag} s behind", health["why"])
				status, served, body = self.get("/transparency?page=1")
				self.assertEqual((status, served), (200, "primary"))
				self.assertIn(late.encode(), body)
				self.assert_every_path("primary")
				self.assertEqual(server_id(), PRIMARY_ID)

	def test_a_recorded_write_is_never_read_older_from_the_replica(self):
		with self.delayed():
			late = self.donor("Recorded donor")
			forget_recorded_write()
			self.wait_for_lag(1)
			self.assertTrue(replica.status(refresh=True)["usable"])
			status, served, body = self.get("/transparency?page=1")
			self.assertEqual(served, "replica")
			self.assertNotIn(late.encode(), body)
			# After mark_write, a read through the replica first asks whether the replica has it and,
			# as the replica is delayed, reads the primary instead.
			replica.mark_write()
			status, served, body = self.get("/transparency?page=1")
			self.assertEqual((status, served), (200, "primary"))
			self.assertIn(late.encode(), body)
		# Caught up: the replica again, the recorded write is there.
		replica.mark_write()
		status, served, body = self.get("/transparency?page=1")
		self.assertEqual((status, served), (200, "replica"))
		self.assertIn(late.encode(), body)

	def test_stopped_replication_falls_back_to_the_primary(self):
		root_sql("replica", "STOP SLAVE SQL_THREAD")
		late = self.donor("Unreplicated donor")
		health = replica.status(refresh=True)
		self.assertFalse(health["usable"])
		self.assertIn("replication stopped", health["why"])
		status, served, body = self.get("/transparency?page=1")
		self.assertEqual((status, served), (200, "primary"))
		self.assertIn(late.encode(), body)
		self.assert_every_path("primary")

	def test_a_dead_replica_fails_nothing(self):
		self.assertTrue(replica.status()["usable"])
		stop_replica_server()
		# Still "usable" as last checked: the first reads find out. A decorated path retries on the
		# primary; Frappe's own report endpoint is caught before it reaches the replica.
		status, served, body = self.get(
			"/api/method/frappe.desk.query_report.run?" + urllib.parse.urlencode({"report_name": "TA Assistance Delivered", "filters": "{}"}),
			"admin",
		)
		self.assertEqual((status, served), (200, "primary"), body[:300])
		self._force_usable()
		status, served, body = self.get("/transparency?page=1")
		self.assertEqual((status, served), (200, "primary"), body[:300])
		self.assertFalse(replica.status()["usable"], "marked down for every process")
		self._force_usable()
		self.assertEqual(server_id(), PRIMARY_ID, "in process: retried on the primary")
		self._force_usable()
		self.assertEqual(under_frappe_read_only(server_id), PRIMARY_ID, "under frappe.read_only: the rest reads the primary")
		self.assertEqual(current_server(), PRIMARY_ID)
		# Known down: every path from the primary, no 5xx.
		health = replica.status(refresh=True)
		self.assertFalse(health["usable"])
		self.assertIn("unreachable", health["why"])
		self.assert_every_path("primary")
		# Back up: reads return to it.
		start_replica_server()
		healthy_replica()
		self.assertEqual(server_id(), REPLICA_ID)

	def _force_usable(self):
		"""Pretend the last check (before the replica died) is still current."""
		import json

		value = {"usable": True, "lag": 0, "why": "as last checked", "at": time.time()}
		frappe.cache.set(frappe.cache.make_key(replica.STATUS_KEY), json.dumps(value), ex=60)
		frappe.local.ta_replica_status = None
