"""Figures for the workspace number cards that Frappe's filters cannot express."""

import frappe
from frappe.utils import add_days, now_datetime


@frappe.whitelist()
def activities_next_30_days(filters: str | dict | None = None) -> dict:
	"""Activities starting within the next 30 days that are not cancelled, as the user may see them."""
	start = now_datetime()
	count = frappe.get_list(
		"TA Activity",
		filters=[
			["start", ">=", start],
			["start", "<", add_days(start, 30)],
			["status", "not in", ["Cancelled", "Postponed"]],
		],
		fields=["count(name) as count"],
	)[0].count
	return {"value": count, "fieldtype": "Int", "route": ["List", "TA Activity"]}


def _card(value, fieldtype, route) -> dict:
	return {"value": value, "fieldtype": fieldtype, "route": route}


@frappe.whitelist()
def indicators_off_track(filters: str | dict | None = None) -> dict:
	"""Indicators whose latest reported period is red, over the programmes the user may read."""
	from ta_programmes import results as M

	if not frappe.has_permission("TA Indicator", "read"):
		return _card(0, "Int", None)
	rows = M.tracking(frappe.get_list("TA Programme", pluck="name", limit=0))
	return _card(M.light_counts(rows)["red"], "Int", ["query-report", "TA Indicator Progress"])


@frappe.whitelist()
def follow_ups_overdue(filters: str | dict | None = None) -> dict:
	"""Open follow-ups due more than 30 days ago with fewer than half of their links answered."""
	if not frappe.has_permission("TA Follow-up", "read"):
		return _card(0, "Int", None)
	count = frappe.get_list(
		"TA Follow-up",
		filters=[["status", "=", "Open"], ["due_on", "<", add_days(now_datetime().date(), -30)], ["response_rate", "<", 50]],
		fields=["count(name) as count"],
	)[0].count
	return _card(count, "Int", ["List", "TA Follow-up"])


@frappe.whitelist()
def follow_up_response_rate(filters: str | dict | None = None) -> dict:
	from ta_programmes.core.results import response_rate

	if not frappe.has_permission("TA Follow-up", "read"):
		return _card(0, "Percent", None)
	row = frappe.get_list("TA Follow-up", fields=["sum(invited) as invited", "sum(responded) as responded"])[0]
	return _card(response_rate(int(row.invited or 0), int(row.responded or 0)) or 0, "Percent", ["List", "TA Follow-up"])


@frappe.whitelist()
def mean_knowledge_gain(filters: str | dict | None = None) -> dict:
	"""Mean normalised gain over every participant with both tests (weighted by pairs)."""
	if not frappe.has_permission("TA Learning Test", "read"):
		return _card(0, "Percent", None)
	rows = frappe.get_list("TA Learning Test", filters=[["paired", ">", 0]], fields=["normalised_gain", "paired"], limit=0)
	weight = sum(r.paired for r in rows if r.normalised_gain is not None)
	value = round(sum((r.normalised_gain or 0) * r.paired for r in rows) / weight, 1) if weight else 0
	return _card(value, "Percent", ["List", "TA Learning Test"])


@frappe.whitelist()
def concerns_overdue(filters: str | dict | None = None) -> dict:
	"""Concern reports the user triages whose acknowledgement or assessment is overdue."""
	if not frappe.has_permission("TA Concern Report", "read"):
		return _card(0, "Int", None)
	count = frappe.get_list("TA Concern Report", filters=[["overdue", "!=", ""]], fields=["count(name) as count"])[0].count
	return _card(count, "Int", ["List", "TA Concern Report", {"overdue": ["!=", ""]}])
