"""Public transparency page (/transparency): aggregates of delivered assistance, the approved
programmes, and every civil-society objection override with its justification. Guest access;
only what ta_programmes.transparency.public_report publishes (aggregates, suppressed)."""

import frappe
from frappe import _

from ta_programmes import transparency as T

no_cache = 1
PUBLIC_FILTERS = ("from_date", "to_date", "donor", "regional_group", "category", "beneficiary_state", "thematic_area")


def get_context(context):
	if not T.settings().public_page_enabled:
		raise frappe.PageDoesNotExistError
	values = {k: frappe.form_dict.get(k) for k in PUBLIC_FILTERS if frappe.form_dict.get(k)}
	context.report = T.public_report_cached(values)
	context.filters = values
	context.options = T.public_filter_options()
	context.title = _("Transparency: Technical Assistance Delivered")
	context.query = frappe.utils.urlencode(values) if values else ""
	context.show_sidebar = 0
	return context
