from frappe.model.document import Document


class TAIdentifiedRisk(Document):
	pass
