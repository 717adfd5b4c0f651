from frappe.model.document import Document


class TABeneficiaryInstitution(Document):
	pass
