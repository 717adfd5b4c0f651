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
	setup_outgoing_email()
	log_retention(lengthen=True)


def log_retention(lengthen: bool) -> None:
	"""How long the app's logs are kept (core.operations.LOG_RETENTION, in Log Settings): set at
	install; on migrate only rows missing are added, so an administrator's later choice stands."""
	from ta_programmes.operations import set_log_retention

	set_log_retention(lengthen=lengthen)


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
	log_retention(lengthen=False)
	setup_outgoing_email()


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
			# only what changed: a migrate must not rewrite the record (its modified time) for nothing
			if frappe.db.get_value("TA Thematic Area", name, ["category", "dac_code"]) != (category, dac_code):
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


# --- outgoing e-mail --------------------------------------------------------------------------------
# The site's default outgoing Email Account, from site config (bench --site SITE set-config ...):
# notifications, reminders and follow-up links leave through it (the Email Queue).
OUTGOING_ACCOUNT = "TA Programmes"


def setup_outgoing_email() -> str | None:
	"""Create or update the default outgoing Email Account from the site config keys
	``ta_smtp_server`` (nothing is done without it), ``ta_smtp_port``, ``ta_smtp_use_tls``
	(STARTTLS), ``ta_smtp_use_ssl`` (TLS from the start), ``ta_smtp_login``,
	``ta_smtp_password`` (no authentication without them) and ``ta_mail_sender`` (the From
	address). Run on install and migrate; ``bench --site SITE execute
	ta_programmes.install.setup_outgoing_email`` applies a change at once. A server that does not
	answer is recorded in the Error Log and leaves the account as it was (migrate goes on)."""
	conf = frappe.conf
	server = (conf.get("ta_smtp_server") or "").strip()
	if not server:
		return None
	login = (conf.get("ta_smtp_login") or "").strip()
	password = conf.get("ta_smtp_password") or ""
	sender = (conf.get("ta_mail_sender") or login or f"noreply@{frappe.local.site}").strip()
	use_ssl = frappe.utils.cint(conf.get("ta_smtp_use_ssl"))
	use_tls = 0 if use_ssl else frappe.utils.cint(conf.get("ta_smtp_use_tls"))
	port = frappe.utils.cint(conf.get("ta_smtp_port")) or (465 if use_ssl else 587 if use_tls else 25)
	values = {
		"email_id": sender,
		"enable_outgoing": 1,
		"default_outgoing": 1,
		"enable_incoming": 0,
		"smtp_server": server,
		"smtp_port": str(port),
		"use_tls": use_tls,
		"use_ssl_for_outgoing": use_ssl,
		"no_smtp_authentication": 0 if (login and password) else 1,
		"login_id_is_different": 1 if (login and login != sender) else 0,
		"login_id": login if (login and login != sender) else None,
		"awaiting_password": 0,
	}
	if frappe.db.exists("Email Account", OUTGOING_ACCOUNT):
		doc = frappe.get_doc("Email Account", OUTGOING_ACCOUNT)
	else:
		doc = frappe.new_doc("Email Account")
		doc.email_account_name = OUTGOING_ACCOUNT
	doc.update(values)
	doc.password = password if (login and password) else None
	frappe.db.savepoint("ta_outgoing_email")
	try:
		if not (login and password) and not doc.is_new():  # Frappe would still log in with a stored one
			from frappe.utils.password import remove_encrypted_password

			remove_encrypted_password("Email Account", doc.name, "password")
		# ours becomes the default: Frappe would re-save (and connect to) the former default to unset it
		frappe.db.set_value(
			"Email Account", {"default_outgoing": 1, "name": ("!=", OUTGOING_ACCOUNT)}, "default_outgoing", 0
		)
		doc.save(ignore_permissions=True)
	except Exception:
		frappe.db.rollback(save_point="ta_outgoing_email")
		frappe.log_error(title=f"Outgoing e-mail: {server}:{port} could not be set up")
		print(f"ta_programmes: the outgoing e-mail account ({server}:{port}) could not be set up; see the Error Log")
		return None
	frappe.db.release_savepoint("ta_outgoing_email")
	frappe.clear_document_cache("Email Account", OUTGOING_ACCOUNT)
	frappe.local.outgoing_email_account = {}  # Frappe's per-process choice of the default account
	return doc.name
