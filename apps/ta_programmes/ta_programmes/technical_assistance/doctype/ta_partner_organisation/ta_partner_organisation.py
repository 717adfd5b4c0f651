from frappe.model.document import Document

from ta_programmes.core import constants
from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TAPartnerOrganisation(Document):
	def validate(self):
		if not self.iati_org_type:
			self.iati_org_type = constants.DEFAULT_IATI_TYPE_BY_SECTOR.get(self.sector)
		if not self.accredited_for_oversight:
			self.accredited_on = None
		with rules():
			R.check_accreditation(self.sector, bool(self.accredited_for_oversight))
			R.check_iati_org_id(self.iati_org_id)
