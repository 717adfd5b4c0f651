import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.exceptions import (
	DuplicateRowError,
	InvalidDateRangeError,
	InvalidParticipantsError,
	InvalidValueError,
	MissingValueError,
	NotInProgrammeError,
)
from ta_programmes.tests import factories as f


class TestTAActivity(FrappeTestCase):
	def setUp(self):
		self.programme = f.programme()

	def test_valid_activity_takes_the_host_zone_of_its_state(self):
		doc = f.activity_doc(self.programme).insert()
		self.assertTrue(doc.name.startswith("TAA-"))
		self.assertEqual(doc.time_zone, "Africa/Nairobi")
		self.assertEqual(doc.category, "Enforcement")

	def test_state_outside_programme_refused(self):
		f.state("Peru", "Latin American & Caribbean")
		with self.assertRaisesRegex(NotInProgrammeError, "Peru"):
			f.activity_doc(self.programme, beneficiary_state="Peru").insert()

	def test_theme_outside_programme_refused(self):
		with self.assertRaisesRegex(NotInProgrammeError, "Judicial Training"):
			f.activity_doc(self.programme, thematic_area="Judicial Training").insert()

	def test_end_must_follow_start(self):
		with self.assertRaises(InvalidDateRangeError):
			f.activity_doc(self.programme, start="2026-03-04 09:00:00", end="2026-03-04 09:00:00").insert()

	def test_activity_inside_programme_period(self):
		with self.assertRaisesRegex(InvalidDateRangeError, "outside"):
			f.activity_doc(self.programme, start="2025-12-30 09:00:00", end="2026-01-02 17:00:00").insert()

	def test_disaggregation_must_sum_to_total(self):
		name = f.activity_doc(f.approved("Delivery _test"), title="Delivered _test", status="Scheduled").insert().name
		figures = {"status": "Delivered", "actual_participants": 20, "participants_women": 8, "participants_men": 8}
		with self.assertRaisesRegex(InvalidParticipantsError, "add up to 16, but the total is 20"):
			frappe.get_doc("TA Activity", name).update(figures).save()
		frappe.get_doc("TA Activity", name).update({**figures, "participants_other": 4}).save()
		self.assertEqual(frappe.db.get_value("TA Activity", name, "status"), "Delivered")

	def test_actuals_need_delivery(self):
		doc = f.activity_doc(self.programme, actual_participants=10, participants_women=10)
		with self.assertRaises(InvalidParticipantsError):
			doc.insert()

	def test_negative_participants_refused(self):
		with self.assertRaises((frappe.NonNegativeError, frappe.ValidationError)):
			f.activity_doc(self.programme, planned_participants=-1).insert()

	def test_delivery_mode_needs_its_details(self):
		with self.assertRaisesRegex(MissingValueError, "online link"):
			f.activity_doc(self.programme, delivery_mode="Online", venue=None, city=None).insert()

	def test_duplicate_and_rejected_trainers_refused(self):
		t = f.trainer()
		doc = f.activity_doc(self.programme, trainers=[{"trainer": t, "hours": 7}, {"trainer": t, "hours": 7}])
		with self.assertRaises(DuplicateRowError):
			doc.insert()
		rejected = f.trainer("rejected@tests.ta.example", vetting_status="Rejected")
		with self.assertRaisesRegex(InvalidValueError, "failed vetting"):
			f.activity_doc(self.programme, trainers=[{"trainer": rejected, "hours": 7}]).insert()
