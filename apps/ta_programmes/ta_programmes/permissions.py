"""Row-level permission rules, in one place, enforcing the declared table
``core.access.VISIBILITY``.

A user whose only TA role is TA Donor sees only what the donors they are linked to (through
``TA Donor User``) fund: those donors' own records, the programmes with a funding line from
them, those programmes' activities, and the rows of their child tables that the table allows.
Every other role is governed by the doctype permissions alone. The hooks are wired in
``hooks.py``: the query condition (:func:`query`, for every doctype including child tables)
restricts lists, counts, reports, exports and ``get_list`` with ``parent``; ``has_permission``
restricts single documents (form, REST, ``frappe.client.get``); tables donors must not read in
a document they may read sit at permission level 1 (``core.access.PERMLEVEL_1_TABLES``).
"""

import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes.core.access import CHILDREN, STAFF, VISIBILITY
from ta_programmes.core.access import DONOR as DONOR_ROLE

READ_PTYPES = (None, "read", "select", "print")
# Roles that see every programme; a donor user holding one of these is not restricted.
UNRESTRICTED_ROLES = {*STAFF, "System Manager"}


def is_restricted_donor(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return DONOR_ROLE in roles and not roles & UNRESTRICTED_ROLES


def donors_of(user: str) -> list[str]:
	return frappe.get_all("TA Donor User", filters={"user": user, "parenttype": "TA Donor"}, pluck="parent")


def _in_list(values: list[str]) -> str:
	return ", ".join(frappe.db.escape(v) for v in values) if values else "''"


def _funded(column: str, user: str) -> str:
	"""SQL condition: ``column`` is a programme funded by one of the user's donors."""
	return (
		f"{column} in (select `parent` from `tabTA Funding Line` "
		f"where `parenttype` = 'TA Programme' and `donor` in ({_in_list(donors_of(user))}))"
	)


def hidden_from(user: str, doctype: str) -> bool:
	"""Every TA role the user holds is declared ``none`` for the doctype (a child table hidden from
	roles that read its parent, such as the follow-up link hashes)."""
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	if "System Manager" in roles:
		return False
	rules = VISIBILITY.get(doctype, {})
	held = [rules[r] for r in roles if r in rules and r != "Guest"]
	return bool(held) and all(rule == "none" for rule in held)


def overseen_only(user: str, doctype: str) -> bool:
	"""The user reads the doctype only as an overseer of some programmes (``overseen``): no role
	they hold sees all of it."""
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	if "System Manager" in roles:
		return False
	rules = {VISIBILITY.get(doctype, {}).get(r) for r in roles}
	return "overseen" in rules and "all" not in rules


def overseen_sql(user: str, concern: str = "`tabTA Concern Report`") -> str:
	"""SQL condition on the concern table ``concern``: an accredited organisation of ``user`` had
	signed the concern's programme off (a submitted sign-off) before the concern was received. A
	sign-off made later does not open earlier reports: a reviewer cannot endorse their way in."""
	return (
		"exists (select 1 from `tabTA Oversight Sign-off` so "
		"join `tabTA Organisation Reviewer` r on r.`parent` = so.`organisation` and r.`parenttype` = 'TA Partner Organisation' "
		"join `tabTA Partner Organisation` p on p.`name` = so.`organisation` "
		f"where so.`programme` = {concern}.`programme` and so.`docstatus` = 1 and so.`kind` = 'Civil Society' "
		f"and so.`signed_on` <= {concern}.`received_on` and p.`accredited_for_oversight` = 1 "
		f"and r.`user` = {frappe.db.escape(user)})"
	)


def oversees(user: str, concern: str | None) -> bool:
	"""``user`` oversees the stored concern ``concern`` (see :func:`overseen_sql`)."""
	return bool(concern) and bool(
		frappe.db.sql(
			f"select 1 from `tabTA Concern Report` c where c.`name` = %s and {overseen_sql(user, 'c')}",
			concern,
		)
	)


def concern_files_query(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions for File: Frappe lists the files attached to any doctype the
	user may read at all; the evidence of concern reports follows the reports' own rule."""
	user = user or frappe.session.user
	if user == "Administrator" or "System Manager" in frappe.get_roles(user):
		return ""
	rules = {VISIBILITY["TA Concern Report"].get(r) for r in frappe.get_roles(user)}
	if "all" in rules:
		return ""
	other = "ifnull(`tabFile`.`attached_to_doctype`, '') != 'TA Concern Report'"
	if "overseen" in rules:
		return f"({other} or `tabFile`.`attached_to_name` in (select c.`name` from `tabTA Concern Report` c where {overseen_sql(user, 'c')}))"
	return other


def query(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions for every doctype of the app, child tables included, from the
	declared table ``core.access.VISIBILITY``. Frappe checks only the parent's read permission when
	a child table is listed (``get_list`` with ``parent``), so each child carries its own rule."""
	user = user or frappe.session.user
	if doctype and hidden_from(user, doctype):
		return "1 = 0"
	if doctype and overseen_only(user, doctype):
		table = f"`tab{doctype}`"
		parent = CHILDREN.get(doctype, (None, None))[0]
		if parent:
			return (
				f"{table}.`parenttype` = {frappe.db.escape(parent)} and {table}.`parent` in "
				f"(select c.`name` from `tab{parent}` c where {overseen_sql(user, 'c')})"
			)
		return overseen_sql(user, table)
	if not doctype or not is_restricted_donor(user):
		return ""
	rule = VISIBILITY.get(doctype, {}).get(DONOR_ROLE, "none")
	table = f"`tab{doctype}`"
	if rule == "all":
		return ""
	if rule == "none":
		return "1 = 0"
	parent = CHILDREN.get(doctype, (None, None))[0]
	if rule == "own":
		column = f"{table}.`parent`" if parent else f"{table}.`name`"
		return f"{column} in ({_in_list(donors_of(user))})"
	# funded
	if doctype == "TA Programme":
		return _funded(f"{table}.`name`", user)
	if doctype == "TA Activity":
		return _funded(f"{table}.`programme`", user)
	if parent == "TA Programme":
		return f"{table}.`parenttype` = 'TA Programme' and " + _funded(f"{table}.`parent`", user)
	if parent == "TA Activity":
		return (
			f"{table}.`parenttype` = 'TA Activity' and {table}.`parent` in "
			f"(select `name` from `tabTA Activity` where {_funded('`programme`', user)})"
		)
	return "1 = 0"


def funds(user: str, programme: str | None) -> bool:
	if not programme:
		return False
	donors = donors_of(user)
	return bool(donors) and bool(
		frappe.db.exists(
			"TA Funding Line", {"parenttype": "TA Programme", "parent": programme, "donor": ("in", donors)}
		)
	)


def programme_permission(doc, ptype=None, user=None, debug=False) -> bool:
	user = user or frappe.session.user
	if not is_restricted_donor(user):
		return True
	return ptype in READ_PTYPES and funds(user, doc.name)


def activity_permission(doc, ptype=None, user=None, debug=False) -> bool:
	user = user or frappe.session.user
	if not is_restricted_donor(user):
		return True
	return ptype in READ_PTYPES and funds(user, doc.programme)


def donor_permission(doc, ptype=None, user=None, debug=False) -> bool:
	user = user or frappe.session.user
	if not is_restricted_donor(user):
		return True
	return ptype in READ_PTYPES and doc.name in donors_of(user)


def user_query(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	return f"`tabUser`.`name` = {frappe.db.escape(user)}" if is_restricted_donor(user) else ""


def user_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	user = user or frappe.session.user
	if is_restricted_donor(user) and doc.name != user:
		return False
	return None


def concern_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""A civil-society reviewer reads and triages the concerns about programmes their accredited
	organisation had signed off when the concern came in. The stored record decides: a request
	that edits the programme of a report cannot make it the reviewer's."""
	user = user or frappe.session.user
	if overseen_only(user, doc.doctype) and not oversees(user, doc.name if doc.get("name") else None):
		return False
	return None


SIGNER_ONLY = ("write", "submit", "cancel", "amend", "delete")


def signoff_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""A sign-off is written, submitted, cancelled or amended only by its signer."""
	user = user or frappe.session.user
	if ptype in SIGNER_ONLY and doc.get("signer") and doc.signer != user and user != "Administrator":
		return False
	return None


class ChildRow(Document):
	"""Base of every child-table controller of the app.

	Frappe checks a child row fetched on its own (``frappe.client.get``, ``/api/resource/<child>/
	<name>``) against its parent *doctype* only: the row is loaded without its parent document,
	so the parent's ``has_permission`` rules never run and any row of any programme could be read
	by a donor. Here the row is checked against its parent *document*, and the declared rule of
	the child table (``none`` for donors on oversight and trainer rows) applies as well."""

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if self.flags.ignore_permissions:
			return True
		user = user or frappe.session.user
		if not self.parenttype or not self.parent:
			return False
		if not frappe.permissions.has_child_permission(
			self.doctype,
			permtype,
			self,
			user,
			raise_exception=False,
			parent_doctype=self.parenttype,
			debug=debug,
		):
			return False
		if not frappe.has_permission(self.parenttype, permtype, doc=self.parent, user=user, debug=debug):
			return False
		if is_restricted_donor(user) and VISIBILITY.get(self.doctype, {}).get(DONOR_ROLE, "none") == "none":
			return False
		if hidden_from(user, self.doctype):
			return False
		return True

	def on_trash(self):
		"""A row deleted on its own (``frappe.delete_doc``, the list's bulk delete) would skip its
		parent's rules and the oversight gate: rows are removed by saving their parent."""
		frappe.throw(
			_(
				"A row of {0} is removed by editing the {0} itself, so that its rules and the oversight gate see the change."
			).format(_(self.parenttype or "")),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def check_attachment(doc, method=None) -> None:
	"""doc_events File before_insert: attaching a file to a record of the app is a write to it
	(Frappe asks only for read): refused to those who may not write the record."""
	target, name = doc.attached_to_doctype, doc.attached_to_name
	if not target or target not in VISIBILITY or not name or frappe.session.user == "Administrator":
		return
	if doc.flags.evidence_of_concern and target == "TA Concern Report":  # set by concerns.attach alone
		return
	if not frappe.has_permission(target, "write", doc=name):
		frappe.throw(
			_("You may not attach files to {0} {1}.").format(_(target), name),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def check_attachment_delete(doc, method=None) -> None:
	"""doc_events File on_trash and validate: a state's request for assistance, once the reviewers
	have read its needs assessment, stays, and stays where it is (the readiness rule relies on it)."""
	if frappe.session.user == "Administrator":
		return
	if method == "validate":
		before = None if doc.is_new() else doc.get_doc_before_save()
		if not before or before.file_url == doc.file_url:
			return
		doc = before
	if not doc.file_url:
		return
	from ta_programmes.technical_assistance.doctype.ta_needs_assessment.ta_needs_assessment import (
		EDITABLE_WHILE,
	)

	for programme in frappe.get_all(
		"TA Needs Assessment", filters={"request_document": doc.file_url}, pluck="programme"
	):
		status = frappe.db.get_value("TA Programme", programme, "status")
		if status not in EDITABLE_WHILE:
			frappe.throw(
				_("This file is the request for assistance of programme {0} ({1}): it stays.").format(
					programme, _(status)
				),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)


ATTACH_TYPES = ("Attach", "Attach Image")


def check_attached_files(doc, method=None) -> None:
	"""doc_events before_validate, every doctype of the app: Frappe attaches (or copies) the file
	named in an Attach field to the record saved, so naming another's file there would hand it over
	to everyone who reads the record. A request may name only a file its user may open."""
	if frappe.session.user == "Administrator" or doc.flags.ignore_permissions:
		return
	from ta_programmes.files import check_file_url

	before = None if doc.is_new() else doc.get_doc_before_save()
	for df in doc.meta.fields:
		url = doc.get(df.fieldname) if df.fieldtype in ATTACH_TYPES else None
		if not url or (before and before.get(df.fieldname) == url):
			continue
		if not isinstance(url, str):
			frappe.throw(
				_("{0}: a file address.").format(_(df.label)), frappe.ValidationError, title=_("Invalid File")
			)
		check_file_url(url, _(df.label))
