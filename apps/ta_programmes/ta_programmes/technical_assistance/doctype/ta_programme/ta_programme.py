import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes.core import rules as R
from ta_programmes.enforce import as_date, rules

OFFICER_ROLES = ("TA Programme Officer", "TA Programme Manager", "TA Administrator")


class TAProgramme(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_funding_line.ta_funding_line import TAFundingLine
		from ta_programmes.technical_assistance.doctype.ta_implementing_partner.ta_implementing_partner import TAImplementingPartner
		from ta_programmes.technical_assistance.doctype.ta_programme_state.ta_programme_state import TAProgrammeState
		from ta_programmes.technical_assistance.doctype.ta_programme_theme.ta_programme_theme import TAProgrammeTheme

		beneficiary_states: DF.Table[TAProgrammeState]
		budget: DF.Currency
		currency: DF.Link
		description: DF.TextEditor | None
		funding_lines: DF.Table[TAFundingLine]
		lead_agency: DF.Link
		naming_series: DF.Literal["TAP-.YYYY.-"]
		objectives: DF.SmallText
		partners: DF.Table[TAImplementingPartner]
		planned_end: DF.Date
		planned_start: DF.Date
		programme_officer: DF.Link
		status: DF.Literal["Draft", "Under Review", "Approved", "Active", "Suspended", "Completed", "Cancelled"]
		thematic_areas: DF.TableMultiSelect[TAProgrammeTheme]
		title: DF.Data
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
