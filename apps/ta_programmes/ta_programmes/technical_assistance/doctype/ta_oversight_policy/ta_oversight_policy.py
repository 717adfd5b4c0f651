from frappe.model.document import Document

from ta_programmes.core import oversight as core
from ta_programmes.enforce import rules


class TAOversightPolicy(Document):
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
