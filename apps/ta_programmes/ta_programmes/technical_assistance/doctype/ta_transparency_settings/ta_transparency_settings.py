from frappe import _
from frappe.model.document import Document

from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TATransparencySettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		hrdd_marker_uri: DF.Data | None
		public_page_enabled: DF.Check
		reporting_org_name: DF.Data
		reporting_org_ref: DF.Data
		reporting_org_type: DF.Literal["", "10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"]
		suppression_k: DF.Int
	# end: auto-generated types

	def validate(self):
		with rules():
			R.check_iati_org_id(self.reporting_org_ref)
			R.check_https_url(_("Human-rights due-diligence marker URI"), self.hrdd_marker_uri)
			R.check_suppression_threshold(self.suppression_k)
