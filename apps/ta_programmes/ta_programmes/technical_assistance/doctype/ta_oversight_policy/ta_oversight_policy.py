from frappe import _
from frappe.model.document import Document

from ta_programmes import oversight
from ta_programmes.core import concerns
from ta_programmes.core import oversight as core
from ta_programmes.enforce import rules


class TAOversightPolicy(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		concern_acknowledge_days: DF.Int
		concern_assess_days: DF.Int
		dominance_threshold: DF.Percent
		mitigation_before_start_at_high: DF.Check
		quorum_critical: DF.Int
		quorum_high: DF.Int
		quorum_low: DF.Int
		quorum_medium: DF.Int
		regional_spread_at_high: DF.Check
		validity_months: DF.Int
	# end: auto-generated types

	def validate(self):
		with rules():
			core.check_policy(
				{
					"Low": self.quorum_low,
					"Medium": self.quorum_medium,
					"High": self.quorum_high,
					"Critical": self.quorum_critical,
				},
				self.validity_months,
			)
		# A site upgraded from before concern reports has no deadlines yet: the defaults apply.
		self.concern_acknowledge_days = self.concern_acknowledge_days or 7
		self.concern_assess_days = self.concern_assess_days or 30
		with rules():
			concerns.check_deadline_settings(self.concern_acknowledge_days, self.concern_assess_days)

	def on_update(self):
		self.clear_cache()  # the gate reads the policy from the cache
		oversight.recheck_all(_("Oversight policy changed"))
