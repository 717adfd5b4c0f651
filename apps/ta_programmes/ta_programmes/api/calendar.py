"""Calendar and Gantt events of TA Activity, coloured by status, filterable by trainer."""

import frappe


@frappe.whitelist()
def get_events(start: str, end: str, filters: str | list | None = None) -> list[dict]:
	filters = frappe.parse_json(filters) if isinstance(filters, str) else (filters or [])
	if isinstance(filters, dict):
		filters = [["TA Activity", key, "=", value] for key, value in filters.items()]
	conditions = [["TA Activity", "start", "<=", end], ["TA Activity", "end", ">=", start]]
	for f in filters:
		# the "trainer" filter is on the trainers child table
		if f[1] == "trainer":
			conditions.append(["TA Activity Trainer", "trainer", f[2], f[3]])
		else:
			conditions.append(f)
	events = frappe.get_list(
		"TA Activity",
		filters=conditions,
		fields=["name", "title", "start", "end", "status", "programme", "beneficiary_state"],
		limit_page_length=2000,
	)
	for e in events:
		e.all_day = 0
	return events
