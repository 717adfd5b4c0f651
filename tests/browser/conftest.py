"""On a failure, keep a screenshot of every open page (tests/browser/screenshots/FAILED-*.png)."""

from pathlib import Path

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	outcome = yield
	report = outcome.get_result()
	if report.when != "call" or not report.failed:
		return
	browser = item.funcargs.get("browser")
	if not browser:
		return
	shots = Path(__file__).parent / "screenshots"
	shots.mkdir(exist_ok=True)
	for i, context in enumerate(browser.contexts):
		for j, page in enumerate(context.pages):
			try:
				page.screenshot(path=str(shots / f"FAILED-{item.name}-{i}-{j}.png"))
			except Exception:  # noqa: BLE001 - a failing screenshot must not hide the test failure
				pass
