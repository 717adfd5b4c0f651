from ta_programmes.permissions import ChildRow


class TAExternalSector(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		code: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		vocabulary: DF.Data | None
	# end: auto-generated types
	pass
