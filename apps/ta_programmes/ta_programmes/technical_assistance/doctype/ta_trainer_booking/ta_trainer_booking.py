import frappe
from frappe.model.document import Document


class TATrainerBooking(Document):
	"""Derived index of trainers' busy time; written only by ta_programmes.scheduling."""


def on_doctype_update():
	# The conflict check's range query: trainer, then time.
	frappe.db.add_index("TA Trainer Booking", ["trainer", "start_utc", "end_utc"], "trainer_time")
