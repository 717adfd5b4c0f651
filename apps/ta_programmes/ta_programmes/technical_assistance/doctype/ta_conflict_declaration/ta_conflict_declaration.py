from frappe.model.document import Document


class TAConflictDeclaration(Document):
	pass
