from frappe.model.document import Document


class TAActivityPostponement(Document):
	pass
