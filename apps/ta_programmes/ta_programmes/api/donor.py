"""The donor statement for a period, as a PDF: for a user linked to a donor (its own donors), and
for TA staff who read programmes (any donor, named by ``donor``). Guest and everyone else: refused."""

from __future__ import annotations

import frappe
from frappe import _

from ta_programmes.permissions import donors_of, is_restricted_donor
from ta_programmes.replica import reads_from_replica


def statement_donors(donor: object = None) -> list[str]:
	"""The donors whose statement the caller may have: a donor user's own (``donor``, when given,
	must be one of them); for staff who read programmes, the ``donor`` they name. Refused with a
	403 otherwise, and with the same message whether or not a named donor exists."""
	user = frappe.session.user
	if donor not in (None, "") and not isinstance(donor, str):
		from ta_programmes.api.args import bad

		bad(_("Donor"), donor, _("a single value"))
	donor = (donor or "").strip()[:140]
	if user == "Guest":
		frappe.throw(
			_("Log in to download your donor statement."), frappe.PermissionError, title=_("Not Permitted")
		)
	if is_restricted_donor(user):
		own = donors_of(user)
		if not own:
			frappe.throw(
				_("Your account is not linked to a donor. Ask the programme office to link it."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
		if donor and donor not in own:
			frappe.throw(
				_("You may only download the statement of your own donor."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
		return [donor] if donor else own
	# staff who may read the donors (the programme office; not the reviewers, who see no donor)
	if not (frappe.has_permission("TA Programme", "read") and frappe.has_permission("TA Donor", "read")):
		frappe.throw(
			_("Not permitted to download donor statements."), frappe.PermissionError, title=_("Not Permitted")
		)
	if not donor:
		frappe.throw(
			_("Choose the donor whose statement you want."), frappe.ValidationError, title=_("Missing Value")
		)
	if not frappe.db.exists("TA Donor", donor):
		frappe.throw(
			_("Donor {0} does not exist.").format(donor), frappe.DoesNotExistError, title=_("Not Found")
		)
	return [donor]


@frappe.whitelist(methods=["GET"])
@reads_from_replica
def statement(from_month: str | None = None, to_month: str | None = None, donor: str | None = None):
	"""The donor statement for the months ``from_month`` to ``to_month`` (``YYYY-MM``) as a PDF
	download, in the reader's language."""
	from ta_programmes.transparency.donor import statement_pdf

	donors = statement_donors(donor)
	content = statement_pdf(donors, from_month, to_month)
	frappe.response.update(
		type="download",
		filename=f"donor-statement-{str(from_month)[:7]}-{str(to_month)[:7]}.pdf",
		filecontent=content,
		content_type="application/pdf",
	)
