import json

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime

from ta_programmes import oversight
from ta_programmes.core import oversight as core
from ta_programmes.enforce import rules
from ta_programmes.core.i18n import N_, reason


class TAOversightSignoff(Document):
	def validate(self):
		if not self.signer:  # server-owned: empty on a new sign-off, kept afterwards
			self.signer = frappe.session.user
		programme = frappe.get_doc("TA Programme", self.programme)
		org = (
			frappe.get_cached_doc("TA Partner Organisation", self.organisation)
			if self.kind == core.CIVIL_SOCIETY and self.organisation
			else None
		)
		if self.kind == core.OHCHR:
			self.organisation = None
		self.regional_group = org.regional_group if org else None
		with rules():
			core.check_signoff(
				kind=self.kind,
				signer=self.signer,
				signer_roles=tuple(frappe.get_roles(self.signer)),
				organisation=self.organisation,
				organisation_accredited=bool(org and org.accredited_for_oversight),
				organisation_reviewers=tuple(r.user for r in org.reviewers) if org else (),
				officer=programme.programme_officer,
				organisation_partners=tuple(r.partner for r in programme.get("partners") or []),
				programme_status=programme.status,
				decision=self.decision,
				conditions=len(self.conditions),
				comments=self.comments,
				coi_declaration=self.coi_declaration,
				coi_details=self.coi_details,
			)

	def before_submit(self):
		if self.signer != frappe.session.user:
			frappe.throw(
				_("Only {0} can submit this sign-off.").format(self.signer), exc=frappe.PermissionError, title=_("Not Your Sign-off")
			)
		programme = frappe.get_doc("TA Programme", self.programme)
		self.signed_on = now_datetime()
		self.valid_until = core.add_months(getdate(self.signed_on), oversight.get_policy().validity_months)
		scope = oversight.current_scope(programme)
		self.scope_snapshot = json.dumps(scope, indent=1, sort_keys=True)
		self.scope_fingerprint = core.fingerprint(scope)

	def before_update_after_submit(self):
		"""After submission only a condition's progress changes: none is added or removed."""
		oversight.keep_rows_after_submit(
			self, "conditions",
			_("The conditions of a submitted sign-off are fixed: only each condition's status can change. Cancel and amend the sign-off to change them."),
			_("Sign-off Submitted"),
		)

	def on_update_after_submit(self):
		oversight.recheck([self.programme], _("Conditions of sign-off {0} updated").format(self.name))

	def on_submit(self):
		programme = frappe.get_doc("TA Programme", self.programme)
		who = self.organisation or "OHCHR"
		programme.add_comment(
			"Info",
			_("{0} sign-off {1} by {2} ({3}): {4}, valid until {5}.").format(
				_(self.kind), self.name, self.signer, who, _(self.decision), self.valid_until
			),
		)
		subject = (
			reason(N_("{0} objects to programme {1}"), who, programme.title)
			if self.decision == core.OBJECT
			else reason(N_("{0} signed off programme {1}: {2}"), who, programme.title, reason(self.decision))
		)
		oversight.notify([programme.programme_officer], subject, programme)
		oversight.recheck([self.programme], _("Sign-off {0} submitted").format(self.name))

	def on_cancel(self):
		oversight.comment(
			"TA Programme", self.programme, _("Sign-off {0} cancelled by {1}.").format(self.name, frappe.session.user)
		)
		oversight.recheck([self.programme], _("Sign-off {0} cancelled").format(self.name))
