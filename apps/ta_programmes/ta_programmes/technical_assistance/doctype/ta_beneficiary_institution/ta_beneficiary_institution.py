from ta_programmes.permissions import ChildRow


class TABeneficiaryInstitution(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		institution_name: DF.Data
		institution_type: DF.Literal["", "Police", "Prosecution", "Judiciary", "CERT", "Ministry", "Parliament", "Civil Society", "Private Sector", "Academia"]
		notes: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	pass
