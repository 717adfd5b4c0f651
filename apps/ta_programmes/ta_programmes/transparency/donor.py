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
	donor_results = results_by_programme([p for p in programmes], k, lang)
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
				"route": f"/my-programmes/{p.name}",
			}
		)
	return out


def results_by_programme(programmes: list, k: int, lang: str) -> dict[str, list[dict]]:
	"""The published results of these programmes (those past approval), per programme: each
	indicator's latest period with a recorded actual, figures as the reader's language writes them."""
	from ta_programmes import results as M
	from ta_programmes.core import l10n

	out: dict[str, list[dict]] = {}
	approved = [p.name for p in programmes if p.status in ("Approved", "Active", "Completed", "Suspended")]
	if not approved:
		return out
	for r in M.latest_by_indicator(M.published(approved, k, rounding=False)):
		out.setdefault(r.programme, []).append(
			{
				"indicator": f"{r.code} {plain(r.title)}", "period": r.period or "", "baseline": l10n.cell(_figure(r.baseline), lang),
				"target": l10n.cell(_figure(r.target), lang), "actual": l10n.cell(_figure(r.actual), lang),
				"achievement": "" if r.achievement is None else l10n.percent(r.achievement, lang), "light": r.light,
			}
		)
	return out


# --- one funded programme ----------------------------------------------------------------------------
def commitments(donors: list[str]) -> dict[str, float]:
	"""What these donors committed to each programme they fund (their funding lines, in the
	programme currency)."""
	out: dict[str, float] = {}
	if not donors:
		return out
	for line in frappe.get_all(
		"TA Funding Line", filters={"parenttype": "TA Programme", "donor": ("in", donors)}, fields=["parent", "base_amount"]
	):
		out[line.parent] = out.get(line.parent, 0.0) + float(line.base_amount or 0)
	return out


def _breakdown(rows: list[dict], key: str, k: int, lang: str, label=lambda v: v) -> list[dict]:
	"""Delivered activities and participants per ``key`` (year, state, theme), participants
	suppressed across the breakdown and its total; the total row last."""
	from ta_programmes.core import l10n, privacy

	rows = sorted(rows, key=lambda r: (r.get(key) is None, str(r.get(key) or "")))
	keys = [str(r.get(key) or "") for r in rows]
	shown, total = privacy.suppress_counts({kk: int(r.participants or 0) for kk, r in zip(keys, rows, strict=True)}, k)
	out = [
		{
			"label": label(r.get(key)) if r.get(key) not in (None, "") else _("Not specified"),
			"activities": l10n.number(int(r.activities or 0), lang),
			"participants": l10n.cell(shown[kk], lang),
		}
		for kk, r in zip(keys, rows, strict=True)
	]
	out.append(
		{
			"label": _("Total"), "activities": l10n.number(sum(int(r.activities or 0) for r in rows), lang),
			"participants": l10n.cell(total, lang), "total": True,
		}
	)
	return out


def donor_programme(donors: list[str], name: str) -> dict | None:
	"""One programme these donors fund, as its donor page shows it: delivered activities by
	year, beneficiary state and theme, activities by state of progress, participants (suppressed
	below k), spending against the donors' commitment, oversight status and published results.
	None when the donors do not fund it (or it does not exist): the caller refuses the page."""
	from ta_programmes.core import donor_statement as D
	from ta_programmes.core import l10n
	from ta_programmes.i18n import public_lang, text_in
	from ta_programmes.transparency.delivery import delivery_by
	from ta_programmes.transparency.filters import Filters

	if not isinstance(name, str) or not name:
		return None
	committed = commitments(donors).get(name)
	if committed is None:
		return None
	lang = public_lang()
	k = int(settings().suppression_k or 5)
	p = frappe.db.get_value(
		"TA Programme", name,
		["name", "title", "status", "planned_start", "planned_end", "currency", "budget", "gate_alert", "summary",
		 "title_fr", "title_es", "title_ar", "summary_fr", "summary_es", "summary_ar"],
		as_dict=True,
	)  # fmt: skip
	if not p:
		return None
	scope = Filters(programmes=[name])
	total = next(iter(delivery_by(scope)), None) or frappe._dict(activities=0, participants=0, fees=0)
	spent = float(total.fees or 0)
	ours = D.attributable(spent, committed, float(p.budget or 0))
	used = D.used_percent(ours, committed)
	by_year = delivery_by(scope, "year")
	money = lambda amount: l10n.money(amount, p.currency, lang)  # noqa: E731
	spending = [
		{
			"year": str(r.year) if r.year else _("Not specified"),
			"spent": money(float(r.fees or 0)),
			"ours": money(D.attributable(float(r.fees or 0), committed, float(p.budget or 0))),
		}
		for r in sorted(by_year, key=lambda r: (r.year is None, r.year or 0))
	]
	progress = frappe.get_all(
		"TA Activity", filters={"programme": name}, fields=["status", "count(name) as n"], group_by="status", order_by="status"
	)
	return {
		"name": p.name,
		"title": plain(text_in(p, "title", lang)),
		"summary": plain(text_in(p, "summary", lang)),
		"status": _(p.status),
		"dates": l10n.period(p.planned_start, p.planned_end, lang),
		"oversight": oversight_status(p),
		"commitment": money(committed),
		"budget": money(float(p.budget or 0)),
		"share": l10n.percent(float(round(D.share(committed, float(p.budget or 0)) * 100)), lang),
		"spent": money(spent),
		"ours": money(ours),
		"used": "" if used is None else l10n.percent(used, lang),
		"spending": spending,
		"by_year": _breakdown(by_year, "year", k, lang, str),
		"by_state": _breakdown(delivery_by(scope, "state"), "state", k, lang, _),
		"by_theme": _breakdown(delivery_by(scope, "theme"), "theme", k, lang, _),
		"progress": [{"status": _(r.status), "count": l10n.number(int(r.n), lang)} for r in progress],
		"results": results_by_programme([p], k, lang).get(p.name, []),
		"k": k,
	}


# --- the statement for a period ----------------------------------------------------------------------
def default_period() -> tuple[str, str]:
	"""The months the statement form offers first: January of this year to this month."""
	today = frappe.utils.getdate()
	return f"{today.year}-01", f"{today.year}-{today.month:02d}"


def statement_figures(donors: list[str], start, end) -> list:
	"""Per programme these donors fund: their commitment, the spending, activities and
	participants of the activities delivered from ``start`` to ``end`` (dates, whole months),
	counted (``core.donor_statement.ProgrammeFigures``)."""
	from ta_programmes.core.donor_statement import ProgrammeFigures
	from ta_programmes.i18n import public_lang, text_in
	from ta_programmes.transparency.delivery import delivery_by
	from ta_programmes.transparency.filters import Filters

	committed = commitments(donors)
	if not committed:
		return []
	lang = public_lang()
	programmes = frappe.get_all(
		"TA Programme",
		filters={"name": ("in", list(committed))},
		fields=["name", "title", "status", "currency", "budget", "gate_alert", "title_fr", "title_es", "title_ar"],
		order_by="planned_start desc, name asc",
	)
	scope = Filters(from_date=str(start), to_date=str(end), programmes=list(committed))
	delivered = {r.programme: r for r in delivery_by(scope, "programme")}
	out = []
	for p in programmes:
		d = delivered.get(p.name) or frappe._dict(activities=0, participants=0, fees=0)
		out.append(
			ProgrammeFigures(
				name=p.name, title=plain(text_in(p, "title", lang)), currency=p.currency or "USD", commitment=committed[p.name],
				budget=float(p.budget or 0), spent=float(d.fees or 0), activities=int(d.activities or 0),
				participants=int(d.participants or 0), oversight=oversight_status(p), status=_(p.status),
			)
		)
	return out


def statement_pdf(donors: list[str], from_month, to_month) -> bytes:
	"""The donors' statement for the months ``from_month`` to ``to_month`` as a PDF, in the
	reader's language. A bad period is refused with a message naming it."""
	import io

	from ta_programmes.core import donor_statement as D
	from ta_programmes.core import l10n
	from ta_programmes.enforce import rules
	from ta_programmes.i18n import public_lang

	with rules():
		start, end = D.month_period(from_month, to_month)
	lang = public_lang()
	k = int(settings().suppression_k or 5)
	rows, totals = D.statement_rows(statement_figures(donors, start, end), k, lang)
	names = [frappe.db.get_value("TA Donor", d, "donor_name") or d for d in donors]
	data = D.StatementData(
		title=_("Donor statement"),
		donors=names,
		period_label=_("{0} to {1}").format(l10n.month(start, lang), l10n.month(end, lang)),
		generated=frappe.utils.now_datetime(),
		rows=rows,
		totals=totals,
		method_note=_(
			"Commitment: your funding lines for the programme, in its currency. Spending: the trainer fees of the activities "
			"delivered in the period (by the date they ended). Attributable to you: that spending times your share of the "
			"programme's funding (your commitment over all its funding lines), rounded to the cent. Activities and participants "
			"count the activities delivered in the period."
		),
		suppression_note=_(
			"To protect participants, counts below {0} are shown as “<{0}”, and a further figure is hidden (“x”) where a hidden "
			"count could otherwise be worked out from the total. No participant, trainer or reviewer is named."
		).format(k),
	)
	out = io.BytesIO()
	D.build_statement_pdf(data, out, translate=_, lang=lang)
	return out.getvalue()
