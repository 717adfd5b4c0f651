"""Accessibility (WCAG 2.1 AA, checked by axe-core from the PyPI package axe-playwright-python, in
Debian's chromium): every public page and web form of the app, on a phone and on a desktop, has no
serious or critical violation. The pages are generated from the app itself (its www/ pages and web
forms; a new one without an entry here fails ``test_every_public_page_is_checked``). On a failure
the violations are printed: rule, impact, help and the elements at fault.

Run by tests/browser-tests (TA_BROWSER_URL, TA_BROWSER_ACCESSIBILITY: JSON from
ta_programmes.tests.browser_setup.prepare_accessibility)."""

import json
import os
from pathlib import Path

import pytest

from tests.browser.test_oversight_flow import URL, browser, shot  # noqa: F401 (fixture)

DATA = json.loads(os.environ.get("TA_BROWSER_ACCESSIBILITY") or "{}")
APP = Path(__file__).resolve().parents[2] / "apps" / "ta_programmes" / "ta_programmes"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
FAILING = ("serious", "critical")

# name -> (what the page is built from: a www/ page or a web form, the path to open, who opens it)
PAGES = {
	"transparency": ("www/transparency", "/transparency", None),
	"transparency-filtered": ("www/transparency", "/transparency?regional_group=African&category=Enforcement", None),
	"transparency-ar": ("www/transparency", "/transparency?_lang=ar", None),
	"transparency-fr": ("www/transparency", "/transparency?_lang=fr", None),
	"my-programmes": ("www/my_programmes", "/my-programmes", "donor"),
	"my-programme": ("www/my_programme", "/my-programmes/{programme}", "donor"),
	"oversight-meetings": ("www/oversight_meetings", "/oversight-meetings", None),
	"report-concern": ("www/report_concern", "/report-concern", None),
	"report-concern-ar": ("www/report_concern", "/report-concern?_lang=ar", None),
	"concern-status": ("www/concern_status", "{concern_link}", None),
	"follow-up-link": ("www/follow_up_link", "/follow-up-link?reason=used", None),
	"follow-up": ("web_form/follow_up", "{follow_up_path}", None),
	"accreditation": ("web_form/accreditation", "/accreditation/new", None),
}

pytestmark = pytest.mark.skipif(not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)")


def sources() -> set[str]:
	"""The app's public pages and web forms, as PAGES names them."""
	pages = {f"www/{p.stem}" for p in (APP / "www").glob("*.html")}
	forms = {f"web_form/{p.name}" for p in (APP / "technical_assistance" / "web_form").iterdir() if (p / f"{p.name}.json").exists()}
	return pages | forms


def test_every_public_page_is_checked():
	assert sources() - {source for source, _path, _who in PAGES.values()} == set()


def report(violations: list[dict]) -> str:
	lines = []
	for v in violations:
		lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
		for node in v["nodes"][:10]:
			lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
			if node.get("failureSummary"):
				lines.append("        " + node["failureSummary"].replace("\n", "\n        "))
	return "\n".join(lines)


def axe_violations(page) -> list[dict]:
	"""axe-core's violations of the page as it stands (every rule of axe's default set, which
	includes WCAG 2.0/2.1 A and AA), the serious and critical ones."""
	from axe_playwright_python.sync_playwright import Axe

	results = Axe().run(page, options={"resultTypes": ["violations"]})
	return [v for v in results.response["violations"] if v["impact"] in FAILING]


def open_page(browser, viewport: str, path: str, who: str | None):  # noqa: F811
	context = browser.new_context(viewport=VIEWPORTS[viewport])
	page = context.new_page()
	page.set_default_timeout(30_000)
	if who == "donor":
		response = context.request.post(f"{URL}/api/method/login", form={"usr": DATA["donor_user"], "pwd": DATA["password"]})
		assert response.ok, response.text()
	response = page.goto(URL + path.format(**DATA))
	assert response is not None and response.status < 400, (path, response and response.status)
	page.wait_for_load_state("networkidle")
	return page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation(browser, name, viewport):  # noqa: F811
	_source, path, who = PAGES[name]
	page = open_page(browser, viewport, path, who)
	try:
		violations = axe_violations(page)
		if violations:
			shot(page, f"a11y-{name}-{viewport}")
		assert not violations, f"{name} ({viewport}):\n{report(violations)}"
	finally:
		page.context.close()


def test_the_check_finds_what_it_must(browser):  # noqa: F811
	"""The check is not blind: the same page with a muted text made too light, a scrollable table
	taken out of the keyboard's reach and an unlabelled input fails it, naming each rule."""
	page = open_page(browser, "phone", "/transparency", None)
	try:
		page.evaluate(
			"""() => {
				const p = document.querySelector('.ta-transparency p');
				p.style.setProperty('color', '#9aa0a6', 'important');
				const region = document.querySelector('.table-responsive[role=region]');
				region.removeAttribute('tabindex');
				region.style.overflowX = 'scroll';
				region.querySelector('table').style.minWidth = '2000px';
				const input = document.createElement('input');
				document.querySelector('.ta-transparency').appendChild(input);
			}"""
		)
		found = {v["id"] for v in axe_violations(page)}
		assert {"color-contrast", "scrollable-region-focusable", "label"} <= found, found
	finally:
		page.context.close()
