import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes import oversight
from ta_programmes import results as M
from ta_programmes.core import results as R
from ta_programmes.enforce import numbers, rules
from ta_programmes.core.i18n import N_, reason


class TAFollowupResponse(Document):
	"""An answer to a follow-up, given through the web form ``/follow-up`` with a one-time link.
	Nothing in it names the trainee: the link is checked and spent, and the token is not kept."""

	def before_insert(self):
		found = M.claim_link(self.token)
		M.use_link(found.name)
		self.token = None
		self.follow_up, self.activity, self.programme, self.round_months = (
			found.follow_up, found.activity, found.programme, found.round_months
		)
		self.flags.server_update = True

	def validate(self):
		self.token = None
		numbers(self, {"cases": _("In how many cases?"), "hr_concern": _("Human-rights concern")}, integers=("cases", "hr_concern"))
		for field in ("applied_skill", "concern_details", "comments"):
			if not isinstance(self.get(field), str | None):
				self.set(field, None)
		if self.applied_skill != "Yes":
			self.cases = 0 if self.applied_skill == "No" else self.cases
		with rules():
			R.check_answer(self.applied_skill, self.cases, bool(self.hr_concern), self.concern_details)
			R.check_text_length(_("What happened?"), self.concern_details)
			R.check_text_length(_("Anything else?"), self.comments)

	def after_insert(self):
		M.refresh_counts(self.follow_up)
		if self.hr_concern:
			programme = frappe.get_doc("TA Programme", self.programme)
			oversight.notify(
				oversight.reviewers_of(programme) + [programme.programme_officer],
				reason(N_("A trainee reported a human-rights concern in the follow-up of {0}"), self.activity),
				self,
			)

	def after_delete(self):
		M.refresh_counts(self.follow_up)
