"""Install-time setup: reference data shipped with the app.

Thematic areas are records, not fixtures, so that a site may add its own; the shipped ones are
created when missing and their category and DAC code kept in step on every migrate.
"""

import frappe

from ta_programmes.core.constants import THEMATIC_AREAS


def after_install():
	sync_thematic_areas()
	save_default_policy()


def after_migrate():
	sync_thematic_areas()


def sync_thematic_areas():
	for name, category, dac_code, description in THEMATIC_AREAS:
		if frappe.db.exists("TA Thematic Area", name):
			frappe.db.set_value("TA Thematic Area", name, {"category": category, "dac_code": dac_code})
			continue
		frappe.get_doc(
			{
				"doctype": "TA Thematic Area",
				"theme_name": name,
				"category": category,
				"dac_code": dac_code,
				"description": description,
			}
		).insert(ignore_permissions=True)


def save_default_policy():
	"""Store the oversight policy's safe defaults, so that they show in the desk as in force."""
	if frappe.db.get_single_value("TA Oversight Policy", "validity_months"):
		return
	policy = frappe.get_doc("TA Oversight Policy")
	for field in policy.meta.fields:
		if field.default is not None and policy.get(field.fieldname) in (None, ""):
			policy.set(field.fieldname, field.default)
	policy.save(ignore_permissions=True)
