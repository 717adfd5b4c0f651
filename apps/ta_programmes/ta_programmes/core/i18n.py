"""Marks user-facing messages for translation without importing Frappe.

``_`` returns its argument unchanged: the Frappe layer translates a violation's message with
``frappe._`` when it raises it. Writing messages as ``_("...")`` here lets Frappe's translation
extractor find them in this package like anywhere else in the app.
"""


def _(message: str) -> str:
	return message


# The same marker where the message is translated later, for someone else than the current user
# (a notification in its recipient's language): ``reason(N_("..."), args)``. ``N_`` is gettext's
# name for it, which Frappe's extractor (Babel) also knows.
N_ = _


# A message that explains a result (a failed requirement, a conflict, a trainer's rank):
# the English template and its arguments, translated by the caller, then formatted.
Reason = tuple[str, tuple]


def reason(template: str, *args: object) -> Reason:
	return (template, args)


def render(r: Reason, translate=lambda s: s) -> str:
	return translate(r[0]).format(*r[1])
