"""Operations (issue 14): the scheduler's health on the workspace, the app's log retention, and the
guard of the bulk generator (tests/benchmark/bulk.py) on a site with real data.

Backup and restore are tested end to end by tests/ops/run (two sites, a backup and a restore)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import unittest
from datetime import timedelta
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

import ta_programmes
from ta_programmes import operations as ops
from ta_programmes.core import operations as core
from ta_programmes.tests import factories as f

REPO = Path(ta_programmes.__file__).resolve().parents[3]
CARDS = ("TA Scheduled Jobs Not Running", "TA Scheduled Jobs Failed")
DAILY = ("ta_programmes.oversight.daily_check", "ta_programmes.scheduling.send_reminders")


def load_bulk():
	"""The bulk generator, which lives with the benchmark tooling (tests/benchmark/bulk.py), not in the app."""
	path = REPO / "tests" / "benchmark" / "bulk.py"
	if not path.exists():
		raise unittest.SkipTest(f"{path} is not there: the app runs outside its repository")
	module = sys.modules.get("ta_bulk_generator")
	if module is None:
		spec = importlib.util.spec_from_file_location("ta_bulk_generator", path)
		module = importlib.util.module_from_spec(spec)
		sys.modules["ta_bulk_generator"] = module
		spec.loader.exec_module(module)
	return module


class TestSchedulerHealth(FrappeTestCase):
	def setUp(self):
		self.jobs = {r.method: r for r in frappe.get_all("Scheduled Job Type", filters={"method": ("like", "ta_programmes.%")},
														  fields=["name", "method", "last_execution", "stopped"])}
		self.enabled = frappe.db.get_single_value("System Settings", "enable_scheduler")
		self.paused = frappe.local.conf.get("pause_scheduler")

	def tearDown(self):
		frappe.db.rollback()
		for row in self.jobs.values():
			frappe.db.set_value("Scheduled Job Type", row.name, {"last_execution": row.last_execution, "stopped": row.stopped},
								update_modified=False)
		frappe.db.set_single_value("System Settings", "enable_scheduler", self.enabled)
		frappe.local.conf.pause_scheduler = self.paused
		frappe.db.commit()
		frappe.set_user("Administrator")

	def ran(self, ago: timedelta, method: str | None = None):
		for row in self.jobs.values():
			if method in (None, row.method):
				frappe.db.set_value("Scheduled Job Type", row.name, {"last_execution": now_datetime() - ago, "stopped": 0},
									update_modified=False)

	def test_the_app_daily_jobs_are_watched(self):
		self.assertTrue(set(DAILY) <= {j.method for j in ops.app_jobs()})
		self.assertTrue(all(j.method.startswith("ta_programmes.") for j in ops.app_jobs()))

	def test_jobs_not_running_card(self):
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		frappe.local.conf.pause_scheduler = 0
		self.ran(timedelta(hours=3))
		card = ops.scheduled_jobs_not_running()
		self.assertEqual(card["value"], 0, ops.jobs_not_running())
		self.assertEqual(card["route"], ["List", "Scheduled Job Type"])
		self.ran(timedelta(days=3), DAILY[0])
		self.assertEqual(ops.jobs_not_running(), [(DAILY[0], "overdue")])
		frappe.db.set_value("Scheduled Job Type", self.jobs[DAILY[1]].name, "stopped", 1)
		self.assertEqual(ops.scheduled_jobs_not_running()["value"], 2)
		# the scheduler off (or paused): every job of the app is counted
		frappe.local.conf.pause_scheduler = 1
		self.assertEqual(ops.scheduled_jobs_not_running()["value"], len(self.jobs))
		frappe.local.conf.pause_scheduler = 0
		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		self.assertEqual({why for _m, why in ops.jobs_not_running()}, {"scheduler off"})

	def test_failed_jobs_card_counts_the_app_jobs_of_the_last_7_days(self):
		before = ops.scheduled_jobs_failed()["value"]
		app_job = self.jobs[DAILY[0]].name
		other = frappe.get_all("Scheduled Job Type", filters={"method": ("not like", "ta_programmes.%")}, pluck="name", limit=1)[0]
		for job, status, days in ((app_job, "Failed", 1), (app_job, "Failed", 1), (app_job, "Complete", 1), (app_job, "Failed", 9),
								  (other, "Failed", 1)):
			log = frappe.get_doc({"doctype": "Scheduled Job Log", "scheduled_job_type": job, "status": status}).insert(
				ignore_permissions=True
			)
			frappe.db.set_value("Scheduled Job Log", log.name, "creation", now_datetime() - timedelta(days=days), update_modified=False)
		card = ops.scheduled_jobs_failed()
		self.assertEqual(card["value"], before + 2)
		self.assertIn(app_job, card["route_options"]["scheduled_job_type"][1])

	def test_only_the_scheduler_readers_see_the_cards(self):
		from frappe.desk.desktop import Workspace

		ws = frappe.get_doc("Workspace", "Technical Assistance")
		self.assertTrue(set(CARDS) <= {c.number_card_name for c in ws.number_cards})
		manager = f.user("ops-sysmanager@tests.ta.example", "System Manager")
		admin = f.user("ops-ta-admin@tests.ta.example", "TA Administrator")
		donor = f.user("ops-donor@tests.ta.example", "TA Donor")
		for user, sees in ((manager, True), (admin, False), (donor, False)):
			frappe.set_user(user)
			try:
				page = Workspace(frappe._dict(name="Technical Assistance", title="Technical Assistance", public=1))
				shown = {c.number_card_name for c in page.get_number_cards()}
				links = {link.link_to for card in page.get_links() for link in card["links"]}
				with self.subTest(user=user):
					self.assertEqual(set(CARDS) <= shown, sees)
					self.assertEqual(not (set(CARDS) & shown), not sees)
					self.assertEqual("Scheduled Job Log" in links, sees)
					if sees:
						self.assertIsInstance(ops.scheduled_jobs_not_running()["value"], int)
						self.assertIsInstance(ops.scheduled_jobs_failed()["value"], int)
					else:
						self.assertRaises(frappe.PermissionError, ops.scheduled_jobs_not_running)
						self.assertRaises(frappe.PermissionError, ops.scheduled_jobs_failed)
			finally:
				frappe.set_user("Administrator")


class TestLogRetention(FrappeTestCase):
	def setUp(self):
		self.saved = [(r.ref_doctype, r.days) for r in frappe.get_single("Log Settings").logs_to_clear]

	def tearDown(self):
		settings = frappe.get_single("Log Settings")
		settings.logs_to_clear = []
		for doctype, days in self.saved:
			settings.append("logs_to_clear", {"ref_doctype": doctype, "days": days})
		settings.save(ignore_permissions=True)
		frappe.db.commit()

	def days(self) -> dict[str, int]:
		return {r.ref_doctype: r.days for r in frappe.get_single("Log Settings").logs_to_clear}

	def set_days(self, doctype: str, days: int | None):
		settings = frappe.get_single("Log Settings")
		settings.logs_to_clear = [r for r in settings.logs_to_clear if r.ref_doctype != doctype]
		if days is not None:
			settings.append("logs_to_clear", {"ref_doctype": doctype, "days": days})
		settings.save(ignore_permissions=True)

	def test_the_install_set_the_app_retention(self):
		days = self.days()
		for doctype, wanted in core.LOG_RETENTION.items():
			with self.subTest(doctype=doctype):
				self.assertGreaterEqual(days.get(doctype, 0), wanted)

	def test_migrate_adds_missing_rows_and_keeps_an_administrator_choice(self):
		from ta_programmes.install import after_migrate

		self.set_days("Scheduled Job Log", 7)
		self.set_days("Notification Log", None)
		after_migrate()
		days = self.days()
		self.assertEqual(days["Scheduled Job Log"], 7)  # chosen by an administrator: kept
		self.assertEqual(days["Notification Log"], 180)  # missing: added
		self.assertEqual(ops.set_log_retention(lengthen=True), {"Scheduled Job Log": 30})  # as at install
		self.set_days("Error Log", 400)
		self.assertEqual(ops.set_log_retention(lengthen=True), {})
		self.assertEqual(self.days()["Error Log"], 400)  # a longer retention is never shortened

	def test_log_settings_clears_what_is_older(self):
		"""Frappe's daily clean-up applies the rows: an app job's log older than its retention goes."""
		from frappe.core.doctype.log_settings.log_settings import run_log_clean_up

		job = frappe.get_all("Scheduled Job Type", filters={"method": ("like", "ta_programmes.%")}, pluck="name", limit=1)[0]
		old, recent = (
			frappe.get_doc({"doctype": "Scheduled Job Log", "scheduled_job_type": job, "status": "Failed"}).insert(ignore_permissions=True)
			for _ in range(2)
		)
		for log, days in ((old, 31), (recent, 20)):
			moment = now_datetime() - timedelta(days=days)
			frappe.db.set_value("Scheduled Job Log", log.name, {"creation": moment, "modified": moment}, update_modified=False)
		self.set_days("Scheduled Job Log", 30)
		try:
			run_log_clean_up()
			self.assertFalse(frappe.db.exists("Scheduled Job Log", old.name))
			self.assertTrue(frappe.db.exists("Scheduled Job Log", recent.name))  # Frappe alone would keep 7 days
		finally:
			frappe.db.delete("Scheduled Job Log", {"name": ("in", [old.name, recent.name])})


class TestBulkGeneratorGuard(FrappeTestCase):
	"""The decade-scale generator writes raw SQL: never on a site with real data."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.bulk = load_bulk()

	def tearDown(self):
		frappe.local.conf.pop("ta_synthetic_data", None)
		frappe.db.rollback()
		frappe.set_user("Administrator")

	def assert_refused(self, *needles: str):
		before = frappe.db.count("TA Programme")
		with self.assertRaises(self.bulk.RefusedSite) as refused:
			self.bulk.generate(activities=50, programmes=5, states=3, trainers=5, progress=False, commit=False)
		for needle in needles:
			self.assertIn(needle, str(refused.exception))
		self.assertEqual(frappe.db.count("TA Programme"), before)
		self.assertFalse(frappe.db.exists("TA Programme", {"name": ("like", "TAP-BULK-%")}))
		with self.assertRaises(self.bulk.RefusedSite):
			self.bulk.delete_bulk(progress=False)
		return str(refused.exception)

	def test_a_site_not_marked_synthetic_is_refused(self):
		self.assertFalse(frappe.conf.get("ta_synthetic_data"))
		self.assert_refused("not marked as synthetic", "ta_synthetic_data")

	def test_a_marked_site_with_a_real_programme_is_refused_and_the_programme_named(self):
		name = f.programme(title="A real programme _ops guard")
		frappe.local.conf["ta_synthetic_data"] = 1
		message = self.assert_refused("records the generator did not make", "TA Programme")
		self.assertNotIn("not marked", message)
		counts, names = self.bulk.foreign_records(examples=1000)
		self.assertIn(name, names["TA Programme"])
		self.assertEqual(counts["TA Programme"], frappe.db.count("TA Programme", {"name": ("not like", "TAP-BULK-%")}))
		self.assertNotIn("Administrator", names.get("User", []))

	def test_the_command_line_refuses_with_a_clear_message_and_a_non_zero_exit(self):
		sites = Path(frappe.local.sites_path).resolve()
		proc = subprocess.run(
			[sys.executable, str(REPO / "tests" / "benchmark" / "bulk.py"), "--site", frappe.local.site, "--sites-path", str(sites),
			 "--activities", "50", "--programmes", "5", "--states", "3", "--trainers", "5", "--quiet"],
			cwd=sites, capture_output=True, text=True, timeout=300,
		)
		self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
		self.assertIn(f"REFUSED: Refusing to write bulk data to {frappe.local.site}", proc.stderr)
		self.assertNotIn("Traceback", proc.stderr)
