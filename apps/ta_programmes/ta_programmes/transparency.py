"""Frappe side of transparency reporting: the aggregate queries (GROUP BY in the database,
through frappe.qb) behind the desk report, the public page, the PDF, the CSV and the IATI file.

Which programmes a caller may see is decided here once (:func:`visible_programmes`): donors
restricted to what they fund, the public restricted to programmes that were approved. The
privacy rules (suppression, what is public) are in ``core.privacy``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import getdate
from pypika import CustomFunction
from pypika.terms import Case

from ta_programmes.core.constants import OUTSIDE_EXPERTISE_SECTORS
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
	def from_dict(cls, values: dict | None) -> Filters:
		values = frappe._dict(values or {})
		return cls(**{k: values.get(k) or None for k in cls.__dataclass_fields__ if k != "programmes"})

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


def delivery_by(f: Filters, *group: str) -> list[dict]:
	"""Delivered activities and participants grouped by the given keys.

	Keys: programme, state, regional_group, theme, category, year.
	"""
	columns = {
		"programme": Activity.programme,
		"state": Activity.beneficiary_state,
		"regional_group": State.regional_group,
		"theme": Activity.thematic_area,
		"category": Theme.category,
		"year": Year(Activity.end),
	}
	keys = [columns[g].as_(g) for g in group]
	q = _activity_conditions(_activities_joined(), f).select(
		*keys,
		Count(Activity.name).as_("activities"),
		Sum(Activity.participants_women).as_("women"),
		Sum(Activity.participants_men).as_("men"),
		Sum(Activity.participants_other).as_("other"),
		Sum(Activity.actual_participants).as_("participants"),
		Sum(Activity.oversight_verified).as_("verified"),
	)
	if group:
		q = q.groupby(*[columns[g] for g in group])
	return q.run(as_dict=True)


def trainer_hours_by(f: Filters, *group: str) -> list[dict]:
	"""Trainer-hours of delivered activities, the part by outside experts, and trainer fees."""
	columns = {
		"programme": Activity.programme,
		"state": Activity.beneficiary_state,
		"regional_group": State.regional_group,
		"theme": Activity.thematic_area,
		"category": Theme.category,
	}
	keys = [columns[g].as_(g) for g in group]
	outside = Case().when(Trainer.sector.isin(OUTSIDE_EXPERTISE_SECTORS), ActivityTrainer.hours).else_(0)
	q = _activity_conditions(
		_activities_joined()
		.join(ActivityTrainer)
		.on((ActivityTrainer.parent == Activity.name) & (ActivityTrainer.parenttype == "TA Activity"))
		.join(Trainer)
		.on(ActivityTrainer.trainer == Trainer.name),
		f,
	).select(
		*keys,
		Sum(ActivityTrainer.hours).as_("trainer_hours"),
		Sum(outside).as_("outside_hours"),
		Sum(ActivityTrainer.hours * Trainer.daily_rate / HOURS_PER_DAY).as_("fees"),
	)
	if group:
		q = q.groupby(*[columns[g] for g in group])
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
		.select(Programme.name.as_("programme"), Programme.title, Override.organisation, Override.justification, Override.recorded_on)
		.where(Override.docstatus == 1)
		.where(Programme.status.isin(REPORTED_STATUSES))
		.orderby(Override.recorded_on, order=frappe.qb.desc)
	)
	if programmes is not None:
		q = q.where(Programme.name.isin(programmes or [""]))
	return q.run(as_dict=True)
