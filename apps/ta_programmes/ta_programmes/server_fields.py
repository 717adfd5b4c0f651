"""Fields the server owns (``core.access.SERVER_OWNED``): read-only in a form is only a hint,
so whatever a client sends for them — desk, REST, Data Import, a script's ``save()`` — is
replaced before validation by the stored value (nothing, on a new record), and fields fetched
from a link are fetched again. The controllers then set them as the rules say.

Wired for every doctype of the app in ``hooks.py`` (``before_validate``).
"""

from __future__ import annotations

import frappe
from frappe.model import table_fields

from ta_programmes.core.access import SERVER_OWNED


def own(doc, method=None) -> None:
	if doc.flags.get("server_update"):
		return  # set by server code for a save it makes itself (flags cannot come from a client)
	before = None if doc.is_new() else doc.get_doc_before_save()
	_restore(doc, before)
	for df in doc.meta.get_table_fields():
		if df.fieldname in SERVER_OWNED.get(doc.doctype, ()):
			continue  # the whole table was restored
		old_rows = {r.name: r for r in (before.get(df.fieldname) or [])} if before else {}
		for row in doc.get(df.fieldname) or []:
			_restore(row, old_rows.get(row.name))


def _restore(doc, before) -> None:
	for field in SERVER_OWNED.get(doc.doctype, ()):
		df = doc.meta.get_field(field)
		if df.fieldtype in table_fields:
			doc.set(field, [r.as_dict() for r in before.get(field)] if before else [])
		else:
			doc.set(field, before.get(field) if before else None)
	for df in doc.meta.fields:
		if df.fetch_from and df.read_only:
			link, _sep, source = df.fetch_from.partition(".")
			value = doc.get(link)
			target = doc.meta.get_field(link)
			doc.set(df.fieldname, frappe.db.get_value(target.options, value, source) if value and target else None)
