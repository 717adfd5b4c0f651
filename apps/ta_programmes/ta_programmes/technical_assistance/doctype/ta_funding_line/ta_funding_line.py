from frappe.model.document import Document


class TAFundingLine(Document):
	pass
