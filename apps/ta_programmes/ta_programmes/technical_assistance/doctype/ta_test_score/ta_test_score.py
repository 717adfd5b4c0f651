from ta_programmes.permissions import ChildRow


class TATestScore(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		gain: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		participant_code: DF.Data
		post_score: DF.Float
		pre_score: DF.Float
		sex: DF.Literal["", "Women", "Men", "Other"]
	# end: auto-generated types
	pass
