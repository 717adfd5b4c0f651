from ta_programmes.permissions import ChildRow


class TAMitigationMeasure(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		due_date: DF.Date | None
		measure: DF.SmallText
		owner_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		status: DF.Literal["Planned", "In place", "Verified"]
	# end: auto-generated types

	pass
