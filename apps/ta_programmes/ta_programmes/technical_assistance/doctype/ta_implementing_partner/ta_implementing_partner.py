from frappe.model.document import Document


class TAImplementingPartner(Document):
	pass
