from ta_programmes.permissions import ChildRow


class TAIndicatorTarget(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		period: DF.Data
		period_end: DF.Date
		period_start: DF.Date
		target_value: DF.Float
	# end: auto-generated types
	pass
