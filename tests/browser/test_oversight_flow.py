"""Browser test (Playwright driving Debian's chromium; no browser download):
a civil-society reviewer logs into the desk, finds the programme under "Awaiting My Sign-off",
submits an endorsement; the programme manager then approves it. Screenshots go to
tests/browser/screenshots/.

Run by tests/browser-tests, which starts the site's web server and prepares the data; it sets
TA_BROWSER_URL and TA_BROWSER_DATA (the JSON printed by ta_programmes.tests.browser_setup).
"""

import json
import os
from pathlib import Path

import pytest

URL = os.environ.get("TA_BROWSER_URL")
DATA = json.loads(os.environ.get("TA_BROWSER_DATA") or "{}")
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)")


@pytest.fixture(scope="module")
def browser():
	from playwright.sync_api import sync_playwright

	with sync_playwright() as p:
		b = p.chromium.launch(
			executable_path=CHROMIUM,
			args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				  "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
		)
		yield b
		b.close()


def login(browser, user, password=None):
	context = browser.new_context(viewport={"width": 1366, "height": 900})
	page = context.new_page()
	page.set_default_timeout(30_000)
	page.goto(f"{URL}/login")
	page.fill("#login_email", user)
	page.fill("#login_password", password or DATA["password"])
	page.click(".btn-login")
	page.wait_for_url("**/app**")
	return page


def shot(page, name):
	SHOTS.mkdir(exist_ok=True)
	page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def wait_for_form(page, doctype):
	page.wait_for_function(
		"(dt) => window.cur_frm && cur_frm.doctype === dt && !cur_frm.is_dirty() !== undefined", arg=doctype
	)


def test_reviewer_endorses_and_manager_approves(browser):
	programme, title = DATA["programme"], DATA["title"]

	# 1. The civil-society reviewer finds the programme under "Awaiting My Sign-off".
	page = login(browser, DATA["reviewer"])
	page.goto(f"{URL}/app/query-report/Awaiting My Sign-off")
	row = page.locator(".dt-scrollable").get_by_text(programme)
	row.wait_for()
	shot(page, "1-awaiting-my-sign-off")

	# 2. Opens it, and records an endorsement from the form's Oversight menu.
	page.goto(f"{URL}/app/ta-programme/{programme}")
	page.locator(".ta-checklist").wait_for()
	shot(page, "2-programme-checklist-before")
	page.get_by_role("button", name="Oversight").click()
	page.get_by_role("link", name="Sign Off").click()
	page.wait_for_function("() => window.cur_frm && cur_frm.doctype === 'TA Oversight Sign-off' && cur_frm.doc.programme")
	page.evaluate(
		"""([org]) => Promise.all([
			cur_frm.set_value('kind', 'Civil Society'),
			cur_frm.set_value('organisation', org),
			cur_frm.set_value('decision', 'Endorse'),
			cur_frm.set_value('coi_declaration', 'I have no conflict of interest with this programme'),
		])""",
		[DATA["organisation"]],
	)
	page.keyboard.press("Control+s")
	page.wait_for_function("() => cur_frm && !cur_frm.is_new() && cur_frm.doc.docstatus === 0")
	page.get_by_role("button", name="Submit").first.click()
	page.get_by_role("button", name="Yes").click()
	page.wait_for_function("() => cur_frm && cur_frm.doc.docstatus === 1")
	shot(page, "3-endorsement-submitted")
	page.context.close()

	# 3. The manager approves through the workflow; the checklist is all green.
	page = login(browser, DATA["manager"])
	page.goto(f"{URL}/app/ta-programme/{programme}")
	page.locator(".ta-checklist").wait_for()
	page.get_by_role("button", name="Actions").click()
	page.get_by_role("link", name="Approve").click()
	confirm = page.get_by_role("button", name="Yes")
	if confirm.count():
		confirm.click()
	page.wait_for_function("() => cur_frm && cur_frm.doc.status === 'Approved'")
	page.locator(".ta-checklist").wait_for()
	shot(page, "4-approved-by-manager")
	assert page.locator(".ta-oversight .alert-success").count() == 1
	assert title in page.content()
	page.context.close()
