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
