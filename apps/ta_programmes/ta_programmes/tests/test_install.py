"""What installing the app leaves on a site: roles, reference data, desk, indexes."""

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.core.constants import THEMATIC_AREAS

ROLES = (
	"TA Programme Officer",
	"TA Programme Manager",
	"TA OHCHR Reviewer",
	"TA Civil Society Reviewer",
	"TA M&E Officer",
	"TA Donor",
	"TA Administrator",
)


class TestInstall(FrappeTestCase):
	def test_app_is_installed_with_its_roles(self):
		self.assertIn("ta_programmes", frappe.get_installed_apps())
		for role in ROLES:
			self.assertTrue(frappe.db.get_value("Role", role, "desk_access"), role)

	def test_thematic_areas_installed_once(self):
		names = frappe.get_all("TA Thematic Area", pluck="name")
		for name, *_ in THEMATIC_AREAS:
			self.assertEqual(names.count(name), 1)
		from ta_programmes.install import sync_thematic_areas

		sync_thematic_areas()  # idempotent
		self.assertEqual(frappe.db.count("TA Thematic Area", {"name": ("in", [t[0] for t in THEMATIC_AREAS])}), 9)

	def test_workspace_and_number_cards(self):
		ws = frappe.get_doc("Workspace", "Technical Assistance")
		self.assertEqual(ws.module, "Technical Assistance")
		self.assertEqual(len(ws.number_cards), 7)  # the last two: the scheduler's health (test_operations)
		self.assertTrue({r.role for r in ws.roles} >= set(ROLES))
		for card in ws.number_cards:
			self.assertTrue(frappe.db.exists("Number Card", card.number_card_name))

	def test_hot_columns_are_indexed(self):
		def indexed(table):
			return {row["Column_name"] for row in frappe.db.sql(f"show index from `tab{table}`", as_dict=True)}

		self.assertTrue({"programme", "status", "start", "end", "beneficiary_state", "thematic_area"} <= indexed("TA Activity"))
		self.assertTrue({"trainer"} <= indexed("TA Activity Trainer"))
		self.assertTrue({"donor"} <= indexed("TA Funding Line"))
		self.assertTrue({"status", "planned_start"} <= indexed("TA Programme"))

	def test_next_30_days_card_counts_what_the_user_may_see(self):
		from ta_programmes.api.dashboard import activities_next_30_days

		result = activities_next_30_days()
		self.assertEqual(result["fieldtype"], "Int")
		self.assertIsInstance(result["value"], int)


class TestSystemDefaults(FrappeTestCase):
	def test_a_site_installed_without_the_wizard_keeps_time_in_utc(self):
		"""The test site was made with `new-site --install-app` and no setup wizard: Frappe would read
		its time as Asia/Kolkata; the app set UTC, US dollars and English."""
		from frappe.utils import get_system_timezone

		self.assertEqual(get_system_timezone(), "UTC")
		self.assertEqual(frappe.db.get_single_value("System Settings", "currency"), "USD")

	def test_what_a_site_has_chosen_is_kept(self):
		from ta_programmes.install import system_defaults

		previous = frappe.db.get_single_value("System Settings", "time_zone")
		try:
			frappe.db.set_single_value("System Settings", "time_zone", "Africa/Nairobi")
			system_defaults()
			self.assertEqual(frappe.db.get_single_value("System Settings", "time_zone"), "Africa/Nairobi")
		finally:
			frappe.db.set_single_value("System Settings", "time_zone", previous)
