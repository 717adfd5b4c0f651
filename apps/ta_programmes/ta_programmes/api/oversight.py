"""Desk endpoints for reviewers and officers (thin: the rules are in core.oversight)."""

import frappe
from frappe import _

from ta_programmes import oversight
from ta_programmes.core import oversight as core
from ta_programmes.core.i18n import N_, reason


def my_positions(user: str) -> list[tuple[str, str]]:
	"""The (kind, organisation) positions ``user`` may sign for."""
	roles = set(frappe.get_roles(user))
	positions = []
	if core.OHCHR_ROLE in roles:
		positions.append((core.OHCHR, ""))
	if core.CIVIL_SOCIETY_ROLE in roles:
		orgs = frappe.get_all(
			"TA Organisation Reviewer", filters={"user": user, "parenttype": "TA Partner Organisation"}, pluck="parent"
		)
		accredited = set(frappe.get_all("TA Partner Organisation", filters={"name": ("in", orgs or [""]), "accredited_for_oversight": 1}, pluck="name"))
		positions += [(core.CIVIL_SOCIETY, org) for org in orgs if org in accredited]
	return positions


@frappe.whitelist()
def awaiting_my_signoff() -> list[dict]:
	"""Programmes under review on which none of the user's positions has a submitted sign-off."""
	user = frappe.session.user
	positions = my_positions(user)
	if not positions:
		return []
	programmes = frappe.get_list(
		"TA Programme",
		filters={"status": "Under Review"},
		fields=["name", "title", "programme_officer", "planned_start", "modified"],
		order_by="planned_start asc",
		limit_page_length=0,
	)
	if not programmes:
		return []
	signed = frappe.get_all(
		"TA Oversight Sign-off",
		filters={"programme": ("in", [p.name for p in programmes]), "docstatus": 1},
		fields=["programme", "kind", "organisation"],
	)
	done = {(s.programme, s.kind, (s.organisation or "") if s.kind == core.CIVIL_SOCIETY else "") for s in signed}
	out = []
	for p in programmes:
		waiting = [pos for pos in positions if (p.name, pos[0], pos[1]) not in done]
		if waiting and p.programme_officer != user:
			p.awaiting = ", ".join(org or _("OHCHR") for _kind, org in waiting)
			out.append(p)
	return out


@frappe.whitelist()
def request_review(programme: str) -> int:
	"""The officer asks the reviewers again (e.g. after answering questions)."""
	doc = frappe.get_doc("TA Programme", programme)
	doc.check_permission("write")
	if doc.status != "Under Review":
		frappe.throw(
			_("Programme {0} is {1}; reviews are requested while it is Under Review.").format(doc.name, _(doc.status)),
			exc=frappe.ValidationError,
			title=_("Not Under Review"),
		)
	reviewers = oversight.reviewers_of(doc)
	oversight.notify(reviewers, reason(N_("Programme {0} awaits your sign-off"), doc.title), doc)
	doc.add_comment("Info", _("Review requested again by {0}.").format(frappe.session.user))
	return len(set(reviewers))
