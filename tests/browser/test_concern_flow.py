"""Browser test of the whole concern journey: someone without an account reports a concern from
a phone (a disguised program is refused and what they typed stays), gets a case reference and a
secret link, follows the case and adds information; an OHCHR reviewer assesses it in the desk as
founded; the reporter's link shows the outcome, and the programme manager sees the programme
flagged. Run by tests/browser-tests (TA_BROWSER_URL, TA_BROWSER_CONCERNS from browser_setup)."""

import json
import os

import pytest

from tests.browser.test_oversight_flow import URL, browser, login, shot  # noqa: F401 (fixture)

DATA = json.loads(os.environ.get("TA_BROWSER_CONCERNS") or "{}")
ACCOUNT = "Officers trained in mobile forensics unlocked two journalists' phones at the border without a warrant."
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 16

pytestmark = pytest.mark.skipif(not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)")


def test_a_concern_reported_from_a_phone_is_assessed_founded_and_flags_the_programme(browser):  # noqa: F811
	# 1. A reporter, on a phone, without an account.
	phone = browser.new_context(viewport={"width": 390, "height": 844})
	page = phone.new_page()
	page.set_default_timeout(30_000)
	page.goto(f"{URL}/report-concern")
	page.select_option("#programme", DATA["programme"])
	page.fill("#what_happened", ACCOUNT)
	page.fill("#happened_on", "2026-10-12")
	page.set_input_files("#evidence", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"MZ\x90\x00 not a photo"}])
	page.click("#concern-send")
	error = page.locator("#concern-error")
	error.wait_for(state="visible")
	assert "program or a script" in error.inner_text()
	assert page.input_value("#what_happened") == ACCOUNT  # nothing typed is lost
	shot(page, "concern-1-file-refused")

	# 2. With a real picture it is received: a case reference and a secret link.
	page.set_input_files("#evidence", files=[{"name": "border.png", "mimeType": "image/png", "buffer": PNG}])
	page.click("#concern-send")
	page.locator("#concern-done").wait_for(state="visible")
	reference = page.locator("#concern-ref").inner_text()
	link = page.locator("#concern-link").get_attribute("href")
	assert reference.startswith("CR-") and "token=" in link
	shot(page, "concern-2-received")

	# 3. The link shows the case; the reporter adds information.
	page.goto(link)
	assert reference in page.locator("#concern-case").inner_text()
	assert "Received" in page.locator("#concern-stage").inner_text()
	page.fill("#information", "The unit's commander signed the order; I kept a copy.")
	page.click("#info-send")
	page.locator("#info-done").wait_for(state="visible")
	assert page.locator("#concern-added").inner_text() == "1"
	shot(page, "concern-3-information-added")

	# 4. An OHCHR reviewer assesses it in the desk: founded.
	desk = login(browser, DATA["ohchr"], DATA["password"])
	desk.goto(f"{URL}/app/ta-concern-report/{reference}")
	desk.wait_for_function("(n) => window.cur_frm && cur_frm.doc.name === n", arg=reference)
	assert ACCOUNT in desk.evaluate("() => cur_frm.doc.what_happened")
	assert desk.evaluate("() => cur_frm.doc.updates.length") == 1
	desk.evaluate(
		"""async (state) => {
			await cur_frm.set_value('beneficiary_state', state);
			await cur_frm.set_value('status', 'Assessed');
			await cur_frm.set_value('outcome', 'Founded');
			await cur_frm.set_value('outcome_reasons', 'Confirmed by two accredited organisations and the border authority records.');
		}""",
		DATA["state"],
	)
	desk.keyboard.press("Control+s")
	desk.wait_for_function("() => cur_frm && !cur_frm.is_dirty() && cur_frm.doc.assessed_by")
	shot(desk, "concern-4-assessed-founded")
	desk.context.close()

	# 5. The reporter's link shows the outcome, never the reasons.
	page.goto(link)
	assert "Founded" in page.locator("#concern-outcome").inner_text()
	assert "border authority" not in page.content()
	shot(page, "concern-5-reporter-sees-outcome")
	phone.close()

	# 6. The programme manager finds the programme flagged: the gate needs a new review and sign-offs.
	manager = login(browser, DATA["manager"], DATA["password"])
	manager.goto(f"{URL}/app/ta-programme/{DATA['programme']}")
	manager.wait_for_function("(n) => window.cur_frm && cur_frm.doc.name === n", arg=DATA["programme"])
	assert reference in (manager.evaluate("() => cur_frm.doc.gate_alert") or "")
	shot(manager, "concern-6-programme-flagged")
	manager.context.close()
