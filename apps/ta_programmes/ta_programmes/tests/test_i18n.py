"""The UN languages on a real site: a French user gets the gate's refusal and the trainer conflict in
French (over REST and in the desk), the public page speaks the visitor's language (Accept-Language,
or the switch, which keeps the filters), the PDF speaks Arabic in logical order, the IATI file
carries every language a text is written in, and a notification reaches each reader in theirs.

Expected wording is read from the translation files themselves (``translations/<lang>.csv``), not
from Frappe, so a translation that does not load fails here.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.core.i18n import N_, reason
from ta_programmes.exceptions import TrainerConflictError
from ta_programmes.tests import factories as f

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


def translations(lang: str) -> dict[str, str]:
	with (TRANSLATIONS / f"{lang}.csv").open(newline="", encoding="utf-8") as fh:
		return {row[0]: row[1] for row in csv.reader(fh) if row}


FR, ES, AR = translations("fr"), translations("es"), translations("ar")


def speaker(email: str, lang: str, *roles: str) -> str:
	f.user(email, *roles)
	frappe.db.set_value("User", email, "language", lang)
	frappe.clear_cache(user=email)
	return email


def server_message(response) -> str:
	body = response.get_json() or {}
	messages = json.loads(body.get("_server_messages") or "[]")
	return " ".join(json.loads(m).get("message", "") for m in messages) or body.get("exception", "")


class TestMessagesInTheUsersLanguage(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.state("Kenya", "African")
		cls.manager = speaker("gestionnaire@tests.ta.example", "fr", "TA Programme Manager")
		cls.officer = speaker("charge@tests.ta.example", "fr", "TA Programme Officer")
		frappe.db.commit()

	def test_the_gate_refusal_arrives_in_french_over_rest(self):
		name = f.under_review("Gate in French _test")
		auth = f.api_auth(self.manager)
		frappe.db.commit()
		response = f.rest("PUT", f"/api/resource/TA Programme/{name}", headers=auth, json={"status": "Approved"})
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:300])
		message = server_message(response)
		header = FR["{0} cannot be approved yet:"].split("{0}")[-1].strip()
		self.assertIn(header, message)
		self.assertIn(FR["OHCHR endorsement"], message)
		self.assertNotIn("cannot be approved yet", message)
		self.assertEqual(frappe.db.get_value("TA Programme", name, "status"), "Under Review")

	def test_the_trainer_conflict_arrives_in_french(self):
		programme = f.approved("Conflict in French _test")
		trainer = f.trainer(f"t{frappe.generate_hash(length=6)}@tests.ta.example", full_name="Ada Lovelace")

		def scheduled(start, end):
			return f.activity_doc(
				programme, title=f"Session {frappe.generate_hash(length=5)}", status="Scheduled", start=start, end=end,
				trainers=[{"trainer": trainer, "hours": 3}],
			).insert()

		first = scheduled("2026-05-05 09:00", "2026-05-05 12:00")
		with f.as_user(self.officer):
			frappe.set_user_lang(self.officer)  # as the desk's session does for a French user
			try:
				with self.assertRaises(TrainerConflictError) as e:
					scheduled("2026-05-05 11:00", "2026-05-05 15:00")
			finally:
				frappe.local.lang = "en"
		message = str(e.exception)
		template = FR["Trainer {0} is already booked: {1}, session {2}, {3} – {4}."]
		self.assertIn(template.split("{0}")[0].strip(), message)
		self.assertIn("Ada Lovelace", message)
		self.assertIn(first.name, message)
		self.assertNotIn("is already booked", message)

	def test_a_notification_reaches_each_reader_in_their_language(self):
		from ta_programmes import oversight

		english = f.user("reader-en@tests.ta.example", "TA Programme Officer")
		frappe.db.set_value("User", english, "language", "en")
		spanish = speaker("lector@tests.ta.example", "es", "TA Programme Officer")
		doc = frappe.get_doc("TA Programme", f.programme(title="Notified _test"))
		oversight.notify([english, spanish, self.officer], reason(N_("Programme {0} awaits your sign-off"), doc.title), doc)

		def subject(user):
			return frappe.get_all(
				"Notification Log", filters={"for_user": user, "document_name": doc.name}, pluck="subject", limit=1
			)[0]

		self.assertEqual(subject(english), f"Programme {doc.title} awaits your sign-off")
		self.assertEqual(subject(spanish), ES["Programme {0} awaits your sign-off"].format(doc.title))
		self.assertEqual(subject(self.officer), FR["Programme {0} awaits your sign-off"].format(doc.title))


class TestPublicOutputsInTheVisitorsLanguage(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.state("Kenya", "African")
		cls.programme = f.approved("Cyber capacity _test")
		frappe.db.set_value(
			"TA Programme", cls.programme,
			{"summary": "Training for investigators _test", "title_es": "Capacidad cibernética _test", "summary_es": "Formación para investigadores _test",
			 "title_ar": "القدرات السيبرانية _test"},
		)
		frappe.db.set_single_value("TA Transparency Settings", "public_page_enabled", 1)
		frappe.db.commit()
		from ta_programmes import transparency as T

		T.clear_public_cache()

	def page(self, query: str = "", **headers) -> str:
		response = f.rest("GET", "/transparency" + query, headers=headers)
		self.assertEqual(response.status_code, 200)
		return response.get_data(as_text=True)

	def test_the_page_speaks_spanish_to_a_spanish_browser(self):
		html = self.page(**{"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
		self.assertIn(f"<h1>{ES['Technical Assistance Delivered']}</h1>", html)
		self.assertIn(ES["Approved programmes"], html)
		self.assertIn('lang="es"', html)
		self.assertIn("Capacidad cibernética _test", html)  # the title as written in Spanish
		self.assertIn("Formación para investigadores _test", html)
		self.assertNotIn("<h1>Technical Assistance Delivered</h1>", html)

	def test_a_text_without_a_version_in_the_language_falls_back_to_the_original(self):
		html = self.page("?_lang=fr")
		self.assertIn(f"<h1>{FR['Technical Assistance Delivered']}</h1>", html)
		self.assertIn(frappe.db.get_value("TA Programme", self.programme, "title"), html)
		self.assertIn("Training for investigators _test", html)

	def test_the_switch_keeps_the_filters_and_arabic_reads_right_to_left(self):
		html = self.page("?regional_group=African&_lang=ar")
		self.assertIn('dir="rtl"', html)
		self.assertIn(AR["Technical Assistance Delivered"], html)
		self.assertIn("القدرات السيبرانية _test", html)
		for lang in ("en", "fr", "es"):
			self.assertIn(f'href="/transparency?regional_group=African&amp;_lang={lang}"', html)
		self.assertIn('<input type="hidden" name="_lang" value="ar">', html)  # the filter form keeps the language
		self.assertIn("public_pdf?regional_group=African&amp;_lang=ar", html)  # and so do the downloads

	def test_dates_and_numbers_follow_the_language(self):
		from ta_programmes.core import l10n

		start, end = frappe.db.get_value("TA Programme", self.programme, ["planned_start", "planned_end"])
		self.assertIn(l10n.period(start, end, "fr"), self.page("?_lang=fr"))
		self.assertIn(l10n.period(start, end, "es"), self.page("?_lang=es"))

	def test_the_csv_speaks_the_visitors_language(self):
		response = f.rest("GET", "/api/method/ta_programmes.api.transparency.public_csv?_lang=es")
		self.assertEqual(response.status_code, 200)
		text = response.get_data(as_text=True)
		self.assertIn(ES["Approved programmes"], text)
		self.assertIn(ES["By beneficiary state"], text)

	def test_the_pdf_in_arabic_extracts_in_logical_order(self):
		from pypdf import PdfReader

		response = f.rest("GET", "/api/method/ta_programmes.api.transparency.public_pdf?_lang=ar")
		self.assertEqual(response.status_code, 200)
		pages = PdfReader(io.BytesIO(response.data)).pages
		text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in pages))
		for source in ("Technical Assistance Delivered", "Summary", "Methodology"):
			self.assertIn(unicodedata.normalize("NFKC", AR[source]), text, source)
		self.assertNotIn("Technical Assistance Delivered", text)

	def test_the_iati_file_carries_every_language_a_text_is_written_in(self):
		from lxml import etree

		response = f.rest("GET", "/api/method/ta_programmes.api.iati.activities")
		self.assertEqual(response.status_code, 200)
		root = etree.fromstring(response.data)
		lang = "{http://www.w3.org/XML/1998/namespace}lang"
		activity = next(a for a in root.iter("iati-activity") if a.findtext("iati-identifier").endswith(self.programme))
		titles = {n.get(lang): n.text for n in activity.find("title").iter("narrative")}
		title = frappe.db.get_value("TA Programme", self.programme, "title")
		self.assertEqual(titles, {None: title, "es": "Capacidad cibernética _test", "ar": "القدرات السيبرانية _test"})
		descriptions = {n.get(lang): n.text for n in activity.find("description").iter("narrative")}
		self.assertEqual(descriptions, {None: "Training for investigators _test", "es": "Formación para investigadores _test"})
		marker = {n.get(lang) for n in activity.find("policy-marker").iter("narrative")}
		self.assertEqual(marker, {None, "fr", "es", "ar"})  # the app's own wording, in all its languages


class TestPublicTextsInEveryLanguage(FrappeTestCase):
	"""A text only one language reads is watched like the others: direction overrides are removed,
	and a change to a published programme's public texts is recorded and told to its overseers."""

	def test_direction_overrides_are_removed_from_public_texts(self):
		name = f.programme(title="Direction _test")
		doc = frappe.get_doc("TA Programme", name)
		doc.title_ar = "\u202eبرنامج\u202c IATI"
		doc.summary_fr = "Texte \u2066isolé\u2069"
		doc.save()
		self.assertEqual(frappe.db.get_value("TA Programme", name, "title_ar"), "برنامج IATI")
		self.assertEqual(frappe.db.get_value("TA Programme", name, "summary_fr"), "Texte isolé")

	def test_a_change_to_a_published_programmes_public_texts_is_recorded_and_told(self):
		cast = f.oversight_cast()
		name = f.approved("Published texts _test")
		manager = f.MANAGER
		frappe.db.delete("Notification Log", {"document_name": name})
		doc = frappe.get_doc("TA Programme", name)
		doc.summary_ar = "ملخص جديد"
		doc.save()
		comments = frappe.get_all(
			"Comment", filters={"reference_name": name, "comment_type": "Info"}, pluck="content", order_by="creation desc", limit=3
		)
		self.assertTrue(any("Public Summary (Arabic)" in c for c in comments), comments)
		told = set(frappe.get_all("Notification Log", filters={"document_name": name}, pluck="for_user"))
		self.assertIn(manager, told)
		self.assertIn(cast["ohchr"], told)  # a reviewer of the programme

	def test_a_draft_programmes_texts_change_quietly(self):
		name = f.programme(title="Quiet draft _test")
		doc = frappe.get_doc("TA Programme", name)
		doc.title_fr = "Brouillon"
		doc.save()
		self.assertFalse(frappe.get_all("Notification Log", filters={"document_name": name}))
