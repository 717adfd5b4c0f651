from frappe.model.document import Document


class TATrainerUnavailability(Document):
	pass
