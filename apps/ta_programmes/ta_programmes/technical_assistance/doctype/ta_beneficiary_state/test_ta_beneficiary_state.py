import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.exceptions import DuplicateRowError, InvalidValueError, MissingValueError


class TestTABeneficiaryState(FrappeTestCase):
	def setUp(self):
		frappe.delete_doc_if_exists("TA Beneficiary State", "Tuvalu")

	def doc(self, **kw):
		return frappe.get_doc({"doctype": "TA Beneficiary State", "country": "Tuvalu", "regional_group": "Asia-Pacific", **kw})

	def test_default_time_zone_from_country(self):
		doc = self.doc().insert()
		self.assertEqual(doc.time_zone, "Pacific/Funafuti")
		self.assertEqual(doc.iso_code, "tv")

	def test_unknown_time_zone_refused(self):
		with self.assertRaises(InvalidValueError):
			self.doc(time_zone="Pacific/Atlantis").insert()

	def test_risk_rating_needs_date_and_source(self):
		with self.assertRaises((MissingValueError, frappe.MandatoryError)):
			self.doc(hr_risk_rating="High").insert()

	def test_duplicate_institution_refused(self):
		rows = [{"institution_name": "National CERT"}, {"institution_name": "national cert "}]
		with self.assertRaises(DuplicateRowError):
			self.doc(institutions=rows).insert()
