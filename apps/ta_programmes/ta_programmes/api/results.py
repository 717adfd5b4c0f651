"""M&E endpoints for the desk (thin: figures come from ``ta_programmes.results`` and core)."""

from __future__ import annotations

import frappe
from frappe import _

from ta_programmes import results as M


@frappe.whitelist()
def programme_panel(programme: str) -> dict:
	"""What the programme form shows under "Results, Needs and Lessons": the needs assessments,
	the results framework with each indicator's progress, the balance warnings, follow-up figures
	and the lessons of earlier programmes in the same states. Staff and reviewers only."""
	if not isinstance(programme, str) or not programme:
		frappe.throw(_("Programme is required."), frappe.ValidationError, title=_("Missing Value"))
	frappe.has_permission("TA Programme", "read", doc=programme, throw=True)
	frappe.has_permission("TA Indicator", "read", throw=True)
	rows = M.tracking([programme])
	results = frappe.get_all(
		"TA Result", filters={"programme": programme}, fields=["name", "code", "title", "level", "parent_result"], order_by="code"
	)
	needs = frappe.get_all(
		"TA Needs Assessment", filters={"programme": programme},
		fields=["name", "beneficiary_state", "requested_by", "request_date", "assessed_on", "gaps", "priorities", "request_document"],
	)
	follow_ups = frappe.get_all(
		"TA Follow-up", filters={"programme": programme}, fields=["invited", "responded", "applied", "concerns"]
	) if frappe.has_permission("TA Follow-up", "read") else []
	concerns = frappe.db.count("TA Follow-up Response", {"programme": programme, "hr_concern": 1})
	from ta_programmes.core import results as R

	invited = sum(f.invited or 0 for f in follow_ups)
	answered = sum(f.responded or 0 for f in follow_ups)
	return {
		"needs": needs,
		"results": results,
		"tracking": rows,
		"lights": M.light_counts(rows),
		"warnings": M.warnings_for(programme),
		"balance": M.balance_of([programme]).__dict__,
		"follow_ups": {"invited": invited, "answered": answered, "rate": R.response_rate(invited, answered), "concerns": concerns},
		"lessons": M.earlier_lessons(programme),
	}
