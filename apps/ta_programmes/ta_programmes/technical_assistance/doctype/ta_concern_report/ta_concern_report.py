import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, today

from ta_programmes import concerns as C
from ta_programmes import oversight
from ta_programmes.core import concerns as core
from ta_programmes.core.oversight import APPROVER_ROLE
from ta_programmes.enforce import as_date, rules
from ta_programmes.permissions import overseen_only
from ta_programmes.core.i18n import N_, reason

# What a concern is about: it decides who oversees the concern and what it holds.
SCOPE = ("programme", "beneficiary_state", "thematic_area")
# Once assessed, the concern is the record of an outcome: none of these change.
FROZEN_WHEN_ASSESSED = (
	"programme",
	"beneficiary_state",
	"thematic_area",
	"outcome",
	"outcome_reasons",
	"status",
)


class TAConcernReport(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_concern_update.ta_concern_update import TAConcernUpdate

		acknowledge_by: DF.Date | None
		acknowledged_by: DF.Link | None
		acknowledged_on: DF.Datetime | None
		anonymous: DF.Check
		assess_by: DF.Date | None
		assessed_by: DF.Link | None
		assessed_on: DF.Datetime | None
		beneficiary_state: DF.Link | None
		contact_email: DF.Data | None
		contact_name: DF.Data | None
		happened_on: DF.Date | None
		naming_series: DF.Literal["CR-.YYYY.-"]
		outcome: DF.Literal["", "Unfounded", "Founded", "Inconclusive"]
		outcome_reasons: DF.Text | None
		overdue: DF.Data | None
		programme: DF.Link | None
		programme_title: DF.Data | None
		received_on: DF.Datetime | None
		status: DF.Literal["Received", "Acknowledged", "Assessed"]
		subject: DF.Literal["Programme", "Beneficiary state", "Trained unit"]
		thematic_area: DF.Link | None
		trained_unit: DF.Data | None
		updates: DF.Table[TAConcernUpdate]
		what_happened: DF.Text
	# end: auto-generated types
	"""A concern about misuse of assistance, reported through /report-concern (anonymous allowed)
	or entered by an OHCHR reviewer; triaged by OHCHR and the accredited civil-society
	organisations that signed the programme off. Rules: ``core.concerns``."""

	def validate(self):
		before = None if self.is_new() else self.get_doc_before_save()
		if self.is_new():
			self.received_on = now_datetime()
			ack, assess = C.deadline_days()
			self.acknowledge_by, self.assess_by = core.deadlines(getdate(self.received_on), ack, assess)
			with rules():
				core.check_report(
					self.subject,
					self.programme,
					self.beneficiary_state,
					self.trained_unit,
					self.what_happened,
					as_date(self.happened_on),
					self.contact_email,
					getdate(today()),
				)
		self.anonymous = 0 if (self.contact_name or self.contact_email) else 1
		self.check_scope_change(before)
		old = before.status if before else None
		if old == core.ASSESSED:
			changed = [f for f in FROZEN_WHEN_ASSESSED if (before.get(f) or None) != (self.get(f) or None)]
			if changed and not self.flags.reporter_update:
				with rules():
					core.check_triage(
						old, self.status, self.outcome, self.outcome_reasons, self.beneficiary_state
					)
		elif self.status != (old or core.RECEIVED) or self.outcome:
			with rules():
				core.check_triage(
					old, self.status, self.outcome, self.outcome_reasons, self.beneficiary_state
				)
			if self.status != (old or core.RECEIVED):
				self.triaged_by_now()
		self.overdue = core.overdue(
			self.status, as_date(self.acknowledge_by), as_date(self.assess_by), getdate(today())
		)

	def check_scope_change(self, before):
		"""What a concern is about decides who oversees it: only OHCHR moves it."""
		if not before or self.flags.reporter_update:
			return
		moved = [f for f in SCOPE if (before.get(f) or None) != (self.get(f) or None)]
		if moved and overseen_only(frappe.session.user, self.doctype):
			frappe.throw(
				_("Only OHCHR changes what a concern is about (programme, state, theme)."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)

	def triaged_by_now(self):
		user, now = frappe.session.user, now_datetime()
		if not self.acknowledged_on:
			self.acknowledged_on, self.acknowledged_by = now, user
		if self.status == core.ASSESSED:
			self.assessed_on, self.assessed_by = now, user

	def after_insert(self):
		if self.flags.from_reporter:
			oversight.notify(C.triagers(self), reason(N_("New concern report {0}"), self.name), self)

	def on_update(self):
		before = self.get_doc_before_save()
		was_founded = bool(before) and before.status == core.ASSESSED and before.outcome == core.FOUNDED
		if self.status == core.ASSESSED and self.outcome == core.FOUNDED and not was_founded:
			affected = C.affected_programmes(self)
			for programme in affected:
				oversight.comment(
					"TA Programme",
					programme,
					_(
						"Concern {0} was found founded: the oversight gate needs a new human-rights review and new sign-offs."
					).format(self.name),
				)
			oversight.recheck(affected, _("Founded concern {0}").format(self.name))
			managers = oversight.users_with_role(APPROVER_ROLE)
			officers = [frappe.db.get_value("TA Programme", p, "programme_officer") for p in affected]
			oversight.notify(managers + officers, reason(N_("Concern {0} was found founded"), self.name), self)

	def on_trash(self):
		if self.outcome == core.FOUNDED:
			frappe.throw(
				_("A founded concern is part of the oversight record and stays."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
		for key in frappe.get_all(C.KEY, filters={"concern": self.name}, pluck="name"):
			doc = frappe.get_doc(C.KEY, key)
			doc.flags.with_report = True
			doc.delete(ignore_permissions=True)
