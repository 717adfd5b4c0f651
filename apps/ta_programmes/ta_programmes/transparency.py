"""Frappe side of transparency reporting: the aggregate queries (GROUP BY in the database,
through frappe.qb) behind the desk report, the public page, the PDF, the CSV and the IATI file.

Which programmes a caller may see is decided here once (:func:`visible_programmes`): donors
restricted to what they fund, the public restricted to programmes that were approved. The
privacy rules (suppression, what is public) are in ``core.privacy``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import getdate
from pypika import CustomFunction
from pypika.terms import Case

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

# Programmes that went through approval: the ones reported on.
REPORTED_STATUSES = ("Approved", "Active", "Suspended", "Completed")
HOURS_PER_DAY = 8
Year = CustomFunction("YEAR", ["date"])


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
	year. One pass over TA Activity (covered by its delivery_cover index): the trainer figures
	are stored on each activity when it is saved."""
	keys = [GROUP_COLUMNS[g].as_(g) for g in group]
	q = _activity_conditions(_activities_joined(), f).select(
		*keys,
		Count(Activity.name).as_("activities"),
		Sum(Activity.participants_women).as_("women"),
		Sum(Activity.participants_men).as_("men"),
		Sum(Activity.participants_other).as_("other"),
		Sum(Activity.actual_participants).as_("participants"),
		Sum(Activity.oversight_verified).as_("verified"),
		Sum(Activity.trainer_hours).as_("trainer_hours"),
		Sum(Activity.outside_hours).as_("outside_hours"),
		Sum(Activity.trainer_fees).as_("fees"),
	)
	if group:
		q = q.groupby(*[GROUP_COLUMNS[g] for g in group])
	return q.run(as_dict=True)


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


def overrides_by_programme(programmes: list[str]) -> dict[str, int]:
	if not programmes:
		return {}
	rows = (
		frappe.qb.from_(Override)
		.select(Override.programme, Count(Override.name).as_("n"))
		.where(Override.docstatus == 1)
		.where(Override.programme.isin(programmes))
		.groupby(Override.programme)
		.run(as_dict=True)
	)
	return {r.programme: r.n for r in rows}


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
		q = q.where(Programme.name.isin(programmes or [""]))
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


def reported_programmes(f: Filters, with_experts: bool = True) -> list[dict]:
	"""Programmes that went through approval, with what the public may know of them."""
	filters = {"status": ("in", REPORTED_STATUSES)}
	if f.lead_agency:
		filters["lead_agency"] = f.lead_agency
	if f.programmes is not None:
		filters["name"] = ("in", f.programmes or [""])
	programmes = frappe.get_all(
		"TA Programme",
		filters=filters,
		fields=[
			"name", "title", "status", "planned_start", "planned_end", "budget", "currency", "lead_agency", "approved_on",
			"modified", "gate_alert", "summary", *PUBLIC_VERSIONS,
		],
		order_by="planned_start desc",
	)
	names = [p.name for p in programmes] or [""]

	def children(doctype, field):
		out: dict[str, list] = {}
		for r in frappe.get_all(doctype, filters={"parent": ("in", names), "parenttype": "TA Programme"}, fields=["parent", field], order_by="idx"):
			out.setdefault(r.parent, []).append(r[field])
		return out

	states, themes, donors = (
		children("TA Programme State", "beneficiary_state"),
		children("TA Programme Theme", "thematic_area"),
		children("TA Funding Line", "donor"),
	)
	groups = dict(frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True))
	categories = dict(frappe.get_all("TA Thematic Area", fields=["name", "category"], as_list=True))
	overridden = overrides_by_programme([p.name for p in programmes])
	experts = consenting_experts([p.name for p in programmes]) if with_experts else {}
	out = []
	for p in programmes:
		p.states, p.themes, p.donors = states.get(p.name, []), themes.get(p.name, []), sorted(set(donors.get(p.name, [])))
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


def donor_commitments(programmes: list[str]) -> list[dict]:
	"""Each donor's commitments per currency (a funding line's amount in its programme's currency):
	amounts in different currencies are never added up."""
	if not programmes:
		return []
	return (
		frappe.qb.from_(FundingLine)
		.join(Programme)
		.on(FundingLine.parent == Programme.name)
		.select(
			FundingLine.donor, Programme.currency, Count(FundingLine.parent).distinct().as_("programmes"),
			Sum(FundingLine.base_amount).as_("committed"),
		)
		.where(FundingLine.parenttype == "TA Programme")
		.where(FundingLine.parent.isin(programmes))
		.groupby(FundingLine.donor, Programme.currency)
		.orderby(FundingLine.donor)
		.orderby(Programme.currency)
		.run(as_dict=True)
	)


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
	value = frappe.cache.get_value(key)
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
	from frappe.website.utils import delete_page_cache

	frappe.cache.set_value(GENERATION_KEY, frappe.generate_hash(length=8))
	delete_page_cache("transparency")
	delete_page_cache("my-programmes")


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


def _n(value) -> int:
	return int(value or 0)


def public_report(f: Filters, page: int | None = None) -> dict:
	"""Everything the public may see, for the filters: aggregates only, small counts suppressed,
	no personal or confidential data. Used by the page (``page``: that page of the programme
	list), the CSV and the PDF (every programme) alike."""
	from ta_programmes import i18n
	from ta_programmes.core import l10n, privacy

	lang = i18n.public_lang()
	k = int(settings().suppression_k or 5)
	programmes = reported_programmes(f, with_experts=False)
	f.programmes = [p.name for p in programmes]
	pages = max(1, -(-len(programmes) // PAGE_SIZE))
	listed = programmes if page is None else programmes[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
	experts = consenting_experts([p.name for p in listed])
	for p in listed:
		p.experts = experts.get(p.name, [])

	by_year = delivery_by(f, "year")
	by_group = delivery_by(f, "regional_group")
	by_state = delivery_by(f, "state")
	by_theme = delivery_by(f, "theme")
	by_category = delivery_by(f, "category")
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

	categories = dict(frappe.get_all("TA Thematic Area", fields=["name", "category"], as_list=True))
	# Groups and categories add up states and themes: published only where every part is (roll_up).
	state_values = {r.state: _n(r.participants) for r in by_state}
	regional_groups = dict(frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True))
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
	donors = donor_commitments(f.programmes)
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
			for o in published_overrides(f.programmes)
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
	f = Filters.from_dict(values)
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
