"""Install-time setup: reference data shipped with the app.

Thematic areas are records, not fixtures, so that a site may add its own; the shipped ones are
created when missing and their category and DAC code kept in step on every migrate.
"""

import frappe

from ta_programmes.core.constants import THEMATIC_AREAS


def after_install():
	sync_thematic_areas()


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
