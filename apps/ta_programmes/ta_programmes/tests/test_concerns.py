"""Concern reports on a real site: a Guest reports over HTTP (evidence checked, a repeated post
stored once, throttled, nothing half-stored), follows the case with the secret link, the
overseers triage it within deadlines, and a founded concern holds the gate and new activities
until a new review and new sign-offs post-date it; the public outputs carry counts only."""

from __future__ import annotations

import io
import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, now_datetime, today

from ta_programmes import concerns as C
from ta_programmes.exceptions import (
	ConcernBlocksActivityError,
	ConcernLinkError,
	GateRefusedError,
	TriageRefusedError,
)
from ta_programmes.tests import factories as f

SUBMIT = "/api/method/ta_programmes.api.concerns.submit"
ADD = "/api/method/ta_programmes.api.concerns.add_information"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
OTHER_ORG = "Concern Other Org _test"
OTHER_CIVIL = "concern-other-cs@tests.ta.example"
# A state no other test or the demo uses: a founded concern holds new activities there.
STATE = "Namibia"


def here(**kw) -> dict:
	return {
		"beneficiary_states": [
			{"beneficiary_state": f.state(STATE, "African", time_zone="Africa/Windhoek"), "share": 100}
		],
		**kw,
	}


def activity(programme: str, title: str):
	return f.activity_doc(programme, title=title, beneficiary_state=STATE, city="Windhoek")


def clear_rate_limits():
	frappe.cache.delete_keys("rl:")


def post(path: str, form: dict, files=()):
	frappe.db.commit()  # the request runs in its own connection
	data = {k: v for k, v in form.items() if v is not None}
	if files:
		data["evidence"] = [(io.BytesIO(content), name) for name, content in files]
	return f.rest("POST", path, data=data)


def message(response) -> str:
	body = response.get_json() or {}
	if body.get("_server_messages"):
		return " ".join(json.loads(m).get("message", "") for m in json.loads(body["_server_messages"]))
	return json.dumps(body)


class TestConcerns(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		# A site reused between runs keeps the founded concerns of the last run (they cannot be
		# deleted through the app): clear them, so that the held state starts free.
		old = frappe.get_all(
			"TA Concern Report", filters={"what_happened": ("like", "%_test%")}, pluck="name"
		)
		for doctype, field in (
			("TA Concern Update", "parent"),
			("TA Concern Key", "concern"),
			("TA Concern Report", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", old or [""])})
		cls.cast = f.oversight_cast()
		cls.programme = f.approved("Concern programme _test", **here())
		f.user(OTHER_CIVIL, "TA Civil Society Reviewer")
		if not frappe.db.exists("TA Partner Organisation", OTHER_ORG):
			frappe.get_doc(
				{
					"doctype": "TA Partner Organisation",
					"organisation_name": OTHER_ORG,
					"sector": "Civil Society",
					"regional_group": "Eastern European",
					"accredited_for_oversight": 1,
					"accredited_on": "2025-01-01",
					"reviewers": [{"user": OTHER_CIVIL}],
				}
			).insert(ignore_permissions=True)
		frappe.db.commit()

	def setUp(self):
		clear_rate_limits()

	def form(self, **kw):
		values = {
			"form_key": frappe.generate_hash(length=32),
			"subject": "Programme",
			"programme": self.programme,
			"what_happened": f.CONCERN_TEXT,
		}
		values.update(kw)
		return values

	# --- the reporter ---------------------------------------------------------------------------
	def test_a_guest_reports_over_http_follows_with_the_link_and_adds_information(self):
		response = post(SUBMIT, self.form(happened_on="2026-03-01"), files=[("photo.pdf", PDF)])
		self.assertEqual(response.status_code, 200, message(response))
		case = response.get_json()["message"]
		name, token = case["reference"], case["link"].split("token=")[1]
		doc = frappe.get_doc("TA Concern Report", name)
		self.assertEqual((doc.status, doc.anonymous, doc.subject), ("Received", 1, "Programme"))
		self.assertEqual(str(doc.acknowledge_by), add_days(str(doc.received_on)[:10], 7))
		self.assertEqual(str(doc.assess_by), add_days(str(doc.received_on)[:10], 30))
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "TA Concern Report", "attached_to_name": name},
			fields=["is_private", "file_name"],
		)
		self.assertEqual([(x.is_private, x.file_name.split("-", 1)[1]) for x in files], [(1, "photo.pdf")])
		# The token is kept only as a hash; the address is not kept at all.
		self.assertFalse(
			frappe.db.sql(
				"select 1 from `tabTA Concern Key` where token_hash = %s or nonce_hash = %s", (token, token)
			)
		)
		self.assertNotIn("127.0.0.1", json.dumps(doc.as_dict(), default=str))
		# Anyone with the link sees the stage, never the content's triage.
		frappe.db.commit()
		page = f.rest("GET", f"/concern-status?token={token}")
		self.assertEqual(page.status_code, 200)
		html = page.get_data(as_text=True)
		self.assertIn(name, html)
		self.assertIn("Received", html)
		added = post(
			ADD,
			{"token": token, "information": "The unit's name is Cyber Unit 7 _test."},
			files=[("note.txt", b"More facts")],
		)
		self.assertEqual(added.status_code, 200, message(added))
		doc.reload()
		self.assertEqual([u.information for u in doc.updates], ["The unit's name is Cyber Unit 7 _test."])
		self.assertEqual(len(frappe.get_all("File", filters={"attached_to_name": name})), 2)

	def test_a_repeated_post_is_stored_once_and_gets_the_same_link(self):
		form = self.form()
		first = post(SUBMIT, form)
		second = post(SUBMIT, form)
		self.assertEqual(first.status_code, second.status_code, 200)
		self.assertEqual(first.get_json()["message"]["link"], second.get_json()["message"]["link"])
		self.assertEqual(
			frappe.db.count("TA Concern Key", {"concern": first.get_json()["message"]["reference"]}), 1
		)

	def test_a_refused_file_stores_nothing_and_says_why(self):
		before = frappe.db.count("TA Concern Report")
		for name, content, words in (
			("tool.exe", b"MZ\x90\x00rest", "program or a script"),
			("photo.jpg", PDF, "is not a JPG file"),
			("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
			("page.html", b"<script>", "not accepted"),
		):
			response = post(SUBMIT, self.form(), files=[("fine.pdf", PDF), (name, content)])
			self.assertEqual(response.status_code, 417, message(response))
			self.assertIn(words, message(response))
			clear_rate_limits()
		self.assertEqual(frappe.db.count("TA Concern Report"), before)
		self.assertFalse(
			frappe.db.exists(
				"File", {"file_name": ("like", "%fine.pdf"), "attached_to_doctype": "TA Concern Report"}
			)
		)

	def test_bad_input_gets_a_clear_4xx(self):
		for form, words in (
			({"form_key": "short"}, "reload the page"),
			({"subject": "Other"}, "what the concern is about"),
			({"what_happened": "short"}, "what happened"),
			({"programme": "TAP-NOPE"}, "from the list"),
			(
				{"subject": "Beneficiary state", "programme": None, "beneficiary_state": "Atlantis"},
				"from the list",
			),
			({"happened_on": "yesterday"}, "YYYY-MM-DD"),
			({"contact_email": "x"}, "e-mail"),
		):
			response = post(SUBMIT, self.form(**form))
			self.assertTrue(
				400 <= response.status_code < 500, (form, response.status_code, message(response))
			)
			self.assertIn(words, message(response), form)
			clear_rate_limits()

	def test_posts_are_throttled_per_address(self):
		codes = [post(SUBMIT, self.form(what_happened="x")).status_code for _ in range(C_LIMIT + 1)]
		self.assertEqual(codes[-1], 429)

	def test_a_bad_link_says_so_without_a_trace(self):
		page = f.rest("GET", "/concern-status?token=nope")
		self.assertEqual(page.status_code, 404)
		self.assertIn("not valid", page.get_data(as_text=True))
		response = post(ADD, {"token": "x" * 40, "information": "more"})
		self.assertEqual(response.status_code, 417)
		self.assertIn("not valid", message(response))
		with self.assertRaises(ConcernLinkError):
			C.status(["not", "text"])

	# --- who sees it ----------------------------------------------------------------------------
	def test_only_ohchr_and_the_signing_organisations_read_a_concern(self):
		name = f.report_concern(self.programme)["reference"]
		frappe.db.commit()
		readers = {
			self.cast["ohchr"]: True,
			self.cast["civil"][0]: True,
			OTHER_CIVIL: False,
			self.cast["officer"]: False,
			f.MANAGER: False,
		}
		for user, may in readers.items():
			with f.as_user(user):
				try:
					listed = name in frappe.get_list("TA Concern Report", pluck="name")
				except frappe.PermissionError:
					listed = False
				self.assertEqual(listed, may, user)
				self.assertEqual(frappe.has_permission("TA Concern Report", "read", doc=name), may, user)
			auth = f.api_auth(user)
			frappe.db.commit()
			response = f.rest("GET", f"/api/resource/TA Concern Report/{name}", headers=auth)
			self.assertEqual(response.status_code == 200, may, (user, response.status_code))

	def test_a_reviewer_cannot_take_over_a_concern_they_do_not_oversee(self):
		"""The attack that got through: a PUT that moves a concern to the reviewer's own programme
		was checked against the edited record, and answered with the whole report."""
		own = f.approved("Concern other org _test", **here())
		f.sign(own, OTHER_CIVIL, organisation=OTHER_ORG)
		for concern in (
			f.report_concern(self.programme)["reference"],
			f.report_concern(state=STATE, subject="Beneficiary state")["reference"],
		):
			auth = f.api_auth(OTHER_CIVIL)
			frappe.db.commit()
			response = f.rest(
				"PUT", f"/api/resource/TA Concern Report/{concern}", headers=auth, json={"programme": own}
			)
			self.assertEqual(response.status_code, 403, concern)
			self.assertNotIn(f.CONCERN_TEXT, response.get_data(as_text=True))
			self.assertNotEqual(frappe.db.get_value("TA Concern Report", concern, "programme"), own)
		# Even on a concern they oversee, a civil-society reviewer does not move it: OHCHR does.
		mine = f.report_concern(own)["reference"]
		with f.as_user(OTHER_CIVIL), self.assertRaises(frappe.PermissionError):
			doc = frappe.get_doc("TA Concern Report", mine)
			doc.programme = self.programme
			doc.save()

	def test_signing_off_later_does_not_open_earlier_concerns(self):
		programme = f.approved("Concern late signer _test", **here())
		concern = f.report_concern(programme)["reference"]
		f.sign(programme, OTHER_CIVIL, organisation=OTHER_ORG)
		with f.as_user(OTHER_CIVIL):
			self.assertFalse(frappe.has_permission("TA Concern Report", "read", doc=concern))
		later = f.report_concern(programme)["reference"]
		with f.as_user(OTHER_CIVIL):
			self.assertTrue(frappe.has_permission("TA Concern Report", "read", doc=later))
		# Those told about a concern are those who may read it.
		self.assertNotIn(OTHER_CIVIL, C.triagers(frappe.get_doc("TA Concern Report", concern)))
		self.assertIn(OTHER_CIVIL, C.triagers(frappe.get_doc("TA Concern Report", later)))
		self.assertIn(self.cast["ohchr"], C.triagers(frappe.get_doc("TA Concern Report", concern)))

	def test_evidence_files_are_listed_only_to_those_who_read_the_report(self):
		name = f.report_concern(self.programme, files=[("evidence.pdf", PDF)])["reference"]
		frappe.db.commit()
		for user, may in (
			(self.cast["ohchr"], True),
			(self.cast["civil"][0], True),
			(OTHER_CIVIL, False),
			(self.cast["officer"], False),
		):
			with f.as_user(user):
				files = frappe.get_list(
					"File", filters={"attached_to_doctype": "TA Concern Report"}, pluck="attached_to_name"
				)
				self.assertEqual(name in files, may, user)

	def test_evidence_cannot_be_pulled_into_another_record_through_an_attach_field(self):
		"""Frappe attaches the private file an Attach field names to the record saved: an officer
		naming a concern's evidence in a record of their own would then read it."""
		content = (
			PDF + frappe.generate_hash().encode()
		)  # a file of its own (Frappe shares the URL of equal files)
		name = f.report_concern(self.programme, files=[("evidence.pdf", content)])["reference"]
		url = frappe.db.get_value(
			"File", {"attached_to_doctype": "TA Concern Report", "attached_to_name": name}, "file_url"
		)
		self.assertNotIn(
			"evidence.pdf", url.rsplit("/", 1)[1][:12]
		)  # the name does not make the URL guessable
		officer = self.cast["officer"]
		with f.as_user(officer), self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": "TA IATI Import", "import_file": url}).insert()
		auth = f.api_auth(officer)
		frappe.db.commit()
		response = f.rest("POST", "/api/resource/TA IATI Import", headers=auth, json={"import_file": url})
		self.assertEqual(response.status_code, 403, response.get_data(as_text=True)[:300])
		download = f.rest("GET", url, headers=auth)
		self.assertEqual(download.status_code, 403)
		# Nor by making a File of its address, nor a public copy with a path trick.
		base = url.rsplit("/", 1)[1]
		for body in (
			{"file_url": url, "is_private": 1},
			{"file_url": f"/files/../../private/files/{base}", "is_private": 0},
			{"file_url": url.replace("/private/files/", "/private/files/%2e%2e/files/"), "is_private": 0},
		):
			with self.subTest(body=body):
				response = f.rest("POST", "/api/resource/File", headers=auth, json=body)
				self.assertEqual(response.status_code, 403, response.get_data(as_text=True)[:300])
				response = f.rest("POST", "/api/method/upload_file", headers=auth, data=body)
				self.assertIn(response.status_code, (403, 417), response.get_data(as_text=True)[:300])
		self.assertEqual(f.rest("GET", f"/files/{base}").status_code, 404)
		with f.as_user(officer), self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "TA IATI Import", "import_file": f"/files/../../private/files/{base}"}
			).insert()
		self.assertFalse(
			frappe.db.exists("File", {"file_url": url, "attached_to_doctype": ("!=", "TA Concern Report")})
		)

	def test_a_logged_in_reporter_stays_anonymous_and_a_link_goes_only_with_its_report(self):
		with f.as_user(self.cast["officer"]):
			case = C.submit(frappe._dict(self.form()), [])
		doc = frappe.get_doc("TA Concern Report", case["reference"])
		self.assertEqual((doc.owner, doc.modified_by), ("Guest", "Guest"))
		key = frappe.get_value("TA Concern Key", {"concern": doc.name}, "name")
		self.assertEqual(frappe.get_value("TA Concern Key", key, "owner"), "Guest")
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("TA Concern Key", key)
		self.assertFalse(
			frappe.has_permission(
				"TA Concern Key", "read", user=f.user("concern-admin@tests.ta.example", "TA Administrator")
			)
		)

	def test_the_same_post_stored_while_another_is_stored_answers_with_its_case(self):
		"""Two requests with one form key that both passed the first look-up: the second to store
		meets the unique key of the first and answers with the first's case."""
		form = self.form()
		first = C.submit(frappe._dict(form), [])
		values = {
			"doctype": "TA Concern Report",
			"subject": "Programme",
			"programme": self.programme,
			"what_happened": f.CONCERN_TEXT,
		}
		before = frappe.db.count("TA Concern Report")
		with f.as_user("Guest"):
			second = C._store(values, form["form_key"], "t" * 40, [])
		self.assertEqual((second["reference"], second["repeated"]), (first["reference"], True))
		self.assertEqual(frappe.db.count("TA Concern Report"), before)

	# --- triage ---------------------------------------------------------------------------------
	def test_triage_moves_forward_with_deadlines_and_the_outcome_stands(self):
		name = f.report_concern(self.programme)["reference"]
		frappe.db.set_value(
			"TA Concern Report",
			name,
			{"acknowledge_by": add_days(today(), -1), "assess_by": add_days(today(), 20)},
		)
		C.refresh_overdue()
		self.assertEqual(frappe.db.get_value("TA Concern Report", name, "overdue"), "Acknowledgement overdue")
		doc = f.triage(name, self.cast["civil"][0], status="Acknowledged")
		self.assertEqual((doc.acknowledged_by, doc.overdue), (self.cast["civil"][0], ""))
		with self.assertRaises(TriageRefusedError):
			f.triage(name, self.cast["ohchr"], status="Received")
		doc = f.triage(name, self.cast["ohchr"], outcome="Unfounded")
		self.assertEqual((doc.status, doc.assessed_by), ("Assessed", self.cast["ohchr"]))
		with self.assertRaises(TriageRefusedError):
			f.triage(name, self.cast["ohchr"], outcome="Founded")
		# The reporter's account is never rewritten, through the desk or REST.
		with f.as_user(self.cast["ohchr"]), self.assertRaises(frappe.ValidationError):
			doc = frappe.get_doc("TA Concern Report", name)
			doc.what_happened = "Nothing happened"
			doc.save()
		auth = f.api_auth(self.cast["ohchr"])
		frappe.db.commit()
		response = f.rest(
			"PUT",
			f"/api/resource/TA Concern Report/{name}",
			headers=auth,
			json={"assessed_by": self.cast["officer"], "received_on": "2020-01-01 00:00:00"},
		)
		self.assertEqual(
			frappe.db.get_value("TA Concern Report", name, "assessed_by"),
			self.cast["ohchr"],
			response.status_code,
		)

	# --- the gate -------------------------------------------------------------------------------
	def test_a_founded_concern_holds_the_gate_until_a_new_review_and_new_sign_offs(self):
		pending = f.signed_off("Concern gate _test", **here())
		self.planned = activity(self.programme, "Planned before the concern _test").insert().name
		case = f.report_concern(state=STATE, subject="Beneficiary state")
		f.triage(case["reference"], self.cast["ohchr"], beneficiary_state=STATE)
		# An approved programme in that state is flagged; one under review cannot be approved.
		self.assertIn(
			case["reference"], frappe.db.get_value("TA Programme", self.programme, "gate_alert") or ""
		)
		with self.assertRaises(GateRefusedError) as refused:
			f.set_status(pending, "Approved", f.MANAGER)
		self.assertIn(case["reference"], str(refused.exception))
		# A new activity in that state waits; so does approving or moving one planned before.
		with self.assertRaises(ConcernBlocksActivityError):
			activity(pending, "After the concern _test").insert()
		planned = frappe.get_doc("TA Activity", self.planned)
		planned.status = "Approved"
		with self.assertRaises((ConcernBlocksActivityError, GateRefusedError)):
			planned.save()
		# A new review and new sign-offs answer the concern.
		frappe.db.set_value(
			"TA Concern Report", case["reference"], "assessed_on", add_to_date(now_datetime(), seconds=-5)
		)
		f.revise_review(pending)
		f.sign(pending, self.cast["ohchr"], kind="OHCHR")
		f.sign(pending, self.cast["civil"][0], organisation=self.cast["orgs"][0])
		f.set_status(pending, "Approved", f.MANAGER)
		activity(pending, "Answered _test").insert()

	def test_a_founded_concern_stays_and_its_scope_is_frozen(self):
		name = f.report_concern(self.programme)["reference"]
		doc = f.triage(name, self.cast["ohchr"], beneficiary_state=STATE)
		self.addCleanup(frappe.db.delete, "TA Concern Report", name)  # free the state for the other tests
		with f.as_user(self.cast["ohchr"]), self.assertRaises(TriageRefusedError):
			doc.reload()
			doc.beneficiary_state = "Kenya"
			doc.save()
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("TA Concern Report", name)

	# --- public counts --------------------------------------------------------------------------
	def test_public_counts_carry_no_content(self):
		counts = C.public_counts()
		self.assertTrue(counts)
		for year in counts:
			self.assertEqual(set(year), {"year", "received", "assessed", "founded"})


C_LIMIT = 5
