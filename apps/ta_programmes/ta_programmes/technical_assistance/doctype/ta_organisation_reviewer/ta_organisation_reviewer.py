from frappe.model.document import Document


class TAOrganisationReviewer(Document):
	pass
