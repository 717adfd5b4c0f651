import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes.core import results as R
from ta_programmes.enforce import as_date, numbers, rules
from ta_programmes.results import claim_key

# Copied from the library when empty (unit, direction and disaggregation have defaults: the form
# copies them when an indicator is picked, and a REST client or import says what it wants).
LIBRARY_FIELDS = ("definition", "means_of_verification", "scale_min", "scale_max")


class TAIndicator(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_indicator_target.ta_indicator_target import TAIndicatorTarget

		baseline_date: DF.Date | None
		baseline_source: DF.Data | None
		baseline_value: DF.Float
		code: DF.Data
		definition: DF.SmallText
		direction: DF.Literal["Increase", "Decrease"]
		disaggregation: DF.Literal["None", "Sex", "Institution type", "Beneficiary state"]
		indicator_key: DF.Data | None
		means_of_verification: DF.SmallText
		naming_series: DF.Literal["IND-.YYYY.-"]
		programme: DF.Link | None
		result: DF.Link
		result_level: DF.Data | None
		scale_max: DF.Float
		scale_min: DF.Float
		standard_indicator: DF.Link | None
		targets: DF.Table[TAIndicatorTarget]
		title: DF.Data
		unit: DF.Literal["Number", "Percentage", "Yes/No", "Scale"]
	# end: auto-generated types
	def before_validate(self):
		if self.standard_indicator and (self.is_new() or self.has_value_changed("standard_indicator")):
			library = frappe.get_doc("TA Standard Indicator", self.standard_indicator)
			for field in LIBRARY_FIELDS:
				if self.get(field) in (None, ""):
					self.set(field, library.get(field))
			self.title = self.title or library.indicator_name

	def validate(self):
		numbers(self, {"baseline_value": _("Baseline"), "scale_min": _("Scale from"), "scale_max": _("Scale to")})
		for r in self.targets:
			numbers(r, {"target_value": _("Row {0}: target").format(r.idx)})
		self.code = (self.code or "").strip()
		programme = frappe.db.get_value("TA Programme", self.programme, ["planned_start", "planned_end"], as_dict=True) or {}
		with rules():
			R.check_scale(self.unit, self.scale_min, self.scale_max)
			R.check_value(_("Baseline"), self.unit, self.baseline_value, self.scale_min, self.scale_max)
			R.check_periods(
				[R.Period((r.period or "").strip(), as_date(r.period_start), as_date(r.period_end)) for r in self.targets],
				as_date(programme.get("planned_start")), as_date(programme.get("planned_end")),
			)
			for r in self.targets:
				r.period = (r.period or "").strip()
				R.check_value(_("Target"), self.unit, r.target_value, self.scale_min, self.scale_max, row=r.idx)
		self.check_recorded_actuals()
		claim_key(self, "indicator_key", (self.programme, self.code), _("Indicator {0} of programme {1}").format(self.code, self.programme))

	def check_recorded_actuals(self):
		"""Actuals already recorded keep their programme and period and stay valid under the
		indicator's unit."""
		if self.is_new():
			return
		before = self.get_doc_before_save()
		if before and before.programme != self.programme and frappe.db.exists("TA Indicator Actual", {"indicator": self.name}):
			frappe.throw(
				_("Actuals are recorded for this indicator under programme {0}: it stays there.").format(before.programme),
				frappe.ValidationError, title=_("Indicator in Use"),
			)
		periods = {r.period for r in self.targets}
		for a in frappe.get_all("TA Indicator Actual", filters={"indicator": self.name}, fields=["name", "period", "value", "category"]):
			if a.period not in periods:
				frappe.throw(
					_("Actual {0} is recorded for the period {1}: keep that period.").format(a.name, a.period),
					frappe.ValidationError, title=_("Period in Use"),
				)
			with rules():
				R.check_value(_("Actual {0}").format(a.name), self.unit, a.value, self.scale_min, self.scale_max)
		if self.has_value_changed("disaggregation") and frappe.db.exists("TA Indicator Actual", {"indicator": self.name, "category": ("is", "set")}):
			frappe.throw(_("Actuals are recorded by category: the disaggregation stays."), frappe.ValidationError, title=_("Disaggregation in Use"))

	def on_update(self):
		if self.has_value_changed("unit") or self.has_value_changed("disaggregation"):
			for name in frappe.get_all("TA Indicator Actual", filters={"indicator": self.name}, pluck="name"):
				frappe.db.set_value("TA Indicator Actual", name, {"unit": self.unit, "disaggregation": self.disaggregation}, update_modified=False)

	def on_trash(self):
		if frappe.db.exists("TA Indicator Actual", {"indicator": self.name}):
			frappe.throw(_("Actuals are recorded for this indicator; delete them first."), frappe.LinkExistsError, title=_("Indicator in Use"))
