import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from ta_programmes.core import rules as CR
from ta_programmes.enforce import as_date, rules
from ta_programmes.results import claim_key

# The reviewers read the assessment when the programme goes to review: from then on it is part of
# the record and changes only while the programme is back in Draft or suspended. A new assessment
# (for a state about to be added) may be written while the programme is open; the programme then
# takes the state only once its needs are assessed (results.check_ready_for_review).
EDITABLE_WHILE = ("Draft", "Suspended")
CLOSED = ("Completed", "Cancelled")


class TANeedsAssessment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assessed_on: DF.Date
		assessment_key: DF.Data | None
		beneficiary_state: DF.Link
		existing_support: DF.SmallText | None
		gaps: DF.SmallText
		naming_series: DF.Literal["NA-.YYYY.-"]
		priorities: DF.SmallText
		programme: DF.Link
		request_date: DF.Date
		request_document: DF.Attach
		requested_by: DF.Data
	# end: auto-generated types
	def validate(self):
		if not self.programme or not self.beneficiary_state:
			return  # mandatory: Frappe says so next
		with rules():
			CR.check_date_order(as_date(self.request_date), as_date(self.assessed_on), _("Request date"), _("Assessed on"))
			CR.check_not_future(_("Assessed on"), as_date(self.assessed_on), getdate())
		self.check_programme_open()
		claim_key(
			self, "assessment_key", (self.programme, self.beneficiary_state),
			_("The needs assessment of {0} for programme {1}").format(self.beneficiary_state, self.programme),
		)

	def check_programme_open(self):
		if self.is_new():
			status = frappe.db.get_value("TA Programme", self.programme, "status")
			if status in CLOSED:
				frappe.throw(
					_("Programme {0} is {1}: it takes no new assessment.").format(self.programme, _(status)),
					frappe.ValidationError, title=_("Programme Closed"),
				)
			return
		programmes = {self.programme}
		if not self.is_new():
			before = self.get_doc_before_save()
			if before:
				programmes.add(before.programme)
		for name in programmes:
			status = frappe.db.get_value("TA Programme", name, "status")
			if status not in EDITABLE_WHILE:
				frappe.throw(
					_("Programme {0} is {1}: its reviewers have read this assessment, which changes only while the programme is in Draft or suspended.").format(name, _(status)),
					frappe.ValidationError, title=_("Assessment Locked"),
				)

	def on_trash(self):
		self.check_programme_open()
