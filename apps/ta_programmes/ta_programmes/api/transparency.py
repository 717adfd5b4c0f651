"""Downloads of the transparency report: public CSV and PDF (Guest), and the desk PDF, which runs
as a background job with progress when the report is large."""

from __future__ import annotations

import csv
import io

import frappe
from frappe import _

from ta_programmes import transparency as T
from ta_programmes.replica import reads_from_replica

# Above this many rows the desk PDF is built in a background job.
BACKGROUND_ROWS = 300


def _public_values(kwargs: dict) -> dict:
	"""The checked filters of a public download (refused with a clear message when invalid),
	once the public report is published at all."""
	T.check_published()
	return T.Filters.public(kwargs)


# A cell a spreadsheet would run as a formula: shown as text instead (OWASP's CSV injection advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _SafeWriter:
	"""csv.writer whose text cells never start a formula, whoever typed them (a title, a donor)."""

	def __init__(self, out):
		self.writer = csv.writer(out)

	@staticmethod
	def cell(value):
		return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value

	def writerow(self, row):
		self.writer.writerow([self.cell(v) for v in row])

	def writerows(self, rows):
		for row in rows:
			self.writerow(row)


def public_csv_text(report: dict) -> str:
	out = io.StringIO()
	w = _SafeWriter(out)
	w.writerow([_("Technical assistance delivered"), report["generated"]])
	for key, value in T.filter_labels(report["filters"]).items():
		w.writerow([key, value])
	for card in report["cards"]:
		w.writerow([card["label"], card["value"]])
	for table in report["tables"]:
		w.writerow([])
		w.writerow([table["title"]])
		w.writerow(table["headers"])
		w.writerows(table["rows"])
		if table["footer"]:
			w.writerow(table["footer"])
	w.writerow([])
	w.writerow([_("Approved programmes")])
	w.writerow([_("Title"), _("Status"), _("Dates"), _("Budget"), _("States"), _("Themes"), _("Donors"), _("Oversight")])
	for p in report["programmes"]:
		w.writerow([p["title"], p["status"], p["dates"], p["budget"], p["states"], p["themes"], p["donors"], p["oversight"]])
	w.writerow([])
	w.writerow([_("Civil-society objections overridden")])
	w.writerow([_("Programme"), _("Organisation"), _("Date"), _("Justification")])
	for o in report["overrides"]:
		w.writerow([o["title"], o["organisation"], o["recorded_on"], o["justification"]])
	w.writerow([])
	w.writerow([report["suppression_note"]])
	return out.getvalue()


@frappe.whitelist(allow_guest=True, methods=["GET"])
@reads_from_replica
def public_csv(**kwargs):
	report = T.public_report_cached(_public_values(kwargs))
	frappe.response.update(
		type="download",
		filename="ta-transparency.csv",
		filecontent=public_csv_text(report).encode("utf-8-sig"),
		content_type="text/csv; charset=utf-8",
	)


@frappe.whitelist(allow_guest=True, methods=["GET"])
@reads_from_replica
def public_pdf(**kwargs):
	from ta_programmes.i18n import public_lang

	values = _public_values(kwargs)
	# The file itself is kept like the report's data (per filters and language, until what is
	# published changes): the decade's unfiltered PDF takes seconds to lay out, once.
	content = T.cached(
		"public-pdf",
		{"values": sorted(values.items()), "lang": public_lang()},
		lambda: T.public_pdf_bytes(T.public_report_cached(values)),
	)
	frappe.response.update(
		type="download",
		filename="ta-transparency.pdf",
		filecontent=content,
		content_type="application/pdf",
	)


@frappe.whitelist()
def request_pdf(filters: str | dict | None = None) -> dict:
	"""The desk report as PDF, for what the user may see. Small: at once; large: in the background,
	with progress published to the user and a private file when done."""
	frappe.has_permission("TA Activity", "read", throw=True)
	from ta_programmes.api.args import json_arg

	values = json_arg(filters, (dict,), _("Filters"), default={})
	f = T.Filters.from_dict(values)
	f.programmes = T.visible_programmes()
	if len(T.reported_programmes(f, with_experts=False, lists=False)) <= BACKGROUND_ROWS:
		return {"file_url": T.desk_pdf_file(values, frappe.session.user)}
	frappe.enqueue(
		"ta_programmes.transparency.pdf.desk_pdf_file",
		queue="long",
		values=values,
		user=frappe.session.user,
		notify=True,
		lang=frappe.local.lang,  # a job speaks the site's language unless told the user's
	)
	return {"queued": True}
