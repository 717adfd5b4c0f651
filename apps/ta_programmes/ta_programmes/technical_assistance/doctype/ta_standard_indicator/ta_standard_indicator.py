from frappe.model.document import Document

from ta_programmes.core import results as R
from ta_programmes.enforce import rules


class TAStandardIndicator(Document):
	def validate(self):
		self.code = (self.code or "").strip()
		with rules():
			R.check_scale(self.unit, self.scale_min, self.scale_max)
