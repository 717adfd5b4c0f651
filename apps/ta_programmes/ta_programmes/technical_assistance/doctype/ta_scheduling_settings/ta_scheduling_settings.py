from frappe import _
from frappe.model.document import Document

from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TASchedulingSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		reminder_days_before: DF.Int
		travel_buffer_hours: DF.Float
	# end: auto-generated types

	def validate(self):
		with rules():
			R.check_non_negative(_("Travel buffer"), self.travel_buffer_hours)
			R.check_non_negative(_("Reminder days"), self.reminder_days_before)
