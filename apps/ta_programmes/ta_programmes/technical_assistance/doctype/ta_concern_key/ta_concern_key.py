import frappe
from frappe import _
from frappe.model.document import Document


class TAConcernKey(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		concern: DF.Link | None
		nonce_hash: DF.Data | None
		token_hash: DF.Data | None
	# end: auto-generated types
	"""The hashes of a reporter's secret link and of the form key of the post (so a repeated post
	finds its case). Written by the server alone (``concerns.submit``); only System Managers read it."""

	def before_insert(self):
		if not self.flags.get("issued"):
			frappe.throw(
				_("Concern keys are issued when a concern is reported."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
		self.flags.server_update = True

	def on_trash(self):
		# Deleting a key would cut the reporter off from their case: it goes only with its report.
		if not self.flags.get("with_report"):
			frappe.throw(_("A reporter's link goes only with its concern report."), frappe.PermissionError, title=_("Not Permitted"))
