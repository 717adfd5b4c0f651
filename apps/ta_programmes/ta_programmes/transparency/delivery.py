"""The delivery aggregates: delivered activities, participants, trainer-hours and fees grouped in the
database, read from the delivery rollup (``ta_programmes.rollup``) or counted from the activities;
budgets per state and published overrides."""

from __future__ import annotations

import frappe
from frappe.query_builder.functions import Cast, Count, Max, Sum
from frappe.utils import getdate
from pypika.terms import Case, Criterion

from ta_programmes import rollup
from ta_programmes.transparency.filters import (
	REPORTED_STATUSES,
	Activity,
	Filters,
	FundingLine,
	Override,
	Programme,
	ProgrammeState,
	Rollup,
	State,
	Theme,
	Year,
	_In,
)


def _activity_conditions(q, f: Filters):
	"""Delivered activities of reported programmes, within the filters."""
	q = q.where(Activity.status == "Delivered").where(Programme.status.isin(REPORTED_STATUSES))
	if f.from_date:
		q = q.where(Activity.end >= getdate(f.from_date))
	if f.to_date:
		q = q.where(Activity.end < frappe.utils.add_days(getdate(f.to_date), 1))
	return _within(q, f, Activity)


def _within(q, f: Filters, table):
	"""The filters other than dates on ``table`` (TA Activity or the rollup: both have programme,
	beneficiary_state and thematic_area), with the programme, state and theme joined as needed."""
	if f.beneficiary_state:
		q = q.where(table.beneficiary_state == f.beneficiary_state)
	if f.regional_group:
		q = q.where(State.regional_group == f.regional_group)
	if f.thematic_area:
		q = q.where(table.thematic_area == f.thematic_area)
	if f.category:
		q = q.where(Theme.category == f.category)
	if f.lead_agency:
		q = q.where(Programme.lead_agency == f.lead_agency)
	if f.donor:
		funded = frappe.qb.from_(FundingLine).select(FundingLine.parent).where(FundingLine.donor == f.donor)
		q = q.where(table.programme.isin(funded))
	if f.programmes is not None:
		q = q.where(_In(table.programme, f.programmes))
	return q


def _activities_joined():
	return (
		frappe.qb.from_(Activity)
		.join(Programme)
		.on(Activity.programme == Programme.name)
		.join(State)
		.on(Activity.beneficiary_state == State.name)
		.join(Theme)
		.on(Activity.thematic_area == Theme.name)
	)


# What the aggregates may be grouped by.
GROUP_COLUMNS = {
	"programme": Activity.programme,
	"state": Activity.beneficiary_state,
	"regional_group": State.regional_group,
	"theme": Activity.thematic_area,
	"category": Theme.category,
	"year": Year(Activity.end),
}


def delivery_by(f: Filters, *group: str) -> list[dict]:
	"""Delivered activities, participants, trainer-hours (and the outside experts' part) and
	trainer fees, grouped by the given keys: programme, state, regional_group, theme, category,
	year. Read from the delivery rollup (``ta_programmes.rollup``: sums per programme, state,
	theme and period, kept in step with the activities): its all-time rows, or the years and
	months a range of whole months covers. A range that does not fall on month boundaries (the
	desk allows any day) is counted from the activities (:func:`delivery_by_activities`). The
	same rows either way: keys in the database's order, ``activities`` an int, the sums as the
	database adds them."""
	return _run_delivery(_delivery_query(f, group))


def delivery_by_activities(f: Filters, *group: str) -> list[dict]:
	""":func:`delivery_by` counted from the activities themselves (one pass over TA Activity,
	covered by its delivery_cover index): for dates that are not whole months, and the reference
	the rollup is tested against."""
	return _run_delivery(_activity_query(f, group))


def _run_delivery(q) -> list[dict]:
	rows = q.run(as_dict=True)
	for r in rows:
		r.activities = int(r.activities or 0)  # a count, as COUNT() gives it
	return rows


def _delivery_query(f: Filters, group: tuple[str, ...]):
	ranges = rollup.period_ranges(f.from_date, f.to_date, by_year="year" in group) if rollup.ready() else None
	return _rollup_query(f, ranges, group) if ranges else _activity_query(f, group)


def _activity_query(f: Filters, group: tuple[str, ...]):
	q = _activity_conditions(_activities_joined(), f).select(
		*[GROUP_COLUMNS[g].as_(g) for g in group],
		Count(Activity.name).as_("activities"),
		*[Sum(Activity[source]).as_(measure) for measure, source in rollup.MEASURES.items() if source],
	)
	return q.groupby(*[GROUP_COLUMNS[g] for g in group]) if group else q


# The grouping keys on the rollup (see GROUP_COLUMNS): a year row's period is its year, a month
# row's YYYYMM; the rows of activities without an end have no year.
ROLLUP_COLUMNS = {
	"programme": Rollup.programme,
	"state": Rollup.beneficiary_state,
	"regional_group": State.regional_group,
	"theme": Rollup.thematic_area,
	"category": Theme.category,
	"year": Case()
	.when(Rollup.period >= 10000, Cast(Rollup.period / 100, "SIGNED"))
	.when(Rollup.period == rollup.NO_YEAR, None)
	.else_(Rollup.period),
}


def _rollup_query(f: Filters, ranges: list[tuple[int, int]], group: tuple[str, ...]):
	"""The sums of :func:`delivery_by` on the rollup rows of the periods ``ranges``."""
	q = _rollup_from(f, ranges, group).select(
		*[ROLLUP_COLUMNS[g].as_(g) for g in group], *[Sum(Rollup[m]).as_(m) for m in rollup.MEASURES]
	)
	return q.groupby(*[ROLLUP_COLUMNS[g] for g in group]) if group else q


def _rollup_from(f: Filters, ranges: list[tuple[int, int]], group: tuple[str, ...]):
	""":func:`_activity_conditions` on the rollup: the rows of the periods ``ranges``, of reported
	programmes, within the filters. The state and theme are joined only when a filter or a key
	needs them (every activity's state and theme exist: they are links). The rollup is read
	first, in the order of its index (STRAIGHT_JOIN): grouped by programme and state without a
	temporary table, where MariaDB would otherwise start from the programmes' status."""
	q = frappe.qb.from_(Rollup).join(Programme).on(Rollup.programme == Programme.name).modifier("STRAIGHT_JOIN")
	if f.regional_group or "regional_group" in group:
		q = q.join(State).on(Rollup.beneficiary_state == State.name)
	if f.category or "category" in group:
		q = q.join(Theme).on(Rollup.thematic_area == Theme.name)
	q = q.where(Programme.status.isin(REPORTED_STATUSES))
	q = q.where(Criterion.any([Rollup.period == a if a == b else Rollup.period[a:b] for a, b in ranges]))
	return _within(q, f, Rollup)


def delivery_with_budgets(f: Filters, by: str | None = None) -> list[dict]:
	""":func:`delivery_by` per programme and state, with each programme's title, lead agency
	and currency and the state's share of its budget (``budget × share / 100``, as
	:func:`state_budgets`): the desk report's figures in one query. ``by="programme"``: those
	rows added up per programme (``states``: how many; ``budget``: the shares of the states it
	delivered in); ``by="state"``: per state over programmes (``programmes``: how many; no
	budget, amounts in several currencies are not added up)."""
	g = _delivery_query(f, ("programme", "state"))
	if by == "state":
		q = frappe.qb.from_(g).select(
			g.state, Count("*").as_("programmes"), *[Sum(g[m]).as_(m) for m in rollup.MEASURES]
		).groupby(g.state)
		return _run_delivery(q)
	budget = Programme.budget * ProgrammeState.share / 100
	meta = (Programme.title, Programme.lead_agency, Programme.currency)
	q = (
		frappe.qb.from_(g)
		.join(Programme)
		.on(Programme.name == g.programme)
		.modifier("STRAIGHT_JOIN")  # from the grouped rows to their programme, not the other way
		.left_join(ProgrammeState)
		.on(
			(ProgrammeState.parent == g.programme)
			& (ProgrammeState.parenttype == "TA Programme")
			& (ProgrammeState.beneficiary_state == g.state)
		)
	)
	if by == "programme":
		q = q.select(
			g.programme, *meta, Count("*").as_("states"), *[Sum(g[m]).as_(m) for m in rollup.MEASURES], Sum(budget).as_("budget")
		).groupby(g.programme, *meta)
	else:
		q = q.select(g.star, *meta, budget.as_("budget"))
	return _run_delivery(q)


def delivery_per_programme(f: Filters) -> tuple[list[dict], list[dict]]:
	"""The desk report per programme: ``delivery_with_budgets(f, by="programme")``, and the women,
	men and other participants per programme and state (for the chart by regional group). On
	the rollup in two queries that read it in its index's order (no temporary table): the sums
	per programme, and per programme and state with the state's budget share, each programme's
	budget then added up here from the shares of the states it delivered in."""
	ranges = rollup.period_ranges(f.from_date, f.to_date) if rollup.ready() else None
	if not ranges:
		return delivery_with_budgets(f, by="programme"), delivery_by(f, "programme", "state")
	per_programme = _rollup_from(f, ranges, ()).select(
		Rollup.programme, Max(Programme.title).as_("title"), Max(Programme.lead_agency).as_("lead_agency"),
		Max(Programme.currency).as_("currency"), Max(Programme.budget).as_("programme_budget"),
		Count(Rollup.beneficiary_state).distinct().as_("states"), *[Sum(Rollup[m]).as_(m) for m in rollup.MEASURES],
	)
	share = (
		frappe.qb.from_(ProgrammeState)
		.select(ProgrammeState.share)
		.where(ProgrammeState.parent == Rollup.programme)
		.where(ProgrammeState.parenttype == "TA Programme")
		.where(ProgrammeState.beneficiary_state == Rollup.beneficiary_state)
		.limit(1)
	)
	per_state = _rollup_from(f, ranges, ()).select(
		Rollup.programme, Rollup.beneficiary_state.as_("state"), *[Sum(Rollup[m]).as_(m) for m in ("women", "men", "other")],
		share.as_("share"),
	)
	programmes = _run_delivery(per_programme.groupby(Rollup.programme))
	states = per_state.groupby(Rollup.programme, Rollup.beneficiary_state).run(as_dict=True)
	shares: dict[str, float] = {}
	for r in states:
		shares[r.programme] = shares.get(r.programme, 0.0) + float(r.share or 0)
	for p in programmes:
		p.budget = float(p.programme_budget or 0) * shares.get(p.programme, 0.0) / 100
	return programmes, states


def delivered_programmes(f: Filters) -> list[str]:
	"""The programmes :func:`delivery_by` counts for ``f``."""
	ranges = rollup.period_ranges(f.from_date, f.to_date) if rollup.ready() else None
	if ranges:
		q = _rollup_from(f, ranges, ()).select(Rollup.programme)
	else:
		q = _activity_conditions(_activities_joined(), f).select(Activity.programme)
	return q.distinct().run(pluck=True)


def state_budgets(programmes: list[str]) -> dict[tuple[str, str], float]:
	"""Each programme's budget shared out to its states by their share."""
	if not programmes:
		return {}
	rows = (
		frappe.qb.from_(ProgrammeState)
		.join(Programme)
		.on(ProgrammeState.parent == Programme.name)
		.select(ProgrammeState.parent, ProgrammeState.beneficiary_state, (Programme.budget * ProgrammeState.share / 100).as_("budget"))
		.where(ProgrammeState.parenttype == "TA Programme")
		.where(ProgrammeState.parent.isin(programmes))
		.run(as_dict=True)
	)
	return {(r.parent, r.beneficiary_state): float(r.budget or 0) for r in rows}


def overrides_by_programme(programmes: list[str] | None) -> dict[str, int]:
	"""Submitted objection overrides per programme, of ``programmes`` (None: of every programme)."""
	if programmes is not None and not programmes:
		return {}
	q = (
		frappe.qb.from_(Override)
		.select(Override.programme, Count(Override.name).as_("n"))
		.where(Override.docstatus == 1)
		.groupby(Override.programme)
	)
	if programmes is not None:
		q = q.where(Override.programme.isin(programmes))
	return {r.programme: r.n for r in q.run(as_dict=True)}


def published_overrides(programmes: list[str] | None = None) -> list[dict]:
	"""Every civil-society objection override with its justification (public by design)."""
	q = (
		frappe.qb.from_(Override)
		.join(Programme)
		.on(Override.programme == Programme.name)
		.select(
			Programme.name.as_("programme"), Programme.title, Programme.title_fr, Programme.title_es, Programme.title_ar,
			Override.organisation, Override.justification, Override.recorded_on,
		)
		.where(Override.docstatus == 1)
		.where(Programme.status.isin(REPORTED_STATUSES))
		.orderby(Override.recorded_on, order=frappe.qb.desc)
	)
	if programmes is not None:
		q = q.where(_In(Programme.name, programmes))
	return q.run(as_dict=True)
