import frappe
from frappe import _
from frappe.model.document import Document


class TADeliveryRollup(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		activities: DF.Int
		beneficiary_state: DF.Link | None
		fees: DF.Currency
		men: DF.Int
		other: DF.Int
		outside_hours: DF.Float
		participants: DF.Int
		period: DF.Int
		programme: DF.Link | None
		thematic_area: DF.Link | None
		trainer_hours: DF.Float
		verified: DF.Int
		women: DF.Int
	# end: auto-generated types
	"""Delivered activities summed per programme, state, theme and period (see ta_programmes.rollup).
	Written by the server alone, in SQL, in the transaction of each activity change; never through
	a document."""

	def validate(self):
		refuse()

	def on_trash(self):
		refuse()


def refuse():
	frappe.throw(
		_("The delivery rollup is kept by the server from the activities; it is not edited."),
		frappe.PermissionError,
		title=_("Not Permitted"),
	)


def after_doctype_insert():
	# The table was just created (install, or the migrate that brings the rollup to a site with
	# activities): fill it from the activities.
	from ta_programmes import rollup

	if frappe.db.table_exists("TA Activity", cached=False):
		rollup.rebuild(quiet=True)


def on_doctype_update():
	# The reports read one period level (all time, years, months) and group by programme, state
	# and theme: the index covers every column they read.
	from ta_programmes.rollup import INDEX, INDEX_COLUMNS

	frappe.db.add_index("TA Delivery Rollup", list(INDEX_COLUMNS), INDEX)
