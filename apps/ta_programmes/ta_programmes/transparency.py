"""Frappe side of transparency reporting: the aggregate queries (GROUP BY in the database,
through frappe.qb) behind the desk report, the public page, the PDF, the CSV and the IATI file.

Which programmes a caller may see is decided here once (:func:`visible_programmes`): donors
restricted to what they fund, the public restricted to programmes that were approved. The
privacy rules (suppression, what is public) are in ``core.privacy``.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Cast, Count, Max, Sum
from frappe.utils import getdate
from pypika import CustomFunction
from pypika.terms import Case, Criterion

from ta_programmes import rollup
from ta_programmes.permissions import donors_of, is_restricted_donor

Activity = DocType("TA Activity")
Programme = DocType("TA Programme")
State = DocType("TA Beneficiary State")
Theme = DocType("TA Thematic Area")
ActivityTrainer = DocType("TA Activity Trainer")
Trainer = DocType("TA Trainer")
ProgrammeState = DocType("TA Programme State")
FundingLine = DocType("TA Funding Line")
Override = DocType("TA Objection Override")
Rollup = DocType(rollup.DOCTYPE)

# Programmes that went through approval: the ones reported on.
REPORTED_STATUSES = ("Approved", "Active", "Suspended", "Completed")
HOURS_PER_DAY = 8
Year = CustomFunction("YEAR", ["date"])


class _In(Criterion):
	"""``field IN (values)`` with the values escaped once by the connection: the query builder
	makes a parameter per value, which costs more than the query itself for the thousands of
	programmes a decade holds."""

	def __init__(self, field, values):
		super().__init__()
		self.field = field
		# escape() doubles "%": the query is %-formatted with the builder's parameters
		self.values = ", ".join(frappe.db.escape(str(v)) for v in values) or "''"

	def get_sql(self, **kwargs):
		return f"{self.field.get_sql(**kwargs)} IN ({self.values})"


# The versions of the title and summary in other languages (see ta_programmes.i18n).
PUBLIC_VERSIONS = ("title_fr", "title_es", "title_ar", "summary_fr", "summary_es", "summary_ar")

# The filters a Guest may set on the public outputs (page, CSV, PDF).
PUBLIC_FILTERS = ("from_date", "to_date", "donor", "regional_group", "category", "beneficiary_state", "thematic_area")
PUBLIC_LINKS = {
	"donor": ("TA Donor", "Donor"),
	"beneficiary_state": ("TA Beneficiary State", "Beneficiary state"),
	"thematic_area": ("TA Thematic Area", "Thematic area"),
}


@dataclass
class Filters:
	from_date: str | None = None
	to_date: str | None = None
	donor: str | None = None
	beneficiary_state: str | None = None
	regional_group: str | None = None
	thematic_area: str | None = None
	category: str | None = None
	lead_agency: str | None = None
	programmes: list[str] | None = field(default=None)  # visibility restriction (None: all)

	@classmethod
	def public(cls, form: dict | None) -> dict:
		"""A Guest's filters, checked: whole months for dates, known values for the rest. A
		filter that is not one of these is refused with a message naming it (HTTP 417 from
		the API; the page shows the message and the unfiltered report)."""
		from ta_programmes.core import constants, privacy
		from ta_programmes.enforce import rules

		form = form or {}
		out: dict[str, str] = {}
		with rules():
			for key in PUBLIC_FILTERS:
				value = form.get(key)
				if value in (None, ""):
					continue
				if not isinstance(value, str):
					value = str(value)
				if key in ("from_date", "to_date"):
					label = _("From") if key == "from_date" else _("To")
					out[key] = str(privacy.public_month(value, label, end=key == "to_date"))
				elif key == "regional_group":
					out[key] = privacy.check_public_choice(value, constants.REGIONAL_GROUPS, _("Regional group"))
				elif key == "category":
					out[key] = privacy.check_public_choice(value, constants.THEME_CATEGORIES, _("Category"))
				else:
					doctype, label = PUBLIC_LINKS[key]
					value = value.strip()[:140]
					out[key] = privacy.check_public_choice(value, {value} if frappe.db.exists(doctype, value) else (), _(label))
		return out

	@classmethod
	def from_dict(cls, values: dict | None) -> Filters:
		"""A desk user's filters: text values (a list or an object is refused, not sent to SQL),
		dates that are dates."""
		from ta_programmes.api.args import bad, date_arg

		values = frappe._dict(values or {})
		out: dict[str, str | None] = {}
		for key in cls.__dataclass_fields__:
			value = values.get(key)
			if key == "programmes" or value in (None, ""):
				continue
			label = _(key.replace("_", " ").capitalize())
			if not isinstance(value, str):
				bad(label, value, _("a single value"))
			out[key] = str(date_arg(value, label)) if key in ("from_date", "to_date") else value.strip()[:140]
		return cls(**out)

	def label(self) -> dict[str, str]:
		return {k: str(v) for k, v in self.__dict__.items() if v and k != "programmes"}


def visible_programmes(user: str | None = None) -> list[str] | None:
	"""None when the user sees every programme; else the programmes their donors fund."""
	user = user or frappe.session.user
	if not is_restricted_donor(user):
		return None
	donors = donors_of(user)
	if not donors:
		return []
	return frappe.get_all(
		"TA Funding Line", filters={"parenttype": "TA Programme", "donor": ("in", donors)}, pluck="parent", distinct=True
	)


def _activity_conditions(q, f: Filters):
	"""Delivered activities of reported programmes, within the filters."""
	q = q.where(Activity.status == "Delivered").where(Programme.status.isin(REPORTED_STATUSES))
	if f.from_date:
		q = q.where(Activity.end >= getdate(f.from_date))
	if f.to_date:
		q = q.where(Activity.end < frappe.utils.add_days(getdate(f.to_date), 1))
	if f.beneficiary_state:
		q = q.where(Activity.beneficiary_state == f.beneficiary_state)
	if f.regional_group:
		q = q.where(State.regional_group == f.regional_group)
	if f.thematic_area:
		q = q.where(Activity.thematic_area == f.thematic_area)
	if f.category:
		q = q.where(Theme.category == f.category)
	if f.lead_agency:
		q = q.where(Programme.lead_agency == f.lead_agency)
	if f.donor:
		funded = frappe.qb.from_(FundingLine).select(FundingLine.parent).where(FundingLine.donor == f.donor)
		q = q.where(Activity.programme.isin(funded))
	if f.programmes is not None:
		q = q.where(Activity.programme.isin(f.programmes or [""]))
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
	if f.beneficiary_state:
		q = q.where(Rollup.beneficiary_state == f.beneficiary_state)
	if f.regional_group:
		q = q.where(State.regional_group == f.regional_group)
	if f.thematic_area:
		q = q.where(Rollup.thematic_area == f.thematic_area)
	if f.category:
		q = q.where(Theme.category == f.category)
	if f.lead_agency:
		q = q.where(Programme.lead_agency == f.lead_agency)
	if f.donor:
		funded = frappe.qb.from_(FundingLine).select(FundingLine.parent).where(FundingLine.donor == f.donor)
		q = q.where(Rollup.programme.isin(funded))
	if f.programmes is not None:
		q = q.where(_In(Rollup.programme, f.programmes))
	return q


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


# --- public data ---------------------------------------------------------------------------------
CACHE_KEY = "ta_transparency"
CACHE_SECONDS = 600


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
	if f.programmes is not None:
		filters["name"] = ("in", f.programmes or [""])
	programmes = frappe.get_all(
		"TA Programme",
		filters=filters,
		fields=[
			"name", "title", "status", "planned_start", "planned_end", "budget", "currency", "lead_agency", "gate_alert",
			"summary", *PUBLIC_VERSIONS,
		],
		order_by="planned_start desc",
	)
	if lists or any((f.donor, f.beneficiary_state, f.regional_group, f.thematic_area, f.category)):
		add_lists(programmes)
	groups = dict(frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True))
	categories = dict(frappe.get_all("TA Thematic Area", fields=["name", "category"], as_list=True))
	overridden = overrides_by_programme(None)  # every programme's: a small table
	experts = consenting_experts([p.name for p in programmes]) if with_experts else {}
	out = []
	for p in programmes:
		if f.donor and f.donor not in p.donors:
			continue
		if f.beneficiary_state and f.beneficiary_state not in p.states:
			continue
		if f.regional_group and f.regional_group not in {groups.get(s) for s in p.states}:
			continue
		if f.thematic_area and f.thematic_area not in p.themes:
			continue
		if f.category and f.category not in {categories.get(t) for t in p.themes}:
			continue
		p.overrides = overridden.get(p.name, 0)
		p.experts = experts.get(p.name, [])
		out.append(p)
	return out


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


GENERATION_KEY = f"{CACHE_KEY}:generation"
PAGE_SIZE = 50


def cached(kind: str, args: dict, compute):
	"""``compute()`` cached per ``args`` until what is reported changes (the doc_events bump the
	generation) or for CACHE_SECONDS at most. ``args`` must hold everything the result depends
	on, including who may see what."""
	import hashlib

	generation = frappe.cache.get_value(GENERATION_KEY) or "0"
	digest = hashlib.sha1(frappe.as_json(args, indent=None).encode()).hexdigest()
	key = f"{CACHE_KEY}:{generation}:{kind}:{digest}"
	# expires=True: read from Redis, not the request's local cache (which would keep a miss
	# while set_value with an expiry does not update it)
	value = frappe.cache.get_value(key, expires=True)
	if value is None:
		value = compute()
		frappe.cache.set_value(key, value, expires_in_sec=CACHE_SECONDS)
	return value


def public_report_cached(values: dict, page: int | None = None) -> dict:
	"""The public report, cached per filters and page until the published data changes."""
	from ta_programmes.i18n import public_lang

	return cached(
		"public",
		{"values": sorted(values.items()), "page": page, "lang": public_lang()},
		lambda: public_report(Filters.from_dict(values), page=page),
	)


def clear_public_cache(doc=None, method=None) -> None:
	"""doc_events hook: a change to what is published starts a new cache generation (one write,
	no key scan) and drops Frappe's cached HTML of the page."""
	_new_generation()
	# Once the change is committed, the primary's position is recorded for the replica reads and
	# the generation moves again: a reader that cached the data as it stood before the commit
	# (between the bump above and the commit, or from a replica still behind) is not kept.
	if _after_commit not in frappe.db.after_commit._functions:
		frappe.db.after_commit.add(_after_commit)


def _new_generation() -> None:
	from frappe.website.utils import delete_page_cache

	frappe.cache.set_value(GENERATION_KEY, frappe.generate_hash(length=8))
	delete_page_cache("transparency")
	delete_page_cache("my-programmes")


def _after_commit() -> None:
	from ta_programmes import replica

	replica.mark_write()
	_new_generation()


def before_request() -> None:
	"""Frappe keeps the rendered /transparency for Guests; only a plain GET of it (no query, no
	form body, no session) is served from, or stored in, that cache: a filtered, paged, posted or
	logged-in view never is (a POST with filters would otherwise be stored as everyone's page)."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.path.rstrip("/") != "/transparency":
		return
	plain_get = request.method in ("GET", "HEAD") and not request.args and not request.content_length
	if not plain_get or request.cookies.get("sid", "Guest") not in ("", "Guest") or not settings().public_page_enabled:
		frappe.local.no_cache = True


# JSON responses (desk reports, lists, the API) are compressed for clients that accept gzip: a
# decade of the desk report is 0.7 MB of JSON per programme, 0.1 MB gzipped (level 1, as nginx's
# default, about 3 ms). Off with the site setting "ta_gzip_json": 0 (a proxy compressing instead).
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 1


def after_request(response=None, request=None) -> None:
	"""after_request hook: gzip a JSON response of more than 1 kB when the client accepts gzip.
	Files, streamed responses and anything already encoded are left alone."""
	import gzip

	if response is None or request is None or not frappe.conf.get("ta_gzip_json", 1):
		return
	if response.direct_passthrough or response.is_streamed or response.mimetype != "application/json":
		return
	if "Content-Encoding" in response.headers or not request.accept_encodings["gzip"]:
		return
	data = response.get_data()
	if len(data) < GZIP_MIN_BYTES:
		return
	response.set_data(gzip.compress(data, compresslevel=GZIP_LEVEL))
	response.headers["Content-Encoding"] = "gzip"
	response.vary.add("Accept-Encoding")


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
	tables.append(results_table(f.programmes, {p.name: plain(i18n.text_in(p, "title", lang)) for p in programmes}, k))
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
	}


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
	(else its first), for Guests (counts suppressed and rounded; see results.published)."""
	from ta_programmes import results as M

	rows = M.latest_by_indicator(M.published(programmes, k, rounding=True))
	body = [
		[
			titles.get(r.programme, r.programme), f"{r.code} {plain(r.title)}", r.period or "", _figure(r.baseline), _figure(r.target),
			_figure(r.actual), "" if r.achievement is None else f"{r.achievement:g}%",
		]
		for r in sorted(rows, key=lambda r: (titles.get(r.programme, ""), r.code or ""))
	]
	return {
		"id": "results",
		"title": _("Results: what changed"),
		"headers": [_("Programme"), _("Indicator"), _("Period"), _("Baseline"), _("Target"), _("Actual"), _("% of target")],
		"rows": body,
		"footer": None,
	}


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


# --- PDF ------------------------------------------------------------------------------------------


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

	from ta_programmes.core.report_pdf import build_pdf

	# No frappe.set_user here: inside a request it would replace the caller's session. The
	# background job already runs as the user who queued it; visibility is passed explicitly.
	from ta_programmes import replica

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
