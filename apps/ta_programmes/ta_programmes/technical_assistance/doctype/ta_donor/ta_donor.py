from frappe import _
from frappe.model.document import Document

from ta_programmes.core import constants
from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TADonor(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_donor_user.ta_donor_user import TADonorUser

		country: DF.Link | None
		donor_name: DF.Data
		donor_type: DF.Literal["Government", "Multilateral", "Foundation", "Private"]
		iati_org_id: DF.Data | None
		iati_org_type: DF.Literal["", "10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"]
		users: DF.Table[TADonorUser]
		website: DF.Data | None
	# end: auto-generated types

	def validate(self):
		if not self.iati_org_type:
			self.iati_org_type = constants.DEFAULT_IATI_TYPE_BY_DONOR_TYPE.get(self.donor_type)
		with rules():
			R.check_iati_org_id(self.iati_org_id)
			R.check_unique(((row.idx, row.user, row.user) for row in self.users), _("User"))
