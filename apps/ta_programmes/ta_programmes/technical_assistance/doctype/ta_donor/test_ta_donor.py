import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.exceptions import InvalidValueError


class TestTADonor(FrappeTestCase):
	def test_iati_identifier_checked_and_type_defaulted(self):
		doc = frappe.get_doc({"doctype": "TA Donor", "donor_name": "Fund _test", "donor_type": "Foundation"})
		doc.iati_org_id = "not an id"
		with self.assertRaises(InvalidValueError):
			doc.insert()
		doc.iati_org_id = "XM-DAC-41114"
		doc.insert()
		self.assertEqual(doc.iati_org_type, "60")
