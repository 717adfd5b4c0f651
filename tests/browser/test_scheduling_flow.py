"""Browser test: an officer creates a two-week recurring training, sees it on the calendar, uses
"Find Trainers", and gets a readable conflict message when double-booking. Run by
tests/browser-tests (TA_BROWSER_URL, TA_BROWSER_SCHEDULING: JSON from browser_setup)."""

import json
import os

import pytest

from tests.browser.test_oversight_flow import URL, browser, login, shot  # noqa: F401 (fixture)

DATA = json.loads(os.environ.get("TA_BROWSER_SCHEDULING") or "{}")

pytestmark = pytest.mark.skipif(not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)")


def test_officer_schedules_a_recurring_training(browser):  # noqa: F811
	page = login(browser, DATA["officer"], DATA["password"])
	title = f"Forensics clinic {DATA['suffix']}"

	# 1. A new activity, its sessions generated from a rule: Tuesdays and Thursdays for two weeks.
	page.goto(f"{URL}/app/ta-activity/new")
	page.wait_for_function("() => window.cur_frm && cur_frm.doctype === 'TA Activity' && cur_frm.doc.__islocal", timeout=60_000)
	page.evaluate(
		"""async (d) => {
			await cur_frm.set_value('programme', d.programme);
			await cur_frm.set_value('title', d.title);
			await cur_frm.set_value('activity_type', 'Training');
			await cur_frm.set_value('thematic_area', 'Digital Forensics');
			await cur_frm.set_value('beneficiary_state', 'Kenya');
			await cur_frm.set_value('time_zone', 'Africa/Nairobi');
			await cur_frm.set_value('venue', 'Cyber Lab');
			await cur_frm.set_value('city', 'Nairobi');
		}""",
		{"programme": DATA["programme"], "title": title},
	)
	page.get_by_role("button", name="Schedule").click()
	page.get_by_role("link", name="Generate Sessions").click()
	dialog = page.locator(".modal:visible")
	dialog.locator("input[data-fieldname='first_day']").fill(_user_date(page, DATA["first_day"]))
	dialog.locator("input[data-fieldname='until']").fill(_user_date(page, DATA["until"]))
	dialog.locator("input[data-fieldname='weekdays']").fill("TU,TH")
	dialog.get_by_role("button", name="Generate").click()
	page.wait_for_function("() => (cur_frm.doc.sessions || []).length === 4")
	page.keyboard.press("Control+s")
	page.wait_for_function("() => !cur_frm.is_new() && !cur_frm.is_dirty()")
	shot(page, "5-recurring-training-saved")
	name = page.evaluate("() => cur_frm.doc.name")

	# 2. It shows on the calendar, in the week of its first session.
	page.goto(f"{URL}/app/ta-activity/view/calendar/default")
	page.locator(".fc").wait_for()
	page.evaluate("(d) => cur_list.calendar.$cal.fullCalendar('gotoDate', d)", DATA["first_day"])
	page.get_by_text(title).first.wait_for()
	shot(page, "6-calendar")

	# 3. Find Trainers ranks the free expert; add them.
	page.goto(f"{URL}/app/ta-activity/{name}")
	page.wait_for_function("(n) => cur_frm && cur_frm.doc.name === n", arg=name)
	page.get_by_role("button", name="Schedule").click()
	page.get_by_role("link", name="Find Trainers").click()
	ranked = page.locator(".ta-ranked")
	ranked.get_by_text(DATA["free_name"]).wait_for()
	shot(page, "7-find-trainers")
	ranked.locator(f"button[data-trainer='{DATA['free']}']").click()
	page.wait_for_function("(t) => (cur_frm.doc.trainers || []).some(r => r.trainer === t) && !cur_frm.is_dirty()", arg=DATA["free"])

	# 4. Double-booking the busy trainer is refused with a readable message.
	page.evaluate("(t) => { cur_frm.add_child('trainers', {trainer: t, role: 'Co-trainer', hours: 3}); cur_frm.refresh_field('trainers'); }", DATA["busy"])
	page.keyboard.press("Control+s")
	message = page.locator(".modal:visible .msgprint")
	message.wait_for()
	text = message.inner_text()
	shot(page, "8-conflict-message")
	assert DATA["busy_name"] in text and "already booked" in text


def _user_date(page, iso: str) -> str:
	"""The date as the desk expects it typed (the user's date format)."""
	return page.evaluate("(d) => frappe.datetime.str_to_user(d)", iso)
