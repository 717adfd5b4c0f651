from frappe.model.document import Document


class TAActivityTrainer(Document):
	pass
