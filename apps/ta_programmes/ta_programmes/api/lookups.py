"""Link-field queries for desk forms."""

import frappe
from frappe import _

# Child tables of TA Programme whose single link may be offered as a choice on an activity.
_SCOPE_TABLES = {
	"TA Programme State": "beneficiary_state",
	"TA Programme Theme": "thematic_area",
}


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def programme_scope(doctype, txt, searchfield, start, page_len, filters):
	"""The programme's own beneficiary states or thematic areas, for an activity's link fields."""
	if not isinstance(filters, dict):
		frappe.throw(_("This search needs the programme and the table."), frappe.ValidationError, title=_("Invalid Query"))
	programme = filters.get("programme")
	table = filters.get("table")
	if table not in _SCOPE_TABLES:
		frappe.throw(_("Unknown programme table {0}.").format(table), frappe.ValidationError, title=_("Invalid Query"))
	if not frappe.has_permission("TA Programme", "read", programme):
		return []
	field = _SCOPE_TABLES[table]
	return frappe.get_all(
		table,
		filters={"parent": programme, "parenttype": "TA Programme", field: ("like", f"%{txt}%")},
		fields=[field],
		order_by="idx",
		limit_start=start,
		limit_page_length=page_len,
		as_list=True,
	)
