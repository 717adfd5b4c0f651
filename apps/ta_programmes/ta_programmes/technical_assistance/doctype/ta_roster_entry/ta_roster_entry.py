from ta_programmes.permissions import ChildRow


class TARosterEntry(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		email: DF.Data | None
		full_name: DF.Data
		institution: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		sex: DF.Literal["", "Women", "Men", "Other"]
	# end: auto-generated types
	pass
