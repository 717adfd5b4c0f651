"""Browser test (Playwright driving Debian's chromium; no browser download): a civil-society
reviewer opens the programme's form, downloads its approval dossier with the form's "Approval
dossier" button and gets a PDF holding the programme's scope, its human-rights review, its
sign-offs, the gate's decision and the timeline; the same dossier opens in the print view.
Screenshots go to tests/browser/screenshots/.

Run by tests/browser-tests on the data of ta_programmes.tests.browser_setup.prepare (a programme
under review with its review and an OHCHR endorsement), passed in TA_BROWSER_DATA.
"""

import io
import json
import os
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

import pytest

URL = os.environ.get("TA_BROWSER_URL")
DATA = json.loads(os.environ.get("TA_BROWSER_DATA") or "{}")
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
	not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)"
)


@pytest.fixture(scope="module")
def browser():
	from playwright.sync_api import sync_playwright

	with sync_playwright() as p:
		b = p.chromium.launch(
			executable_path=CHROMIUM,
			args=[
				"--headless",
				"--no-sandbox",
				"--disable-gpu",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
				"--disable-quic",
				"--no-first-run",
			],
		)
		yield b
		b.close()


def login(browser, user):
	context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
	page = context.new_page()
	page.set_default_timeout(60_000)
	page.goto(f"{URL}/login")
	page.fill("#login_email", user)
	page.fill("#login_password", DATA["password"])
	page.click(".btn-login")
	page.wait_for_url("**/app**")
	return page


def shot(page, name):
	SHOTS.mkdir(exist_ok=True)
	page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def pdf_text(content: bytes) -> str:
	from pypdf import PdfReader

	text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
	return " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures (ﬁ, ﬂ) back to letters


def test_reviewer_downloads_the_approval_dossier(browser):
	programme, title = DATA["programme"], DATA["title"]
	page = login(browser, DATA["reviewer"])

	# 1. The reviewer opens the programme; the form offers the dossier.
	page.goto(f"{URL}/app/ta-programme/{programme}")
	page.wait_for_function(
		"(name) => window.cur_frm && cur_frm.doc && cur_frm.doc.name === name", arg=programme
	)
	button = page.get_by_role("button", name="Approval dossier")
	button.wait_for()
	shot(page, "dossier-1-programme-form")

	# 2. The button downloads the dossier as a PDF.
	with page.expect_download() as download:
		button.click()
	pdf = Path(download.value.path()).read_bytes()
	assert pdf[:4] == b"%PDF", pdf[:200]
	text = pdf_text(pdf)
	for expected in (
		"Approval dossier",
		title,
		"Human-rights review",
		"Police cybercrime unit; vetting in place.",  # the review's rationale (browser_setup)
		"Sign-offs",
		"ohchr@tests.ta.example",  # the OHCHR endorsement
		"The gate's decision",
		"Timeline of decisions",
		"Sign-off submitted",
	):
		assert expected in text, (expected, text[:2000])
	assert "Not included" not in text  # a reviewer may read every part

	# 3. The same dossier in the print view.
	query = urlencode(
		{"doctype": "TA Programme", "name": programme, "format": "TA Approval Dossier", "no_letterhead": 1}
	)
	page.goto(f"{URL}/printview?{query}")
	page.locator(".ta-dossier").wait_for()
	assert page.locator(".ta-part-decision").count() == 1
	assert page.locator(".ta-signoff").count() >= 1
	shot(page, "dossier-3-print-view")
	page.context.close()
