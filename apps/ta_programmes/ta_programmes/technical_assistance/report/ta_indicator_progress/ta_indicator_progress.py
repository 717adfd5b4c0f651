"""Indicator progress: every indicator of the programmes the user may read, per reporting period,
with baseline, target, actual, % of the way to target and a traffic light; a chart of the lights
per period."""

from collections import Counter

import frappe
from frappe import _

from ta_programmes import results as M
from ta_programmes.api.args import check_choice, report_never_raises
from ta_programmes.replica import reads_from_replica

LIGHT_LABELS = {"green": _("On track"), "amber": _("Partly"), "red": _("Off track"), "grey": _("No data")}


@reads_from_replica
@report_never_raises
def execute(filters=None):
	with M.collector_paused():  # some 30 000 rows built and labelled (see results.tracking)
		return _execute(frappe._dict(filters or {}))


def _execute(filters):
	programmes = frappe.get_list("TA Programme", pluck="name", limit=0)
	if filters.programme:
		programmes = [p for p in programmes if p == filters.programme]
	rows = M.tracking(programmes)
	if filters.light:
		check_choice(filters.light, M.R.LIGHTS, _("Status"))
		rows = [r for r in rows if r["light"] == filters.light]
	if filters.period:
		rows = [r for r in rows if r["period"] == filters.period]
	# (rows are dicts: item access, not attributes, at some 30 000 rows)
	for r in rows:
		r["status"] = LIGHT_LABELS[r["light"]]
		r["indicator_label"] = f"{r['code']} {r['title']}"
	columns = [
		{"fieldname": "programme", "label": _("Programme"), "fieldtype": "Link", "options": "TA Programme", "width": 140},
		{"fieldname": "result_code", "label": _("Result"), "fieldtype": "Data", "width": 70},
		{"fieldname": "level", "label": _("Level"), "fieldtype": "Data", "width": 80},
		{"fieldname": "indicator", "label": _("Indicator"), "fieldtype": "Link", "options": "TA Indicator", "width": 130},
		{"fieldname": "indicator_label", "label": _("Indicator Title"), "fieldtype": "Data", "width": 300},
		{"fieldname": "unit", "label": _("Unit"), "fieldtype": "Data", "width": 90},
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 80},
		{"fieldname": "baseline", "label": _("Baseline"), "fieldtype": "Float", "width": 90},
		{"fieldname": "target", "label": _("Target"), "fieldtype": "Float", "width": 90},
		{"fieldname": "actual", "label": _("Actual"), "fieldtype": "Float", "width": 90},
		{"fieldname": "achievement", "label": _("% of Target"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 100},
	]
	return columns, rows, None, chart(rows)


def chart(rows):
	counts = Counter((r["period"], r["light"]) for r in rows if r["period"])  # one pass over the rows
	periods = sorted({p for p, _light in counts})
	if not periods:
		return None
	datasets = []
	for light in ("green", "amber", "red", "grey"):
		datasets.append({"name": LIGHT_LABELS[light], "values": [counts[(p, light)] for p in periods]})
	return {
		"data": {"labels": periods, "datasets": datasets},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#48BB74", "#ECAD4B", "#E24C4C", "#C0C6CC"],
		"title": _("Indicators by status and period"),
	}
