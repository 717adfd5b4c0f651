import frappe
from frappe import _
from frappe.model.document import Document


class TAFollowupLink(Document):
	"""A one-time follow-up link, kept as the hash of its token. Written by the server alone
	(``results.issue_links``); no role but administrators reads it, so nobody can tell which link
	was answered, or when."""

	def before_insert(self):
		if not self.flags.get("issued"):
			frappe.throw(_("Follow-up links are issued with Make Links or Send Links."), frappe.PermissionError, title=_("Not Permitted"))
		self.flags.server_update = True
