"""The demo loader: all or nothing, names the bad file and record, and is idempotent."""

import json
import shutil
import tempfile
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.demo.loader import DemoLoadError, load
from ta_programmes.exceptions import InvalidDemoDataError


def shipped_dataset() -> Path | None:
	"""fixtures/demo of the repository this app sits in (absent when installed elsewhere)."""
	here = Path(__file__).resolve()
	for parent in here.parents:
		candidate = parent / "fixtures" / "demo" / "manifest.json"
		if candidate.exists():
			return candidate.parent
	return None


class TestDemoLoader(FrappeTestCase):
	def setUp(self):
		self.source = shipped_dataset()
		if not self.source:
			self.skipTest("the demo dataset is not beside this app (installed outside the repository)")
		self.tmp = Path(tempfile.mkdtemp())
		self.addCleanup(shutil.rmtree, self.tmp)
		shutil.copytree(self.source, self.tmp / "demo")
		self.path = self.tmp / "demo"

	def edit(self, name, change):
		rows = json.loads((self.path / name).read_text())
		change(rows)
		(self.path / name).write_text(json.dumps(rows))

	def test_malformed_file_is_rejected_before_anything_is_written(self):
		self.edit("states.json", lambda rows: rows[4].pop("country"))
		before = frappe.db.count("TA Programme")
		with self.assertRaisesRegex(InvalidDemoDataError, r"states.json, row 5: country is required"):
			load(self.path)
		self.assertEqual(frappe.db.count("TA Programme"), before)

	def test_record_refused_by_a_controller_rolls_back_the_whole_load(self):
		def rename(rows):
			for row in rows:
				row["title"] += " _partial"

		def break_last(rows):
			rename(rows)
			for row in rows:
				row["trainers"] = []  # the shipped demo may be loaded already: no double-booking here
			rows[-1]["beneficiary_state"] = "Malta" if rows[-1]["beneficiary_state"] != "Malta" else "Kenya"

		self.edit("programmes.json", rename)
		self.edit("activities.json", break_last)
		count = len(json.loads((self.path / "activities.json").read_text()))
		with self.assertRaisesRegex(DemoLoadError, rf"activities.json, row {count}: .*not one of the programme's"):
			load(self.path)
		self.assertFalse(frappe.db.exists("TA Programme", {"title": ("like", "% _partial")}))
		self.assertFalse(frappe.db.exists("TA Activity", {"title": ("like", "% _partial")}))

	def test_load_then_reload_creates_nothing_new(self):
		load(self.path)
		programmes, activities = frappe.db.count("TA Programme"), frappe.db.count("TA Activity")
		again = load(self.path)
		self.assertEqual(sum(again.values()), 0)
		self.assertEqual((frappe.db.count("TA Programme"), frappe.db.count("TA Activity")), (programmes, activities))
		titles = [json.loads((self.path / "programmes.json").read_text())[i]["title"] for i in (0, 29)]
		for title in titles:
			self.assertTrue(frappe.db.exists("TA Programme", {"title": title}))
		donor = frappe.get_doc("TA Donor", "European Union")
		self.assertEqual([r.user for r in donor.users], ["donor@ta.localhost"])


class TestDemoUsersSeeTheirWorkspace(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_each_demo_user_lands_on_the_technical_assistance_workspace(self):
		from frappe.desk.desktop import get_workspace_sidebar_items

		source = shipped_dataset()
		if not source:
			self.skipTest("the demo dataset is not beside this app")
		load(source)
		for user in json.loads((source / "users.json").read_text()):
			with self.subTest(user=user["email"]):
				frappe.set_user(user["email"])
				pages = [p.name for p in get_workspace_sidebar_items()["pages"]]
				self.assertIn("Technical Assistance", pages)
				if "TA Administrator" not in user["roles"]:
					# the app's own workspaces only; Monitoring & Evaluation for staff, not donors
					expected = ["Technical Assistance"] + ([] if user["roles"] == ["TA Donor"] else ["Monitoring & Evaluation"])
					self.assertEqual(pages, expected)
				self.assertEqual(frappe.db.get_value("Role", user["roles"][0], "home_page"), "/app/technical-assistance")
