from frappe.model.document import Document


class TASignoffCondition(Document):
	pass
