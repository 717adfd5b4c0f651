from ta_programmes.permissions import ChildRow


class TAConflictDeclaration(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		declared_on: DF.Date
		description: DF.SmallText
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		related_party: DF.Data | None
		status: DF.Literal["Open", "Mitigated", "Closed"]
	# end: auto-generated types

	pass
