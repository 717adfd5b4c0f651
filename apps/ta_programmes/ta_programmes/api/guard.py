"""Frappe endpoints that would read around the app's permissions, replaced (``hooks.py``
``override_whitelisted_methods``) by versions that apply them.

``frappe.client.get_count`` in v15 counts with ``frappe.db.count``, which checks no permission at
all: any logged-in user could count another donor's programmes, or binary-search a budget or a
review's risk level through filters. Here it counts what ``frappe.get_list`` would list.
"""

import frappe
from frappe import _


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("Unknown document type."), frappe.DoesNotExistError, title=_("Not Found"))
	if frappe.is_table(doctype):
		frappe.throw(_("Count a child table's rows through its parent."), frappe.PermissionError, title=_("Not Permitted"))
	from frappe.client import get_safe_filters

	rows = frappe.get_list(doctype, filters=get_safe_filters(filters), fields=["count(*) as count"], limit_page_length=0)
	return int(rows[0].count) if rows else 0
