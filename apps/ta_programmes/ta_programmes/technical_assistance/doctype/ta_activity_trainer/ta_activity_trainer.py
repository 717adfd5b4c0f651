from ta_programmes.permissions import ChildRow


class TAActivityTrainer(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		hours: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		role: DF.Literal["Lead", "Co-trainer", "Guest"]
		sector: DF.Data | None
		trainer: DF.Link
		trainer_name: DF.Data | None
	# end: auto-generated types

	pass
