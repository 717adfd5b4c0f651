from frappe.model.document import Document

from ta_programmes.core import rules as R
from ta_programmes.enforce import rules


class TAThematicArea(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal["Enforcement", "Prevention", "Safeguards"]
		dac_code: DF.Data
		description: DF.SmallText | None
		theme_name: DF.Data
	# end: auto-generated types

	def validate(self):
		self.dac_code = (self.dac_code or "").strip()
		with rules():
			R.check_dac_code(self.dac_code)
