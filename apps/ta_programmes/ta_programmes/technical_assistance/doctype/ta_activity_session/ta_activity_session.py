from frappe.model.document import Document


class TAActivitySession(Document):
	pass
