"""Marks user-facing messages for translation without importing Frappe.

``_`` returns its argument unchanged: the Frappe layer translates a violation's message with
``frappe._`` when it raises it. Writing messages as ``_("...")`` here lets Frappe's translation
extractor find them in this package like anywhere else in the app.
"""


def _(message: str) -> str:
	return message
