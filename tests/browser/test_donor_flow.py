"""Browser test: a donor logs in, opens "Programmes we fund", follows the link to a programme it
funds, reads its figures, and downloads its statement for a period (a PDF). The programme page
(in English and Arabic) and the list of programmes pass axe-core (axe-playwright-python) on a
phone and on a desktop with no serious or critical violation. Run by tests/browser-tests
(TA_BROWSER_URL, TA_BROWSER_DONOR: JSON printed by ta_programmes.tests.test_donor_pages.browser_data)."""

import json
import os

import pytest

from tests.browser.test_oversight_flow import URL, browser, shot  # noqa: F401 (fixture)

DATA = json.loads(os.environ.get("TA_BROWSER_DONOR") or "{}")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

pytestmark = pytest.mark.skipif(
	not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)"
)


def donor_page(browser, viewport="desktop"):  # noqa: F811
	context = browser.new_context(viewport=VIEWPORTS[viewport], accept_downloads=True)
	page = context.new_page()
	page.set_default_timeout(30_000)
	page.goto(f"{URL}/login")
	page.fill("#login_email", DATA["donor_user"])
	page.fill("#login_password", DATA["password"])
	page.click(".btn-login")
	page.wait_for_load_state("networkidle")
	return page


def test_a_donor_opens_a_funded_programme_and_downloads_its_statement(browser, tmp_path):  # noqa: F811
	page = donor_page(browser)
	try:
		page.goto(f"{URL}/my-programmes")
		assert DATA["other_title"] not in page.content()
		page.get_by_role("link", name=DATA["title"]).click()
		page.wait_for_url(f"**/my-programmes/{DATA['programme']}")
		assert page.locator("h1").inner_text().strip() == DATA["title"]
		assert page.locator("[data-ta=commitment]").inner_text().strip() == "$70,000.00"
		assert page.locator("[data-ta=spent]").inner_text().strip() == "$2,400.00"
		assert page.locator("[data-ta=ours]").inner_text().startswith("$1,680.00")
		assert "<5" not in page.locator("[data-ta=by-year]").inner_text()  # the small count is within 2026
		shot(page, "donor-1-programme-page")

		page.fill("#ta-statement-from", "2026-01")
		page.fill("#ta-statement-to", "2026-12")
		with page.expect_download() as info:
			page.get_by_role("button", name="Download the statement (PDF)").click()
		download = info.value
		path = tmp_path / "statement.pdf"
		download.save_as(path)
		content = path.read_bytes()
		assert content.startswith(b"%PDF"), content[:200]
		assert download.suggested_filename == "donor-statement-2026-01-2026-12.pdf"

		# a programme the donor does not fund: refused, without its title
		response = page.goto(f"{URL}/my-programmes/{DATA['programme']}-NOT-FUNDED")
		assert response.status == 403
		assert "does not fund this one" in page.content()
	finally:
		page.context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(
	"path", ["/my-programmes/{programme}", "/my-programmes/{programme}?_lang=ar", "/my-programmes"]
)
def test_the_donor_pages_have_no_serious_or_critical_accessibility_violation(browser, path, viewport):  # noqa: F811
	from axe_playwright_python.sync_playwright import Axe

	page = donor_page(browser, viewport)
	try:
		response = page.goto(URL + path.format(**DATA))
		assert response.status == 200
		page.wait_for_load_state("networkidle")
		violations = [
			v
			for v in Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
			if v["impact"] in ("serious", "critical")
		]
		if violations:
			shot(page, f"donor-a11y-{path.count('/')}-{viewport}")
		assert not violations, "\n".join(
			f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes'][:5]]}"
			for v in violations
		)
	finally:
		page.context.close()
