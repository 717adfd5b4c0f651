from frappe.model.document import Document


class TATrainerLanguage(Document):
	pass
