"""Browser test: an M&E officer records an indicator's actual in the desk and sees it in the
programme's indicator tracking table; a trainee answers a follow-up through the one-time link
without logging in, and the same link then leads to a page saying it was used. Run by
tests/browser-tests (TA_BROWSER_URL, TA_BROWSER_RESULTS: JSON from browser_setup)."""

import json
import os

import pytest

from tests.browser.test_oversight_flow import URL, browser, login, shot  # noqa: F401 (fixture)

DATA = json.loads(os.environ.get("TA_BROWSER_RESULTS") or "{}")

pytestmark = pytest.mark.skipif(not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)")


def test_me_officer_records_an_actual_and_a_trainee_answers_a_follow_up(browser):  # noqa: F811
	# 1. The M&E officer records the 2026 actual of the outcome indicator, with its evidence.
	page = login(browser, DATA["mne"], DATA["password"])
	page.goto(f"{URL}/app/ta-indicator-actual/new")
	page.wait_for_function("() => window.cur_frm && cur_frm.doctype === 'TA Indicator Actual' && cur_frm.doc.__islocal", timeout=60_000)
	page.evaluate(
		"""async (d) => {
			await cur_frm.set_value('indicator', d.indicator);
			await cur_frm.set_value('period', '2026');
			await cur_frm.set_value('value', 17);
			await cur_frm.set_value('evidence_link', 'https://evidence.example.org/case-files-2026');
		}""",
		DATA,
	)
	page.keyboard.press("Control+s")
	page.wait_for_function("() => cur_frm && !cur_frm.is_new() && cur_frm.doc.recorded_by", timeout=30_000)
	assert page.evaluate("() => cur_frm.doc.recorded_by") == DATA["mne"]
	shot(page, "results-1-actual-recorded")

	# 2. The programme form shows it in the indicator tracking table, with % of target.
	page.goto(f"{URL}/app/ta-programme/{DATA['programme']}")
	table = page.locator("[data-fieldname='results_html'] table")
	table.wait_for(timeout=30_000)
	row = table.locator("tr", has_text=DATA["indicator_code"]).filter(has_text="2026")
	assert "17" in row.inner_text() and "83.3%" in row.inner_text()  # baseline 2, target 20
	row.scroll_into_view_if_needed()
	shot(page, "results-2-indicator-tracking")
	page.context.close()

	# 3. A trainee opens the link from the e-mail, without an account, and answers.
	context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
	trainee = context.new_page()
	trainee.goto(f"{URL}{DATA['path']}")
	trainee.locator("select[data-fieldname='applied_skill']").wait_for(timeout=30_000)
	trainee.select_option("select[data-fieldname='applied_skill']", "Yes")
	trainee.fill("input[data-fieldname='cases']", "4")
	shot(trainee, "results-3-follow-up-form")
	trainee.click("button.submit-btn")
	trainee.locator(".success-page").wait_for(state="visible", timeout=30_000)
	assert "without your name" in trainee.locator(".success-message").inner_text()
	shot(trainee, "results-4-follow-up-thanks")

	# 4. The same link again: a clear page, nothing recorded twice.
	trainee.goto(f"{URL}{DATA['path']}")
	trainee.wait_for_url("**/follow-up-link**")
	assert "already been used" in trainee.content()
	shot(trainee, "results-5-link-used")
	context.close()
