"""Calendar and Gantt events of TA Activity: one event per session (in host time), coloured by
status, filterable by programme, state and trainer. Permissions as in the list (get_list)."""

import frappe
from frappe import _

from ta_programmes.api import args as A


@frappe.whitelist()
def get_events(start: str | None = None, end: str | None = None, filters: str | list | dict | None = None) -> list[dict]:
	start, end = A.datetime_arg(start, _("Start")), A.datetime_arg(end, _("End"))
	filters = A.filters_arg(filters)
	if isinstance(filters, dict):
		filters = [["TA Activity", key, "=", value] for key, value in filters.items()]
	conditions = [["TA Activity Session", "start", "<=", end], ["TA Activity Session", "end", ">=", start]]
	for f in filters:
		if len(f) < 4:
			frappe.throw(_("Each filter is [doctype, field, operator, value]."), frappe.ValidationError, title=_("Invalid Filter"))
		if f[1] == "trainer" and not frappe.has_permission("TA Trainer", "read"):
			frappe.throw(_("You cannot filter by trainer."), frappe.PermissionError, title=_("Not Permitted"))
		# the "trainer" filter is on the trainers child table
		conditions.append(["TA Activity Trainer", "trainer", f[2], f[3]] if f[1] == "trainer" else f)
	A.filters_arg(conditions, doctype="TA Activity")  # every field one of the activity's or its tables'
	rows = frappe.get_list(
		"TA Activity",
		filters=conditions,
		fields=[
			"name", "title", "status", "programme", "beneficiary_state",
			"`tabTA Activity Session`.`start` as start", "`tabTA Activity Session`.`end` as end",
			"`tabTA Activity Session`.`session_label` as session_label",
		],
		distinct=True,
		limit_page_length=5000,
	)
	for r in rows:
		r.all_day = 0
	return rows
