from ta_programmes.permissions import ChildRow


class TAIdentifiedRisk(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal["Surveillance misuse", "Arbitrary detention", "Freedom of expression", "Privacy & data protection", "Discrimination", "Fair trial", "Other"]
		description: DF.SmallText
		impact: DF.Literal["Low", "Medium", "High"]
		likelihood: DF.Literal["Low", "Medium", "High"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	pass
