import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from ta_programmes.core import results as R
from ta_programmes.core import rules as CR
from ta_programmes.core.errors import MissingValue
from ta_programmes.enforce import numbers, rules
from ta_programmes.results import claim_key


RECORDED_FIELDS = ("period", "category", "value", "sample_size", "evidence_file", "evidence_link")


class TAIndicatorActual(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actual_key: DF.Data | None
		category: DF.Data | None
		disaggregation: DF.Data | None
		evidence_file: DF.Attach | None
		evidence_link: DF.Data | None
		indicator: DF.Link
		indicator_title: DF.Data | None
		naming_series: DF.Literal["ACT-.YYYY.-"]
		notes: DF.SmallText | None
		period: DF.Data
		programme: DF.Link | None
		recorded_by: DF.Link | None
		recorded_on: DF.Datetime | None
		sample_size: DF.Int
		unit: DF.Data | None
		value: DF.Float
	# end: auto-generated types
	def validate(self):
		numbers(self, {"value": _("Actual value"), "sample_size": _("Measured over")}, integers=("sample_size",))
		if not self.indicator:
			return  # mandatory: Frappe says so next
		# one actual of an indicator at a time: the category sums are checked against committed rows
		frappe.db.get_value("TA Indicator", self.indicator, "name", for_update=True)
		indicator = frappe.get_doc("TA Indicator", self.indicator)
		self.period = (self.period or "").strip()
		self.category = (self.category or "").strip() or None
		periods = [r.period for r in indicator.targets]
		with rules():
			CR.check_member(self.period, periods, _("Period"), _("the reporting periods of indicator {0}").format(indicator.code))
			R.check_category(indicator.disaggregation, self.category, self.categories(indicator))
			R.check_value(_("Actual"), indicator.unit, self.value, indicator.scale_min, indicator.scale_max)
			R.check_sample(self.sample_size)
			if indicator.unit in ("Percentage", "Yes/No") and not self.category and not self.sample_size:
				raise MissingValue(_("Say how many people the {0} was measured over."), _(indicator.unit).lower())
			if not self.evidence_file and not (self.evidence_link or "").strip():
				raise MissingValue(_("Attach the evidence or give a link to it (means of verification: {0})."), indicator.means_of_verification or "—")
			if self.evidence_link:
				CR.check_https_url(_("Evidence link"), self.evidence_link.strip())
			self.check_sums(indicator)
		claim_key(
			self, "actual_key", (self.indicator, self.period, self.category),
			_("The actual of indicator {0} for {1}{2}").format(indicator.code, self.period, f" ({self.category})" if self.category else ""),
		)
		# Who recorded the figure: set when it is first recorded or its figure or evidence changes.
		if self.is_new() or any(self.has_value_changed(f) for f in RECORDED_FIELDS):
			self.recorded_by = frappe.session.user
			self.recorded_on = now_datetime()

	@staticmethod
	def categories(indicator) -> tuple[str, ...]:
		from ta_programmes.core.constants import INSTITUTION_TYPES

		states = frappe.get_all(
			"TA Programme State", filters={"parent": indicator.programme, "parenttype": "TA Programme"}, pluck="beneficiary_state"
		)
		return R.categories_for(indicator.disaggregation, INSTITUTION_TYPES, states)

	def check_sums(self, indicator):
		others = frappe.db.get_values(
			"TA Indicator Actual",
			{"indicator": self.indicator, "period": self.period, "name": ("!=", self.name or "")},
			["category", "value"],
			as_dict=True,
			for_update=True,  # a locking read sees what another save committed meanwhile
		)
		total = next((o.value for o in others if not o.category), None)
		cats = {o.category: o.value for o in others if o.category}
		if self.category:
			cats[self.category] = self.value
		else:
			total = self.value
		R.check_category_sums(indicator.unit, total, cats)
