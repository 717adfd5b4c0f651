"""Deconfliction endpoints (thin: the rule is core.deconfliction, the queries ta_programmes.deconfliction).

POST /api/method/ta_programmes.api.deconfliction.import_iati      iati_import=<TA IATI Import>
GET  /api/method/ta_programmes.api.deconfliction.programme_candidates  programme=<TA Programme>
"""

from __future__ import annotations

import frappe
from frappe import _

from ta_programmes import deconfliction as X


def _name(value, label: str) -> str:
	if not isinstance(value, str) or not value.strip():
		frappe.throw(_("{0} is required.").format(label), frappe.ValidationError, title=_("Missing Value"))
	return value.strip()


@frappe.whitelist(methods=["POST"])
def import_iati(iati_import: str) -> dict:
	"""Read the import's IATI file and upsert its activities by identifier, all or nothing.
	Officers, managers and administrators (write permission on the import)."""
	name = _name(iati_import, _("IATI import"))
	if not frappe.db.exists("TA IATI Import", name):
		frappe.throw(_("IATI import {0} not found.").format(name), frappe.DoesNotExistError)
	frappe.has_permission("TA IATI Import", "write", doc=name, throw=True)
	return X.run_import(name)


@frappe.whitelist()
def programme_candidates(programme: str) -> dict:
	"""What the programme form shows under "Deconfliction": the ranked candidates with why each
	matched and its coordination note. Staff and reviewers (who read external activities)."""
	name = _name(programme, _("Programme"))
	frappe.has_permission("TA Programme", "read", doc=name, throw=True)
	frappe.has_permission("TA External Activity", "read", throw=True)
	doc = frappe.get_doc("TA Programme", name)
	candidates = X.candidates_for(doc)
	rows = X.as_rows(candidates, X.notes_of(doc))
	return {
		"candidates": rows,
		"missing": [r["name"] for r in rows if r["strong"] and not r["note"]],
		"strong_min_days": X.D.STRONG_MIN_OVERLAP_DAYS,
	}
