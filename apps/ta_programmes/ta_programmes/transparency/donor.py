"""The donor view: the programmes a donor funds, with delivery, oversight status and published results."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from pypika.terms import Case

from ta_programmes.transparency.filters import Activity
from ta_programmes.transparency.public_report import _figure, plain
from ta_programmes.transparency.published import oversight_status, settings


def donor_view(donors: list[str]) -> list[dict]:
	"""The programmes these donors fund: delivery and oversight status, figures suppressed below k,
	in the reader's language."""
	from ta_programmes.core import l10n, privacy
	from ta_programmes.i18n import public_lang, text_in

	lang = public_lang()
	k = int(settings().suppression_k or 5)
	lines = frappe.get_all(
		"TA Funding Line",
		filters={"parenttype": "TA Programme", "donor": ("in", donors)},
		fields=["parent", "base_amount"],
	)
	funding: dict[str, float] = {}
	for line in lines:
		funding[line.parent] = funding.get(line.parent, 0) + float(line.base_amount or 0)
	if not funding:
		return []
	programmes = frappe.get_all(
		"TA Programme",
		filters={"name": ("in", list(funding))},
		fields=["name", "title", "status", "planned_start", "planned_end", "currency", "gate_alert", "title_fr", "title_es", "title_ar"],
		order_by="planned_start desc",
	)
	counts = (
		frappe.qb.from_(Activity)
		.select(
			Activity.programme,
			Count(Activity.name).as_("total"),
			Sum(Case().when(Activity.status == "Delivered", 1).else_(0)).as_("delivered"),
			Sum(Activity.actual_participants).as_("participants"),
		)
		.where(Activity.programme.isin(list(funding)))
		.where(Activity.status != "Cancelled")
		.groupby(Activity.programme)
		.run(as_dict=True)
	)
	by_programme = {c.programme: c for c in counts}
	from ta_programmes import results as M

	donor_results: dict[str, list[dict]] = {}
	approved = [p.name for p in programmes if p.status in ("Approved", "Active", "Completed", "Suspended")]
	for r in M.latest_by_indicator(M.published(approved, k, rounding=False)):
		donor_results.setdefault(r.programme, []).append(
			{
				"indicator": f"{r.code} {plain(r.title)}", "period": r.period or "", "baseline": l10n.cell(_figure(r.baseline), lang),
				"target": l10n.cell(_figure(r.target), lang), "actual": l10n.cell(_figure(r.actual), lang),
				"achievement": "" if r.achievement is None else l10n.percent(r.achievement, lang), "light": r.light,
			}
		)
	out = []
	for p in programmes:
		c = by_programme.get(p.name) or frappe._dict(total=0, delivered=0, participants=0)
		shown, _total = privacy.suppress_counts({"p": int(c.participants or 0)}, k)
		out.append(
			{
				"name": p.name,
				"title": plain(text_in(p, "title", lang)),
				"status": _(p.status),
				"dates": l10n.period(p.planned_start, p.planned_end, lang),
				"funding": l10n.money(funding[p.name], p.currency, lang),
				"total_activities": l10n.number(int(c.total or 0), lang),
				"delivered": l10n.number(int(c.delivered or 0), lang),
				"participants": l10n.cell(shown["p"], lang),
				"oversight": oversight_status(p),
				"results": donor_results.get(p.name, []),
			}
		)
	return out
