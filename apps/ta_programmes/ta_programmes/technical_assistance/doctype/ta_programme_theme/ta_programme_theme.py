from frappe.model.document import Document


class TAProgrammeTheme(Document):
	pass
