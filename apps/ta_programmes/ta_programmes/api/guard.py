"""Frappe endpoints that would read around the app's permissions, replaced (``hooks.py``
``override_whitelisted_methods``) by versions that apply them, and the check every request of a
donor passes (``auth_hooks``).

- ``frappe.client.get_count`` in v15 counts with ``frappe.db.count``, which checks no permission
  at all: any logged-in user could count another donor's programmes, or binary-search a budget
  or a review's risk level through filters. Here it counts what ``frappe.get_list`` would list.
- ``frappe.desk.form.load.getdoc`` / ``get_docinfo`` return a document's version history and
  timeline to anyone who may read it; for donors that history holds the funding lines and
  trainers hidden from them, and the timeline the sign-offs and the review's risk level. Donors
  get the document without them.
- ``frappe.desk.form.linked_with.get_submitted_linked_docs`` lists the reviews and sign-offs
  linked to any programme without checking that the caller may read it.
- Frappe joins a child table named in ``fields`` or ``filters`` (for example ``tabTA Funding Line.amount``)
  with only the parent's permission checked: a donor's request that names a table or field hidden
  from donors is refused, whatever the endpoint.
"""

import json

import frappe
from frappe import _

from ta_programmes.core.access import DONOR_HIDDEN, STAFF_HIDDEN
from ta_programmes.permissions import is_restricted_donor


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("Unknown document type."), frappe.DoesNotExistError, title=_("Not Found"))
	if frappe.is_table(doctype):
		frappe.throw(_("Count a child table's rows through its parent."), frappe.PermissionError, title=_("Not Permitted"))
	from ta_programmes.api.args import filters_arg

	rows = frappe.get_list(doctype, filters=filters_arg(filters, doctype=doctype), fields=["count(*) as count"], limit_page_length=0)
	return int(rows[0].count) if rows else 0


# --- donors ----------------------------------------------------------------------------------------
TIMELINE = (
	"versions", "comments", "communications", "automated_messages", "attachments", "assignments", "assignment_logs",
	"attachment_logs", "info_logs", "like_logs", "workflow_logs", "views", "energy_point_logs",
	"additional_timeline_content", "milestones", "shared",
)


def donor_request_guard() -> None:
	"""auth_hooks: runs on every request once its user is known (session or API key)."""
	user = frappe.session.user
	if user in (None, "", "Guest", "Administrator"):
		return
	donor = is_restricted_donor(user)
	staff_hidden = not ({"TA Administrator", "System Manager"} & set(frappe.get_roles(user)))
	if not donor and not staff_hidden:
		return
	text = " ".join(_texts(dict(frappe.form_dict))).lower()
	text = " ".join(text.split())  # any run of whitespace as one space
	if staff_hidden:
		for name in STAFF_HIDDEN:
			if name.lower() in text:
				frappe.throw(_("This request names {0}, which only administrators see.").format(name.rstrip(".")), frappe.PermissionError, title=_("Not Permitted"))
	if not donor:
		return
	for name in DONOR_HIDDEN:
		if name.lower() in text:
			frappe.throw(
				_("This request names {0}, which donors do not see.").format(name), frappe.PermissionError, title=_("Not Permitted")
			)


def _texts(value, depth: int = 0):
	"""Every string in a request's arguments, JSON inside strings decoded again (endpoints decode
	``fields`` and ``filters`` themselves, so an escape such as \u0020 must not hide a name)."""
	if depth > 5:
		return
	if isinstance(value, dict):
		for key, item in value.items():
			yield str(key)
			yield from _texts(item, depth + 1)
	elif isinstance(value, list | tuple):
		for item in value:
			yield from _texts(item, depth + 1)
	elif isinstance(value, str):
		yield value
		stripped = value.strip()
		if stripped[:1] in ("[", "{", '"'):
			try:
				yield from _texts(json.loads(stripped), depth + 1)
			except ValueError:
				pass
	elif value is not None:
		yield str(value)


def _scrub_docinfo() -> None:
	docinfo = frappe.response.get("docinfo")
	if docinfo and is_restricted_donor():
		for key in TIMELINE:
			if key in docinfo:
				docinfo[key] = []


@frappe.whitelist()
def getdoc(doctype, name, user=None):
	from frappe.desk.form import load

	load.getdoc(doctype, name, user)
	_scrub_docinfo()


@frappe.whitelist()
def get_docinfo(doc=None, doctype=None, name=None):
	from frappe.desk.form import load

	if not doc and not (doctype and name):
		frappe.throw(_("Give the document type and name."), frappe.ValidationError, title=_("Invalid Request"))
	load.get_docinfo(doc, doctype, name)
	_scrub_docinfo()


@frappe.whitelist()
def get_roles(arg=None):
	"""Frappe's ``get_roles`` tells anyone any user's roles; a donor may ask only about themselves."""
	from frappe.core.doctype.user import user as core_user

	uid = frappe.form_dict.get("uid") or frappe.session.user
	if is_restricted_donor() and uid != frappe.session.user:
		frappe.throw(_("Not permitted."), frappe.PermissionError, title=_("Not Permitted"))
	return core_user.get_roles(arg)


@frappe.whitelist()
def get_user_info_for_viewers(users):
	from frappe.desk.form import load

	if is_restricted_donor():
		listed = frappe.parse_json(users) if isinstance(users, str) else users
		if any(u != frappe.session.user for u in (listed or [])):
			frappe.throw(_("Not permitted."), frappe.PermissionError, title=_("Not Permitted"))
	return load.get_user_info_for_viewers(users)


@frappe.whitelist()
def get_submitted_linked_docs(doctype: str, name: str, ignore_doctypes_on_cancel_all=None):
	from frappe.desk.form import linked_with

	if is_restricted_donor() or not frappe.has_permission(doctype, "read", name):
		frappe.throw(_("Not permitted."), frappe.PermissionError, title=_("Not Permitted"))
	return linked_with.get_submitted_linked_docs(doctype, name, ignore_doctypes_on_cancel_all)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def web_form_accept(web_form: str | None = None, data: str | dict | None = None):
	"""Frappe's web form endpoint, with its arguments checked first: Frappe parses ``data`` with
	``json.loads`` and reads it as an object, so anything else was a 500. A clear 417 instead."""
	from frappe.website.doctype.web_form.web_form import accept

	if not isinstance(web_form, str) or not web_form:
		frappe.throw(_("Which form is this? The web form is missing."), frappe.ValidationError, title=_("Invalid Request"))
	parsed = data
	if isinstance(data, str):
		try:
			parsed = json.loads(data)
		except ValueError:
			parsed = None
	if not isinstance(parsed, dict):
		frappe.throw(_("The answers could not be read; please send the form again."), frappe.ValidationError, title=_("Invalid Request"))
	return accept(web_form, json.dumps(parsed))
