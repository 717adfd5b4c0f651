import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes.core import results as R
from ta_programmes.core import rules as CR
from ta_programmes.enforce import as_date, rules
from ta_programmes.results import settings


class TAParticipantRoster(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_roster_entry.ta_roster_entry import TARosterEntry

		activity: DF.Link
		activity_title: DF.Data | None
		entries: DF.Table[TARosterEntry]
		programme: DF.Link | None
		retention_until: DF.Date | None
	# end: auto-generated types
	def validate(self):
		if not self.activity:
			return  # mandatory: Frappe says so next
		activity = frappe.db.get_value("TA Activity", self.activity, ["end", "status"], as_dict=True)
		for r in self.entries:
			r.email = (r.email or "").strip().lower() or None
			r.full_name = (r.full_name or "").strip()
		with rules():
			CR.check_unique(((r.idx, r.email, r.email) for r in self.entries if r.email), _("E-mail"))
		months = int(settings().roster_retention_months or 13)
		self.retention_until = R.retention_until(as_date(activity.end), months) if activity and activity.end else None
		if activity and activity.status == "Cancelled":
			frappe.throw(_("Activity {0} was cancelled: it has no participants.").format(self.activity), frappe.ValidationError, title=_("Activity Cancelled"))
