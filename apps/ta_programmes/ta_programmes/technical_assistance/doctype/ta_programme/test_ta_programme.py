import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.exceptions import (
	DuplicateRowError,
	InvalidDateRangeError,
	InvalidSharesError,
	InvalidValueError,
	NegativeValueError,
)
from ta_programmes.tests import factories as f


class TestTAProgramme(FrappeTestCase):
	def test_valid_programme_gets_series_name_and_computed_budget(self):
		doc = f.programme_doc(
			title="Budget _test",
			funding_lines=[
				{"donor": f.donor(), "amount": 100000, "currency": "USD"},
				{"donor": f.donor("Donor B _test"), "amount": 50000, "currency": "EUR", "exchange_rate": 1.1},
			],
		).insert()
		self.assertTrue(doc.name.startswith("TAP-"))
		self.assertEqual(doc.budget, 155000)
		self.assertEqual([r.base_amount for r in doc.funding_lines], [100000, 55000])
		self.assertEqual(doc.status, "Draft")

	def test_end_before_start_refused(self):
		doc = f.programme_doc(planned_start="2026-06-01", planned_end="2026-05-01")
		with self.assertRaisesRegex(InvalidDateRangeError, "Planned end"):
			doc.insert()

	def test_shares_must_sum_to_100(self):
		doc = f.programme_doc()
		doc.beneficiary_states[1].share = 30
		with self.assertRaisesRegex(InvalidSharesError, "add up to 90%"):
			doc.insert()

	def test_duplicate_state_refused(self):
		doc = f.programme_doc()
		doc.beneficiary_states[1].beneficiary_state = "Kenya"
		doc.beneficiary_states[1].share = 40
		with self.assertRaisesRegex(DuplicateRowError, "Kenya appears twice"):
			doc.insert()

	def test_duplicate_theme_refused(self):
		doc = f.programme_doc(thematic_areas=[{"thematic_area": "Digital Forensics"}, {"thematic_area": "Digital Forensics"}])
		with self.assertRaises(DuplicateRowError):
			doc.insert()

	def test_negative_amount_refused(self):
		doc = f.programme_doc(funding_lines=[{"donor": f.donor(), "amount": -5, "currency": "USD"}])
		with self.assertRaises((NegativeValueError, frappe.NonNegativeError)):
			doc.insert()

	def test_programme_officer_must_be_an_officer(self):
		outsider = f.user("outsider@tests.ta.example", "TA Donor")
		with self.assertRaisesRegex(InvalidValueError, "outsider@tests.ta.example"):
			f.programme_doc(programme_officer=outsider).insert()

	def test_error_reaches_the_user_translated_with_title(self):
		doc = f.programme_doc()
		doc.beneficiary_states[1].share = 30
		frappe.local.message_log = []
		with self.assertRaises(InvalidSharesError):
			doc.insert()
		message = frappe.parse_json(frappe.local.message_log[-1])
		self.assertEqual(message["title"], "Invalid Shares")
		self.assertIn("add up to 90%", message["message"])
