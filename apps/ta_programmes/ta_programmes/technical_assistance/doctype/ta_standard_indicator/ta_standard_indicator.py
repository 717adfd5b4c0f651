from frappe.model.document import Document

from ta_programmes.core import results as R
from frappe import _

from ta_programmes.enforce import numbers, rules


class TAStandardIndicator(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal["", "Enforcement", "Prevention", "Safeguards"]
		code: DF.Data
		definition: DF.SmallText
		direction: DF.Literal["Increase", "Decrease"]
		disaggregation: DF.Literal["None", "Sex", "Institution type", "Beneficiary state"]
		indicator_name: DF.Data
		means_of_verification: DF.SmallText | None
		scale_max: DF.Float
		scale_min: DF.Float
		unit: DF.Literal["Number", "Percentage", "Yes/No", "Scale"]
	# end: auto-generated types
	def validate(self):
		numbers(self, {"scale_min": _("Scale from"), "scale_max": _("Scale to")})
		self.code = (self.code or "").strip()
		with rules():
			R.check_scale(self.unit, self.scale_min, self.scale_max)
