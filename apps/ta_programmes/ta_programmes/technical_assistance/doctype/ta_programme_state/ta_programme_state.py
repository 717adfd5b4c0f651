from frappe.model.document import Document


class TAProgrammeState(Document):
	pass
