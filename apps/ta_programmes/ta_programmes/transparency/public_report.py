"""The public report (page, CSV, PDF): aggregates only, figures below k suppressed across all its
tables, in the reader's language."""

from __future__ import annotations

import dataclasses
import functools
from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder.functions import Sum

from ta_programmes import rollup
from ta_programmes.transparency.cache import cached
from ta_programmes.transparency.delivery import _rollup_from, _run_delivery, delivery_by, published_overrides
from ta_programmes.transparency.filters import Filters, Rollup, State, Theme
from ta_programmes.transparency.published import (
	add_lists,
	by_currency,
	consenting_experts,
	donor_commitments,
	oversight_status,
	reported_programmes,
	settings,
)

PAGE_SIZE = 50


def public_report_cached(values: dict, page: int | None = None) -> dict:
	"""The public report, cached per filters and page until the published data changes."""
	from ta_programmes.i18n import public_lang

	return cached(
		"public",
		{"values": sorted(values.items()), "page": page, "lang": public_lang()},
		lambda: public_report(Filters.from_dict(values), page=page),
	)


def _n(value) -> int:
	return int(value or 0)


def _rolled_up(rows: list[dict], key: str, key_of, order: list | None = None) -> list[frappe._dict]:
	"""Rows of :func:`delivery_by` added up per ``key_of(row)``, as ``delivery_by(f, key)``
	would give them: the decimals added exactly (each row's float is the database's decimal,
	written back exactly), the counts as the database's floats, and the keys in the database's
	order (``order``: the keys as ORDER BY sorts them; else the rows' own order). The rows keep
	their exact sums (``_exact``) to be added up again."""
	import operator

	measures = tuple(rollup.MEASURES)
	decimal = tuple(m in rollup.DECIMALS for m in measures)
	sums: dict = {}
	for r in rows:
		exact = r.get("_exact")
		if exact is None:
			exact = r["_exact"] = [Decimal(repr(r[m] or 0)) if d else (r[m] or 0) for m, d in zip(measures, decimal, strict=True)]
		k = key_of(r)
		total = sums.get(k)
		sums[k] = exact if total is None else list(map(operator.add, total, exact))
	if order is not None:
		rank = {value: i for i, value in enumerate(order)}
		keys = sorted(sums, key=lambda value: rank.get(value, len(rank)))
	else:
		keys = list(sums)
	out = []
	for k in keys:
		exact = sums[k]
		row = frappe._dict({key: k})
		row.update((m, float(v) if d else v) for m, d, v in zip(measures, decimal, exact, strict=True))
		row["_exact"] = exact
		out.append(row)
	return out


def _by_year(f: Filters) -> list[frappe._dict]:
	""":func:`delivery_by` per year. On the rollup, grouped by period (read in the index's order,
	no temporary table) and the months of a partial year added up here, exactly."""
	ranges = rollup.period_ranges(f.from_date, f.to_date, by_year=True) if rollup.ready() else None
	if not ranges:
		return delivery_by(f, "year")
	q = _rollup_from(f, ranges, ()).select(Rollup.period, *[Sum(Rollup[m]).as_(m) for m in rollup.MEASURES])
	rows = _run_delivery(q.groupby(Rollup.period))
	years = sorted({rollup.year_of(r.period) for r in rows}, key=lambda y: (y is not None, y or 0))  # NULL first
	return _rolled_up(rows, "year", lambda r: rollup.year_of(r.period), years)


def _database_order(column) -> list:
	"""The distinct values of ``column`` as the database sorts them (GROUP BY's order)."""
	return frappe.qb.from_(column.table).select(column).distinct().orderby(column).run(pluck=True)


def public_report(f: Filters, page: int | None = None) -> dict:
	"""Everything the public may see, for the filters: aggregates only, small counts suppressed,
	no personal or confidential data. Used by the page (``page``: that page of the programme
	list), the CSV and the PDF (every programme) alike."""
	from ta_programmes import i18n
	from ta_programmes.core import l10n, privacy

	lang = i18n.public_lang()
	k = int(settings().suppression_k or 5)
	visible = f.programmes
	programmes = reported_programmes(f, with_experts=False, lists=False)
	f.programmes = [p.name for p in programmes]
	pages = max(1, -(-len(programmes) // PAGE_SIZE))
	listed = programmes if page is None else programmes[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
	add_lists(listed)
	experts = consenting_experts([p.name for p in listed])
	for p in listed:
		p.experts = experts.get(p.name, [])

	# The figures, from the delivery rollup in two queries: per state and theme (states, themes,
	# regional groups and categories are added up from it, exactly, in the database's order) and
	# per year. The programmes are those listed above; without a filter on what a programme
	# covers, the query selects the same ones by itself (status, lead agency, visibility).
	narrowed = any((f.donor, f.beneficiary_state, f.regional_group, f.thematic_area, f.category, f.lead_agency))
	scope = f.programmes if narrowed else visible  # None: every reported programme
	figures = dataclasses.replace(f, programmes=scope)
	by_state_theme = delivery_by(figures, "state", "theme")
	by_year = _by_year(figures)
	themes = frappe.get_all("TA Thematic Area", fields=["name", "category"], order_by="name asc", as_list=True)
	categories = dict(themes)
	regional_groups = dict(frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True))
	by_state = _rolled_up(by_state_theme, "state", lambda r: r.state)
	by_theme = _rolled_up(by_state_theme, "theme", lambda r: r.theme, [name for name, _category in themes])
	by_group = _rolled_up(by_state, "regional_group", lambda r: regional_groups.get(r.state), _database_order(State.regional_group))
	by_category = _rolled_up(by_theme, "category", lambda r: categories.get(r.theme), _database_order(Theme.category))
	hours_by_category = {r.category: r for r in by_category}

	genders = (("women", _("Women")), ("men", _("Men")), ("other", _("Other / undisclosed")))
	table = privacy.suppress_table({(r.state, g): _n(r[g]) for r in by_state for g, _label in genders}, k)
	# Public figures are rounded to base k (see core.privacy.rounded): two outputs cannot be
	# subtracted into an exact small count.
	shown = functools.partial(privacy.rounded, k=k)
	state_hours = {r.state: round(float(r.trainer_hours or 0)) for r in by_state}
	state_rows = [
		[_(r.state), _n(r.activities), *[shown(table.cells[(r.state, g)]) for g, _label in genders], shown(table.row_totals[r.state]),
		 state_hours.get(r.state, 0)]
		for r in sorted(by_state, key=lambda r: r.state)
	]
	state_footer = (
		[
			_("Total"), sum(_n(r.activities) for r in by_state), *[shown(table.col_totals[g]) for g, _l in genders],
			shown(table.grand_total), sum(state_hours.values()),
		]
		if by_state
		else None
	)

	# Groups and categories add up states and themes: published only where every part is (roll_up).
	state_values = {r.state: _n(r.participants) for r in by_state}
	group_of = {r.state: str(regional_groups.get(r.state)) for r in by_state}
	by_group_shown = privacy.roll_up(table.row_totals, state_values, group_of, k) if by_state else ({}, 0)
	theme_shown = privacy.suppress_counts({str(r.theme): _n(r.participants) for r in by_theme}, k)
	by_category_shown = privacy.roll_up(
		theme_shown[0], {str(r.theme): _n(r.participants) for r in by_theme}, {str(r.theme): str(categories.get(r.theme)) for r in by_theme}, k
	) if by_theme else ({}, 0)
	tables = [
		_breakdown("by-year", _("By year"), [_("Year")], by_year, "year", k),
		_breakdown(
			"by-regional-group", _("By UN regional group"), [_("Regional group")], by_group, "regional_group", k,
			published=by_group_shown, translated=True,
		),
		{
			"id": "by-state",
			"title": _("By beneficiary state"),
			"headers": [_("State"), _("Activities"), *[label for _g, label in genders], _("Participants"), _("Trainer-hours")],
			"rows": state_rows,
			"footer": state_footer,
		},
		_breakdown(
			"by-theme", _("By thematic area"), [_("Thematic area"), _("Category")], by_theme, "theme", k,
			lambda r: [_(categories.get(r.theme) or "")], published=theme_shown,
		),
	]
	cat_shown = by_category_shown[0]
	category_rows = []
	for cat in sorted({r.category for r in by_category}):
		r = next(x for x in by_category if x.category == cat)
		h = hours_by_category.get(cat) or frappe._dict()
		hours = float(h.trainer_hours or 0)
		outside = round(100 * float(h.outside_hours or 0) / hours) if hours else 0
		category_rows.append([_(cat), _n(r.activities), shown(cat_shown.get(str(cat), 0)), round(hours), f"{outside}%"])
	tables.append(
		{
			"id": "by-category",
			"title": _("Balance: enforcement, prevention, safeguards"),
			"headers": [_("Category"), _("Activities"), _("Participants"), _("Trainer-hours"), _("Outside experts' share of hours")],
			"rows": category_rows,
			"footer": None,
		}
	)
	donors = donor_commitments(scope)
	tables.append(
		{
			"id": "by-donor",
			"title": _("By donor"),
			"headers": [_("Donor"), _("Programmes funded"), _("Committed")],
			"rows": [[d.donor, d.programmes, l10n.money(d.committed, d.currency, lang)] for d in donors],
			"footer": None,
		}
	)

	total_hours = sum(float(h.trainer_hours or 0) for h in hours_by_category.values())
	outside_hours = sum(float(h.outside_hours or 0) for h in hours_by_category.values())
	cards = [
		{"label": _("Approved programmes"), "value": len(programmes)},
		{"label": _("Activities delivered"), "value": sum(_n(r.activities) for r in by_state)},
		{"label": _("Participants"), "value": shown(table.grand_total) if by_state else 0},
		{"label": _("Trainer-hours"), "value": round(total_hours)},
		{"label": _("Hours by outside experts"), "value": f"{round(100 * outside_hours / total_hours) if total_hours else 0}%"},
		{"label": _("Budget of approved programmes"), "value": by_currency(((p.currency, p.budget) for p in programmes), lang)},
	]
	# The page shows the results of the programmes it lists (a decade's 10 000 indicators would make
	# every page 2.5 MB of HTML); the CSV and the PDF (no page) carry every programme's.
	with_results = f.programmes if page is None else [p.name for p in listed]
	tables.append(results_table(with_results, {p.name: plain(i18n.text_in(p, "title", lang)) for p in programmes}, k))
	tables.append(concerns_table())
	return {
		"generated": frappe.utils.now_datetime().strftime("%Y-%m-%d %H:%M"),
		"lang": lang,
		"filters": f.label(),
		"k": k,
		"cards": cards,
		"tables": tables,
		"programmes": [public_programme(p, lang) for p in listed],
		"page": page or 1,
		"pages": 1 if page is None else pages,
		"programme_count": len(programmes),
		"outside_share": round(100 * outside_hours / total_hours) if total_hours else None,  # for the chart
		"overrides": [
			{
				**o, "title": plain(i18n.text_in(o, "title", lang)), "justification": plain(o.justification),
				"recorded_on": str(o.recorded_on or ""),
			}
			for o in published_overrides(scope)
		],
		"methodology": _(
			"Figures count activities marked Delivered, by the date they ended, under programmes that passed the oversight gate "
			"(a human-rights review, OHCHR and civil-society sign-off). Trainer-hours are the hours recorded per trainer; "
			"outside experts are trainers from academia, civil society and the private sector. Results show each indicator of a "
			"programme's results framework for its latest reporting period with a recorded actual, against its baseline and target; "
			"% of target is the share of the way from baseline to target. Percentages and scores are shown only when measured over "
			"enough people."
		),
		"suppression_note": _(
			"To protect participants, counts below {0} are shown as “<{0}”, and further cells are hidden (“x”) where a hidden "
			"count could otherwise be worked out from totals or from another table. Other counts are rounded to the nearest {0}; "
			"totals are rounded on their own and may differ from the sum of their parts. No participant, trainer (without consent) "
			"or reviewer is named."
		).format(k),
	}


def for_page(report: dict) -> dict:
	"""The report as the web page shows it: figures and dates written as the reader's language
	writes them (``1 234`` in French). The CSV keeps plain numbers; the PDF formats its own."""
	from datetime import datetime

	from ta_programmes.core import l10n

	lang = report.get("lang") or "en"

	def cells(values):
		return [l10n.cell(v, lang) for v in values] if values else values

	return {
		**report,
		"generated": l10n.moment(datetime.strptime(report["generated"], "%Y-%m-%d %H:%M"), lang),
		"cards": [{**c, "value": l10n.cell(c["value"], lang)} for c in report["cards"]],
		"tables": [{**t, "rows": [cells(r) for r in t["rows"]], "footer": cells(t["footer"])} for t in report["tables"]],
		"overrides": [{**o, "recorded_on": l10n.day(o["recorded_on"], lang)} for o in report["overrides"]],
		"programme_count": l10n.number(report["programme_count"], lang),
		"charts": page_charts(report),
	}


def page_charts(report: dict) -> list:
	"""The page's charts (inline SVG geometry, see ``core.charts``), drawn from the report's own
	tables: the same suppressed and rounded figures, so a chart shows nothing its table hides.
	Participants by year and by regional group (counts of people: nothing under k drawn), the
	balance of categories (shares of activities and of trainer-hours) and the outside experts'
	share of hours. Charts without rows are left out."""
	from ta_programmes.core import charts as C
	from ta_programmes.core import l10n

	lang = report.get("lang") or "en"
	k = report.get("k") or 5
	rtl = l10n.is_rtl(lang)
	tables = {t["id"]: t for t in report["tables"]}

	def rows_of(table_id: str) -> list:
		return (tables.get(table_id) or {}).get("rows") or []

	def counts(table_id: str) -> list[C.Row]:
		"""The table's participants (its last column), as the table publishes them."""
		return [C.Row(str(r[0]), ((r[-1], str(l10n.cell(r[-1], lang))),)) for r in rows_of(table_id)]

	def pct(value: float | None) -> tuple:
		return (None, "–") if value is None else (round(value), l10n.percent(round(value), lang))

	# by-category: Category, Activities, Participants, Trainer-hours, outside experts' share.
	categories = rows_of("by-category")
	activities = sum(r[1] for r in categories if isinstance(r[1], int | float))
	hours = sum(r[3] for r in categories if isinstance(r[3], int | float))
	balance = [C.Row(str(r[0]), (pct(C.share(r[1], activities)), pct(C.share(r[3], hours)))) for r in categories]
	outside = [C.Row(str(r[0]), (pct(C.percent_of(r[4])),)) for r in categories]
	if categories and report.get("outside_share") is not None:
		outside.append(C.Row(_("All categories"), (pct(report["outside_share"]),)))
	charts = [
		C.bar_chart("chart-by-year", _("Participants by year"), counts("by-year"), k=k, rtl=rtl),
		C.bar_chart("chart-by-regional-group", _("Participants by UN regional group"), counts("by-regional-group"), k=k, rtl=rtl),
		C.bar_chart(
			"chart-balance", _("Balance: enforcement, prevention, safeguards"), balance, k=None, maximum=100, rtl=rtl,
			series=(_("Share of activities"), _("Share of trainer-hours")),
		),
		C.bar_chart("chart-outside", _("Outside experts' share of trainer-hours"), outside, k=None, maximum=100, rtl=rtl),
	]
	table_of = {
		"chart-by-year": "by-year", "chart-by-regional-group": "by-regional-group", "chart-balance": "by-category",
		"chart-outside": "by-category",
	}
	return [{"chart": c, "table": table_of[c.id]} for c in charts if c.height]


def concerns_table() -> dict:
	"""Concerns about misuse reported through /report-concern, per year, over all programmes
	(whatever the filters: counts by state could point at a reporter). Counts only."""
	from ta_programmes import concerns

	return {
		"id": "concerns",
		"title": _("Concerns about misuse of assistance (all programmes)"),
		"headers": [_("Year"), _("Received"), _("Assessed"), _("Found founded")],
		"rows": [[str(y["year"]), y["received"], y["assessed"], y["founded"]] for y in concerns.public_counts()],
		"footer": None,
	}


def results_table(programmes: list[str], titles: dict[str, str], k: int) -> dict:
	"""Results of the reported programmes: each indicator's latest period with a published actual
	(else its first), for Guests (counts suppressed and rounded; see results.published). The rows
	of every programme are computed once per results generation (:func:`published_results`) and
	those of ``programmes`` kept: an edit of an activity or a programme, or another filter, does
	not recompute them."""
	chosen = set(programmes or ())
	rows = [r for r in published_results(k) if r[0] in chosen]
	body = [
		[titles.get(programme, programme), *cells]
		for programme, _code, *cells in sorted(rows, key=lambda r: (titles.get(r[0], ""), r[1]))
	]
	return {
		"id": "results",
		"title": _("Results: what changed"),
		"headers": [_("Programme"), _("Indicator"), _("Period"), _("Baseline"), _("Target"), _("Actual"), _("% of target")],
		"rows": body,
		"footer": None,
	}


def published_results(k: int) -> list[tuple]:
	"""Each indicator's latest published row, of every programme, as the public results table
	shows it: ``(programme, code, indicator, period, baseline, target, actual, % of target)``, in
	no language (figures as numbers or the privacy rules' marks). Cached per results generation
	(``cache.RESULTS_GENERATION_KEY``): the indicators, targets and actuals of a decade take about
	a second to read and publish; an indicator's rows depend on nothing but its own records, so
	the rows of a set of programmes are these rows of its programmes."""
	from ta_programmes import results as M
	from ta_programmes.transparency.cache import RESULTS_GENERATION_KEY

	def compute() -> list[tuple]:
		programmes = frappe.get_all("TA Programme", pluck="name", order_by="name asc")
		return [
			(
				r.programme, r.code or "", f"{r.code} {plain(r.title)}", r.period or "", _figure(r.baseline), _figure(r.target),
				_figure(r.actual), "" if r.achievement is None else f"{r.achievement:g}%",
			)
			for r in M.latest_by_indicator(M.published(programmes, k, rounding=True))
		]

	return cached("public-results", {"k": k}, compute, generation_key=RESULTS_GENERATION_KEY)


def _figure(value) -> str | int | float:
	"""A published figure: a number (formatted for the reader by ``core.l10n.cell``), a hidden
	one as the privacy rules wrote it ("<5", "x"), or nothing."""
	if value is None:
		return ""
	if isinstance(value, str):
		return value
	return int(value) if float(value).is_integer() else float(value)


def _breakdown(id_, title, headers, rows, key, k, extra=lambda r: [], published=None, translated=False) -> dict:
	"""A one-dimensional public table: activities and participants per ``key``, suppressed (or as
	``published`` by the caller) and rounded to base k. ``translated``: the values of ``key`` are
	words of the app (a regional group), shown in the reader's language."""
	from ta_programmes.core import privacy

	shown, total = published or privacy.suppress_counts({str(r[key]): _n(r.participants) for r in rows}, k)
	body = [
		[_(str(r[key])) if translated else str(r[key]), *extra(r), _n(r.activities), privacy.rounded(shown[str(r[key])], k)]
		for r in sorted(rows, key=lambda r: str(r[key]))
	]
	footer = (
		[_("Total"), *[""] * (len(headers) - 1), sum(_n(r.activities) for r in rows), privacy.rounded(total, k)] if rows else None
	)
	return {"id": id_, "title": title, "headers": [*headers, _("Activities"), _("Participants")], "rows": body, "footer": footer}


def plain(text: str | None) -> str:
	"""Text as typed: Frappe stores markup in Data fields escaped (``&lt;``); outputs escape it
	themselves (HTML) or need none (CSV, PDF, XML), so they take the plain text."""
	import html

	return html.unescape(text or "")


def public_programme(p, lang: str = "en") -> dict:
	"""The public summary of one approved programme (no officer, reviewer or review content), its
	title and summary in ``lang`` where they were written in it."""
	from ta_programmes.core import l10n
	from ta_programmes.i18n import text_in

	oversight = oversight_status(p)
	if p.overrides and p.status != "Suspended":
		oversight += "; " + _("{0} civil-society objection(s) overridden with a published justification").format(p.overrides)
	return {
		"name": p.name,
		"title": plain(text_in(p, "title", lang)),
		"summary": plain(text_in(p, "summary", lang)),
		"status": _(p.status),
		"dates": l10n.period(p.planned_start, p.planned_end, lang),
		"budget": l10n.money(p.budget, p.currency, lang),
		"states": ", ".join(_(s) for s in p.states),
		"themes": ", ".join(_(t) for t in p.themes),
		"donors": ", ".join(p.donors),
		"oversight": oversight,
		"experts": ", ".join(p.experts),
	}
