"""The accreditation web form (/accreditation/new): an organisation applies without logging in.
Frappe's ``accept`` is reached through the app's checked wrapper (hooks
``override_whitelisted_methods``), rate-limited per form; the controller checks every value."""


def get_context(context):
	context.no_cache = 1
