import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes.core import results as R
from ta_programmes.core import rules as CR
from ta_programmes.enforce import numbers, rules


class TALearningTest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_test_score.ta_test_score import TATestScore

		activity: DF.Link
		activity_title: DF.Data | None
		max_score: DF.Float
		mean_gain: DF.Float
		mean_post: DF.Float
		mean_pre: DF.Float
		naming_series: DF.Literal["LT-.YYYY.-"]
		normalised_gain: DF.Percent
		paired: DF.Int
		programme: DF.Link | None
		scores: DF.Table[TATestScore]
		test_name: DF.Data
	# end: auto-generated types
	def validate(self):
		numbers(self, {"max_score": _("Highest score")})
		for r in self.scores:
			numbers(r, {"pre_score": _("Row {0}: pre-test").format(r.idx), "post_score": _("Row {0}: post-test").format(r.idx)})
		if not self.activity:
			return  # mandatory: Frappe says so next
		status = frappe.db.get_value("TA Activity", self.activity, "status")
		if status == "Cancelled":
			frappe.throw(_("Activity {0} was cancelled: nobody took this test.").format(self.activity), frappe.ValidationError, title=_("Activity Cancelled"))
		with rules():
			R.check_max_score(self.max_score)
			for r in self.scores:
				r.participant_code = R.check_participant_code(r.participant_code, row=r.idx)
				R.check_score(_("Pre-test score"), r.pre_score, self.max_score, row=r.idx)
				R.check_score(_("Post-test score"), r.post_score, self.max_score, row=r.idx)
			CR.check_unique(((r.idx, r.participant_code, r.participant_code) for r in self.scores), _("Participant code"))
		for r in self.scores:
			r.gain = (r.post_score - r.pre_score) if r.pre_score is not None and r.post_score is not None else None
		gain = R.knowledge_gain(((r.pre_score, r.post_score) for r in self.scores), self.max_score)
		self.paired, self.mean_pre, self.mean_post, self.mean_gain, self.normalised_gain = (
			gain.paired, gain.mean_pre, gain.mean_post, gain.mean_gain, gain.normalised_gain
		)
