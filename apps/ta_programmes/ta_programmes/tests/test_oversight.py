"""The oversight gate on a real site: every bypass is tried and refused with a clear message,
and the happy path goes end to end."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from ta_programmes.core.oversight import REQUIREMENTS
from ta_programmes.exceptions import (
	GateRefusedError,
	InvalidTransitionError,
	OverrideRefusedError,
	SignOffRefusedError,
)
from ta_programmes.tests import factories as f


class TestOversightGate(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.cast = f.oversight_cast()

	def tearDown(self):
		frappe.set_user("Administrator")

	# --- the happy path ----------------------------------------------------------------------------
	def test_happy_path_end_to_end(self):
		name = f.signed_off("Happy path _test")
		doc = f.set_status(name, "Approved", f.MANAGER)
		self.assertEqual(doc.approved_by, f.MANAGER)
		activity = f.activity_doc(name, title="Scheduled under approval _test", status="Scheduled").insert()
		self.assertTrue(activity.approved_on)
		f.set_status(name, "Active", f.MANAGER)
		comments = frappe.get_all(
			"Comment", filters={"reference_doctype": "TA Programme", "reference_name": name}, pluck="content"
		)
		text = " ".join(comments)
		for expected in ("Under Review → Approved", "All oversight requirements were met", "OHCHR sign-off", "risk Medium"):
			self.assertIn(expected, text)

	# --- bypasses ---------------------------------------------------------------------------------------
	def test_doc_save_as_administrator_is_refused_and_lists_every_failure(self):
		name = f.under_review("Admin bypass _test")
		doc = frappe.get_doc("TA Programme", name)
		doc.status = "Approved"
		with self.assertRaises(GateRefusedError) as e:
			doc.save()
		message = str(e.exception)
		for label in ("Human-rights review submitted", "OHCHR endorsement"):
			self.assertIn(label, message)
		self.assertEqual(frappe.db.get_value("TA Programme", name, "status"), "Under Review")

	def test_workflow_action_without_sign_offs_is_refused(self):
		from frappe.model.workflow import apply_workflow

		name = f.under_review("Workflow bypass _test")
		with f.as_user(f.MANAGER):
			with self.assertRaises(GateRefusedError):
				apply_workflow(frappe.get_doc("TA Programme", name), "Approve")

	def test_skipping_review_by_status_jump_is_refused(self):
		name = f.programme(title="Jump _test")
		with self.assertRaisesRegex(InvalidTransitionError, "from Draft to Approved"):
			f.set_status(name, "Approved", f.MANAGER)

	def test_new_programme_cannot_start_approved(self):
		with self.assertRaisesRegex(InvalidTransitionError, "cannot start as Approved"):
			f.programme_doc(title="Born approved _test", status="Approved").insert()

	def test_data_import_of_an_approved_programme_is_refused(self):
		from frappe.core.doctype.data_import.importer import Importer

		csv = (
			"Title,Lead Agency,Programme Officer,Planned Start,Planned End,Objectives,Currency,Status,"
			"Beneficiary State (Beneficiary States),Share (%) (Beneficiary States),Thematic Area (Thematic Areas)\n"
			f"Imported approved _test,{f.partner()},{self.cast['officer']},2026-01-01,2026-12-31,Import,USD,Approved,"
			"Kenya,100,Digital Forensics\n"
		)
		file = frappe.get_doc(
			doctype="File", content=csv, file_name="ta_import_approved_test.csv", is_private=1
		).save(ignore_permissions=True)
		data_import = frappe.get_doc(
			{
				"doctype": "Data Import",
				"import_type": "Insert New Records",
				"reference_doctype": "TA Programme",
				"import_file": file.file_url,
			}
		).insert()
		frappe.db.commit()
		Importer("TA Programme", data_import=data_import).import_data()
		self.assertFalse(frappe.db.exists("TA Programme", {"title": "Imported approved _test"}))
		logs = frappe.get_all("Data Import Log", filters={"data_import": data_import.name}, fields=["success", "messages", "exception"])
		self.assertTrue(logs and not logs[0].success)
		self.assertIn("cannot start as Approved", (logs[0].messages or "") + (logs[0].exception or ""))

	# --- who may sign ----------------------------------------------------------------------------------
	def test_self_sign_off_by_the_officer_is_refused(self):
		name = f.under_review("Self sign-off _test")
		f.user(self.cast["officer"], "TA OHCHR Reviewer")
		self.addCleanup(lambda: frappe.get_doc("User", self.cast["officer"]).remove_roles("TA OHCHR Reviewer"))
		with self.assertRaisesRegex(SignOffRefusedError, "is the programme officer"):
			f.sign(name, self.cast["officer"], kind="OHCHR")

	def test_sign_off_without_the_reviewer_role_is_refused(self):
		name = f.under_review("No role _test")
		with self.assertRaisesRegex(SignOffRefusedError, "TA OHCHR Reviewer"):
			f.sign(name, self.cast["civil"][0], kind="OHCHR")
		with self.assertRaisesRegex(SignOffRefusedError, "TA Civil Society Reviewer"):
			f.sign(name, self.cast["ohchr"], organisation=self.cast["orgs"][0])

	def test_non_accredited_organisation_and_non_member_are_refused(self):
		name = f.under_review("Accreditation _test")
		plain = f.partner("Unaccredited NGO _test", "Civil Society")
		with self.assertRaisesRegex(SignOffRefusedError, "not accredited"):
			f.sign(name, self.cast["civil"][0], organisation=plain)
		with self.assertRaisesRegex(SignOffRefusedError, "is not a reviewer of"):
			f.sign(name, self.cast["civil"][0], organisation=self.cast["orgs"][1])

	def test_sign_off_is_immutable_after_submit_and_only_its_signer_cancels(self):
		name = f.under_review("Immutable _test")
		so = f.sign(name, self.cast["ohchr"], kind="OHCHR")
		so.reload()
		so.decision = "Object"
		with self.assertRaises(frappe.UpdateAfterSubmitError):
			with f.as_user(self.cast["ohchr"]):
				so.save()
		with f.as_user(self.cast["civil"][0]):
			self.assertRaises(frappe.PermissionError, frappe.get_doc("TA Oversight Sign-off", so.name).cancel)

	# --- validity ------------------------------------------------------------------------------------------
	def test_expired_sign_off_is_refused(self):
		name = f.signed_off("Expired _test")
		ohchr = frappe.db.get_value("TA Oversight Sign-off", {"programme": name, "kind": "OHCHR"})
		frappe.db.set_value("TA Oversight Sign-off", ohchr, "valid_until", add_days(today(), -1))
		with self.assertRaisesRegex(GateRefusedError, rf"{ohchr} expired on"):
			f.set_status(name, "Approved", f.MANAGER)

	def test_stale_sign_off_after_a_material_change_is_refused(self):
		name = f.signed_off("Stale _test")
		f.state("Peru", "Latin American & Caribbean")
		f.assess_needs(name, ["Peru"])  # a state joins a reviewed programme with its needs assessed
		with f.as_user(self.cast["officer"]):
			doc = frappe.get_doc("TA Programme", name)
			doc.beneficiary_states[1].share = 20
			doc.append("beneficiary_states", {"beneficiary_state": "Peru", "share": 20})
			doc.save()
		with self.assertRaisesRegex(GateRefusedError, "scope changed since sign-off: beneficiary states"):
			f.set_status(name, "Approved", f.MANAGER)

	def test_high_risk_needs_quorum_spread_and_mitigation(self):
		name = f.under_review("High risk _test")
		f.submit_review(name, "High", mitigations=[("Vetting of the unit", "Planned")])
		f.sign(name, self.cast["ohchr"], kind="OHCHR")
		f.sign(name, self.cast["civil"][0], organisation=self.cast["orgs"][0])
		with self.assertRaises(GateRefusedError) as e:
			f.set_status(name, "Approved", f.MANAGER)
		self.assertIn("1 of 2 civil-society endorsements needed at High risk", str(e.exception))
		self.assertIn("Vetting of the unit", str(e.exception))
		f.sign(name, self.cast["civil"][1], organisation=self.cast["orgs"][1])
		review = frappe.get_doc("TA Human Rights Review", {"programme": name, "docstatus": 1})
		review.mitigations[0].status = "In place"
		review.save()  # mitigation status may be updated after submit
		f.set_status(name, "Approved", f.MANAGER)

	def test_civil_society_objection_needs_a_managers_override(self):
		name = f.signed_off("Objection _test")
		objection = f.sign(name, self.cast["civil"][1], organisation=self.cast["orgs"][1], decision="Object", comments="Unit implicated in arrests of bloggers.")
		with self.assertRaisesRegex(GateRefusedError, "objects"):
			f.set_status(name, "Approved", f.MANAGER)
		with f.as_user(self.cast["officer"]):
			with self.assertRaises((OverrideRefusedError, frappe.PermissionError)):
				frappe.get_doc({"doctype": "TA Objection Override", "objection": objection.name, "justification": "x" * 40}).submit()
		with f.as_user(f.MANAGER):
			with self.assertRaisesRegex(OverrideRefusedError, "at least 30"):
				frappe.get_doc({"doctype": "TA Objection Override", "objection": objection.name, "justification": "ok"}).insert()
			frappe.get_doc(
				{
					"doctype": "TA Objection Override",
					"objection": objection.name,
					"justification": "Training is limited to judges; the unit named is excluded by condition.",
				}
			).submit()
		f.set_status(name, "Approved", f.MANAGER)

	def test_segregation_officer_cannot_approve(self):
		name = f.signed_off("Segregation _test")
		f.user(self.cast["officer"], "TA Programme Manager")
		self.addCleanup(lambda: frappe.get_doc("User", self.cast["officer"]).remove_roles("TA Programme Manager"))
		with self.assertRaisesRegex(GateRefusedError, "is the programme officer"):
			f.set_status(name, "Approved", self.cast["officer"])

	# --- activities and suspension ----------------------------------------------------------------------
	def test_activity_cannot_be_scheduled_before_approval(self):
		name = f.under_review("Early activity _test")
		with self.assertRaisesRegex(GateRefusedError, "once its programme is approved"):
			f.activity_doc(name, title="Too early _test", status="Scheduled").insert()

	def test_activity_scheduled_under_a_suspended_state_is_refused(self):
		f.state("Malawi", "African")
		name = f.approved(
			"Suspended state _test",
			beneficiary_states=[{"beneficiary_state": "Kenya", "share": 50}, {"beneficiary_state": "Malawi", "share": 50}],
		)
		state = frappe.get_doc("TA Beneficiary State", "Malawi")
		state.status, state.suspension_reason = "Suspended", "Crackdown on journalists reported by OHCHR."
		state.save()
		self.addCleanup(frappe.db.set_value, "TA Beneficiary State", "Malawi", "status", "Active")
		self.assertEqual(getdate(state.suspended_on), getdate(today()))
		with self.assertRaisesRegex(GateRefusedError, "Malawi is suspended"):
			f.activity_doc(name, title="In suspended state _test", beneficiary_state="Malawi", status="Scheduled").insert()
		# Kenya is not suspended, but the programme as a whole no longer meets its requirements
		with self.assertRaisesRegex(GateRefusedError, "no longer meets"):
			f.activity_doc(name, title="In Kenya meanwhile _test", beneficiary_state="Kenya", status="Scheduled").insert()

	def test_suspended_programme_needs_new_sign_offs_to_resume(self):
		name = f.approved("Suspend and resume _test")
		with self.assertRaisesRegex(frappe.ValidationError, "Suspension reason"):
			f.set_status(name, "Suspended", f.MANAGER)
		f.set_status(name, "Suspended", f.MANAGER, suspension_reason="Credible allegations of misuse.")
		with self.assertRaisesRegex(GateRefusedError, "suspended"):
			f.activity_doc(name, title="While suspended _test", status="Scheduled").insert()
		f.set_status(name, "Under Review", f.MANAGER)
		# today's sign-offs count (same day), so check the rule with an older suspension date
		frappe.db.set_value("TA Programme", name, "suspended_on", add_days(today(), 1))
		with self.assertRaisesRegex(GateRefusedError, "No submitted human-rights review"):
			f.set_status(name, "Approved", f.MANAGER)

	def test_daily_check_flags_an_approved_programme_whose_sign_off_expired(self):
		from ta_programmes.oversight import daily_check

		name = f.approved("Daily check _test")
		ohchr = frappe.db.get_value("TA Oversight Sign-off", {"programme": name, "kind": "OHCHR"})
		frappe.db.set_value("TA Oversight Sign-off", ohchr, "valid_until", add_days(today(), -1))
		result = daily_check()
		self.assertIn(name, result["flagged"])
		self.assertIn("expired", frappe.db.get_value("TA Programme", name, "gate_alert"))

		def flags_in_timeline():
			return frappe.db.count(
				"Comment",
				{"reference_doctype": "TA Programme", "reference_name": name, "content": ("like", "Daily oversight check%")},
			)

		self.assertEqual(flags_in_timeline(), 1)
		daily_check()  # the same problem is not flagged (nor notified) twice
		self.assertEqual(flags_in_timeline(), 1)
		frappe.db.set_value("TA Oversight Sign-off", ohchr, "valid_until", add_days(today(), 300))
		self.assertIn(name, daily_check()["cleared"])
		self.assertFalse(frappe.db.get_value("TA Programme", name, "gate_alert"))

	def test_checklist_is_the_gate_decision(self):
		from ta_programmes.oversight import get_checklist

		name = f.signed_off("Checklist _test")
		with f.as_user(f.MANAGER):
			checklist = get_checklist(name)
		self.assertTrue(checklist["approvable"])
		self.assertEqual([c["code"] for c in checklist["checks"]], list(REQUIREMENTS))
		self.assertEqual({s.state for s in checklist["signoffs"]}, {"valid"})
		with f.as_user("donor@tests.ta.example"):
			self.assertRaises(frappe.PermissionError, get_checklist, name)


class TestAwaitingMySignoff(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_listed_until_my_organisation_signs(self):
		from ta_programmes.api.oversight import awaiting_my_signoff

		cast = f.oversight_cast()
		name = f.under_review("Awaiting _test")
		with f.as_user(cast["civil"][0]):
			self.assertIn(name, [p.name for p in awaiting_my_signoff()])
		f.sign(name, cast["civil"][0], organisation=cast["orgs"][0])
		with f.as_user(cast["civil"][0]):
			self.assertNotIn(name, [p.name for p in awaiting_my_signoff()])
		with f.as_user(cast["civil"][1]):
			self.assertIn(name, [p.name for p in awaiting_my_signoff()])
		with f.as_user(cast["officer"]):
			self.assertEqual(awaiting_my_signoff(), [])

	def test_report_and_request_review(self):
		from frappe.desk.query_report import run

		from ta_programmes.api.oversight import request_review

		cast = f.oversight_cast()
		name = f.under_review("Report _test")
		with f.as_user(cast["ohchr"]):
			rows = run("Awaiting My Sign-off")["result"]
		self.assertIn(name, [r["name"] for r in rows])
		with f.as_user(cast["officer"]):
			self.assertGreaterEqual(request_review(name), 4)
		with f.as_user(cast["civil"][0]):
			self.assertRaises(frappe.PermissionError, request_review, name)


class TestOversightREST(FrappeTestCase):
	"""Kept apart: these tests commit, so that the REST request can see their data."""

	def test_rest_put_of_status_approved_is_refused(self):
		name = f.under_review("REST bypass _test")
		headers = f.api_auth(f.MANAGER)
		frappe.db.commit()  # the REST call runs in its own request and connection
		response = f.rest("PUT", f"/api/resource/TA Programme/{name}", headers=headers, json={"status": "Approved"})
		frappe.db.commit()
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:400])
		self.assertEqual(response.json["exc_type"], "GateRefusedError")
		self.assertEqual(frappe.db.get_value("TA Programme", name, "status"), "Under Review")
		refusal = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "TA Programme", "reference_name": name, "content": ("like", "Refused by the oversight gate%")},
		)
		self.assertTrue(refusal, "the refusal is recorded in the timeline")

