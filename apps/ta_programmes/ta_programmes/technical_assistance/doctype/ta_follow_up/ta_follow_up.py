import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes.results import claim_key


class TAFollowup(Document):
	"""A follow-up round of a delivered activity. Created by the scheduler
	(``results.create_follow_ups``); staff open or close it and hand out links."""

	def before_insert(self):
		scheduled = self.flags.get("scheduled")
		if not scheduled:
			frappe.throw(
				_("Follow-ups are created by the scheduler once an activity's round is due."), frappe.PermissionError,
				title=_("Not Permitted"),
			)
		self.update(scheduled)
		self.flags.server_update = True

	def validate(self):
		# Links and counts are the server's (core.access.SERVER_OWNED: whatever a client sends for
		# them is replaced by the stored values); links are issued by results.issue_links only.
		claim_key(self, "follow_up_key", (self.activity, self.round_months), _("The {0}-month follow-up of {1}").format(self.round_months, self.activity))
