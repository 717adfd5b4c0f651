from frappe.model.document import Document

from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TAThematicArea(Document):
	def validate(self):
		self.dac_code = (self.dac_code or "").strip()
		with rules():
			R.check_dac_code(self.dac_code)
