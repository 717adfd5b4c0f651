from ta_programmes.permissions import ChildRow


class TACoordinationNote(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		candidate: DF.DynamicLink
		candidate_title: DF.Data | None
		candidate_type: DF.Literal["TA Programme", "TA External Activity"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reason: DF.SmallText
		recorded_by: DF.Link | None
		recorded_on: DF.Datetime | None
		relation: DF.Literal["Complementary", "Coordinated with", "No overlap"]
	# end: auto-generated types
	pass
