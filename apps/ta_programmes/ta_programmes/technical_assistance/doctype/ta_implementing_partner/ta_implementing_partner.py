from ta_programmes.permissions import ChildRow


class TAImplementingPartner(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		partner: DF.Link
		role: DF.Literal["Implementing", "Co-implementing", "Technical Adviser", "Host"]
		sector: DF.Data | None
	# end: auto-generated types

	pass
