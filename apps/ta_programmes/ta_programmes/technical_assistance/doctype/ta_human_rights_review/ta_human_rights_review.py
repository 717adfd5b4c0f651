import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from ta_programmes import oversight
from ta_programmes.core import rules as R
from ta_programmes.enforce import rules
from ta_programmes.exceptions import SignOffRefusedError


class TAHumanRightsReview(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_identified_risk.ta_identified_risk import TAIdentifiedRisk
		from ta_programmes.technical_assistance.doctype.ta_mitigation_measure.ta_mitigation_measure import TAMitigationMeasure

		amended_from: DF.Link | None
		drafted_by: DF.Link
		mitigations: DF.Table[TAMitigationMeasure]
		naming_series: DF.Literal["HRR-.YYYY.-"]
		notification_evidence: DF.Attach | None
		programme: DF.Link
		programme_title: DF.Data | None
		rationale: DF.Text
		recipient_notified_on: DF.Date | None
		risk_level: DF.Literal["Low", "Medium", "High", "Critical"]
		risks: DF.Table[TAIdentifiedRisk]
		security_sector_recipient: DF.Check
		submitted_on: DF.Datetime | None
	# end: auto-generated types

	def validate(self):
		status = frappe.db.get_value("TA Programme", self.programme, "status")
		if status in ("Completed", "Cancelled"):
			frappe.throw(
				_("Programme {0} is {1}; it takes no new human-rights review.").format(self.programme, _(status)),
				exc=SignOffRefusedError,
				title=_("Review Not Allowed"),
			)
		with rules():
			R.check_unique(((r.idx, (r.measure or "").strip().casefold(), r.measure) for r in self.mitigations), _("Mitigation measure"))

	def save(self, *args, **kwargs):
		if self.docstatus == 1 and self.programme:
			# One current review per programme: two reviews submitted at the same moment are taken one
			# after the other. The programme's row is locked first, before Frappe locks the review's
			# own row, so that the two transactions cannot wait on each other.
			frappe.db.get_value("TA Programme", self.programme, "name", for_update=True)
		return super().save(*args, **kwargs)

	def before_submit(self):
		# A locking read: it sees a review another transaction committed while this one waited.
		current = frappe.db.get_value(
			"TA Human Rights Review", {"programme": self.programme, "docstatus": 1, "name": ("!=", self.name)}, for_update=True
		)
		if current:
			frappe.throw(
				_("Programme {0} already has a current review, {1}. Cancel it and amend it to revise the assessment.").format(
					self.programme, current
				),
				exc=SignOffRefusedError,
				title=_("One Current Review per Programme"),
			)
		self.submitted_on = now_datetime()

	def before_update_after_submit(self):
		"""After submission only a measure's progress changes: no measure is added or removed."""
		oversight.keep_rows_after_submit(
			self, "mitigations",
			_("The mitigation plan of a submitted review is fixed: only each measure's status can change. Cancel and amend the review to change the plan."),
			_("Review Submitted"),
		)

	def on_submit(self):
		oversight.comment(
			"TA Programme",
			self.programme,
			_("Human-rights review {0} submitted by {1}: risk {2}.").format(self.name, frappe.session.user, _(self.risk_level)),
		)
		oversight.recheck([self.programme], _("Human-rights review {0} submitted").format(self.name))

	def on_update_after_submit(self):
		oversight.recheck([self.programme], _("Mitigation measures of review {0} updated").format(self.name))

	def on_cancel(self):
		oversight.comment(
			"TA Programme", self.programme, _("Human-rights review {0} cancelled by {1}.").format(self.name, frappe.session.user)
		)
		oversight.recheck([self.programme], _("Human-rights review {0} cancelled").format(self.name))
