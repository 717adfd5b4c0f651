"""Browser test: a French-speaking officer works in French through the programme form (writing the
French version of a public title and summary) and the calendar, and meets the trainer conflict in
French; the public page in English, French, Spanish and Arabic (right to left), switched with its
language links, which keep the filters. Screenshots: tests/browser/screenshots/language-*.png.
Run by tests/browser-tests (TA_BROWSER_URL, TA_BROWSER_LANGUAGES: JSON from browser_setup)."""

import csv
import json
import os
from pathlib import Path

import pytest

from tests.browser.test_oversight_flow import URL, browser, login, shot  # noqa: F401 (fixture)

DATA = json.loads(os.environ.get("TA_BROWSER_LANGUAGES") or "{}")
TRANSLATIONS = Path(__file__).resolve().parents[2] / "apps" / "ta_programmes" / "ta_programmes" / "translations"

pytestmark = pytest.mark.skipif(not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)")


def translations(lang: str) -> dict[str, str]:
	with (TRANSLATIONS / f"{lang}.csv").open(newline="", encoding="utf-8") as fh:
		return {row[0]: row[1] for row in csv.reader(fh) if row}


FR = translations("fr")


def test_a_french_speaking_officer_works_in_french(browser):  # noqa: F811
	page = login(browser, DATA["officer"], DATA["password"])

	# 1. The programme form speaks French: labels, sections, the status as shown.
	page.goto(f"{URL}/app/ta-programme/{DATA['draft']}")
	page.wait_for_function("(n) => window.cur_frm && cur_frm.doc.name === n", arg=DATA["draft"])
	assert page.evaluate("() => frappe.boot.lang") == "fr"
	form = page.locator(".form-layout")
	for label in ("Planned Start", "Beneficiary States", "Objectives"):
		assert form.get_by_text(FR[label], exact=True).first.is_visible(), label
	page.get_by_text(FR["Public Summary and Translations"], exact=True).click()
	page.evaluate(
		"""async () => {
			await cur_frm.set_value('title_fr', 'Prévention de la cybercriminalité');
			await cur_frm.set_value('summary_fr', 'Des campagnes de sensibilisation pour les écoles et les PME.');
		}"""
	)
	page.keyboard.press("Control+s")
	page.wait_for_function("() => !cur_frm.is_dirty()")
	shot(page, "language-1-programme-form-fr")

	# 2. The calendar of activities, in French (Frappe's own words and the app's).
	page.goto(f"{URL}/app/ta-activity/view/calendar/default")
	page.locator(".fc").wait_for()
	page.evaluate("(d) => cur_list.calendar.$cal.fullCalendar('gotoDate', d)", DATA["day"])
	page.get_by_text(f"Atelier {DATA['suffix']}").first.wait_for()
	assert page.get_by_text(FR["TA Activity"], exact=True).first.is_visible()
	shot(page, "language-2-calendar-fr")

	# 3. Booking the busy trainer at the same time is refused, in French.
	page.goto(f"{URL}/app/ta-activity/new")
	page.wait_for_function("() => window.cur_frm && cur_frm.doctype === 'TA Activity' && cur_frm.doc.__islocal", timeout=60_000)
	page.evaluate(
		"""async (d) => {
			await cur_frm.set_value('programme', d.approved);
			await cur_frm.set_value('title', 'Clinique ' + d.suffix);
			await cur_frm.set_value('activity_type', 'Training');
			await cur_frm.set_value('thematic_area', 'Digital Forensics');
			await cur_frm.set_value('beneficiary_state', 'Kenya');
			await cur_frm.set_value('time_zone', 'Africa/Nairobi');
			await cur_frm.set_value('delivery_mode', 'Online');
			await cur_frm.set_value('online_link', 'https://meet.example.org/clinique');
			cur_frm.clear_table('sessions');
			cur_frm.add_child('sessions', {start: d.day + ' 10:00:00', end: d.day + ' 11:30:00'});
			cur_frm.add_child('trainers', {trainer: d.busy, role: 'Lead', hours: 1.5});
			cur_frm.refresh_fields();
			await cur_frm.set_value('status', 'Scheduled');
		}""",
		DATA,
	)
	page.keyboard.press("Control+s")
	message = page.locator(".modal:visible .msgprint")
	message.wait_for()
	text = message.inner_text()
	shot(page, "language-3-conflict-fr")
	assert DATA["busy_name"] in text
	assert FR["Trainer {0} is already booked: {1}, session {2}, {3} – {4}."].split("{0}")[0].strip() in text
	assert "already booked" not in text


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar"])
def test_the_public_page_in_each_language(browser, lang):  # noqa: F811
	context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
	page = context.new_page()
	page.goto(f"{URL}/transparency?regional_group=African")
	# The switch: a link per language, keeping the filter.
	if lang != "en":
		page.locator(f".ta-languages a[hreflang='{lang}']").click()
		page.wait_for_url(f"**_lang={lang}**")
	assert "regional_group=African" in page.url
	assert page.evaluate("() => document.documentElement.getAttribute('lang')") == lang
	assert page.evaluate("() => document.documentElement.getAttribute('dir')") == ("rtl" if lang == "ar" else "ltr")
	heading = page.locator("h1").first.inner_text().strip()
	expected = "Technical Assistance Delivered" if lang == "en" else translations(lang)["Technical Assistance Delivered"]
	assert heading == expected
	title = {"en": "Digital evidence", "fr": "Preuves numériques", "es": "Pruebas digitales", "ar": "الأدلة الرقمية"}[lang]
	page.get_by_text(f"{title} {DATA['suffix']}").first.scroll_into_view_if_needed()
	if lang == "ar":
		# Right to left: the heading's right edge is near the page's right edge.
		box = page.locator("h1").first.bounding_box()
		width = page.evaluate("() => document.documentElement.clientWidth")
		assert box["x"] + box["width"] > width * 0.6
	page.evaluate("() => window.scrollTo(0, 0)")
	shot(page, f"language-public-{lang}")
	context.close()
