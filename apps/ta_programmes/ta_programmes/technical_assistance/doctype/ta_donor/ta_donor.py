from frappe import _
from frappe.model.document import Document

from ta_programmes.core import constants
from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TADonor(Document):
	def validate(self):
		if not self.iati_org_type:
			self.iati_org_type = constants.DEFAULT_IATI_TYPE_BY_DONOR_TYPE.get(self.donor_type)
		with rules():
			R.check_iati_org_id(self.iati_org_id)
			R.check_unique(((row.idx, row.user, row.user) for row in self.users), _("User"))
