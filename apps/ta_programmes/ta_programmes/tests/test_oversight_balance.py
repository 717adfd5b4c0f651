"""Regional balance and open oversight on a real site: oversight meetings (their rules, who may
record and read them), the balance report (figures, the dominance warning read from the policy,
who may run it), the public page of decisions (no minutes, no names), and accreditation
applications (a Guest applies through the web form over HTTP; a programme manager decides, once,
with a reason; nobody else, through no path; the decision is kept)."""

from __future__ import annotations

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from ta_programmes.core import balance as core
from ta_programmes.exceptions import AccreditationDecisionError, InvalidValueError, MissingValueError
from ta_programmes.tests import factories as f

REPORT = "TA Oversight Balance"
ACCEPT = "/api/method/frappe.website.doctype.web_form.web_form.accept"
DECIDE = "/api/method/ta_programmes.api.accreditation.decide"
REASON = "Independent, with ten years of published monitoring in the region."


def meeting_doc(**kw):
	values = {
		"doctype": "TA Oversight Meeting",
		"title": f"Rules meeting {frappe.generate_hash(length=6)} _test",
		"meeting_date": add_days(getdate(), -10),
		"mode": "In person",
		"city": "Accra",
		"country": "Ghana",
		"regional_group": "African",
		"participants": [
			{"participant_name": "Pat Participant _test", "sector": "Academia", "regional_group": "African"}
		],
		"decisions": f.MEETING_DECISIONS,
	}
	values.update(kw)
	return frappe.get_doc(values)


class TestOversightBalance(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.cast = f.oversight_cast()
		cls.officer = f.officer()
		cls.donor = f.user("balance-donor@tests.ta.example", "TA Donor")
		cls.admin = f.user("balance-admin@tests.ta.example", "TA Administrator")
		cls.mne = f.user("balance-mne@tests.ta.example", "TA M&E Officer")
		cls.manager2 = f.user("balance-manager2@tests.ta.example", "TA Programme Manager")
		f.state("Ghana", "African")
		frappe.db.set_single_value("TA Transparency Settings", "public_page_enabled", 1)
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.message_log = []

	# --- meetings --------------------------------------------------------------------------------------
	def insert_as_manager(self, doc):
		with f.as_user(f.MANAGER):
			return doc.insert()

	def test_meeting_rules_hold_on_save(self):
		cases = [
			({"meeting_date": "1970-01-01"}, InvalidValueError),
			({"meeting_date": add_days(getdate(), 500)}, InvalidValueError),
			({"city": ""}, MissingValueError),
			({"country": None}, MissingValueError),
			({"participants": []}, MissingValueError),
			(
				{
					"participants": [
						{"participant_name": "", "sector": "Academia", "regional_group": "African"}
					]
				},
				MissingValueError,
			),
			(
				{
					"participants": [
						{"participant_name": "X", "sector": "Government", "regional_group": "African"}
					]
				},
				InvalidValueError,
			),
			({"participants": [{"participant_name": "X", "sector": "Academia"}]}, MissingValueError),
			(
				{
					"participants": [
						{"participant_name": "X", "sector": "Academia", "regional_group": "Atlantis"}
					]
				},
				frappe.ValidationError,
			),
		]
		for kw, error in cases:
			with self.subTest(kw=kw), self.assertRaises(error):
				self.insert_as_manager(meeting_doc(**kw))

	def test_the_place_follows_the_mode_and_ohchr_has_no_regional_group(self):
		online = self.insert_as_manager(
			meeting_doc(
				mode="Online",
				participants=[
					{"participant_name": "O _test", "sector": "OHCHR", "regional_group": "Asia-Pacific"}
				],
			)
		)
		self.assertEqual((online.city, online.country, online.regional_group), (None, None, None))
		self.assertIsNone(online.participants[0].regional_group)
		in_person = self.insert_as_manager(meeting_doc(regional_group=None))  # Ghana is a beneficiary state
		self.assertEqual(in_person.regional_group, "African")

	def test_submitting_publishes_decisions_only_of_a_meeting_that_took_place(self):
		with f.as_user(f.MANAGER):
			future = meeting_doc(meeting_date=add_days(getdate(), 20)).insert()
			with self.assertRaises(InvalidValueError):
				future.submit()
			silent = meeting_doc(decisions="").insert()
			with self.assertRaises(MissingValueError):
				silent.submit()
			done = meeting_doc().insert()
			done.submit()
			done.reload()
			done.minutes = "Completed after the meeting _test."
			done.save()  # minutes may be completed after submission
			done.decisions = "Changed after publication _test."
			with self.assertRaises(frappe.ValidationError):
				done.save()

	def test_who_records_and_who_reads_meetings(self):
		name = f.meeting()
		with f.as_user(self.officer), self.assertRaises(frappe.PermissionError):
			meeting_doc().insert()
		for reader in (self.officer, f.OHCHR, self.cast["civil"][0], self.mne, self.admin):
			with self.subTest(reader=reader), f.as_user(reader):
				self.assertIn(name, frappe.get_list("TA Oversight Meeting", pluck="name"))
				self.assertTrue(frappe.get_doc("TA Oversight Meeting", name).minutes)
		with f.as_user(self.donor):
			with self.assertRaises(frappe.PermissionError):
				frappe.get_list("TA Oversight Meeting")
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("TA Oversight Meeting", name).check_permission("read")

	# --- the public page ----------------------------------------------------------------------------------
	def test_the_public_page_shows_decisions_and_counts_never_minutes_or_names(self):
		published = f.meeting("Public meeting _test", programme=f.programme())
		draft = f.meeting(
			"Draft meeting _test", submit=False, decisions="Draft decision not yet published _test."
		)
		frappe.db.commit()
		response = f.rest("GET", "/oversight-meetings")
		body = response.get_data(as_text=True)
		self.assertEqual(response.status_code, 200, body[:300])
		self.assertIn("Public meeting _test", body)
		self.assertIn(f.MEETING_DECISIONS, body)
		self.assertIn("Nairobi", body)
		self.assertNotIn("Draft decision not yet published", body)
		for secret in (
			"Minute-Taker",
			"Private minutes",
			"Olga Ohchr-Officer",
			"Cyril Civil-Member",
			f.programme(),
		):
			self.assertNotIn(secret, body)
		self.assertRegex(body, r"OHCHR: 1")
		self.assertRegex(body, r"Civil Society: 1")
		self.assertTrue(draft)
		# a change shows at once (the cached data starts a new generation)
		with f.as_user(f.MANAGER):
			frappe.get_doc("TA Oversight Meeting", published).cancel()
		frappe.db.commit()
		self.assertNotIn("Public meeting _test", f.rest("GET", "/oversight-meetings").get_data(as_text=True))

	# --- the balance report -------------------------------------------------------------------------------
	def run_report(self, user=f.MANAGER, **filters):
		from frappe.desk.query_report import run

		with f.as_user(user):
			return run(REPORT, filters=filters)

	def rows(self, result, group, sector="All sectors"):
		year = str(getdate().year)
		return [
			r
			for r in result["result"]
			if isinstance(r, dict)
			and str(r.get("year")) == year
			and r["regional_group"] == group
			and r["sector"] == sector
		]

	def figure(self, result, group, field, sector="All sectors") -> int:
		return sum(r.get(field) or 0 for r in self.rows(result, group, sector))

	def test_report_counts_meetings_participations_and_places(self):
		year = getdate().year
		before = self.run_report(from_year=year, to_year=year)
		f.meeting(f"Counted meeting {frappe.generate_hash(length=6)} _test")
		f.meeting(
			f"Counted online {frappe.generate_hash(length=6)} _test",
			mode="Online",
			city=None,
			country=None,
			regional_group=None,
		)
		f.meeting(f"Uncounted draft {frappe.generate_hash(length=6)} _test", submit=False)
		after = self.run_report(from_year=year, to_year=year)

		def delta(group, field, sector="All sectors"):
			return self.figure(after, group, field, sector) - self.figure(before, group, field, sector)

		self.assertEqual(delta("African", "participations", "Civil Society"), 2)
		self.assertEqual(delta("OHCHR", "participations", "OHCHR"), 2)
		self.assertEqual(delta("African", "meetings_hosted"), 1)
		self.assertEqual(delta("Online", "meetings_hosted"), 1)
		self.assertIn("Kenya", self.rows(after, "African")[0]["countries"])
		# a filter on another year leaves them out
		self.assertFalse(self.rows(self.run_report(from_year=year - 5, to_year=year - 5), "African"))
		# a filter that is not a year is ignored and said so (never an error: see the report's _year)
		ignored = self.run_report(from_year="abc", to_year=year)
		self.assertIn("From Year ignored", ignored["message"])
		self.assertEqual(
			self.figure(ignored, "Online", "meetings_hosted"), self.figure(after, "Online", "meetings_hosted")
		)

	def test_report_warns_when_one_group_dominates_the_sign_offs_of_a_year(self):
		programme = f.under_review("Balance sign-offs _test")
		for _i in range(core.MIN_SIGNOFFS):
			f.sign(programme, self.cast["civil"][0], organisation=self.cast["orgs"][0])  # African
		f.sign(programme, f.OHCHR, kind="OHCHR")
		result = self.run_report()
		(african,) = self.rows(result, "African")
		self.assertGreaterEqual(african["signoffs"], core.MIN_SIGNOFFS)
		self.assertGreaterEqual(self.figure(result, "OHCHR", "signoffs"), 1)
		self.assertIsNone(self.rows(result, "OHCHR")[0].get("share"))  # OHCHR outside the shares
		shares = [
			r["share"]
			for r in result["result"]
			if isinstance(r, dict) and str(r.get("year")) == str(getdate().year) and r.get("share")
		]
		self.assertAlmostEqual(sum(shares), 100.0, places=6)
		share = african["share"]
		original = frappe.db.get_singles_dict("TA Oversight Policy", cast=False).get("dominance_threshold")
		try:
			frappe.db.set_single_value("TA Oversight Policy", "dominance_threshold", share - 0.5)
			warned = self.run_report(from_year=getdate().year, to_year=getdate().year)
			self.assertIn("African", warned["message"])
			self.assertIn("not regionally balanced", self.rows(warned, "African")[0]["warning"])
			frappe.db.set_single_value("TA Oversight Policy", "dominance_threshold", min(share, 100))
			calm = self.run_report(from_year=getdate().year, to_year=getdate().year)
			self.assertIn("No UN regional group gives more than", calm["message"])
			self.assertFalse(self.rows(calm, "African")[0]["warning"])
		finally:
			if original is None:
				frappe.db.delete(
					"Singles", {"doctype": "TA Oversight Policy", "field": "dominance_threshold"}
				)
			else:
				frappe.db.set_single_value("TA Oversight Policy", "dominance_threshold", original)
			frappe.clear_document_cache("TA Oversight Policy")

	def test_the_report_is_for_those_who_may_read_sign_offs(self):
		for user in (f.OHCHR, self.cast["civil"][0], self.mne, self.officer, self.admin):
			with self.subTest(user=user):
				self.assertIn("result", self.run_report(user))
		for user in (self.donor, "Guest"):
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				self.run_report(user)

	# --- accreditation ------------------------------------------------------------------------------------
	def test_a_guest_applies_through_the_web_form_over_http(self):
		frappe.cache.delete_keys("rl:")
		name = f"Http Applicant {frappe.generate_hash(length=6)} _test"
		answers = f.accreditation_answers(
			organisation_name=name, status="Accredited", decided_by="Administrator"
		)
		response = f.rest("POST", ACCEPT, json={"web_form": "accreditation", "data": json.dumps(answers)})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		frappe.db.commit()  # a new snapshot: the request committed in its own connection
		doc = frappe.get_doc("TA Accreditation Application", {"organisation_name": name})
		self.assertEqual((doc.status, doc.decided_by, doc.decision_reason), ("Pending", None, None))
		self.assertTrue(doc.received_on)
		self.assertEqual(doc.contact_email, "asha@applicant.example.org")
		# a bad application: a clear 417, nothing stored
		bad = f.rest(
			"POST",
			ACCEPT,
			json={
				"web_form": "accreditation",
				"data": json.dumps(f.accreditation_answers(organisation_name=name + " 2", website="ftp:/x")),
			},
		)
		self.assertEqual(bad.status_code, 417, bad.get_data(as_text=True)[:300])
		self.assertIn("website", bad.get_data(as_text=True))
		frappe.db.commit()
		self.assertFalse(frappe.db.exists("TA Accreditation Application", {"organisation_name": name + " 2"}))
		# the form's page itself
		self.assertEqual(f.rest("GET", "/accreditation/new").status_code, 200)

	def new_application(self, **answers):
		answers.setdefault("organisation_name", f"Applicant {frappe.generate_hash(length=6)} _test")
		return f.apply_for_accreditation(**answers).name

	def decide(self, user, application, decision="Accredited", reason=REASON):
		from ta_programmes.api.accreditation import decide

		with f.as_user(user):
			return decide(application, decision, reason)

	def test_a_manager_accredits_and_the_decision_is_kept(self):
		name = self.new_application()
		organisation = frappe.db.get_value("TA Accreditation Application", name, "organisation_name")
		result = self.decide(f.MANAGER, name)
		self.assertEqual(result["partner_organisation"], organisation)
		doc = frappe.get_doc("TA Accreditation Application", name)
		self.assertEqual((doc.status, doc.decided_by, doc.decision_reason), ("Accredited", f.MANAGER, REASON))
		self.assertTrue(doc.decided_on)
		org = frappe.get_doc("TA Partner Organisation", organisation)
		self.assertEqual((org.accredited_for_oversight, str(org.accredited_on)), (1, str(getdate())))
		self.assertEqual(
			(org.sector, org.regional_group, org.country), ("Civil Society", "Asia-Pacific", "India")
		)
		# decided once: neither again, nor the other way
		for decision in ("Accredited", "Refused"):
			with self.subTest(decision=decision), self.assertRaises(AccreditationDecisionError):
				self.decide(self.manager2, name, decision)
		self.assertEqual(frappe.db.get_value("TA Accreditation Application", name, "decided_by"), f.MANAGER)

	def test_a_refusal_needs_a_reason_and_keeps_it(self):
		name = self.new_application()
		with self.assertRaises(MissingValueError):
			self.decide(f.MANAGER, name, "Refused", "No.")
		with self.assertRaises(frappe.ValidationError):
			self.decide(f.MANAGER, name, "Maybe")
		self.decide(
			f.MANAGER, name, "Refused", "The organisation is funded by the ministry it would oversee."
		)
		doc = frappe.get_doc("TA Accreditation Application", name)
		self.assertEqual(doc.status, "Refused")
		self.assertIn("funded by the ministry", doc.decision_reason)
		self.assertIsNone(doc.partner_organisation)
		self.assertFalse(frappe.db.exists("TA Partner Organisation", doc.organisation_name))

	def test_accrediting_an_existing_organisation_and_what_cannot_be_accredited(self):
		existing = f.partner(f"Existing Applicant {frappe.generate_hash(length=4)} _test", sector="Academia")
		name = self.new_application(organisation_name=existing, sector="Academia")
		self.decide(f.MANAGER, name)
		self.assertEqual(
			frappe.db.get_value("TA Partner Organisation", existing, "accredited_for_oversight"), 1
		)
		government = f.partner(
			f"Ministry Applicant {frappe.generate_hash(length=4)} _test", sector="Government"
		)
		refused = self.new_application(organisation_name=government)
		with self.assertRaises(AccreditationDecisionError):
			self.decide(f.MANAGER, refused)
		self.assertEqual(frappe.db.get_value("TA Accreditation Application", refused, "status"), "Pending")

	def test_managers_cannot_decide_their_own_application(self):
		own = self.new_application(contact_email=f.MANAGER)
		with self.assertRaises(AccreditationDecisionError):
			self.decide(f.MANAGER, own)
		reviewer_org = self.cast["orgs"][1]
		# a reviewer of the organisation, now also a manager
		f.user(self.cast["civil"][1], "TA Programme Manager")
		try:
			theirs = self.new_application(organisation_name=reviewer_org)
			with self.assertRaises(AccreditationDecisionError):
				self.decide(self.cast["civil"][1], theirs)
		finally:
			frappe.get_doc("User", self.cast["civil"][1]).remove_roles("TA Programme Manager")
		self.decide(self.manager2, own)

	def test_nobody_else_decides_through_any_path(self):
		name = self.new_application()
		for user in (self.officer, f.OHCHR, self.cast["civil"][0], self.mne, self.admin, self.donor, "Guest"):
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				self.decide(user, name)
		auth = {
			user: f.api_auth(user) for user in (f.OHCHR, self.admin, self.officer, f.MANAGER, "Administrator")
		}
		frappe.db.commit()  # the keys and the application, for the requests' own connections
		for user in (f.OHCHR, self.admin, self.officer):
			with self.subTest(rest=user):
				response = f.rest(
					"POST",
					DECIDE,
					headers=auth[user],
					json={"application": name, "decision": "Accredited", "reason": REASON},
				)
				self.assertEqual(response.status_code, 403, response.get_data(as_text=True)[:300])
		guest = f.rest("POST", DECIDE, json={"application": name, "decision": "Accredited", "reason": REASON})
		self.assertIn(guest.status_code, (401, 403))
		# the decision fields through REST: a manager may not write the application; whoever may write
		# it (the Administrator) has the server-owned fields reset
		payload = {
			"status": "Accredited",
			"decision_reason": "Tampered " * 5,
			"decided_by": f.MANAGER,
			"partner_organisation": self.cast["orgs"][0],
		}
		path = f"/api/resource/TA Accreditation Application/{name}"
		manager = f.rest("PUT", path, headers=auth[f.MANAGER], json=payload)
		self.assertEqual(manager.status_code, 403, manager.get_data(as_text=True)[:300])
		admin = f.rest("PUT", path, headers=auth["Administrator"], json=payload)
		self.assertLess(admin.status_code, 500, admin.get_data(as_text=True)[:300])
		frappe.db.commit()
		doc = frappe.get_doc("TA Accreditation Application", name)
		self.assertEqual(
			(doc.status, doc.decision_reason, doc.decided_by, doc.partner_organisation),
			("Pending", None, None, None),
		)
		# and the decision still works after all that
		self.decide(f.MANAGER, name)

	def test_who_reads_applications(self):
		name = self.new_application()
		for user in (f.MANAGER, f.OHCHR, self.admin):
			with self.subTest(user=user), f.as_user(user):
				self.assertIn(name, frappe.get_list("TA Accreditation Application", pluck="name"))
		for user in (self.officer, self.cast["civil"][0], self.mne, self.donor):
			with self.subTest(user=user), f.as_user(user), self.assertRaises(frappe.PermissionError):
				frappe.get_list("TA Accreditation Application")
		frappe.db.commit()
		self.assertEqual(f.rest("GET", f"/api/resource/TA Accreditation Application/{name}").status_code, 403)
