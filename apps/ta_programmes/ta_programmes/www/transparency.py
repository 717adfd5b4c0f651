"""Public transparency page (/transparency): aggregates of delivered assistance, the approved
programmes, and every civil-society objection override with its justification. Guest access;
only what ta_programmes.transparency.public_report publishes (aggregates, suppressed)."""

import frappe
from frappe import _

from ta_programmes import i18n
from ta_programmes import transparency as T
from ta_programmes.replica import reads_from_replica

# Frappe caches the unfiltered page for Guests (see ta_programmes.transparency.web.before_request).
no_cache = 0


@reads_from_replica
def get_context(context):
	if not T.settings().public_page_enabled:
		raise frappe.PageDoesNotExistError
	try:
		values = T.Filters.public(frappe.form_dict)
	except frappe.ValidationError as e:
		# A filter the page does not publish: say so, and show the report without filters.
		frappe.local.message_log = []
		context.filter_error = str(e)
		values = {}
	page = min(max(1, frappe.utils.cint(frappe.form_dict.get("page")) or 1), 10_000)
	i18n.page_context(context, "/transparency", values)
	if values or page > 1 or context.get("filter_error") or context.lang_param:
		context.no_cache = 1  # never stored as the page every Guest gets
	keep = {**values, "_lang": context.lang_param} if context.lang_param else values
	context.report = T.for_page(T.public_report_cached(values, page=page))
	context.pages = [
		{"number": n, "query": frappe.utils.urlencode({**keep, "page": n})} for n in range(1, context.report["pages"] + 1)
	]
	context.filters = values
	context.options = T.public_filter_options()
	context.title = _("Transparency: Technical Assistance Delivered")
	# Downloads speak the page's language.
	context.query = frappe.utils.urlencode({**values, "_lang": context.lang})
	context.show_sidebar = 0
	return context
