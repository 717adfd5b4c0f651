"""Concern reports on a site: the reporter's side (report, follow link, more information), the
triagers (who they are, whom to tell), the deadlines and the daily check, and what a founded
concern does to the gate and to new activities. The rules are in ``core.concerns``."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import frappe
from frappe import _
from frappe.utils import get_datetime, get_url, getdate, now_datetime, today
from frappe.utils.password import get_encryption_key

from ta_programmes.core import concerns as core
from ta_programmes.core.i18n import N_, reason
from ta_programmes.enforce import rules
from ta_programmes.exceptions import ConcernLinkError

REPORT = "TA Concern Report"
KEY = "TA Concern Key"
POLICY = "TA Oversight Policy"
# What a reporter may choose from: the programmes the public page shows.
PUBLIC_STATES = ("Approved", "Active", "Suspended", "Completed")
REPORTS_PER_HOUR_SITE = 200


def deadline_days() -> tuple[int, int]:
	ack = frappe.db.get_single_value(POLICY, "concern_acknowledge_days") or 7
	assess = frappe.db.get_single_value(POLICY, "concern_assess_days") or 30
	return int(ack), int(assess)


def public_programmes() -> list[dict]:
	return frappe.get_all(
		"TA Programme",
		filters={"status": ("in", PUBLIC_STATES)},
		fields=["name", "title"],
		order_by="title asc",
	)


def states() -> list[str]:
	return frappe.get_all("TA Beneficiary State", pluck="name", order_by="name asc")


def parse_date(value) -> date | None:
	if value in (None, ""):
		return None
	try:
		return date.fromisoformat(str(value)[:10])
	except ValueError:
		frappe.throw(
			_("Please give the date as YYYY-MM-DD."), frappe.ValidationError, title=_("Invalid Date")
		)


def text(value, limit: int = core.MAX_ACCOUNT + 1) -> str:
	"""A Guest's field as plain text of bounded size (a list or an object is not text)."""
	if value is None:
		return ""
	if not isinstance(value, str):
		frappe.throw(_("Please send text."), frappe.ValidationError, title=_("Invalid Value"))
	return value.strip()[:limit]


def evidence(uploads) -> list[tuple[str, bytes]]:
	"""Read and check every file before anything is stored: one refused file refuses the post,
	and the reporter's text stays in the form."""
	files, total = [], 0
	for upload in uploads:
		if not upload or not upload.filename:
			continue
		content = upload.stream.read(core.MAX_FILE_BYTES + 1)
		with rules():
			core.check_evidence(upload.filename, content, total, len(files))
		total += len(content)
		files.append((upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:140], content))
	return files


def attach(concern: str, files: list[tuple[str, bytes]]) -> None:
	for filename, content in files:
		f = frappe.get_doc(
			{
				"doctype": "File",
				# a random prefix: the reporter's own file name does not make the URL guessable
				"file_name": f"{frappe.generate_hash(length=12)}-{filename}",
				"attached_to_doctype": REPORT,
				"attached_to_name": concern,
				"is_private": 1,
				"content": content,
			}
		)
		f.flags.evidence_of_concern = True
		f.insert(ignore_permissions=True)


def link_for(token: str) -> str:
	return f"{get_url()}/concern-status?token={token}"


@contextmanager
def as_guest():
	"""Whoever posts, the report is written as Guest: a reporter who happens to be logged in is
	not named by the report's owner, its files or the triagers' notification."""
	user = frappe.session.user
	frappe.set_user("Guest")
	try:
		yield
	finally:
		frappe.set_user(user)


def check_volume() -> None:
	"""Beside the throttle per address (which a client can vary behind a proxy that passes its
	X-Forwarded-For on), a cap on the reports the site takes in an hour."""
	key = f"ta-concerns-{now_datetime():%Y%m%d%H}"
	if frappe.cache.incrby(key, 1) == 1:
		frappe.cache.expire(key, 3600)
	if int(frappe.cache.get(key) or 0) > REPORTS_PER_HOUR_SITE:
		frappe.throw(
			_(
				"Too many reports are arriving right now. Please try again in an hour; what you typed is kept."
			),
			frappe.TooManyRequestsError,
			title=_("Please Try Later"),
		)


def submit(form: dict, uploads) -> dict:
	"""The public report. Returns the case reference and the secret follow link. A post carrying
	a form key already used (a double click, a retry) returns the same case and link."""
	nonce = text(form.get("form_key"), 80)
	with rules():
		core.check_nonce(nonce)
	token = core.token_for(get_encryption_key(), nonce)
	existing = frappe.db.get_value(KEY, {"nonce_hash": core.digest(nonce)}, "concern")
	if existing:
		return {"reference": existing, "link": link_for(token), "repeated": True}
	check_volume()
	subject = text(form.get("subject"), 40)
	programme = text(form.get("programme"), 140) or None
	state = text(form.get("beneficiary_state"), 140) or None
	unit = text(form.get("trained_unit"), core.MAX_SHORT + 1) or None
	account = text(form.get("what_happened"))
	happened_on = parse_date(form.get("happened_on"))
	contact_name = text(form.get("contact_name"), core.MAX_SHORT + 1) or None
	contact_email = text(form.get("contact_email"), core.MAX_SHORT + 1) or None
	with rules():
		core.check_report(
			subject, programme, state, unit, account, happened_on, contact_email, getdate(today())
		)
		if contact_name and len(contact_name) > core.MAX_SHORT:
			raise core.InvalidValue(
				_("{0}: at most {1} characters, please."), _("Contact name"), core.MAX_SHORT
			)
	if programme and programme not in {p.name for p in public_programmes()}:
		frappe.throw(
			_("Please choose a programme from the list."),
			frappe.ValidationError,
			title=_("Unknown Programme"),
		)
	if state and not frappe.db.exists("TA Beneficiary State", state):
		frappe.throw(
			_("Please choose a state from the list."), frappe.ValidationError, title=_("Unknown State")
		)
	if programme and not state:
		states_of = frappe.get_all(
			"TA Programme State",
			filters={"parent": programme, "parenttype": "TA Programme"},
			pluck="beneficiary_state",
		)
		state = states_of[0] if len(states_of) == 1 else None
	files = evidence(uploads)
	with as_guest():
		return _store(
			{
				"doctype": REPORT,
				"subject": subject,
				"programme": programme,
				"beneficiary_state": state,
				"trained_unit": unit,
				"happened_on": happened_on,
				"what_happened": account,
				"contact_name": contact_name,
				"contact_email": contact_email,
			},
			nonce,
			token,
			files,
		)


def _store(values: dict, nonce: str, token: str, files) -> dict:
	frappe.db.savepoint("concern_report")
	doc = frappe.get_doc(values)
	doc.flags.from_reporter = True
	doc.insert(ignore_permissions=True)
	key = frappe.get_doc(
		{
			"doctype": KEY,
			"concern": doc.name,
			"token_hash": core.digest(token),
			"nonce_hash": core.digest(nonce),
		}
	)
	key.flags.issued = True
	try:
		key.insert(ignore_permissions=True)
	except (frappe.UniqueValidationError, frappe.DuplicateEntryError):
		# The same post, sent again while the first was being stored: that one stands.
		frappe.db.rollback(save_point="concern_report")
		frappe.clear_messages()
		existing = frappe.db.get_value(KEY, {"nonce_hash": core.digest(nonce)}, "concern")
		return {"reference": existing, "link": link_for(token), "repeated": True}
	attach(doc.name, files)
	return {"reference": doc.name, "link": link_for(token), "repeated": False}


def by_token(token) -> str:
	token = text(token, 80) if isinstance(token, str) else ""
	name = (
		frappe.db.get_value(KEY, {"token_hash": core.digest(token)}, "concern") if len(token) == 40 else None
	)
	if not name:
		frappe.throw(
			_("This link is not valid. Please use the link you were given when you reported the concern."),
			ConcernLinkError,
			title=_("Link Not Valid"),
		)
	return name


def status(token) -> dict:
	"""What the reporter sees: the case, its stage and dates, the outcome once assessed. Never the
	reasons (confidential), nor who triaged it."""
	name = by_token(token)
	d = frappe.db.get_value(
		REPORT,
		name,
		["name", "status", "received_on", "acknowledged_on", "assessed_on", "outcome"],
		as_dict=True,
	)
	added = frappe.db.count("TA Concern Update", {"parent": name, "parenttype": REPORT})
	return {
		"reference": d.name,
		"status": d.status,
		"received_on": str(getdate(d.received_on)) if d.received_on else None,
		"acknowledged_on": str(getdate(d.acknowledged_on)) if d.acknowledged_on else None,
		"assessed_on": str(getdate(d.assessed_on)) if d.assessed_on else None,
		"outcome": d.outcome if d.status == core.ASSESSED else None,
		"information_added": added,
	}


def add_information(token, information, uploads) -> dict:
	name = by_token(token)
	information = text(information)
	files = evidence(uploads)
	with rules():
		core.check_information(information, len(files))
	with as_guest():
		doc = frappe.get_doc(REPORT, name, for_update=True)
		doc.append("updates", {"added_on": now_datetime(), "information": information, "files": len(files)})
		doc.flags.server_update = True
		doc.flags.reporter_update = True
		doc.save(ignore_permissions=True)
		attach(name, files)
		from ta_programmes.oversight import notify

		notify(triagers(doc), reason(N_("The reporter added information to concern {0}"), name), doc)
	return status(token)


# --- triagers ------------------------------------------------------------------------------------


def triagers(concern) -> list[str]:
	"""Whom to tell about ``concern``: the OHCHR reviewers, and the civil-society reviewers who may
	read it (``permissions.oversees``: one rule for reading and for being told)."""
	from ta_programmes.oversight import users_with_role
	from ta_programmes.permissions import oversees

	candidates = (
		frappe.get_all(
			"TA Organisation Reviewer",
			filters={
				"parenttype": "TA Partner Organisation",
				"parent": ("in", signing_organisations(concern.programme)),
			},
			pluck="user",
			distinct=True,
		)
		if concern.programme
		else []
	)
	return users_with_role(core.TRIAGE_ROLES[0]) + [u for u in candidates if oversees(u, concern.name)]


def signing_organisations(programme: str) -> list[str]:
	return frappe.get_all(
		"TA Oversight Sign-off",
		filters={"programme": programme, "docstatus": 1, "kind": "Civil Society"},
		pluck="organisation",
		distinct=True,
	) or [""]


# --- the gate and new activities -----------------------------------------------------------------


def _founded(where: str, values: dict) -> list[core.Founded]:
	rows = frappe.db.sql(
		f"""select `name`, `assessed_on`, `beneficiary_state`, `thematic_area`, `programme`
		from `tabTA Concern Report` where `status` = 'Assessed' and `outcome` = 'Founded' and ({where})""",
		values,
		as_dict=True,
	)
	return [
		core.Founded(r.name, get_datetime(r.assessed_on), r.beneficiary_state, r.thematic_area, r.programme)
		for r in rows
		if r.assessed_on
	]


def bearing_on(programme: str, states: list[str], themes: list[str]) -> tuple[core.Founded, ...]:
	"""The founded concerns the gate of ``programme`` must answer."""
	if not programme:
		return ()
	found = _founded(
		"`programme` = %(p)s or (ifnull(`programme`, '') = '' and `beneficiary_state` in %(s)s)",
		{"p": programme, "s": tuple(states) or ("",)},
	)
	return tuple(c for c in found if core.affects_programme(c, programme, states, themes))


def check_new_activity(activity) -> None:
	"""A new activity in a state (and theme) of a founded concern waits until the concern is
	answered: by the concern's programme, or (a concern about a state) by the activity's own."""
	if not activity.beneficiary_state:
		return
	from ta_programmes.oversight import decide

	found = [c for c in _founded("`beneficiary_state` = %(s)s", {"s": activity.beneficiary_state})]
	found = [c for c in found if core.blocks_activity(c, activity.beneficiary_state, activity.thematic_area)]
	if not found:
		return
	answered: dict[str, bool] = {}
	pending = []
	for c in found:
		who = c.programme or activity.programme
		if who not in answered:
			answered[who] = (
				bool(who) and decide(frappe.get_doc("TA Programme", who), None).check("concerns").ok
			)
		if not answered[who]:
			pending.append(c)
	with rules():
		core.check_new_activity(pending, activity.beneficiary_state, activity.thematic_area)


def affected_programmes(doc) -> list[str]:
	"""The programmes whose gate a concern bears on (``core.concerns.affects_programme``)."""
	if doc.programme:
		return [doc.programme]
	if not doc.beneficiary_state:
		return []
	names = frappe.get_all(
		"TA Programme State",
		filters={"beneficiary_state": doc.beneficiary_state, "parenttype": "TA Programme"},
		pluck="parent",
	)
	themes: dict[str, list[str]] = {}
	for row in frappe.get_all(
		"TA Programme Theme",
		filters={"parent": ("in", names or [""]), "parenttype": "TA Programme"},
		fields=["parent", "thematic_area"],
	):
		themes.setdefault(row.parent, []).append(row.thematic_area)
	concern = core.Founded(doc.name, now_datetime(), doc.beneficiary_state, doc.thematic_area, None)
	return sorted(
		{n for n in names if core.affects_programme(concern, n, [doc.beneficiary_state], themes.get(n, []))}
	)


# --- deadlines ---------------------------------------------------------------------------------


def refresh_overdue(day: date | None = None) -> list[str]:
	"""Flag the concerns whose deadline passed unmet (and clear the flag of those met); tell the
	triagers of newly overdue ones. Daily (a save recomputes its own report's flag)."""
	day = day or getdate(today())
	newly = []
	for c in frappe.get_all(
		REPORT,
		filters={"status": ("!=", core.ASSESSED)},
		fields=["name", "status", "acknowledge_by", "assess_by", "overdue", "programme"],
	):
		flag = core.overdue(
			c.status,
			getdate(c.acknowledge_by) if c.acknowledge_by else None,
			getdate(c.assess_by) if c.assess_by else None,
			day,
		)
		if flag != (c.overdue or ""):
			frappe.db.set_value(REPORT, c.name, "overdue", flag, update_modified=False)
			if flag:
				newly.append(c.name)
				from ta_programmes.oversight import notify

				concern = frappe.get_doc(REPORT, c.name)
				notify(triagers(concern), reason(N_("Concern {0}: {1}"), c.name, reason(flag)), concern)
	return newly


def daily() -> None:
	refresh_overdue()


def public_counts(programme: str | None = None) -> list[dict]:
	"""Per year: received, assessed, founded (of every concern, or of one programme's). Counts
	only, for the public page and the IATI file."""
	rows = frappe.get_all(
		REPORT,
		filters={"programme": programme} if programme else {},
		fields=["received_on", "creation", "status", "outcome"],
	)
	return core.counts_by_year((get_datetime(r.received_on or r.creation), r.status, r.outcome) for r in rows)
