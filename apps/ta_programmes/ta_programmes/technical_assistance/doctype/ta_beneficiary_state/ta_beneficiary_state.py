import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime, today

from ta_programmes import oversight
from ta_programmes.core import rules as R
from ta_programmes.enforce import as_date, rules


class TABeneficiaryState(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_beneficiary_institution.ta_beneficiary_institution import TABeneficiaryInstitution

		country: DF.Link
		hr_risk_rating: DF.Literal["", "Low", "Medium", "High", "Critical"]
		institutions: DF.Table[TABeneficiaryInstitution]
		iso_code: DF.Data | None
		regional_group: DF.Literal["African", "Asia-Pacific", "Eastern European", "Latin American & Caribbean", "Western European & Others"]
		risk_rated_on: DF.Date | None
		risk_source: DF.SmallText | None
		status: DF.Literal["Active", "Suspended"]
		suspended_on: DF.Datetime | None
		suspension_reason: DF.SmallText | None
		time_zone: DF.Autocomplete | None
	# end: auto-generated types

	def validate(self):
		if not self.time_zone:
			self.time_zone = default_time_zone(self.country)
		with rules():
			R.check_time_zone(_("Default time zone"), self.time_zone)
			R.check_risk_rating(self.hr_risk_rating, as_date(self.risk_rated_on), self.risk_source, as_date(today()))
			R.check_unique(
				((row.idx, (row.institution_name or "").strip().casefold(), row.institution_name) for row in self.institutions),
				_("Institution"),
			)
			if self.status == "Suspended":
				R.check_required(_("Suspension reason"), self.suspension_reason, _("to suspend a state"))
		before = None if self.is_new() else self.get_doc_before_save()
		if self.status == "Suspended" and (not before or before.status != "Suspended"):
			self.suspended_on = now_datetime()
			self.flags.status_change = _("State suspended by {0}. Reason: {1}").format(frappe.session.user, self.suspension_reason)
		elif before and before.status == "Suspended" and self.status != "Suspended":
			self.flags.status_change = _(
				"Suspension lifted by {0}. Programmes here need a new review and new sign-offs before approval."
			).format(frappe.session.user)

	def on_update(self):
		text = self.flags.pop("status_change", None)
		if text:
			self.add_comment("Info", text)
			oversight.recheck(oversight.programmes_in_state(self.name), text)


def default_time_zone(country: str | None) -> str | None:
	"""The first time zone Frappe lists for the country, if any."""
	if not country:
		return None
	zones = (frappe.db.get_value("Country", country, "time_zones") or "").split()
	return zones[0] if zones else None
