"""Every Guest endpoint of the app, fuzzed with hypothesis over its parameters through the real
WSGI application: the answer is 200 or a 4xx with a message, never a 5xx, and it comes back in
bounded time. Also: the public outputs are off when the page is disabled, and trainers who
withdraw consent disappear from the cached page at once."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import frappe
from frappe.tests.utils import FrappeTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ta_programmes.tests import factories as f

ENDPOINTS = {
	"page": "/transparency",
	"csv": "/api/method/ta_programmes.api.transparency.public_csv",
	"pdf": "/api/method/ta_programmes.api.transparency.public_pdf",
	"iati": "/api/method/ta_programmes.api.iati.activities",
	"ics": "/api/method/ta_programmes.api.schedule.ics",
	"donor view": "/my-programmes",
	"donor statement": "/api/method/ta_programmes.api.donor.statement",
	"follow-up form": "/follow-up/new",
	"follow-up link page": "/follow-up-link",
	"report concern page": "/report-concern",
	"concern status page": "/concern-status",
	"oversight meetings page": "/oversight-meetings",
	"accreditation form": "/accreditation/new",
}
CONCERN_POSTS = ("/api/method/ta_programmes.api.concerns.submit", "/api/method/ta_programmes.api.concerns.add_information")
CONCERN_FIELDS = (
	"form_key", "subject", "programme", "beneficiary_state", "trained_unit", "what_happened", "happened_on", "contact_name",
	"contact_email", "token", "information",
)
FILTERS = ("from_date", "to_date", "donor", "regional_group", "category", "beneficiary_state", "thematic_area", "page")
SECONDS = 10

text = st.one_of(
	st.text(max_size=60),
	st.sampled_from(
		[
			"", "2026-01-01", "2026-02", "9999-12-31", "0001-01-01", "2026-13-40", "1e309", "-1", "99999999999999999999",
			"Kenya", "African", "Enforcement", "' or 1=1 --", "<script>alert(1)</script>", "%00", "../../etc/passwd",
			"European Union", "Digital Forensics", "null", "[]", "{}",
		]
	),
)
# _lang: the language switch of the public outputs (any value: a known language, a made-up one).
params = st.dictionaries(
	st.one_of(st.sampled_from(FILTERS + ("trainer", "token", "_lang")), st.text(max_size=12)),
	st.one_of(text, st.sampled_from(["fr", "es", "ar", "en", "ar-EG", "zz", "fr-CA"])),
	max_size=6,
)


class TestGuestFuzz(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.approved("Guest fuzz _test")
		frappe.db.set_single_value("TA Transparency Settings", "public_page_enabled", 1)
		frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)
		frappe.db.commit()

	def get(self, path: str, query: dict, headers: dict | None = None) -> tuple[int, str, float]:
		url = path + ("?" + urlencode(query) if query else "")
		started = time.monotonic()
		response = f.rest("GET", url, headers=headers)
		return response.status_code, response.get_data().decode("utf-8", "replace"), time.monotonic() - started

	def check(self, name: str, query: dict, headers: dict | None = None) -> None:
		status, body, seconds = self.get(ENDPOINTS[name], query, headers)
		self.assertLess(status, 500, f"{name} {query!r} -> {status}: {body[:400]}")
		self.assertNotIn("Traceback (most recent call last)", body, f"{name} {query!r}")
		if status >= 400:
			self.assertTrue(body.strip(), f"{name} {query!r}: an error without a message")
		self.assertLess(seconds, SECONDS, f"{name} {query!r} took {seconds:.1f} s")

	@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=params)
	def test_the_public_page(self, query):
		self.check("page", query)

	@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(
		name=st.sampled_from(["page", "csv", "report concern page", "oversight meetings page"]),
		accept=st.one_of(
			st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
			st.sampled_from(["ar,en;q=0.5", "fr-FR,fr;q=0.9", "es-419", "*", "q=;;,", "de, zz;q=abc"]),
		),
	)
	def test_any_accept_language_header(self, name, accept):
		self.check(name, {}, {"Accept-Language": accept})

	@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=params)
	def test_the_public_csv(self, query):
		self.check("csv", query)

	@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=params)
	def test_the_public_pdf(self, query):
		self.check("pdf", query)

	@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=params)
	def test_the_iati_file(self, query):
		self.check("iati", query)

	@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=params)
	def test_the_calendar_feed(self, query):
		self.check("ics", query)

	@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=params)
	def test_the_donor_view(self, query):
		self.check("donor view", query)

	@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(
		query=st.dictionaries(st.sampled_from(["from_month", "to_month", "donor", "_lang"]), text, max_size=4),
		programme=st.one_of(
			st.text(alphabet=st.characters(blacklist_characters="/\\", blacklist_categories=("Cs",)), min_size=1, max_size=30),
			st.sampled_from(["TAP-2026-00001", "x"]),
		).filter(lambda p: p.strip(".") != ""),
	)
	def test_the_donor_statement_and_programme_pages_refuse_guests(self, query, programme):
		"""Guest: a 403 with a message, whatever the months, donor or programme (never a PDF)."""
		from urllib.parse import quote

		self.check("donor statement", query)
		status, body, _s = self.get(ENDPOINTS["donor statement"], query)
		self.assertEqual(status, 403, body[:300])
		status, body, _s = self.get("/my-programmes/" + quote(programme, safe=""), {})
		self.assertIn(status, (403, 404), f"{programme!r}: {body[:300]}")

	@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=params)
	def test_the_follow_up_form(self, query):
		self.check("follow-up form", query)

	@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=st.dictionaries(st.sampled_from(["reason", "token"]), text, max_size=2))
	def test_the_follow_up_link_page(self, query):
		self.check("follow-up link page", query)

	@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=st.dictionaries(st.sampled_from(["token", "ref"]), text, max_size=2))
	def test_the_concern_pages(self, query):
		self.check("report concern page", query)
		self.check("concern status page", query)

	@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(
		form=st.dictionaries(st.one_of(st.sampled_from(CONCERN_FIELDS), st.text(max_size=12)), text, max_size=9),
		files=st.lists(st.tuples(st.text(max_size=20), st.binary(max_size=64)), max_size=3),
	)
	def test_concern_posts_are_accepted_or_refused_clearly(self, form, files):
		"""Both public concern endpoints over HTTP, any fields and files: 200 or a clear 4xx (the
		throttle's 429 included), never a 5xx; a refused post stores nothing."""
		import io

		frappe.cache.delete_keys("rl:")
		for path in CONCERN_POSTS:
			frappe.db.commit()  # a new snapshot: the request commits in its own connection
			before = frappe.db.count("TA Concern Report")
			data = {**form, "evidence": [(io.BytesIO(content), name or "x") for name, content in files]} if files else dict(form)
			response = f.rest("POST", path, data=data)
			body = response.get_data().decode("utf-8", "replace")
			self.assertLess(response.status_code, 500, f"{path} {form!r} -> {response.status_code}: {body[:400]}")
			self.assertNotIn("Traceback (most recent call last)", body)
			if response.status_code >= 400:
				self.assertTrue(body.strip())
				frappe.db.commit()
				self.assertEqual(frappe.db.count("TA Concern Report"), before, f"{path} refused {form!r} but stored a report")

	@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(
		answer=st.dictionaries(
			st.sampled_from(["token", "applied_skill", "cases", "hr_concern", "concern_details", "comments", "name", "follow_up", "programme"]),
			st.one_of(text, st.integers(-(2**63), 2**63), st.booleans(), st.none()),
			max_size=7,
		)
	)
	def test_answers_to_the_follow_up_form_are_accepted_or_refused_clearly(self, answer):
		"""The web form's endpoint as Guest (the app's wrapper that the override routes it to), in-process
		(the HTTP path is rate-limited to 10 a minute): whatever is sent, as an object or as raw text,
		a clear validation or permission error, and nothing stored without a valid link."""
		import json

		from ta_programmes.api.guard import web_form_accept

		before = frappe.db.count("TA Follow-up Response")
		frappe.set_user("Guest")
		try:
			web_form_accept("follow-up", json.dumps(answer, default=str) if len(answer) % 2 else str(answer))
		except (frappe.ValidationError, frappe.PermissionError, frappe.DoesNotExistError):
			pass
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
			frappe.local.message_log = []
		self.assertEqual(frappe.db.count("TA Follow-up Response"), before)

	def test_the_follow_up_endpoint_over_http_answers_4xx_for_a_bad_link(self):
		import json

		self.assertEqual(
			frappe.get_hooks("override_whitelisted_methods")["frappe.website.doctype.web_form.web_form.accept"][-1],
			"ta_programmes.api.guard.web_form_accept",
		)

		response = f.rest(
			"POST", "/api/method/frappe.website.doctype.web_form.web_form.accept",
			json={"web_form": "follow-up", "data": json.dumps({"token": "forged", "applied_skill": "Yes"})},
		)
		self.assertIn(response.status_code, (417, 429), response.get_data(as_text=True)[:300])
		if response.status_code == 417:
			self.assertIn("not valid", response.get_data(as_text=True))

	# --- cases the attack found ------------------------------------------------------------------------
	def test_filters_that_match_nothing_and_out_of_range_dates_are_not_errors(self):
		for name in ("page", "csv", "pdf"):
			for query in ({"from_date": f"{frappe.utils.getdate().year + 1}-01-01"}, {"to_date": "1990-01-01"}):
				status, body, _s = self.get(ENDPOINTS[name], query)
				self.assertEqual(status, 200, f"{name} {query}: {body[:300]}")
			status, body, _s = self.get(ENDPOINTS[name], {"from_date": "9999-12-31"})
			self.assertIn(status, (200, 417), f"{name}: {body[:300]}")
			if name != "page":
				self.assertIn("choose a month between", body)

	def test_every_public_output_is_off_when_the_page_is_disabled(self):
		self.get(ENDPOINTS["page"], {})  # cached for Guests while it is published
		self.set_published(0)
		try:
			for name in ("page", "csv", "pdf", "iati"):
				status, _body, _s = self.get(ENDPOINTS[name], {})
				self.assertIn(status, (403, 404), name)
		finally:
			self.set_published(1)

	def set_published(self, value: int) -> None:
		settings = frappe.get_single("TA Transparency Settings")
		settings.public_page_enabled = value
		settings.save()
		frappe.db.commit()

	def test_a_trainer_who_withdraws_consent_leaves_the_cached_page(self):
		name = f.approved("Consent _test")
		tag = frappe.generate_hash(length=6)
		expert = f"Zelda Consenting-Expert {tag}"
		trainer = f.trainer(f"consenting-{tag}@tests.ta.example", full_name=expert, consent_public_profile=1)
		activity = f.activity_doc(
			name, title="Delivered with consent _test", status="Scheduled",
			start="2026-02-02 09:00:00", end="2026-02-02 12:00:00", trainers=[{"trainer": trainer, "hours": 3}],
		).insert()
		activity.status = "Delivered"
		activity.actual_participants, activity.participants_women, activity.participants_men = 12, 6, 6
		activity.save()
		frappe.db.commit()
		pages = 1 + frappe.db.count("TA Programme") // 50
		seen = any(expert in self.get(ENDPOINTS["page"], {"page": p} if p > 1 else {})[1] for p in range(1, pages + 1))
		self.assertTrue(seen)
		doc = frappe.get_doc("TA Trainer", trainer)
		doc.consent_public_profile = 0
		doc.save()
		frappe.db.commit()
		for p in range(1, pages + 1):
			self.assertNotIn(expert, self.get(ENDPOINTS["page"], {"page": p} if p > 1 else {})[1])

	def test_the_public_status_of_a_flagged_programme_is_not_approved_with_sign_off(self):
		from ta_programmes.api.iati import build

		name = f.approved("Flagged in public _test")
		frappe.db.set_value("TA Programme", name, "gate_alert", "Sign-off expired.")
		frappe.db.commit()
		xml = build().decode()
		title = frappe.db.get_value("TA Programme", name, "title")
		block = xml[xml.index(title):][:6000]
		self.assertIn("need renewal", block)
		from ta_programmes import transparency as T

		listed = [p for p in T.public_report(T.Filters())["programmes"] if p["name"] == name]
		self.assertTrue(listed and "need renewal" in listed[0]["oversight"])

	# --- regional balance and open oversight -------------------------------------------------------------
	@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(query=params)
	def test_the_oversight_meetings_page_and_the_accreditation_form(self, query):
		self.check("oversight meetings page", query)
		self.check("accreditation form", query)

	@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
	@given(
		answer=st.dictionaries(
			st.sampled_from(
				[
					"organisation_name", "sector", "regional_group", "country", "website", "contact_name", "contact_email",
					"mandate", "independence_statement", "status", "decision_reason", "decided_by", "name", "partner_organisation",
				]
			),
			st.one_of(
				text, st.integers(-(2**63), 2**63), st.booleans(), st.none(), st.lists(text, max_size=2),
				st.dictionaries(st.sampled_from(["name", "like"]), text, max_size=2),
			),
			max_size=9,
		),
		complete=st.booleans(),
	)
	def test_applications_for_accreditation_are_accepted_or_refused_clearly(self, answer, complete):
		"""The accreditation web form's endpoint as Guest, in-process (over HTTP it is rate-limited to 10
		a minute), any answers, complete or not: stored as Pending with no decision, or a clear
		validation / permission error and nothing stored."""
		import json

		from ta_programmes.api.guard import web_form_accept

		values = {**f.accreditation_answers(), **answer} if complete else answer
		before = frappe.db.count("TA Accreditation Application")
		frappe.set_user("Guest")
		stored = None
		try:
			stored = web_form_accept("accreditation", json.dumps(values, default=str))
		except (frappe.ValidationError, frappe.PermissionError, frappe.DoesNotExistError):
			pass
		finally:
			frappe.set_user("Administrator")
			frappe.local.message_log = []
		try:
			if stored is None:
				self.assertEqual(frappe.db.count("TA Accreditation Application"), before)
			else:
				doc = frappe.get_doc("TA Accreditation Application", stored.name)
				self.assertEqual(
					(doc.status, doc.decision_reason, doc.decided_by, doc.decided_on, doc.partner_organisation),
					("Pending", None, None, None, None),
				)
		finally:
			frappe.db.rollback()

	def test_an_application_over_http_is_stored_or_rate_limited_and_a_bad_one_is_a_4xx(self):
		import json

		frappe.cache.delete_keys("rl:")
		path = "/api/method/frappe.website.doctype.web_form.web_form.accept"
		bad = f.rest("POST", path, json={"web_form": "accreditation", "data": json.dumps({"organisation_name": ["x"]})})
		self.assertEqual(bad.status_code, 417, bad.get_data(as_text=True)[:300])
		bad = f.rest("POST", path, json={"web_form": "accreditation", "data": json.dumps({"contact_email": "nobody"})})
		self.assertEqual(bad.status_code, 417, bad.get_data(as_text=True)[:300])

	def test_the_oversight_meetings_page_is_off_when_the_public_page_is_disabled(self):
		self.set_published(0)
		try:
			status, _body, _s = self.get(ENDPOINTS["oversight meetings page"], {})
			self.assertIn(status, (403, 404))
		finally:
			self.set_published(1)
