import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from ta_programmes.exceptions import DuplicateRowError, InvalidDateRangeError, MissingValueError


class TestTATrainer(FrappeTestCase):
	def doc(self, **kw):
		return frappe.get_doc({"doctype": "TA Trainer", "full_name": "Trainer _test", "vetting_status": "Pending", **kw})

	def test_cleared_needs_a_past_vetting_date(self):
		with self.assertRaises((MissingValueError, frappe.MandatoryError)):
			self.doc(vetting_status="Cleared").insert()
		with self.assertRaises(InvalidDateRangeError):
			self.doc(vetting_status="Cleared", vetting_date=add_days(today(), 3)).insert()

	def test_duplicate_expertise_refused(self):
		rows = [{"thematic_area": "Digital Forensics"}, {"thematic_area": "Digital Forensics"}]
		with self.assertRaises(DuplicateRowError):
			self.doc(expertise=rows).insert()

	def test_public_bio_dropped_without_consent(self):
		doc = self.doc(public_bio="Expert", consent_public_profile=0).insert()
		self.assertFalse(doc.public_bio)
