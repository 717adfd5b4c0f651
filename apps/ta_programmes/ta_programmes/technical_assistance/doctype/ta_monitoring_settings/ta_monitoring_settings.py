from frappe import _
from frappe.model.document import Document

from ta_programmes.core import results as R
from ta_programmes.core.errors import InvalidValue
from ta_programmes.enforce import numbers, rules


class TAMonitoringSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		follow_up_months: DF.Data
		link_valid_days: DF.Int
		min_prevention_share: DF.Percent
		roster_retention_months: DF.Int
	# end: auto-generated types
	def validate(self):
		numbers(
			self,
			{"link_valid_days": _("Links valid for (days)"), "roster_retention_months": _("Keep rosters for (months)"),
			 "min_prevention_share": _("Policy target")},
			integers=("link_valid_days", "roster_retention_months"),
		)
		with rules():
			months = R.parse_intervals(self.follow_up_months)
			self.follow_up_months = ", ".join(str(m) for m in months)
			if not 1 <= (self.link_valid_days or 0) <= 365:
				raise InvalidValue(_("Follow-up links are valid for 1 to 365 days."))
			if not (self.roster_retention_months or 0) <= 120:
				raise InvalidValue(_("Rosters are kept at most 120 months."))
			if (self.roster_retention_months or 0) < max(months):
				raise InvalidValue(
					_("Rosters are kept at least until the last follow-up ({0} months after delivery)."), max(months)
				)
			if self.min_prevention_share is not None and not 0 <= self.min_prevention_share <= 100:
				raise InvalidValue(_("The policy target is a percentage between 0 and 100."))
