from frappe import _
from frappe.model.document import Document

from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TATransparencySettings(Document):
	def validate(self):
		with rules():
			R.check_iati_org_id(self.reporting_org_ref)
			R.check_https_url(_("Human-rights due-diligence marker URI"), self.hrdd_marker_uri)
			R.check_suppression_threshold(self.suppression_k)
