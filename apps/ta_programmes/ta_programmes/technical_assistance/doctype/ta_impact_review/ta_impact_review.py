import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes import results as M

REVIEWED_WHILE = ("Active", "Completed")


class TAImpactReview(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		concerns_observed: DF.SmallText | None
		indicators: DF.Int
		lessons: DF.SmallText
		mean_gain: DF.Percent
		missed: DF.Int
		naming_series: DF.Literal["IR-.YYYY.-"]
		no_data: DF.Int
		on_track: DF.Int
		partly: DF.Int
		programme: DF.Link
		programme_title: DF.Data | None
		response_rate: DF.Percent
		reviewed_on: DF.Date
		what_worked: DF.SmallText
	# end: auto-generated types
	def validate(self):
		if not self.programme:
			return  # mandatory: Frappe says so next
		status = frappe.db.get_value("TA Programme", self.programme, "status")
		if status not in REVIEWED_WHILE:
			frappe.throw(
				_("Programme {0} is {1}: its impact review is written when it is active and coming to completion.").format(self.programme, _(status)),
				frappe.ValidationError, title=_("Not Ready Yet"),
			)
		if self.is_new():
			self.record_achievement()

	def before_submit(self):
		other = frappe.db.get_value("TA Impact Review", {"programme": self.programme, "docstatus": 1, "name": ("!=", self.name)}, "name")
		if other:
			frappe.throw(
				_("Impact review {0} of this programme is submitted; cancel and amend it instead.").format(other),
				frappe.DuplicateEntryError, title=_("Duplicate Impact Review"),
			)
		self.record_achievement()

	def cancel(self):
		# The programme row first, as its completion does: a cancel and a completion at the same
		# moment run one after the other (and never deadlock).
		frappe.db.get_value("TA Programme", self.programme, "status", for_update=True)
		return super().cancel()

	def before_cancel(self):
		if frappe.db.get_value("TA Programme", self.programme, "status", for_update=True) == "Completed":
			frappe.throw(_("The programme is completed on the strength of this review: it stays."), frappe.ValidationError, title=_("Review in Use"))

	def record_achievement(self):
		"""The figures are the server's, taken from the indicators and follow-ups when the review is
		written and again when it is submitted (then they stay: the record of what was achieved)."""
		counts = M.light_counts(M.tracking([self.programme]))
		self.indicators = sum(counts.values())
		self.on_track, self.partly, self.missed, self.no_data = counts["green"], counts["amber"], counts["red"], counts["grey"]
		invited, answered = 0, 0
		for f in frappe.get_all("TA Follow-up", filters={"programme": self.programme}, fields=["invited", "responded"]):
			invited += f.invited or 0
			answered += f.responded or 0
		from ta_programmes.core import results as R

		self.response_rate = R.response_rate(invited, answered) or 0
		gains = frappe.get_all(
			"TA Learning Test", filters={"programme": self.programme, "paired": (">", 0)}, fields=["normalised_gain", "paired"]
		)
		weight = sum(g.paired for g in gains if g.normalised_gain is not None)
		self.mean_gain = round(sum((g.normalised_gain or 0) * g.paired for g in gains) / weight, 1) if weight else 0
