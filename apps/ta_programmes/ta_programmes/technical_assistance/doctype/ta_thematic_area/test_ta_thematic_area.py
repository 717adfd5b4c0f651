import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.core.constants import THEMATIC_AREAS
from ta_programmes.exceptions import InvalidValueError


class TestTAThematicArea(FrappeTestCase):
	def test_shipped_areas_installed(self):
		for name, category, dac, _ in THEMATIC_AREAS:
			self.assertEqual(frappe.db.get_value("TA Thematic Area", name, ["category", "dac_code"]), (category, dac))

	def test_dac_code_checked(self):
		doc = frappe.get_doc({"doctype": "TA Thematic Area", "theme_name": "X _test", "category": "Prevention", "dac_code": "151"})
		with self.assertRaises(InvalidValueError):
			doc.insert()
