"""A funded programme's donor page (/my-programmes/<programme>): for a user linked to a donor that
funds it, the activities delivered (by year, beneficiary state and theme), participants (suppressed
below k), spending against the donor's commitment, the oversight status and the published results.
Never confidential review content nor participants' personal data. Guest, a user of no donor, or a
donor that does not fund the programme (or a programme that does not exist): refused (403), no data."""

import frappe
from frappe import _

from ta_programmes import i18n
from ta_programmes import transparency as T
from ta_programmes.permissions import donors_of
from ta_programmes.replica import reads_from_replica
from ta_programmes.transparency.donor import default_period, donor_programme

no_cache = 1


@reads_from_replica
def get_context(context):
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see the programmes your organisation funds."), frappe.PermissionError)
	name = frappe.form_dict.get("programme")
	name = name.strip()[:140] if isinstance(name, str) else ""
	donors = donors_of(frappe.session.user)
	programme = donor_programme(donors, name) if donors and name else None
	if not programme:
		# the same answer whether the programme exists or not: a donor learns nothing of others'
		frappe.throw(
			_(
				"This page shows a programme your organisation funds. Your account's donor does not fund this one."
			),
			frappe.PermissionError,
		)
	i18n.page_context(context, f"/my-programmes/{programme['name']}")
	context.programme = programme
	context.title = programme["title"]
	context.k = int(T.settings().suppression_k or 5)
	context.statement_from, context.statement_to = default_period()
	context.show_sidebar = 0
	return context
