from ta_programmes.permissions import ChildRow


class TAActivitySession(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attendance: DF.Int
		end: DF.Datetime
		end_utc: DF.Datetime | None
		notes: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		session_label: DF.Data | None
		start: DF.Datetime
		start_utc: DF.Datetime | None
		time_zone: DF.Autocomplete | None
	# end: auto-generated types

	pass
