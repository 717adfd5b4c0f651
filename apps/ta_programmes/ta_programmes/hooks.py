from ta_programmes.core.access import CHILDREN, VISIBILITY

app_name = "ta_programmes"
app_title = "TA Programmes"
app_publisher = "ta_programmes developers"
app_description = "Technical-assistance programmes against cybercrime, with human-rights oversight built in"
app_email = "dev@ta-programmes.invalid"
app_license = "mit"
required_apps = []

# Controllers carry generated type annotations (see "begin: auto-generated types").
export_python_type_annotations = True

# Installation
after_install = "ta_programmes.install.after_install"
after_migrate = "ta_programmes.install.after_migrate"

WORKFLOW_STATES = ["Draft", "Under Review", "Approved", "Active", "Suspended", "Completed", "Cancelled"]
WORKFLOW_ACTIONS = ["Submit for Review", "Approve", "Return to Draft", "Activate", "Complete", "Suspend", "Resume Review", "Cancel"]

# Roles are shipped as fixtures, filtered by name so that nothing else is exported.
fixtures = [
	{"dt": "Role", "filters": [["name", "like", "TA %"]]},
	{"dt": "Workflow State", "filters": [["name", "in", WORKFLOW_STATES]]},
	{"dt": "Workflow Action Master", "filters": [["name", "in", WORKFLOW_ACTIONS]]},
	{"dt": "Workflow", "filters": [["name", "=", "TA Programme Approval"]]},
]

# Row-level rules (see permissions.py)
permission_query_conditions = {doctype: "ta_programmes.permissions.query" for doctype in VISIBILITY}
# Donors see no other user (their roles would name every reviewer).
permission_query_conditions["User"] = "ta_programmes.permissions.user_query"
# The evidence attached to concern reports is listed only to those who read the report.
permission_query_conditions["File"] = "ta_programmes.permissions.concern_files_query"

has_permission = {
	"User": "ta_programmes.permissions.user_permission",
	"TA Oversight Sign-off": "ta_programmes.permissions.signoff_permission",
	"TA Programme": "ta_programmes.permissions.programme_permission",
	"TA Activity": "ta_programmes.permissions.activity_permission",
	"TA Donor": "ta_programmes.permissions.donor_permission",
	"TA Concern Report": "ta_programmes.permissions.concern_permission",
}


# A File made from the address of a file already on the site: only one its user may open (files.py).
override_doctype_class = {"File": "ta_programmes.files.TAFile"}

# Frappe endpoints that would read around row-level permissions, replaced by checked versions.
override_whitelisted_methods = {
	"frappe.client.get_count": "ta_programmes.api.guard.get_count",
	"frappe.desk.form.load.getdoc": "ta_programmes.api.guard.getdoc",
	"frappe.desk.form.load.get_docinfo": "ta_programmes.api.guard.get_docinfo",
	"frappe.desk.form.linked_with.get_submitted_linked_docs": "ta_programmes.api.guard.get_submitted_linked_docs",
	"frappe.core.doctype.user.user.get_roles": "ta_programmes.api.guard.get_roles",
	"frappe.desk.form.load.get_user_info_for_viewers": "ta_programmes.api.guard.get_user_info_for_viewers",
	# the follow-up web form is answered by Guests: its arguments are checked before Frappe reads them
	"frappe.website.doctype.web_form.web_form.accept": "ta_programmes.api.guard.web_form_accept",
	# report filters must be an object: Frappe fails with a 500 otherwise, and a report that fails is
	# switched to background preparation for everyone (its 15-second timer keeps running)
	"frappe.desk.query_report.run": "ta_programmes.api.guard.run_report",
	"frappe.desk.query_report.export_query": "ta_programmes.api.guard.export_report",
}
# Every request of a donor, once its user is known: nothing hidden from donors may be named.
# ... and token-authenticated API calls in their user's language (see ta_programmes.i18n).
# A disabled user's API key is refused.
auth_hooks = [
	"ta_programmes.api.guard.refuse_disabled_users",
	"ta_programmes.api.guard.donor_request_guard",
	"ta_programmes.i18n.users_language",
]

# Print formats: the approval dossier assembles itself for its reader (dossier.py).
jinja = {"methods": ["ta_programmes.dossier.ta_approval_dossier"]}

# Desk assets
app_include_js = "/assets/ta_programmes/js/ta_common.js"
# Website pages and web forms: accessible contrast (WCAG 2.1 AA); each web form labels its fields in its own script
web_include_css = "/assets/ta_programmes/css/ta_web.css"

scheduler_events = {
	"daily": [
		"ta_programmes.oversight.daily_check",
		"ta_programmes.scheduling.send_reminders",
		"ta_programmes.results.daily",
		"ta_programmes.concerns.daily",
	],
}

# The public outputs are cached; any change to a record of the app (a trainer's consent, a state's
# name, a programme's status...) starts a new cache generation.
doc_events = {
	doctype: {
		event: "ta_programmes.transparency.cache.clear_public_cache" for event in ("on_update", "on_submit", "on_cancel", "on_trash")
	}
	for doctype in VISIBILITY
	if doctype not in CHILDREN
}
# Server-owned fields (core.access.SERVER_OWNED) are reset to their stored values before validation.
for _doctype in VISIBILITY:
	if _doctype not in CHILDREN:
		doc_events.setdefault(_doctype, {})["before_validate"] = [
			"ta_programmes.server_fields.own",
			# a file named in an Attach field must be one the user may open (see permissions.py)
			"ta_programmes.permissions.check_attached_files",
		]

# Donors get no "Document Follow" digest e-mail (it carries the timeline they do not see; see notify.py).
doc_events["User"] = {"validate": "ta_programmes.notify.no_digests_for_donors"}
# ... nor the text of a mention or assignment on a record they may not read (notify.py).
doc_events["Notification Log"] = {"before_insert": "ta_programmes.notify.nothing_a_donor_may_not_read"}

# Attaching a file to a record of the app needs write permission on it (Frappe asks only for read).
doc_events["File"] = {
	"before_insert": "ta_programmes.permissions.check_attachment",
	"on_trash": "ta_programmes.permissions.check_attachment_delete",
	"validate": "ta_programmes.permissions.check_attachment_delete",
}

before_request = [
	"ta_programmes.api.guard.drop_unnamed_fields",
	"ta_programmes.transparency.web.before_request",
	# a replica that is down or behind is not used by Frappe's own read_only() endpoints either
	"ta_programmes.replica.before_request",
]
# JSON responses gzipped for clients that accept it (a decade of the desk report is 0.7 MB of JSON);
# which server answered a read, when the site asks for it (ta_replica_debug_header)
after_request = ["ta_programmes.transparency.web.after_request", "ta_programmes.replica.after_request"]
# /transparency found before Frappe's web form and document checks (see transparency.web.TransparencyPage)
page_renderer = ["ta_programmes.transparency.web.TransparencyPage"]

website_route_rules = [
	{"from_route": "/my-programmes", "to_route": "my_programmes"},
	{"from_route": "/my-programmes/<programme>", "to_route": "my_programme"},
	{"from_route": "/follow-up-link", "to_route": "follow_up_link"},
	{"from_route": "/report-concern", "to_route": "report_concern"},
	{"from_route": "/concern-status", "to_route": "concern_status"},
	{"from_route": "/oversight-meetings", "to_route": "oversight_meetings"},
]
