"""Install-time setup: reference data shipped with the app.

Thematic areas are records, not fixtures, so that a site may add its own; the shipped ones are
created when missing and their category and DAC code kept in step on every migrate.
"""

import frappe

from ta_programmes.core.constants import STANDARD_INDICATORS, THEMATIC_AREAS

SINGLES_WITH_DEFAULTS = ("TA Oversight Policy", "TA Transparency Settings", "TA Scheduling Settings", "TA Monitoring Settings")


def after_install():
	sync_thematic_areas()
	sync_standard_indicators()
	save_single_defaults()
	system_defaults()


# Frappe leaves these to its setup wizard, and without them reads time as Asia/Kolkata. A site
# installed without the wizard (bench new-site --install-app, the setup script, CI) starts on
# UTC and US dollars; `.ci/setup` sets the agency's own (TA_TIME_ZONE, TA_CURRENCY, TA_COUNTRY).
SYSTEM_DEFAULTS = {"time_zone": "UTC", "currency": "USD", "language": "en"}


def system_defaults() -> None:
	"""Set the site's time zone, currency and language where nobody has set them yet."""
	settings = frappe.get_single("System Settings")
	missing = {key: value for key, value in SYSTEM_DEFAULTS.items() if not settings.get(key)}
	if missing:
		for key, value in missing.items():
			frappe.db.set_single_value("System Settings", key, value)
		frappe.clear_cache()


def after_migrate():
	sync_thematic_areas()
	sync_standard_indicators()
	save_single_defaults()
	run_reports_live()


def run_reports_live():
	"""The app's script reports run when asked. Frappe switches a report to background preparation
	when a run took 15 seconds or failed (see api.guard.check_report_filters): undone on migrate."""
	frappe.db.set_value("Report", {"module": "Technical Assistance", "prepared_report": 1}, "prepared_report", 0)


def sync_standard_indicators():
	"""The shipped indicator library: created when missing, never overwritten (a site may adapt it)."""
	for code, name, category, unit, direction, disaggregation, definition, verification in STANDARD_INDICATORS:
		if frappe.db.exists("TA Standard Indicator", code):
			continue
		frappe.get_doc(
			{
				"doctype": "TA Standard Indicator", "code": code, "indicator_name": name, "category": category, "unit": unit,
				"direction": direction, "disaggregation": disaggregation, "definition": definition,
				"means_of_verification": verification,
			}
		).insert(ignore_permissions=True)


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


def save_single_defaults():
	"""Store the safe defaults of the app's settings once, so that the desk shows what is in force."""
	for doctype in SINGLES_WITH_DEFAULTS:
		if frappe.db.get_singles_dict(doctype):
			continue
		doc = frappe.get_doc(doctype)
		for field in doc.meta.fields:
			if field.default is not None and doc.get(field.fieldname) in (None, ""):
				doc.set(field.fieldname, field.default)
		doc.save(ignore_permissions=True)
