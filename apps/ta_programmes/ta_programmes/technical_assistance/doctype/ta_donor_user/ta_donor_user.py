from frappe.model.document import Document


class TADonorUser(Document):
	pass
