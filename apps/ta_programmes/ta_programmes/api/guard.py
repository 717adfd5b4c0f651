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

from ta_programmes.core.access import DONOR_HIDDEN
from ta_programmes.permissions import is_restricted_donor


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("Unknown document type."), frappe.DoesNotExistError, title=_("Not Found"))
	if frappe.is_table(doctype):
		frappe.throw(
			_("Count a child table's rows through its parent."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	from ta_programmes.api.args import filters_arg

	rows = frappe.get_list(
		doctype,
		filters=filters_arg(filters, doctype=doctype),
		fields=["count(*) as count"],
		limit_page_length=0,
	)
	return int(rows[0].count) if rows else 0


# --- donors ----------------------------------------------------------------------------------------
TIMELINE = (
	"versions",
	"comments",
	"communications",
	"automated_messages",
	"attachments",
	"assignments",
	"assignment_logs",
	"attachment_logs",
	"info_logs",
	"like_logs",
	"workflow_logs",
	"views",
	"energy_point_logs",
	"additional_timeline_content",
	"milestones",
	"shared",
)


def refuse_disabled_users() -> None:
	"""auth_hooks: a disabled user's API key or session no longer opens anything (Frappe 15.56
	checks ``enabled`` at login, not when an API key is used)."""
	user = frappe.session.user
	if user in (None, "", "Guest", "Administrator"):
		return
	if not frappe.get_cached_value("User", user, "enabled"):
		frappe.set_user("Guest")
		frappe.throw(_("This account is disabled."), frappe.AuthenticationError, title=_("Not Permitted"))


def donor_request_guard() -> None:
	"""auth_hooks: runs on every request once its user is known (session or API key)."""
	user = frappe.session.user
	if user in (None, "", "Guest", "Administrator"):
		return
	if not is_restricted_donor(user):
		return
	text = " ".join(_texts(dict(frappe.form_dict))).lower()
	text = " ".join(text.split())  # any run of whitespace as one space
	_check_filter_fields(dict(frappe.form_dict))
	for name in DONOR_HIDDEN:
		if name.lower() in text:
			frappe.throw(
				_("This request names {0}, which donors do not see.").format(name),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)


FILTER_ARGS = ("filters", "or_filters", "current_filters")
STANDARD_COLUMNS = {
	"name",
	"owner",
	"creation",
	"modified",
	"modified_by",
	"docstatus",
	"idx",
	"parent",
	"parentfield",
	"parenttype",
	"_assign",
	"_user_tags",
	"_comments",
	"_liked_by",
	"_seen",
}


def _check_filter_fields(args: dict) -> None:
	"""A donor's filter may name only fields of the document type asked for: Frappe joins a child
	table on its own when a filter names one of its fields without the table (``amount`` on TA
	Programme filters funding lines), and endpoints such as ``get_group_by_count`` would then count
	rows the donor may not see."""
	doctype = args.get("doctype") or args.get("reference_doctype") or _rest_doctype()
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		return
	meta = frappe.get_meta(doctype)
	own = {df.fieldname for df in meta.fields} | STANDARD_COLUMNS
	named = [args.get(k) for k in ("field", "group_by") if isinstance(args.get(k), str)]
	for key in FILTER_ARGS:
		named += list(_filter_fields(args.get(key)))
	for field in named:
		bare = field.strip("` ").split(".")[-1].strip("` ")
		if bare and bare not in own:
			frappe.throw(
				_("Filter on {0}: donors filter only on the fields of {1}.").format(bare, _(doctype)),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)


def _rest_doctype() -> str | None:
	"""The doctype of a REST resource request (``/api/resource/<doctype>``, ``/api/v2/document/<doctype>``)."""
	from urllib.parse import unquote

	path = getattr(getattr(frappe, "request", None), "path", "") or ""
	for prefix in ("/api/resource/", "/api/v2/document/", "/api/v1/resource/"):
		if path.startswith(prefix):
			return unquote(path[len(prefix) :].split("/")[0])
	return None


def _filter_fields(value, depth: int = 0):
	if depth > 4 or value is None:
		return
	if isinstance(value, str):
		try:
			value = json.loads(value)
		except (ValueError, RecursionError):
			return
	if isinstance(value, dict):
		for key in value:
			yield str(key)
	elif isinstance(value, list | tuple):
		if (
			value
			and all(isinstance(v, str | int | float | bool | type(None) | list | tuple) for v in value)
			and isinstance(value[0], str)
			and len(value) >= 3
		):
			# [field, op, value] or [doctype, field, op, value]
			yield str(value[1] if len(value) >= 4 else value[0])
			return
		for item in value:
			if isinstance(item, list | tuple | dict):
				yield from _filter_fields(item, depth + 1)


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
			except (ValueError, RecursionError):
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
		frappe.throw(
			_("Give the document type and name."), frappe.ValidationError, title=_("Invalid Request")
		)
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


# xss_safe: Frappe would run its HTML sanitiser over ``data`` first, whose JSON test recurses on deeply
# nested input (a 500); the document's own save sanitises every text field it stores.
@frappe.whitelist(allow_guest=True, methods=["POST"], xss_safe=True)
def web_form_accept(web_form=None, data=None):  # untyped: Frappe's type checks would parse ``data`` first
	"""Frappe's web form endpoint, with its arguments checked first: Frappe parses ``data`` with
	``json.loads`` and reads it as an object, so anything else was a 500. A clear 417 instead."""
	from frappe.website.doctype.web_form.web_form import accept

	if not isinstance(web_form, str) or not web_form:
		frappe.throw(
			_("Which form is this? The web form is missing."),
			frappe.ValidationError,
			title=_("Invalid Request"),
		)
	name = frappe.db.get_value("Web Form", web_form, "name")
	if not name:
		frappe.throw(_("There is no such form."), frappe.DoesNotExistError, title=_("Not Found"))
	frappe.form_dict.web_form = name  # one rate-limit bucket per form, whatever its spelling
	parsed = data
	if isinstance(data, str):
		try:
			parsed = json.loads(data)
		except (ValueError, RecursionError):
			parsed = None
	if not isinstance(parsed, dict):
		frappe.throw(
			_("The answers could not be read; please send the form again."),
			frappe.ValidationError,
			title=_("Invalid Request"),
		)
	# The app's web forms have no tables: an answer is one value, never a list or an object (Frappe
	# would take a list or an object as filters when it checks a Link before any controller runs).
	if any(isinstance(value, list | dict) for value in parsed.values()):
		frappe.throw(
			_("The answers could not be read; please send the form again."),
			frappe.ValidationError,
			title=_("Invalid Request"),
		)
	return accept(name, json.dumps(parsed))


def drop_unnamed_fields() -> None:
	"""before_request: a multipart field whose name the parser cannot read (a line break in it)
	reaches Frappe as a field named None, and Frappe then fails with a 500 twice over (calling the
	method with it, and logging that). Such a field cannot be meant for any method: it is dropped."""
	form = getattr(frappe.local, "form_dict", None)
	if form and any(not isinstance(key, str) for key in form):
		frappe.local.form_dict = frappe._dict({k: v for k, v in form.items() if isinstance(k, str)})


def check_report_filters(value) -> None:
	"""Report filters are an object (or nothing): see hooks.override_whitelisted_methods."""
	if value in (None, ""):
		return
	if isinstance(value, str):
		try:
			value = json.loads(value)
		except ValueError:
			value = None
	if not isinstance(value, dict):
		frappe.throw(
			_("Report filters are an object of field names and values."),
			frappe.ValidationError,
			title=_("Invalid Filters"),
		)


@frappe.whitelist()
@frappe.read_only()
def run_report(
	report_name,
	filters=None,
	user=None,
	ignore_prepared_report=False,
	custom_columns=None,
	is_tree=False,
	parent_field=None,
	are_default_filters=True,
):
	from frappe.desk import query_report

	check_report_filters(filters)
	return query_report.run(
		report_name,
		filters=filters,
		user=user,
		ignore_prepared_report=ignore_prepared_report,
		custom_columns=custom_columns,
		is_tree=is_tree,
		parent_field=parent_field,
		are_default_filters=are_default_filters,
	)


@frappe.whitelist()
def export_report():
	from frappe.desk import query_report

	check_report_filters(frappe.local.form_dict.get("filters"))
	return query_report.export_query()
