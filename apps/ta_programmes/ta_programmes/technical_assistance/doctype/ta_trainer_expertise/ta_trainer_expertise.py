from frappe.model.document import Document


class TATrainerExpertise(Document):
	pass
