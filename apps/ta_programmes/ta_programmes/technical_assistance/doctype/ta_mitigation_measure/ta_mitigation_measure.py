from frappe.model.document import Document


class TAMitigationMeasure(Document):
	pass
