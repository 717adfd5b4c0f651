"""Which activities and programmes a report covers: the filters (a Guest's, checked; a desk user's) and
who may see which programmes (:func:`visible_programmes`), with the tables the queries read."""

from __future__ import annotations

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.query_builder import DocType
from pypika import CustomFunction
from pypika.terms import Criterion

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
