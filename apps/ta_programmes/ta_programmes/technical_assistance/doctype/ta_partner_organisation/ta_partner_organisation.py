from frappe import _
from frappe.model.document import Document

from ta_programmes import oversight
from ta_programmes.core import constants
from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TAPartnerOrganisation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_organisation_reviewer.ta_organisation_reviewer import TAOrganisationReviewer

		accredited_for_oversight: DF.Check
		accredited_on: DF.Date | None
		country: DF.Link | None
		iati_org_id: DF.Data | None
		iati_org_type: DF.Literal["", "10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"]
		organisation_name: DF.Data
		regional_group: DF.Literal["", "African", "Asia-Pacific", "Eastern European", "Latin American & Caribbean", "Western European & Others"]
		reviewers: DF.Table[TAOrganisationReviewer]
		sector: DF.Literal["Government", "UN entity", "Academia", "Civil Society", "Private Sector", "Regional Organisation"]
		short_name: DF.Data | None
		website: DF.Data | None
	# end: auto-generated types

	def validate(self):
		if not self.iati_org_type:
			self.iati_org_type = constants.DEFAULT_IATI_TYPE_BY_SECTOR.get(self.sector)
		if not self.accredited_for_oversight:
			self.accredited_on = None
		with rules():
			R.check_accreditation(self.sector, bool(self.accredited_for_oversight))
			R.check_iati_org_id(self.iati_org_id)

	def on_update(self):
		"""Accreditation and reviewers count when the gate runs: a change re-checks the programmes
		this organisation signed off."""
		before = self.get_doc_before_save()
		if before and (
			bool(before.accredited_for_oversight) != bool(self.accredited_for_oversight)
			or {r.user for r in before.reviewers} != {r.user for r in self.reviewers}
		):
			oversight.recheck(
				oversight.programmes_signed_by(self.name),
				_("Accreditation or reviewers of {0} changed").format(self.name),
			)

	def on_trash(self):
		oversight.recheck(oversight.programmes_signed_by(self.name), _("{0} deleted").format(self.name))
