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
		claim_key(self, "follow_up_key", (self.activity, self.round_months), _("The {0}-month follow-up of {1}").format(self.round_months, self.activity))
		if not self.is_new() and not self.flags.server_update:
			# links are issued by the server only (results.issue_links)
			before = self.get_doc_before_save()
			if before and len(before.invitations) != len(self.invitations):
				frappe.throw(_("Links are issued with Make Links or Send Links."), frappe.PermissionError, title=_("Not Permitted"))
