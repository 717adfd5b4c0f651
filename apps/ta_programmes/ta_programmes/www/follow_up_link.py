"""Where a follow-up link that cannot be answered leads: what happened, in the reader's language,
and nothing about whose link it was."""

import frappe
from frappe import _

from ta_programmes import i18n
from ta_programmes.core.results import LINK_MESSAGES

no_cache = 1


def get_context(context):
	i18n.page_context(context, "/follow-up-link")
	reason = frappe.form_dict.get("reason")
	context.message = _(LINK_MESSAGES.get(reason if isinstance(reason, str) else "", LINK_MESSAGES["invalid"]))
	context.title = _("Training follow-up")
	return context
