from ta_programmes.permissions import ChildRow


class TAConcernUpdate(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		added_on: DF.Datetime | None
		files: DF.Int
		information: DF.Text | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	"""Information a reporter added through the secret link (server-written)."""
