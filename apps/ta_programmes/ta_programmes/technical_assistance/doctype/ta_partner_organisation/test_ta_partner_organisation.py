import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.exceptions import InvalidValueError


class TestTAPartnerOrganisation(FrappeTestCase):
	def test_iati_type_follows_sector(self):
		doc = frappe.get_doc(
			{"doctype": "TA Partner Organisation", "organisation_name": "Uni _test", "sector": "Academia"}
		).insert()
		self.assertEqual(doc.iati_org_type, "80")

	def test_only_civil_society_or_academia_accredited(self):
		doc = frappe.get_doc(
			{
				"doctype": "TA Partner Organisation",
				"organisation_name": "Ministry _test",
				"sector": "Government",
				"accredited_for_oversight": 1,
				"accredited_on": "2026-01-01",
			}
		)
		with self.assertRaisesRegex(InvalidValueError, "Government"):
			doc.insert()
