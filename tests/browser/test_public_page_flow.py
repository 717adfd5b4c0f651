"""Browser test of the public page as people look at it: its charts (inline SVG drawn on the
server, nothing fetched) appear with a name and the figures, draw no count under k (a year with 3
participants has its "<5" written and no bar), and show the same figures as the tables; right to
left in Arabic; printed, the page keeps its charts and tables and drops the language switch, the
filters and the downloads, and chromium makes a PDF of it; axe finds nothing serious with the
charts. Run by tests/browser-tests (TA_BROWSER_URL, TA_BROWSER_ACCESSIBILITY from browser_setup)."""

import re

import pytest

from tests.browser.test_accessibility import DATA, axe_violations, report
from tests.browser.test_oversight_flow import URL, browser, shot  # noqa: F401 (fixture)

pytestmark = pytest.mark.skipif(not (URL and DATA), reason="no site served for the browser test (see tests/browser-tests)")


def number(text: str) -> int | None:
	digits = re.sub(r"[^\d]", "", text)
	return int(digits) if digits and not text.strip().startswith("<") else None


def chart_rows(page, chart_id: str) -> list[dict]:
	"""Each row of a chart: its label, the bars drawn under it and the figures written."""
	return page.evaluate(
		"""(id) => {
			// Each bar and figure belongs to the row whose label is the last one above it.
			const svg = document.querySelector('#' + id + ' svg');
			const y = (el) => parseFloat(el.getAttribute('y'));
			const rows = [...svg.querySelectorAll('text.ta-chart-label')]
				.map((el) => ({label: el.textContent, y: y(el), bars: 0, figures: [], hidden: []}))
				.sort((a, b) => a.y - b.y);
			const rowOf = (el) => rows.filter((r) => r.y <= y(el)).at(-1);
			for (const el of svg.querySelectorAll('rect.ta-bar')) rowOf(el).bars += 1;
			for (const el of svg.querySelectorAll('text.ta-chart-value')) rowOf(el).figures.push(el.textContent);
			for (const el of svg.querySelectorAll('text.ta-chart-hidden')) rowOf(el).hidden.push(el.textContent);
			return rows;
		}""",
		chart_id,
	)


def table_column(page, table_id: str, column: int = -1) -> dict[str, str]:
	return page.evaluate(
		"""([id, column]) => {
			const table = document.getElementById(id).nextElementSibling.querySelector('table');
			const out = {};
			for (const tr of table.querySelectorAll('tbody tr')) {
				const cells = [...tr.cells].map(c => c.textContent.trim());
				out[cells[0]] = cells.at(column);
			}
			return out;
		}""",
		[table_id, column],
	)


def test_the_public_page_draws_its_charts_prints_and_hides_small_counts(browser):  # noqa: F811
	k = DATA["k"]
	context = browser.new_context(viewport={"width": 1280, "height": 800})
	page = context.new_page()
	page.set_default_timeout(30_000)
	# Nothing is fetched from outside the site (no chart library, no font service).
	outside = []
	page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(URL) and not r.url.startswith("data:") else None)
	page.goto(f"{URL}/transparency")

	# 1. The charts: an image each, named and described, the figures of their tables.
	charts = page.locator("figure.ta-chart svg[role=img]")
	assert charts.count() == 4
	for i in range(charts.count()):
		svg = charts.nth(i)
		labelled = svg.get_attribute("aria-labelledby").split()
		assert len(labelled) == 2 and all(page.locator(f"#{x}").text_content().strip() for x in labelled)
	by_year = chart_rows(page, "chart-by-year")
	table = table_column(page, "by-year")
	assert by_year and {r["label"] for r in by_year} == set(table)
	for r in by_year:
		written = (r["figures"] + r["hidden"])[0]
		assert written == table[r["label"]]  # the chart says what the table says
		if r["bars"]:
			assert number(written) is not None and number(written) >= k, r  # no bar under k
		else:
			assert r["hidden"], r
	small = next(r for r in by_year if r["label"] == "2019")
	assert small["bars"] == 0 and small["hidden"] == [f"<{k}"]
	assert any(r["bars"] for r in by_year)
	for chart_id in ("chart-by-regional-group",):
		for r in chart_rows(page, chart_id):
			assert not r["bars"] or number(r["figures"][0]) >= k, r
	assert chart_rows(page, "chart-balance") and chart_rows(page, "chart-outside")
	page.get_by_role("heading", name="How to read this report").wait_for()
	shot(page, "public-1-charts")

	# 2. axe, with the charts on the page.
	violations = axe_violations(page)
	assert not violations, report(violations)

	# 3. Printed: no language switch, filters or downloads; charts and whole tables kept.
	page.emulate_media(media="print")
	for hidden in (".ta-languages", ".ta-filters", ".ta-downloads"):
		assert not page.locator(hidden).first.is_visible(), hidden
	assert page.locator("figure.ta-chart").first.is_visible()
	region = page.locator("#by-state + .table-responsive")
	assert region.evaluate("el => getComputedStyle(el).overflowX") == "visible"
	assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1")  # nothing cut off at the edge
	pdf = page.pdf(format="A4", print_background=True)
	assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
	page.emulate_media(media="screen")
	assert page.locator(".ta-filters").is_visible()
	assert outside == [], outside

	# 4. Right to left (Arabic): the page and its charts read from the right.
	page.goto(f"{URL}/transparency?_lang=ar")
	assert page.evaluate("document.documentElement.dir") == "rtl"
	assert page.evaluate("document.documentElement.lang") == "ar"
	anchors = page.evaluate("[...document.querySelectorAll('#chart-by-year text.ta-chart-label')].map(t => t.getAttribute('text-anchor'))")
	assert anchors and set(anchors) == {"end"}
	shot(page, "public-2-charts-ar")
	violations = axe_violations(page)
	assert not violations, report(violations)
	context.close()
