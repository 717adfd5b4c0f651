"""/concern-status?token=…: the reporter follows the concern and adds information. The page
shows the stage, its dates and the outcome once assessed; never the reasons or who triaged."""

import frappe
from frappe import _

from ta_programmes import concerns as C
from ta_programmes import i18n
from ta_programmes.core import concerns as core

no_cache = 1


def get_context(context):
	context.title = _("Your concern report")
	context.no_breadcrumbs = 1
	token = frappe.form_dict.get("token")
	i18n.page_context(context, "/concern-status", {"token": token} if isinstance(token, str) else None)
	try:
		context.case = C.status(token)
		context.token = token
	except frappe.ValidationError:
		frappe.clear_messages()
		context.case = None
		context.http_status_code = 404
	context.accept = ",".join(f".{ext}" for ext in sorted(core.SIGNATURES))
	context.max_mb = core.MAX_FILE_BYTES // (1024 * 1024)
	return context
