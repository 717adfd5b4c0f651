from ta_programmes.permissions import ChildRow


class TAActivityPostponement(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		old_end: DF.Datetime | None
		old_start: DF.Datetime | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		postponed_by: DF.Link | None
		postponed_on: DF.Datetime | None
		reason: DF.SmallText | None
	# end: auto-generated types

	pass
