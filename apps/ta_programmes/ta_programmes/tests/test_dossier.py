"""The approval dossier (print format "TA Approval Dossier"), generated over the roles: for every
role of ``core.access.ROLES`` and every path that prints a document — the print view in process
(``frappe.get_print``), ``frappe.www.printview.get_html_and_style``,
``frappe.utils.print_format.download_pdf`` (the PDF's text), and the same three over HTTP
(``/printview``, ``/api/method/...``) — the dossier shows a record's content exactly when the
declared table ``core.access.VISIBILITY`` lets the role read that record's doctype; the gate's
decision only to those who read the review, the sign-offs and the overrides; Guest gets nothing.

One programme is approved with everything a dossier shows: a review with a risk and a mitigation
measure, an OHCHR endorsement with comments, an endorsement with a condition, an objection and
the manager's override of it. Each of these carries a marker text that appears nowhere else.

wkhtmltopdf loads the print stylesheet from the site's address, which the web server answers in
production; here a static server on loopback serves the bench's ``sites/assets`` in its place (the
site's address is set to it for the in-process calls, and HTTP requests are sent to it by address
with the site named in ``X-Frappe-Site-Name``).
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import threading
import unicodedata
from urllib.parse import urlencode

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.core import access as A
from ta_programmes.dossier import PRINT_FORMAT
from ta_programmes.tests import factories as f

EMAIL = "dossier-{}@tests.ta.example"
RATIONALE = "Dossier rationale marker _test"
RISK = "Dossier risk marker _test"
MEASURE = "Dossier measure marker _test"
COMMENT = "Dossier endorsement comment marker _test"
OBJECTION = "Dossier objection comment marker _test"
CONDITION = "Dossier condition marker _test"
JUSTIFICATION = "Dossier justification marker: the objection concerns a unit excluded by condition _test"
# The gate's decision names its requirements: this label appears in no other part.
DECISION = "Civil-society quorum"
# Every part the sources of the gate's decision.
DECISION_SOURCES = ("TA Human Rights Review", "TA Oversight Sign-off", "TA Objection Override")


def role_key(role: str) -> str:
	return role.replace("TA ", "").replace("&", "").replace(" ", "").lower()


def pdf_text(content: bytes) -> str:
	from pypdf import PdfReader

	text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
	return " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures (ﬁ, ﬃ) back to letters


def serve_assets(sites_path: str) -> http.server.ThreadingHTTPServer:
	"""The bench's /assets, as the site's web server serves them, on a free loopback port."""

	class Quiet(http.server.SimpleHTTPRequestHandler):
		def log_message(self, *args):
			pass

	server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sites_path))
	threading.Thread(target=server.serve_forever, daemon=True).start()
	return server


class TestDossier(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.assets = serve_assets(os.path.abspath(frappe.local.sites_path))
		cls.address = f"http://127.0.0.1:{cls.assets.server_address[1]}"
		frappe.set_user("Administrator")
		cls.users = {role: f.user(EMAIL.format(role_key(role)), role) for role in A.ROLES if role != "Guest"}
		cls.users["Guest"] = "Guest"
		donor_a = f.donor("Dossier Donor A _test", users=[cls.users[A.DONOR]])
		donor_b = f.donor("Dossier Donor B _test", users=[f.user("dossier-other@tests.ta.example", A.DONOR)])
		f.outgoing_email_account()  # reviewers and managers are e-mailed as the programme moves on
		cast = f.oversight_cast()
		cls.name = f.under_review(
			"Dossier _test", funding_lines=[{"donor": donor_a, "amount": 50000, "currency": "USD"}]
		)
		cls.title = frappe.db.get_value("TA Programme", cls.name, "title")
		cls.other = f.under_review(
			"Dossier other _test", funding_lines=[{"donor": donor_b, "amount": 50000, "currency": "USD"}]
		)
		with f.as_user(cast["officer"]):
			review = frappe.get_doc(
				{
					"doctype": "TA Human Rights Review",
					"programme": cls.name,
					"risk_level": "Medium",
					"rationale": RATIONALE,
					"risks": [
						{
							"category": "Surveillance misuse",
							"description": RISK,
							"likelihood": "High",
							"impact": "Low",
						}
					],
					"mitigations": [{"measure": MEASURE, "status": "In place", "due_date": "2026-01-01"}],
				}
			).submit()
		ohchr = f.sign(cls.name, cast["ohchr"], kind="OHCHR", comments=COMMENT)
		endorsement = f.sign(
			cls.name,
			cast["civil"][0],
			organisation=cast["orgs"][0],
			decision="Endorse with conditions",
			conditions=[{"condition": CONDITION, "status": "In place"}],
		)
		objection = f.sign(
			cls.name, cast["civil"][1], organisation=cast["orgs"][1], decision="Object", comments=OBJECTION
		)
		with f.as_user(f.MANAGER):
			override = frappe.get_doc(
				{
					"doctype": "TA Objection Override",
					"objection": objection.name,
					"justification": JUSTIFICATION,
				}
			).submit()
		f.set_status(cls.name, "Approved", f.MANAGER)
		cls.headers = {
			role: (f.api_auth(user) if user != "Guest" else {}) for role, user in cls.users.items()
		}
		frappe.db.commit()  # the HTTP requests run in their own connection
		# What each doctype contributes to the dossier, and nothing else does.
		cls.markers = {
			"TA Programme": [cls.title, "Kenya", "Digital Forensics", "UNODC _test"],
			"TA Human Rights Review": [RATIONALE, review.name],
			"TA Identified Risk": [RISK],
			"TA Mitigation Measure": [MEASURE],
			"TA Oversight Sign-off": [
				COMMENT,
				OBJECTION,
				ohchr.name,
				endorsement.name,
				objection.name,
				cast["ohchr"],
				cast["civil"][0],
				cast["civil"][1],
			],
			"TA Sign-off Condition": [CONDITION],
			"TA Objection Override": [JUSTIFICATION, override.name],
		}

	@classmethod
	def tearDownClass(cls):
		cls.assets.shutdown()
		cls.assets.server_close()
		super().tearDownClass()

	# --- the paths -------------------------------------------------------------------------------
	def setUp(self):
		host = frappe.local.conf.get("host_name")
		frappe.local.conf.host_name = self.address
		self.addCleanup(lambda: frappe.local.conf.update(host_name=host))

	def http(self, method: str, path: str, headers: dict, data: dict | None = None):
		"""The site's real WSGI application, in its own thread and request, reached at the address
		whose /assets the static server answers."""
		from frappe.utils import get_test_client

		site, result = frappe.local.site, {}

		def run():
			result["response"] = get_test_client(use_cookies=False).open(
				path,
				method=method,
				base_url=self.address + "/",
				headers={"X-Frappe-Site-Name": site, **headers},
				data=data,
			)

		thread = threading.Thread(target=run)
		thread.start()
		thread.join()
		return result["response"]

	def in_process(self, user: str, name: str) -> dict[str, str]:
		from frappe.utils.print_format import download_pdf
		from frappe.www.printview import get_html_and_style

		out = {}
		with f.as_user(user):
			out["get_print"] = frappe.get_print("TA Programme", name, PRINT_FORMAT)
			out["get_html_and_style"] = get_html_and_style("TA Programme", name, PRINT_FORMAT)["html"]
			frappe.local.response = frappe._dict()
			download_pdf("TA Programme", name, PRINT_FORMAT)
			self.assertEqual(frappe.local.response.type, "pdf")
			out["download_pdf"] = pdf_text(frappe.local.response.filecontent)
		return out

	def over_http(self, role: str, name: str) -> dict[str, tuple[int, str]]:
		headers = self.headers[role]
		query = urlencode({"doctype": "TA Programme", "name": name, "format": PRINT_FORMAT})
		out = {}
		r = self.http("GET", f"/printview?{query}", headers)
		out["/printview"] = (r.status_code, r.get_data(as_text=True))
		r = self.http("GET", f"/api/method/frappe.utils.print_format.download_pdf?{query}", headers)
		body = r.get_data()
		out["download_pdf"] = (
			r.status_code,
			pdf_text(body) if body[:4] == b"%PDF" else body.decode(errors="replace"),
		)
		r = self.http(
			"POST",
			"/api/method/frappe.www.printview.get_html_and_style",
			headers=headers,
			data={"doc": "TA Programme", "name": name, "print_format": PRINT_FORMAT},
		)
		text = r.get_data(as_text=True)
		out["get_html_and_style"] = (
			r.status_code,
			(json.loads(text).get("message") or {}).get("html") or "" if r.status_code == 200 else text,
		)
		return out

	# --- the checks ------------------------------------------------------------------------------
	def assert_content(self, role: str, path: str, text: str):
		def where(marker):  # the text around the marker, or the dossier's start: failures stay readable
			at = text.find(marker)
			at = at if at >= 0 else max(text.find("Approval dossier"), 0)
			return text[max(at - 300, 0) : at + 600]

		for doctype, markers in self.markers.items():
			readable = A.VISIBILITY[doctype][role] != "none"
			for marker in markers:
				with self.subTest(role=role, path=path, doctype=doctype, marker=marker):
					self.assertEqual(
						marker in text, readable, f"{role} via {path}: {marker!r} in\n{where(marker)}"
					)
		with self.subTest(role=role, path=path, part="decision"):
			shown = all(A.VISIBILITY[d][role] != "none" for d in DECISION_SOURCES)
			self.assertEqual(
				DECISION in text, shown, f"{role} via {path}: the gate's decision\n{where(DECISION)}"
			)
		with self.subTest(role=role, path=path, part="timeline"):
			# the programme's own approval, and who approved it: every reader of the programme
			self.assertTrue(
				"Programme approved" in text and f.MANAGER in text, f"{role} via {path}: no approval"
			)

	def test_every_role_reads_exactly_what_it_may_through_every_path(self):
		for role in A.ROLES:
			if role == "Guest":
				continue
			user = self.users[role]
			for path, text in self.in_process(user, self.name).items():
				self.assert_content(role, path, text)
			for path, (status, text) in self.over_http(role, self.name).items():
				with self.subTest(role=role, path=f"HTTP {path}"):
					self.assertEqual(status, 200, text[:500])
				self.assert_content(role, f"HTTP {path}", text)

	def test_guest_is_refused_on_every_path(self):
		with f.as_user("Guest"):
			with self.assertRaises((frappe.PermissionError, frappe.DoesNotExistError)):
				frappe.get_print("TA Programme", self.name, PRINT_FORMAT)
		everything = [m for markers in self.markers.values() for m in markers]
		for path, (status, text) in self.over_http("Guest", self.name).items():
			with self.subTest(path=path):
				self.assertGreaterEqual(status, 400)
				for marker in everything:
					self.assertNotIn(marker, text)

	def test_a_donor_gets_no_dossier_of_a_programme_it_does_not_fund(self):
		other_title = frappe.db.get_value("TA Programme", self.other, "title")
		for path, (status, text) in self.over_http(A.DONOR, self.other).items():
			with self.subTest(path=path):
				self.assertGreaterEqual(status, 400)
				self.assertNotIn(other_title, text)
		# A document sent by the client, named after the programme it does not fund, is refused too.
		crafted = json.dumps({"doctype": "TA Programme", "name": self.other, "title": "Crafted _test"})
		r = self.http(
			"POST",
			"/api/method/frappe.www.printview.get_html_and_style",
			headers=self.headers[A.DONOR],
			data={"doc": crafted, "print_format": PRINT_FORMAT},
		)
		self.assertGreaterEqual(r.status_code, 400)
		self.assertNotIn(other_title, r.get_data(as_text=True))

	def test_a_crafted_document_of_a_funded_programme_still_shows_what_the_reader_may_read(self):
		"""The dossier reads the programme again: oversight content never comes from the client's
		document, and the donor's own reading rules apply."""
		crafted = json.dumps({"doctype": "TA Programme", "name": self.name, "title": "Crafted _test"})
		r = self.http(
			"POST",
			"/api/method/frappe.www.printview.get_html_and_style",
			headers=self.headers[A.DONOR],
			data={"doc": crafted, "print_format": PRINT_FORMAT},
		)
		if r.status_code == 200:
			self.assert_content(
				A.DONOR, "crafted document", json.loads(r.get_data(as_text=True))["message"]["html"]
			)
		else:
			self.assertGreaterEqual(r.status_code, 400)

	def test_the_print_format_is_installed_for_the_programme(self):
		pf = frappe.get_doc("Print Format", PRINT_FORMAT)
		self.assertEqual(
			(pf.doc_type, pf.standard, pf.print_format_type, pf.module),
			("TA Programme", "Yes", "Jinja", "Technical Assistance"),
		)

	def test_the_dossier_speaks_the_readers_language(self):
		with f.as_user(self.users["TA OHCHR Reviewer"]):
			frappe.local.lang = "fr"
			try:
				html = frappe.get_print("TA Programme", self.name, PRINT_FORMAT)
			finally:
				frappe.local.lang = "en"
		self.assertIn("Dossier d'approbation", html)
		self.assertIn("Chronologie des décisions", html)
		self.assertIn(RATIONALE, html)
