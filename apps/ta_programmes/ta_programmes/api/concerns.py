"""The public side of concern reports: anyone, logged in or not, may report a concern and follow
it with the secret link it gets. Thin: ``ta_programmes.concerns`` and ``core.concerns`` decide.

Both endpoints take only POST, are throttled per address (the address is never stored with the
report: Frappe's rate limiter keeps a counter in the cache for the window alone) and answer a
refusal with a clear 4xx message."""

from __future__ import annotations

import frappe
from frappe.rate_limiter import rate_limit

from ta_programmes import concerns as C

REPORTS_PER_HOUR = 5
ADDITIONS_PER_HOUR = 20


def _uploads():
	files = getattr(frappe.request, "files", None)
	return files.getlist("evidence") if files else []


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=REPORTS_PER_HOUR, seconds=60 * 60)
def submit() -> dict:
	"""Report a concern: the form's fields, and up to five evidence files named ``evidence``.
	Returns the case reference and the secret link to follow it."""
	return C.submit(frappe.form_dict, _uploads())


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=ADDITIONS_PER_HOUR, seconds=60 * 60)
def add_information() -> dict:
	"""Add information (text and/or files) to a concern, with its secret link's token."""
	return C.add_information(frappe.form_dict.get("token"), frappe.form_dict.get("information"), _uploads())
