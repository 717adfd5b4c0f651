"""Every document that feeds the oversight gate, through every change path, on a real site: the
gate re-evaluates (an approved programme is flagged and its activities can no longer be
approved or scheduled) or the change is refused. Each case starts from a freshly approved
programme; the cases are a table, run one by one.

Also the ways around the gate found by the attack on the demo site (issue "Trust"): each has its
test here, written to fail before its fix.
"""

from __future__ import annotations

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.exceptions import GateRefusedError, MissingValueError, ReviewLockedError
from ta_programmes.tests import factories as f

STRONG_REASON = "Credible reports that the trained unit detained journalists."


def approved_with(title: str, risk="Medium", mitigations=(), civil=1, **kw) -> str:
	"""An approved programme whose review has the given mitigation plan."""
	cast = f.oversight_cast()
	name = f.under_review(title, **kw)
	f.submit_review(name, risk, mitigations=mitigations)
	f.sign(name, cast["ohchr"], kind="OHCHR")
	for reviewer, org in list(zip(cast["civil"], cast["orgs"]))[:civil]:
		f.sign(name, reviewer, organisation=org)
	f.set_status(name, "Approved", f.MANAGER)
	return name


# --- the change paths ----------------------------------------------------------------------------------
def cancel_review(name):
	with f.as_user(f.officer()):
		frappe.get_last_doc("TA Human Rights Review", filters={"programme": name, "docstatus": 1}).cancel()


def amend_review_to_low(name):
	with f.as_user(f.officer()):
		review = frappe.get_last_doc("TA Human Rights Review", filters={"programme": name, "docstatus": 1})
		review.cancel()
		amended = frappe.copy_doc(review)
		amended.amended_from = review.name
		amended.risk_level = "Low"
		amended.mitigations = []
		amended.submit()


def delete_mitigation_row(name):
	with f.as_user(f.officer()):
		review = frappe.get_last_doc("TA Human Rights Review", filters={"programme": name, "docstatus": 1})
		review.mitigations = review.mitigations[1:]
		review.save()


def mitigation_back_to_planned(name):
	with f.as_user(f.officer()):
		review = frappe.get_last_doc("TA Human Rights Review", filters={"programme": name, "docstatus": 1})
		review.mitigations[0].status = "Planned"
		review.save()


def cancel_ohchr_sign_off(name):
	signoff = frappe.get_last_doc("TA Oversight Sign-off", filters={"programme": name, "kind": "OHCHR", "docstatus": 1})
	with f.as_user(signoff.signer):
		frappe.get_doc("TA Oversight Sign-off", signoff.name).cancel()


def withdraw_accreditation(name):
	org = frappe.db.get_value("TA Oversight Sign-off", {"programme": name, "kind": "Civil Society", "docstatus": 1}, "organisation")
	doc = frappe.get_doc("TA Partner Organisation", org)
	doc.accredited_for_oversight = 0
	doc.save()
	return lambda: _restore_org(org, accredited=1)


def remove_reviewer(name):
	signoff = frappe.get_last_doc("TA Oversight Sign-off", filters={"programme": name, "kind": "Civil Society", "docstatus": 1})
	doc = frappe.get_doc("TA Partner Organisation", signoff.organisation)
	doc.reviewers = [r for r in doc.reviewers if r.user != signoff.signer]
	doc.save()
	return lambda: _restore_org(signoff.organisation, reviewer=signoff.signer)


def _restore_org(org, accredited=None, reviewer=None):
	doc = frappe.get_doc("TA Partner Organisation", org)
	if accredited is not None:
		doc.accredited_for_oversight = accredited
		doc.accredited_on = "2025-01-01"
	if reviewer and reviewer not in {r.user for r in doc.reviewers}:
		doc.append("reviewers", {"user": reviewer})
	doc.save()


def raise_the_quorum(name):
	policy = frappe.get_single("TA Oversight Policy")
	before = (policy.quorum_low, policy.quorum_medium, policy.quorum_high, policy.quorum_critical)
	policy.quorum_medium, policy.quorum_high, policy.quorum_critical = 3, 3, 3
	policy.save()

	def restore():
		p = frappe.get_single("TA Oversight Policy")
		p.quorum_low, p.quorum_medium, p.quorum_high, p.quorum_critical = before
		p.save()

	return restore


def suspend_its_state(name):
	state = frappe.db.get_value("TA Programme State", {"parent": name, "parenttype": "TA Programme"}, "beneficiary_state")
	doc = frappe.get_doc("TA Beneficiary State", state)
	doc.status, doc.suspension_reason = "Suspended", STRONG_REASON
	doc.save()

	def restore():
		d = frappe.get_doc("TA Beneficiary State", state)
		d.status = "Active"
		d.save()

	return restore


def cancel_the_override(name):
	override = frappe.get_last_doc("TA Objection Override", filters={"programme": name, "docstatus": 1})
	with f.as_user(f.MANAGER):
		frappe.get_doc("TA Objection Override", override.name).cancel()


FLAGGED, REFUSED = "flagged", "refused"
# Countries no other test uses: each case suspends or changes its own state.
SPARE_COUNTRIES = (
	"Armenia", "Georgia", "Albania", "Serbia", "Montenegro", "Croatia", "Slovenia", "Latvia", "Lithuania", "Estonia",
	"Poland", "Romania", "Bulgaria", "Slovakia", "Hungary",
)
# (document, path, change, outcome)
CASES = [
	("TA Human Rights Review", "cancel", cancel_review, FLAGGED),
	("TA Human Rights Review", "amend", amend_review_to_low, FLAGGED),
	("TA Human Rights Review", "child-row delete", delete_mitigation_row, REFUSED),
	("TA Human Rights Review", "update after submit", mitigation_back_to_planned, FLAGGED),
	("TA Oversight Sign-off", "cancel", cancel_ohchr_sign_off, FLAGGED),
	("TA Partner Organisation", "save (accreditation)", withdraw_accreditation, FLAGGED),
	("TA Partner Organisation", "child-row delete (reviewer)", remove_reviewer, FLAGGED),
	("TA Oversight Policy", "save", raise_the_quorum, FLAGGED),
	("TA Beneficiary State", "save (suspension)", suspend_its_state, FLAGGED),
	("TA Objection Override", "cancel", cancel_the_override, FLAGGED),
]


class TestGatePaths(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.cast = f.oversight_cast()

	def tearDown(self):
		frappe.set_user("Administrator")

	_countries = iter(SPARE_COUNTRIES)

	def next_country(self) -> str:
		return next(TestGatePaths._countries)

	def approved_for(self, case: str) -> str:
		if case == "TA Objection Override":
			name = f.signed_off(f"Paths {case} _test", risk="Medium", civil=1)
			objection = f.sign(name, self.cast["civil"][1], organisation=self.cast["orgs"][1], decision="Object", comments=STRONG_REASON)
			with f.as_user(f.MANAGER):
				frappe.get_doc(
					{"doctype": "TA Objection Override", "objection": objection.name,
					 "justification": "Training limited to judges; the implicated unit is excluded by condition."}
				).submit()
			f.set_status(name, "Approved", f.MANAGER)
			return name
		state = f.state(self.next_country(), "Eastern European")
		return approved_with(
			f"Paths {case} _test", risk="High", civil=2,
			mitigations=[("Vetting of trainees", "In place"), ("Curriculum review", "In place")],
			beneficiary_states=[{"beneficiary_state": state, "share": 100}],
		)

	def test_every_feeder_through_every_path_re_evaluates_the_gate_or_is_refused(self):
		for doctype, path, change, outcome in CASES:
			with self.subTest(document=doctype, path=path):
				name = self.approved_for(doctype)
				self.assertFalse(frappe.db.get_value("TA Programme", name, "gate_alert"))
				restore = None
				try:
					if outcome == REFUSED:
						with self.assertRaises(frappe.ValidationError):
							change(name)
						continue
					restore = change(name)
					alert = frappe.db.get_value("TA Programme", name, "gate_alert")
					self.assertTrue(alert, f"{doctype} {path}: the approved programme was not flagged")
					state = frappe.db.get_value("TA Programme State", {"parent": name}, "beneficiary_state")
					with self.assertRaises(GateRefusedError):
						f.activity_doc(
							name, title=f"After {path} _test", status="Scheduled", beneficiary_state=state,
							thematic_area="Digital Forensics",
						).insert()
				finally:
					if callable(restore):
						restore()

	def test_no_feeder_of_the_gate_can_be_renamed(self):
		for doctype in ("TA Human Rights Review", "TA Oversight Sign-off", "TA Objection Override", "TA Partner Organisation",
						"TA Beneficiary State", "TA Programme", "TA Activity"):
			self.assertFalse(frappe.get_meta(doctype).allow_rename, doctype)

	# --- the attack's findings, one by one -----------------------------------------------------------------
	def test_a_plain_save_cannot_clear_a_suspension_nor_a_signer_extend_validity(self):
		name = f.approved("Suspension stamp _test")
		f.set_status(name, "Suspended", f.MANAGER, suspension_reason=STRONG_REASON)
		stamp = frappe.db.get_value("TA Programme", name, "suspended_on")
		with f.as_user(f.officer()):
			doc = frappe.get_doc("TA Programme", name)
			doc.suspended_on = None
			doc.approved_by = f.officer()
			doc.save()
		self.assertEqual(frappe.db.get_value("TA Programme", name, "suspended_on"), stamp)
		self.assertEqual(frappe.db.get_value("TA Programme", name, "approved_by"), f.MANAGER)
		# a sign-off's validity is the policy's, whatever the signer asks for
		other = f.under_review("Validity _test")
		signoff = f.sign(other, self.cast["ohchr"], kind="OHCHR", valid_until="2099-12-31")
		self.assertLess(signoff.valid_until.year if hasattr(signoff.valid_until, "year") else int(str(signoff.valid_until)[:4]), 2099)

	def test_sign_offs_earlier_on_the_day_of_a_suspension_no_longer_count(self):
		name = f.approved("Same-day suspension _test")
		f.set_status(name, "Suspended", f.MANAGER, suspension_reason=STRONG_REASON)
		f.set_status(name, "Under Review", f.MANAGER)
		# the review and sign-offs were made minutes before the suspension, on the same day
		with self.assertRaisesRegex(GateRefusedError, "No submitted human-rights review"):
			f.set_status(name, "Approved", f.MANAGER)
		# a new review and new sign-offs after the suspension make it approvable again
		cancel_review(name)
		f.submit_review(name, "Medium")
		f.sign(name, self.cast["ohchr"], kind="OHCHR")
		f.sign(name, self.cast["civil"][0], organisation=self.cast["orgs"][0])
		f.set_status(name, "Approved", f.MANAGER)

	def test_one_reviewer_under_three_organisations_is_one_voice(self):
		person = self.cast["civil"][0]
		for org in self.cast["orgs"][1:]:
			doc = frappe.get_doc("TA Partner Organisation", org)
			if person not in {r.user for r in doc.reviewers}:
				doc.append("reviewers", {"user": person})
				doc.save()
				self.addCleanup(_drop_reviewer, org, person)
		name = f.under_review("One voice _test")
		f.submit_review(name, "Critical", mitigations=[("Vetting", "In place")])
		f.sign(name, self.cast["ohchr"], kind="OHCHR")
		for org in self.cast["orgs"]:
			f.sign(name, person, organisation=org)
		with self.assertRaisesRegex(GateRefusedError, "1 of 3"):
			f.set_status(name, "Approved", f.MANAGER)

	def test_an_approved_activity_cannot_move_to_a_draft_programme_nor_change_institution_without_the_gate(self):
		name = f.approved("Activity move _test")
		draft = f.programme(title=f"Draft target {frappe.generate_hash(length=5)} _test")
		activity = f.activity_doc(name, title="To move _test", status="Scheduled").insert()
		activity.programme = draft
		with self.assertRaisesRegex(GateRefusedError, "cannot move to programme"):
			activity.save()
		activity.reload()
		activity.institution_type = "Police"  # not part of what the reviewers signed
		with self.assertRaisesRegex(GateRefusedError, "no longer meets"):
			activity.save()

	def test_an_activity_without_a_host_time_zone_is_refused(self):
		state = f.state(self.next_country(), "Eastern European")
		frappe.db.set_value("TA Beneficiary State", state, "time_zone", None)
		name = f.programme(
			title=f"No zone {frappe.generate_hash(length=5)} _test",
			beneficiary_states=[{"beneficiary_state": state, "share": 100}],
		)
		with self.assertRaisesRegex(MissingValueError, "Host time zone"):
			f.activity_doc(name, title="No zone _test", beneficiary_state=state, time_zone=None).insert()

	def test_the_mitigation_plan_of_a_submitted_review_is_fixed(self):
		name = f.under_review("Plan fixed _test")
		review = f.submit_review(name, "High", mitigations=[("Vetting", "Planned"), ("Monitoring", "Planned")])
		with f.as_user(f.officer()):
			doc = frappe.get_doc("TA Human Rights Review", review.name)
			doc.mitigations = doc.mitigations[:1]
			with self.assertRaises(ReviewLockedError):
				doc.save()
			doc.reload()
			doc.mitigations[0].status = "In place"
			doc.save()  # progress is the one thing that changes
		self.assertEqual(frappe.db.count("TA Mitigation Measure", {"parent": review.name}), 2)

	def test_the_desk_pdf_leaves_the_callers_session_alone(self):
		from ta_programmes.api.transparency import request_pdf

		user = f.user("pdf-mne@tests.ta.example", "TA M&E Officer")
		with f.as_user(user):
			# as in a request: a session id and the request's arguments
			frappe.local.session.sid = "a-request-session-id"
			frappe.local.form_dict = frappe._dict(cmd="ta_programmes.api.transparency.request_pdf", marker="kept")
			request_pdf("{}")
			self.assertEqual(frappe.session.user, user)
			self.assertEqual(frappe.local.session.sid, "a-request-session-id")
			self.assertEqual(frappe.local.form_dict.get("marker"), "kept")


def _drop_reviewer(org, person):
	doc = frappe.get_doc("TA Partner Organisation", org)
	doc.reviewers = [r for r in doc.reviewers if r.user != person]
	doc.save()


class TestActivitiesFeedTheGate(FrappeTestCase):
	def test_a_new_cancelled_or_deleted_activity_that_changes_the_scope_flags_the_programme(self):
		name = f.approved("Activity scope _test")
		activity = f.activity_doc(name, title="New institution _test", status="Planned", institution_type="CERT").insert()
		self.assertIn("institution types", frappe.db.get_value("TA Programme", name, "gate_alert") or "")
		frappe.delete_doc("TA Activity", activity.name)
		self.assertFalse(frappe.db.get_value("TA Programme", name, "gate_alert"), "the scope is back to what was signed")

	def test_moving_a_planned_activity_away_re_checks_the_programme_it_left(self):
		name = approved_with(
			"Activity leaves _test", beneficiary_states=[{"beneficiary_state": "Kenya", "share": 100}],
		)
		activity = f.activity_doc(name, title="Leaves _test", status="Planned", institution_type="CERT").insert()
		# new sign-offs on the scope with CERT, then the CERT activity moves to a draft programme
		cast = f.oversight_cast()
		f.sign(name, cast["ohchr"], kind="OHCHR")
		f.sign(name, cast["civil"][0], organisation=cast["orgs"][0])
		frappe.get_doc("TA Programme", name).save()  # a re-check: the new sign-offs hold
		self.assertFalse(frappe.db.get_value("TA Programme", name, "gate_alert"))
		draft = f.programme(title=f"Decoy {frappe.generate_hash(length=5)} _test")
		activity.reload()
		activity.programme = draft
		activity.save()
		self.assertIn("institution types", frappe.db.get_value("TA Programme", name, "gate_alert") or "")


class TestRaces(FrappeTestCase):
	"""Two connections at the same moment, as two users would: the locks make one wait for the other."""

	def test_two_reviews_submitted_at_once_one_becomes_current(self):
		from ta_programmes.exceptions import SignOffRefusedError

		name = f.under_review("Review race _test")
		drafts = [
			frappe.get_doc({"doctype": "TA Human Rights Review", "programme": name, "risk_level": "Low", "rationale": "Race"})
			.insert()
			.name
			for _i in range(2)
		]
		frappe.db.commit()

		def submit(draft):
			return lambda: frappe.get_doc("TA Human Rights Review", draft).submit

		results = f.race({"a": submit(drafts[0]), "b": submit(drafts[1])}, SignOffRefusedError)
		self.assertEqual(sorted(results.values()), ["done", "refused"], results)
		self.assertEqual(frappe.db.count("TA Human Rights Review", {"programme": name, "docstatus": 1}), 1)

	def test_unavailability_declared_while_a_session_is_booked_one_wins(self):
		from ta_programmes.exceptions import TrainerConflictError

		programme = f.approved("Unavailability race _test")
		trainer = f.trainer(f"unav{frappe.generate_hash(length=6)}@tests.ta.example")
		frappe.db.commit()

		def book():
			doc = f.activity_doc(
				programme, title="Unavailability race _test", status="Scheduled",
				start="2026-10-13 09:00", end="2026-10-13 12:00", trainers=[{"trainer": trainer, "hours": 3}],
			)
			return doc.insert

		def away():
			doc = frappe.get_doc("TA Trainer", trainer)
			doc.append("unavailability", {"from_datetime": "2026-10-13 00:00:00", "to_datetime": "2026-10-14 00:00:00"})
			return doc.save

		results = f.race({"session": book, "away": away}, TrainerConflictError)
		self.assertEqual(sorted(results.values()), ["done", "refused"], results)


class TestSideDoors(FrappeTestCase):
	"""Paths around the controllers found by the third attack pass."""

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_child_row_cannot_be_deleted_on_its_own(self):
		from frappe.desk.reportview import delete_items

		name = f.approved("Side door rows _test")
		row = frappe.db.get_value("TA Programme Theme", {"parent": name})
		frappe.db.commit()  # the bulk delete rolls back what fails, as in a request
		frappe.local.form_dict = frappe._dict(items=frappe.as_json([row]), doctype="TA Programme Theme")
		delete_items()
		self.assertTrue(frappe.db.exists("TA Programme Theme", row), "the theme row is still there")
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("TA Programme Theme", row)

	def test_an_objection_survives_a_suspension_and_its_lifting(self):
		cast = f.oversight_cast()
		name = f.signed_off("Objection survives _test")
		objection = f.sign(name, cast["civil"][1], organisation=cast["orgs"][1], decision="Object", comments=STRONG_REASON)
		self.assertEqual(frappe.db.get_value("TA Programme", name, "status"), "Under Review")
		# suspend a state of the programme and lift it: endorsements are void, the objection is not
		state = frappe.db.get_value("TA Programme State", {"parent": name}, "beneficiary_state")
		doc = frappe.get_doc("TA Beneficiary State", state)
		doc.status, doc.suspension_reason = "Suspended", STRONG_REASON
		doc.save()
		doc.reload()
		doc.status = "Active"
		doc.save()
		with f.as_user(f.officer()):
			old = frappe.get_last_doc("TA Human Rights Review", filters={"programme": name, "docstatus": 1})
			old.cancel()
		f.submit_review(name, "Medium")
		f.sign(name, cast["ohchr"], kind="OHCHR")
		f.sign(name, cast["civil"][0], organisation=cast["orgs"][0])
		with self.assertRaisesRegex(GateRefusedError, objection.name):
			f.set_status(name, "Approved", f.MANAGER)

	def test_read_only_roles_cannot_attach_files_to_oversight_records(self):
		name = f.under_review("Attach _test")
		review = f.submit_review(name, "Low")
		for role in ("TA M&E Officer", "TA Civil Society Reviewer", "TA OHCHR Reviewer"):
			user = f.user(f"attach-{role[3:6].lower()}@tests.ta.example", role)
			with self.subTest(role=role), f.as_user(user), self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{"doctype": "File", "file_name": "evidence.txt", "content": "x", "is_private": 1,
					 "attached_to_doctype": "TA Human Rights Review", "attached_to_name": review.name}
				).insert()

	def test_nobody_but_the_administrator_can_share_a_record(self):
		from frappe.share import add as share

		name = f.under_review("Share _test")
		with f.as_user(f.officer()), self.assertRaises(frappe.PermissionError):
			share("TA Programme", name, f.OHCHR, read=1, write=1)
