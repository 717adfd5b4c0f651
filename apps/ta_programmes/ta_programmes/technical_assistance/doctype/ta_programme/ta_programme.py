import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes.core import rules as R
from ta_programmes.enforce import as_date, rules

OFFICER_ROLES = ("TA Programme Officer", "TA Programme Manager", "TA Administrator")


class TAProgramme(Document):
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
