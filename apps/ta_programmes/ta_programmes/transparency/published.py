"""What the public may know of the programmes that went through approval: the settings, the reported
programmes with their states, themes, donors and consenting outside experts, donor commitments."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum

from ta_programmes.transparency.delivery import overrides_by_programme
from ta_programmes.transparency.filters import (
	PUBLIC_VERSIONS,
	REPORTED_STATUSES,
	Activity,
	ActivityTrainer,
	Filters,
	FundingLine,
	Programme,
	ProgrammeState,
	State,
	Theme,
	Trainer,
	_In,
)


def settings():
	return frappe.get_cached_doc("TA Transparency Settings")


def check_published() -> None:
	"""Every public output (page, CSV, PDF, IATI) is off while the public page is disabled."""
	if not settings().public_page_enabled:
		frappe.throw(
			_("The public transparency report is not published on this site."),
			frappe.PermissionError,
			title=_("Not Published"),
		)


def reported_programmes(f: Filters, with_experts: bool = True, lists: bool = True) -> list[dict]:
	"""Programmes that went through approval, with what the public may know of them. ``lists``:
	with each programme's states, themes and donors (``False``: only where a filter needs them;
	the caller adds them to the programmes it shows with :func:`add_lists`)."""
	filters = {"status": ("in", REPORTED_STATUSES)}
	if f.lead_agency:
		filters["lead_agency"] = f.lead_agency
	narrowing = any((f.donor, f.beneficiary_state, f.regional_group, f.thematic_area, f.category))
	# The programmes a filter on what they cover selects, found in their child tables (instead of
	# reading every programme's lists to test them here); None: no such filter.
	matching = programmes_covering(f) if narrowing else None
	if f.programmes is not None or matching is not None:
		names = f.programmes if f.programmes is not None else sorted(matching)
		if matching is not None:
			names = [n for n in names if n in matching]
		filters["name"] = ("in", names or [""])
	programmes = frappe.get_all(
		"TA Programme",
		filters=filters,
		fields=[
			"name", "title", "status", "planned_start", "planned_end", "budget", "currency", "lead_agency", "gate_alert",
			"summary", *PUBLIC_VERSIONS,
		],
		order_by="planned_start desc",
	)
	if lists:
		add_lists(programmes)
	overridden = overrides_by_programme(None)  # every programme's: a small table
	experts = consenting_experts([p.name for p in programmes]) if with_experts else {}
	out = []
	for p in programmes:
		if matching is not None and p.name not in matching:
			continue
		p.overrides = overridden.get(p.name, 0)
		p.experts = experts.get(p.name, [])
		out.append(p)
	return out


def programmes_covering(f: Filters) -> set[str]:
	"""The programmes whose states, themes and funding lines (the lists :func:`add_lists` reads)
	satisfy the filters on what a programme covers: a donor among its funding lines, a state (or
	a state of a regional group) among its states, a thematic area (or one of a category) among its
	themes. Values compared exactly, as the lists were (the database's collation ignores case)."""
	sets = []
	if f.donor:
		rows = frappe.qb.from_(FundingLine).select(FundingLine.parent, FundingLine.donor).where(
			(FundingLine.parenttype == "TA Programme") & (FundingLine.donor == f.donor)
		).run()
		sets.append({parent for parent, donor in rows if donor == f.donor})
	if f.beneficiary_state or f.regional_group:
		q = frappe.qb.from_(ProgrammeState).select(ProgrammeState.parent, ProgrammeState.beneficiary_state).where(
			ProgrammeState.parenttype == "TA Programme"
		)
		if f.beneficiary_state:
			rows = q.where(ProgrammeState.beneficiary_state == f.beneficiary_state).run()
			sets.append({parent for parent, state in rows if state == f.beneficiary_state})
		if f.regional_group:
			groups = dict(frappe.qb.from_(State).select(State.name, State.regional_group).run())
			states = [name for name, group in groups.items() if group == f.regional_group]
			rows = q.where(ProgrammeState.beneficiary_state.isin(states or [""])).run()
			sets.append({parent for parent, state in rows if groups.get(state) == f.regional_group})
	if f.thematic_area or f.category:
		ProgrammeTheme = frappe.qb.DocType("TA Programme Theme")
		q = frappe.qb.from_(ProgrammeTheme).select(ProgrammeTheme.parent, ProgrammeTheme.thematic_area).where(
			ProgrammeTheme.parenttype == "TA Programme"
		)
		if f.thematic_area:
			rows = q.where(ProgrammeTheme.thematic_area == f.thematic_area).run()
			sets.append({parent for parent, theme in rows if theme == f.thematic_area})
		if f.category:
			categories = dict(frappe.qb.from_(Theme).select(Theme.name, Theme.category).run())
			themes = [name for name, category in categories.items() if category == f.category]
			rows = q.where(ProgrammeTheme.thematic_area.isin(themes or [""])).run()
			sets.append({parent for parent, theme in rows if categories.get(theme) == f.category})
	return set.intersection(*sets) if sets else set()


# A programme's lists that filters and the public summary read: key, child doctype, field.
CHILD_LISTS = (
	("states", "TA Programme State", "beneficiary_state"),
	("themes", "TA Programme Theme", "thematic_area"),
	("donors", "TA Funding Line", "donor"),
)
SEPARATOR = "\x1f"


def add_lists(programmes: list[dict]) -> None:
	"""Set each programme's ``states``, ``themes`` and ``donors`` (sorted, once each) where missing."""
	missing = [p for p in programmes if "states" not in p]
	children = programme_children([p.name for p in missing])
	for p in missing:
		lists = children.get(p.name) or {"states": [], "themes": [], "donors": []}
		p.states, p.themes, p.donors = lists["states"], lists["themes"], sorted(set(lists["donors"]))


def programme_children(names: list[str]) -> dict[str, dict[str, list[str]]]:
	"""Each programme's states, themes and donors (of its funding lines), each list in the rows'
	order, for every programme of ``names`` in one query (three lists of 2 000 programmes would
	take three queries of 5 000 rows)."""
	if not names:
		return {}
	columns = ", ".join(
		f"(select group_concat(c.`{field}` order by c.`idx` separator '{SEPARATOR}') from `tab{doctype}` c "
		f"where c.`parent` = p.`name` and c.`parenttype` = 'TA Programme') as `{key}`"
		for key, doctype, field in CHILD_LISTS
	)
	rows = frappe.db.sql(
		f"select p.`name`, {columns} from `tabTA Programme` p where p.`name` in %(names)s",  # nosemgrep: frappe-using-db-sql -- GROUP_CONCAT ... ORDER BY ... SEPARATOR has no query-builder form
		{"names": tuple(names)},
		as_dict=True,
	)
	return {
		r.name: {key: r[key].split(SEPARATOR) if r[key] is not None else [] for key, _doctype, _field in CHILD_LISTS}
		for r in rows
	}


def consenting_experts(programmes: list[str]) -> dict[str, list[str]]:
	"""Trainers who delivered for each programme and consented to a public profile (no one else)."""
	if not programmes:
		return {}
	rows = (
		frappe.qb.from_(ActivityTrainer)
		.join(Activity)
		.on((ActivityTrainer.parent == Activity.name) & (ActivityTrainer.parenttype == "TA Activity"))
		.join(Trainer)
		.on(ActivityTrainer.trainer == Trainer.name)
		.select(Activity.programme, Trainer.full_name)
		.distinct()
		.where(Activity.status == "Delivered")
		.where(Trainer.consent_public_profile == 1)
		.where(Activity.programme.isin(programmes))
		.orderby(Trainer.full_name)
		.run(as_dict=True)
	)
	out: dict[str, list[str]] = {}
	for r in rows:
		out.setdefault(r.programme, []).append(r.full_name)
	return out


def donor_commitments(programmes: list[str] | None) -> list[dict]:
	"""Each donor's commitments per currency (a funding line's amount in its programme's currency):
	amounts in different currencies are never added up. ``programmes``: None for every reported
	programme."""
	if programmes is not None and not programmes:
		return []
	q = (
		frappe.qb.from_(FundingLine)
		.join(Programme)
		.on(FundingLine.parent == Programme.name)
		.select(
			FundingLine.donor, Programme.currency, Count(FundingLine.parent).distinct().as_("programmes"),
			Sum(FundingLine.base_amount).as_("committed"),
		)
		.where(FundingLine.parenttype == "TA Programme")
		.groupby(FundingLine.donor, Programme.currency)
		.orderby(FundingLine.donor)
		.orderby(Programme.currency)
	)
	if programmes is None:
		q = q.where(Programme.status.isin(REPORTED_STATUSES))
	else:
		q = q.where(_In(FundingLine.parent, programmes))
	return q.run(as_dict=True)


def by_currency(amounts, lang: str = "en") -> str:
	"""Amounts as (currency, value) pairs, added up per currency, in short: "$1.2M; €300K"."""
	from ta_programmes.core import l10n

	totals: dict[str, float] = {}
	for currency, value in amounts:
		totals[currency or "USD"] = totals.get(currency or "USD", 0) + float(value or 0)
	return "; ".join(l10n.compact_money(v, c, lang) for c, v in sorted(totals.items())) or l10n.number(0, lang)


def public_filter_options() -> dict:
	from ta_programmes.core.constants import REGIONAL_GROUPS, THEME_CATEGORIES

	return {
		"donors": frappe.get_all("TA Donor", pluck="name", order_by="name"),
		"regional_groups": REGIONAL_GROUPS,
		"categories": THEME_CATEGORIES,
	}


def oversight_status(p, lang: str | None = None) -> str:
	"""The public wording of a programme's oversight status (page, CSV, PDF, IATI, donor view),
	in ``lang`` (default: the request's): an approved programme whose gate no longer holds is
	never called approved with sign-off."""
	if p.status in ("Draft",):
		return _("Not yet submitted for human-rights review", lang=lang)
	if p.status == "Under Review":
		return _("Under human-rights review (OHCHR and civil society)", lang=lang)
	if p.status == "Suspended":
		return _("Suspended under the human-rights due-diligence policy", lang=lang)
	if p.status == "Cancelled":
		return _("Cancelled", lang=lang)
	if p.get("gate_alert"):
		return _("Approved; oversight requirements need renewal", lang=lang)
	return _("Approved after human-rights review with OHCHR and civil-society sign-off", lang=lang)
