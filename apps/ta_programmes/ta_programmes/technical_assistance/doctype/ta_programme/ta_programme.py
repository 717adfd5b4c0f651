import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from ta_programmes import deconfliction, i18n, oversight, results, transparency
from ta_programmes.core import l10n
from ta_programmes.core import lifecycle as L
from ta_programmes.core import rules as R
from ta_programmes.enforce import as_date, rules
from ta_programmes.exceptions import GateRefusedError
from ta_programmes.core.i18n import N_, reason
from ta_programmes.core.oversight import APPROVER_ROLE

OFFICER_ROLES = ("TA Programme Officer", "TA Programme Manager", "TA Administrator")


class TAProgramme(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_coordination_note.ta_coordination_note import TACoordinationNote
		from ta_programmes.technical_assistance.doctype.ta_funding_line.ta_funding_line import TAFundingLine
		from ta_programmes.technical_assistance.doctype.ta_implementing_partner.ta_implementing_partner import TAImplementingPartner
		from ta_programmes.technical_assistance.doctype.ta_programme_state.ta_programme_state import TAProgrammeState
		from ta_programmes.technical_assistance.doctype.ta_programme_theme.ta_programme_theme import TAProgrammeTheme

		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		beneficiary_states: DF.Table[TAProgrammeState]
		budget: DF.Currency
		coordination_notes: DF.Table[TACoordinationNote]
		currency: DF.Link
		description: DF.TextEditor | None
		funding_lines: DF.Table[TAFundingLine]
		gate_alert: DF.SmallText | None
		lead_agency: DF.Link
		naming_series: DF.Literal["TAP-.YYYY.-"]
		objectives: DF.SmallText
		partners: DF.Table[TAImplementingPartner]
		planned_end: DF.Date
		planned_start: DF.Date
		programme_officer: DF.Link
		status: DF.Literal["Draft", "Under Review", "Approved", "Active", "Suspended", "Completed", "Cancelled"]
		summary: DF.SmallText | None
		summary_ar: DF.SmallText | None
		summary_es: DF.SmallText | None
		summary_fr: DF.SmallText | None
		suspended_on: DF.Datetime | None
		suspension_reason: DF.SmallText | None
		thematic_areas: DF.TableMultiSelect[TAProgrammeTheme]
		title: DF.Data
		title_ar: DF.Data | None
		title_es: DF.Data | None
		title_fr: DF.Data | None
	# end: auto-generated types

	def validate(self):
		with rules():
			R.check_date_order(as_date(self.planned_start), as_date(self.planned_end), _("Planned start"), _("Planned end"))
			R.check_user_role(
				_("Programme officer"), self.programme_officer, frappe.get_roles(self.programme_officer), OFFICER_ROLES
			)
			R.check_unique(((r.idx, r.beneficiary_state, r.beneficiary_state) for r in self.beneficiary_states), _("Beneficiary state"))
			R.check_shares([(r.beneficiary_state, r.share) for r in self.beneficiary_states])
			R.check_unique(((r.idx, r.thematic_area, r.thematic_area) for r in self.thematic_areas), _("Thematic area"))
			R.check_unique(((r.idx, r.partner, r.partner) for r in self.partners), _("Implementing partner"))
			R.check_unique(
				((r.idx, (r.donor, r.currency), f"{r.donor} ({r.currency})") for r in self.funding_lines), _("Funding line")
			)
			self.set_budget()
			deconfliction.stamp_notes(self)
			self.check_status_change()
		self.clean_public_texts()

	# --- status and the oversight gate ------------------------------------------------------------
	def previous_status(self) -> str | None:
		before = None if self.is_new() else self.get_doc_before_save()
		return before.status if before else None

	def check_status_change(self):
		old, new = self.previous_status(), self.status
		if self.is_new() and not old and new == "Draft":
			return
		L.check_programme_transition(old, new)
		if new != old and new in ("Under Review", "Approved"):
			# and again at approval: a match that appeared during the review needs its note too
			if new == "Under Review":
				results.check_ready_for_review(self)
			deconfliction.check_before_review(self)
		elif new in results.REVIEWED_STATES and self.states_changed():
			results.check_ready_for_review(self)
		elif new in ("Completed", "Cancelled") and self.states_changed():
			frappe.throw(
				_("Programme {0} is {1}: its beneficiary states are a record and stay.").format(self.name, _(new)),
				frappe.ValidationError, title=_("Programme Closed"),
			)
		if new != old and new == "Completed":
			results.check_ready_for_completion(self)
		if old == new:
			if new in L.APPROVED_PROGRAMME_STATES:
				self.flag_if_gate_broken()
			return
		if new in L.GATED_PROGRAMME_STATES:
			decision = oversight.decide(self, frappe.session.user)
			if not decision.approvable:
				what = _("Programme {0}").format(self.name)
				if not self.is_new():
					oversight.log_after_rollback(
						self.doctype, self.name, _("Refused by the oversight gate ({0} → {1}, requested by {2}): {3}").format(
							_(old), _(new), frappe.session.user, "; ".join(_(c.label) for c in decision.checks if not c.ok)
						)
					)
				frappe.throw(oversight.refusal_text(decision, what), exc=GateRefusedError, title=_("Oversight Requirements Not Met"))
			if new == "Approved":
				self.approved_by = frappe.session.user
				self.approved_on = now_datetime()
			self.gate_alert = None
		if new == "Suspended":
			with rules():
				R.check_required(_("Suspension reason"), (self.suspension_reason or "").strip(), _("to suspend a programme"))
			self.suspended_on = now_datetime()
		self.flags.status_change = (old, new)

	def states_changed(self) -> bool:
		before = None if self.is_new() else self.get_doc_before_save()
		if not before:
			return False
		return {r.beneficiary_state for r in before.beneficiary_states} != {r.beneficiary_state for r in self.beneficiary_states}

	def flag_if_gate_broken(self):
		"""A material change to an approved programme leaves it approved but flagged: the user is
		warned now, and on_update records the flag like any other re-check (timeline, managers)."""
		decision = oversight.decide(self, self.approved_by or frappe.session.user)
		self.flags.recheck = True
		if decision.approvable:
			return
		frappe.msgprint(
			_("This approved programme no longer meets its oversight requirements; its activities cannot be approved or scheduled until it does: {0}").format(
				frappe.utils.escape_html(oversight.alert_text(decision))
			),
			title=_("Oversight Warning"),
			indicator="orange",
		)

	# --- what the public reads ---------------------------------------------------------------------
	def public_text_fields(self) -> list[str]:
		return [f for base in i18n.TRANSLATED_FIELDS for f in (base, *(f"{base}_{lang}" for lang in i18n.OTHER_LANGUAGES))]

	def clean_public_texts(self):
		"""No direction override in a public text: it would reverse what follows it where shown."""
		for field in self.public_text_fields():
			self.set(field, l10n.without_direction_controls(self.get(field)))

	def tell_about_public_text_changes(self):
		"""A published programme's public texts (in any language) changed: recorded in the timeline
		and told to its reviewers and the programme managers, who read every language version."""
		before = self.get_doc_before_save()
		if not before or self.status not in transparency.REPORTED_STATUSES:
			return
		changed = [f for f in self.public_text_fields() if (before.get(f) or "") != (self.get(f) or "")]
		if not changed:
			return
		labels = ", ".join(_(self.meta.get_label(f)) for f in changed)
		self.add_comment("Info", _("Public texts changed by {0}: {1}.").format(frappe.session.user, labels))
		oversight.notify(
			oversight.reviewers_of(self) + oversight.users_with_role(APPROVER_ROLE),
			reason(N_("The public texts of programme {0} changed: {1}"), self.title, [self.meta.get_label(f) for f in changed]),
			self,
		)

	def on_update(self):
		self.tell_about_public_text_changes()
		if self.flags.pop("recheck", None):
			oversight.recheck([self.name], _("Programme {0} changed").format(self.name))
		change = self.flags.pop("status_change", None)
		if not change:
			return
		old, new = change
		text = _("Status {0} → {1} by {2}.").format(_(old or "New"), _(new), frappe.session.user)
		if new == "Approved":
			text += " " + _("All oversight requirements were met.")
		if new == "Suspended":
			text += " " + _("Reason: {0}").format(self.suspension_reason)
		self.add_comment("Info", text)
		if new == "Under Review":
			oversight.notify(oversight.reviewers_of(self), reason(N_("Programme {0} is under review and awaits your sign-off"), self.title), self)

	def set_budget(self):
		for row in self.funding_lines:
			if not row.currency:
				row.currency = self.currency
			if row.currency == self.currency or not row.exchange_rate:
				row.exchange_rate = row.exchange_rate or 1
		R.check_funding_lines(
			[(r.idx, r.amount, r.currency, r.exchange_rate, r.donor) for r in self.funding_lines], self.currency
		)
		for row in self.funding_lines:
			row.base_amount = R.compute_budget([(row.amount, row.exchange_rate)])
		self.budget = R.compute_budget((r.amount, r.exchange_rate) for r in self.funding_lines)

	def scope(self) -> dict:
		"""The programme's states and themes, for validating its activities."""
		return {
			"states": [r.beneficiary_state for r in self.beneficiary_states],
			"themes": [r.thematic_area for r in self.thematic_areas],
		}
