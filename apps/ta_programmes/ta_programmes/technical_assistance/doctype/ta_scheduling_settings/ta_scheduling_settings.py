from frappe import _
from frappe.model.document import Document

from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TASchedulingSettings(Document):
	def validate(self):
		with rules():
			R.check_non_negative(_("Travel buffer"), self.travel_buffer_hours)
			R.check_non_negative(_("Reminder days"), self.reminder_days_before)
