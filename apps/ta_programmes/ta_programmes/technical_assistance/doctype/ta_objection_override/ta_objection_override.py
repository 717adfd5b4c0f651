import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import today

from ta_programmes import oversight
from ta_programmes.core import oversight as core
from ta_programmes.enforce import rules


class TAObjectionOverride(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		justification: DF.Text
		naming_series: DF.Literal["OVR-.YYYY.-"]
		objection: DF.Link
		organisation: DF.Data | None
		programme: DF.Link | None
		recorded_by: DF.Link | None
		recorded_on: DF.Date | None
	# end: auto-generated types

	def validate(self):
		if not self.recorded_by:  # server-owned: empty on a new override, kept afterwards
			self.recorded_by = frappe.session.user
		objection = frappe.db.get_value(
			"TA Oversight Sign-off", self.objection, ["kind", "decision", "docstatus", "programme", "organisation"], as_dict=True
		)
		if not objection:
			return  # Frappe's link check names the missing objection.
		self.programme = objection.programme
		self.organisation = objection.organisation
		with rules():
			core.check_override(
				recorder=self.recorded_by,
				recorder_roles=tuple(frappe.get_roles(self.recorded_by)),
				objection_kind=objection.kind,
				objection_decision=objection.decision,
				objection_submitted=objection.docstatus == 1,
				justification=self.justification,
			)

	def before_submit(self):
		self.recorded_on = today()

	def on_submit(self):
		oversight.comment(
			"TA Programme",
			self.programme,
			_("Objection {0} of {1} overridden by {2}. Justification: {3}").format(
				self.objection, self.organisation, self.recorded_by, self.justification
			),
		)
		oversight.recheck([self.programme], _("Override {0} recorded").format(self.name))

	def on_cancel(self):
		oversight.comment("TA Programme", self.programme, _("Override {0} cancelled by {1}.").format(self.name, frappe.session.user))
		oversight.recheck([self.programme], _("Override {0} cancelled").format(self.name))
