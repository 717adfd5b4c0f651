from ta_programmes.permissions import ChildRow


class TAMeetingParticipant(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		organisation: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		participant_name: DF.Data
		regional_group: DF.Literal["", "African", "Asia-Pacific", "Eastern European", "Latin American & Caribbean", "Western European & Others"]
		sector: DF.Literal["OHCHR", "Civil Society", "Academia", "Private Sector", "Beneficiary State"]
	# end: auto-generated types
	pass
