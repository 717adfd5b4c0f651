import frappe
from frappe.model.document import Document


class TATrainerBooking(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		activity: DF.Link | None
		country: DF.Data | None
		end_utc: DF.Datetime
		in_person: DF.Check
		kind: DF.Literal["session", "unavailability"]
		reason: DF.Data | None
		session_label: DF.Data | None
		start_utc: DF.Datetime
		trainer: DF.Link
	# end: auto-generated types

	"""Derived index of trainers' busy time; written only by ta_programmes.scheduling."""


def on_doctype_update():
	# The conflict check's range query: trainer, then time.
	frappe.db.add_index("TA Trainer Booking", ["trainer", "start_utc", "end_utc"], "trainer_time")
