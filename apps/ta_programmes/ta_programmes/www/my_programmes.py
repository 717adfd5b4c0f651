"""Donor view (/my-programmes): a user linked to a TA Donor sees the programmes it funds, with
their delivery and oversight status, and nothing of other donors' programmes."""

import frappe
from frappe import _

from ta_programmes import i18n
from ta_programmes import transparency as T
from ta_programmes.permissions import donors_of
from ta_programmes.replica import reads_from_replica
from ta_programmes.transparency.donor import default_period

no_cache = 1


@reads_from_replica
def get_context(context):
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see the programmes your organisation funds."), frappe.PermissionError)
	i18n.page_context(context, "/my-programmes")
	donors = donors_of(frappe.session.user)
	context.title = _("Programmes we fund")
	context.donors = donors
	context.programmes = T.donor_view(donors) if donors else []
	context.k = int(T.settings().suppression_k or 5)
	context.statement_from, context.statement_to = default_period()
	context.show_sidebar = 0
	return context
