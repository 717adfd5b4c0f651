"""The transparency report as a PDF (reportlab, ``core.report_pdf``): the public one on request and the
desk one as a background job writing a private File."""

from __future__ import annotations

import frappe
from frappe import _

from ta_programmes.transparency.filters import Filters, visible_programmes
from ta_programmes.transparency.public_report import public_report


def report_data(report: dict, title: str):
	"""The PDF's content from a public report (already suppressed)."""
	from ta_programmes.core.report_pdf import ReportData

	def rows(table_id):
		return next((t for t in report["tables"] if t["id"] == table_id), {"rows": []})["rows"]

	# The rows name states in the reader's language (see public_report).
	groups = {_(state): _(group) for state, group in frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True)}
	by_state = [
		{
			"state": r[0], "regional_group": groups.get(r[0]), "activities": r[1], "participants_women": r[2],
			"participants_men": r[3], "participants_other": r[4], "participants_total": r[5], "trainer_hours": r[6],
		}
		for r in rows("by-state")
	]
	by_theme = [
		{"theme": r[0], "category": r[1], "activities": r[2], "participants_total": r[3]} for r in rows("by-theme")
	]
	by_donor = [{"donor": r[0], "programmes": r[1], "budget": r[2]} for r in rows("by-donor")]
	return ReportData(
		title=title,
		period_label=_period_label(report["filters"]),
		filters=filter_labels(report["filters"]),
		generated=frappe.utils.now_datetime(),
		totals={c["label"]: c["value"] for c in report["cards"]},
		by_state=by_state,
		by_donor=by_donor,
		by_theme=by_theme,
		programmes=[{**p, "oversight_status": p["oversight"]} for p in report["programmes"]],
		overrides=[
			{"programme": o["title"], "organisation": o["organisation"], "justification": o["justification"], "date": o["recorded_on"]}
			for o in report["overrides"]
		],
		methodology=report["methodology"],
		suppression_note=report["suppression_note"],
		results=[dict(zip(("programme", "indicator", "period", "baseline", "target", "actual", "achievement"), r, strict=True)) for r in rows("results")],
	)


def _period_label(filters: dict) -> str:
	from ta_programmes.core import l10n
	from ta_programmes.i18n import public_lang

	start, end = filters.get("from_date"), filters.get("to_date")
	if start or end:
		lang = public_lang()
		return _("{0} to {1}").format(l10n.month(start, lang) if start else _("the beginning"), l10n.month(end, lang) if end else _("today"))
	return _("All periods")


def filter_labels(filters: dict) -> dict[str, str]:
	"""The filters of a report as its reader reads them: labels and app words translated, months
	in the reader's language."""
	from ta_programmes.core import l10n
	from ta_programmes.i18n import public_lang

	lang = public_lang()
	labels = {
		"from_date": _("From"), "to_date": _("To"), "donor": _("Donor"), "beneficiary_state": _("Beneficiary state"),
		"regional_group": _("Regional group"), "thematic_area": _("Thematic area"), "category": _("Category"),
		"lead_agency": _("Lead agency"),
	}
	out = {}
	for key, value in filters.items():
		if key in ("from_date", "to_date"):
			value = l10n.month(value, lang)
		elif key in ("regional_group", "category", "beneficiary_state"):
			value = _(value)
		out[labels.get(key, key)] = value
	return out


def public_pdf_bytes(report: dict) -> bytes:
	import io

	from ta_programmes.core.report_pdf import build_pdf
	from ta_programmes.i18n import public_lang

	out = io.BytesIO()
	build_pdf(report_data(report, _("Technical Assistance Delivered")), out, translate=_, lang=public_lang())
	return out.getvalue()


def desk_pdf_file(values: dict, user: str, notify: bool = False, lang: str | None = None) -> str:
	"""The report for what ``user`` may see, as a private File, in ``lang`` (the requester's);
	progress goes to the user's desk."""
	if lang:
		frappe.local.lang = lang
	import io

	# No frappe.set_user here: inside a request it would replace the caller's session. The
	# background job already runs as the user who queued it; visibility is passed explicitly.
	from ta_programmes import replica
	from ta_programmes.core.report_pdf import build_pdf

	f = Filters.from_dict(values)
	with replica.reading():
		f.programmes = visible_programmes(user)
		report = public_report(f)
	last = {"step": -1}

	def progress(done: int, total: int) -> None:
		step = int(20 * done / total) if total else 20
		if step != last["step"]:
			last["step"] = step
			frappe.publish_realtime("ta_pdf_progress", {"done": done, "total": total}, user=user)

	out = io.BytesIO()
	from ta_programmes.i18n import public_lang

	build_pdf(report_data(report, _("TA Assistance Delivered")), out, progress, translate=_, lang=public_lang())
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"ta-assistance-delivered-{frappe.utils.now_datetime():%Y%m%d-%H%M%S}-{frappe.generate_hash(length=10)}.pdf",
			"content": out.getvalue(),
			"is_private": 1,
		}
	).save(ignore_permissions=True)
	if notify:
		frappe.publish_realtime("ta_pdf_progress", {"done": 1, "total": 1, "file_url": file.file_url}, user=user)
	return file.file_url
