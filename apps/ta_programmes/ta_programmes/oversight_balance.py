"""Regional balance and open oversight on a site: the data of the balance report, the public
decisions of oversight meetings, and the decision on an accreditation application.

The rules are in ``core/balance.py``; this module gathers records (through permission-checked
reads wherever a user sees the result) and applies the core's decisions.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from ta_programmes.core import balance as core
from ta_programmes.core.errors import RuleViolation
from ta_programmes.enforce import rules

APPLICATION = "TA Accreditation Application"
MEETING = "TA Oversight Meeting"


def threshold() -> float:
	"""The policy's dominance threshold (per cent); the default when it was never set (a stored
	value is read as stored: ``get_single_value`` would turn a missing one into 0, "always warn")."""
	stored = frappe.db.get_singles_dict("TA Oversight Policy", cast=False).get("dominance_threshold")
	try:
		return core.check_threshold(None if stored in (None, "") else frappe.utils.flt(stored))
	except RuleViolation:  # out of range: the policy form refuses it; the report must not fail on it
		return core.DEFAULT_THRESHOLD


# --- input from the public form ------------------------------------------------------------------
def require_text(doc, fields: tuple[str, ...]) -> None:
	"""Values a Guest sent through a web form are whatever JSON allows: every field of ours must be
	text (or empty) before any rule reads it."""
	for field in fields:
		value = doc.get(field)
		if value is None or isinstance(value, str):
			continue
		if isinstance(value, bool) or not isinstance(value, int | float):
			frappe.throw(
				_("{0}: please enter text.").format(_(doc.meta.get_label(field))),
				frappe.ValidationError,
				title=_("Invalid Value"),
			)
		doc.set(field, str(value))


# --- meetings ------------------------------------------------------------------------------------
def participants_of(doc) -> list[core.Participant]:
	return [
		core.Participant(
			(r.participant_name or "").strip(), r.sector, r.regional_group or None, r.organisation or None
		)
		for r in doc.participants
	]


def place_group_of(country: str | None) -> str | None:
	"""The UN regional group of a country that is a beneficiary state (else unknown)."""
	return frappe.db.get_value("TA Beneficiary State", country, "regional_group") if country else None


def public_meetings() -> list[dict]:
	"""The submitted meetings as the public sees them: date, place, title, decisions, and who met
	as counts by sector and by regional group. Never minutes, names, organisations or programmes."""
	from ta_programmes import transparency as T

	return T.cached("oversight-meetings", {}, _public_meetings)


def _public_meetings() -> list[dict]:
	meetings = frappe.get_all(
		MEETING,
		filters={"docstatus": 1},
		fields=["name", "title", "meeting_date", "mode", "city", "country", "regional_group", "decisions"],
		order_by="meeting_date desc, name desc",
	)
	rows = frappe.get_all(
		"TA Meeting Participant",
		filters={"parenttype": MEETING, "parent": ("in", [m.name for m in meetings] or [""])},
		fields=["parent", "sector", "regional_group"],
	)
	by_meeting = defaultdict(list)
	for r in rows:
		by_meeting[r.parent].append(core.Participant(None, r.sector, r.regional_group))
	out = []
	for m in meetings:
		sectors, groups = core.public_counts(by_meeting[m.name])
		out.append(
			{
				"title": m.title,
				"date": str(m.meeting_date),
				"year": getdate(m.meeting_date).year,
				"online": m.mode == core.ONLINE,
				"place": ", ".join(x for x in (m.city, m.country) if x) if m.mode != core.ONLINE else "",
				"regional_group": m.regional_group if m.mode != core.ONLINE else "",
				"decisions": m.decisions or "",
				"participants": sum(sectors.values()),
				"sectors": sectors,
				"groups": groups,
			}
		)
	return out


# --- the balance report --------------------------------------------------------------------------
def gather(from_year: int | None = None, to_year: int | None = None) -> dict:
	"""What the balance report weighs, read as the current user may read it: submitted sign-offs
	(with their organisation's sector), submitted meetings and their participants."""
	signoffs = frappe.get_list(
		"TA Oversight Sign-off",
		filters={"docstatus": 1},
		fields=["signed_on", "kind", "regional_group", "organisation"],
		limit=0,
	)
	sectors = dict(
		frappe.get_list("TA Partner Organisation", fields=["name", "sector"], as_list=True, limit=0)
	)
	meetings = frappe.get_list(
		MEETING,
		filters={"docstatus": 1},
		fields=["name", "meeting_date", "mode", "country", "regional_group"],
		limit=0,
	)
	years = {m.name: getdate(m.meeting_date).year for m in meetings}
	participants = frappe.get_all(  # the parents were read with permission just above
		"TA Meeting Participant",
		filters={"parenttype": MEETING, "parent": ("in", list(years) or [""])},
		fields=["parent", "sector", "regional_group"],
		limit=0,
	)

	def wanted(year: int | None) -> bool:
		return year is not None and (not from_year or year >= from_year) and (not to_year or year <= to_year)

	countries: dict[tuple[int, str], Counter] = defaultdict(Counter)
	core_meetings = []
	for m in meetings:
		meeting = core.Meeting(years[m.name], m.mode, m.country, m.regional_group)
		if wanted(meeting.year):
			core_meetings.append(meeting)
			countries[(meeting.year, core.place_of(meeting))][m.country or _("Online")] += 1
	return {
		"signoffs": [
			core.SignOff(
				getdate(s.signed_on).year,
				s.kind,
				s.regional_group,
				sectors.get(s.organisation) if s.organisation else None,
			)
			for s in signoffs
			if s.signed_on and wanted(getdate(s.signed_on).year)
		],
		"participations": [
			core.Participation(years[p.parent], p.sector, p.regional_group)
			for p in participants
			if wanted(years[p.parent])
		],
		"meetings": core_meetings,
		"countries": countries,
	}


# --- accreditation -------------------------------------------------------------------------------
def decide(application: str, decision: str, reason: str) -> dict:
	"""A programme manager accredits or refuses a pending application, with a reason. Accrediting
	creates the partner organisation, or marks the existing one accredited (which re-checks the
	programmes it signed off); the decision, its reason, who and when are kept on the application."""
	user = frappe.session.user
	if not isinstance(application, str) or not frappe.db.exists(APPLICATION, application):
		frappe.throw(_("There is no such application."), frappe.DoesNotExistError, title=_("Not Found"))
	if core.DECIDER_ROLE not in frappe.get_roles(user):
		frappe.throw(
			_("Only a programme manager can decide an accreditation application."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	doc = frappe.get_doc(APPLICATION, application, for_update=True)  # two managers at once: one decides
	doc.check_permission("read")
	existing = frappe.db.get_value(
		"TA Partner Organisation", doc.organisation_name, ["name", "sector"], as_dict=True
	)
	reviews_for = frappe.get_all(
		"TA Organisation Reviewer",
		filters={"user": user, "parenttype": "TA Partner Organisation"},
		pluck="parent",
	)
	with rules():
		core.check_decision(
			status=doc.status,
			decision=decision if isinstance(decision, str) else None,
			decision_reason=reason if isinstance(reason, str) else None,
			decider=user,
			decider_roles=tuple(frappe.get_roles(user)),
			contact_email=doc.contact_email,
			decider_organisations=tuple(reviews_for),
			organisation_name=existing.name if existing else doc.organisation_name,
			existing_sector=existing.sector if existing else None,
		)
	organisation = _accredit(doc, existing) if decision == core.ACCREDITED else None
	doc.flags.server_update = True  # the decision fields are server-owned: set here and only here
	doc.status = decision
	doc.decision_reason = reason.strip()
	doc.decided_by = user
	doc.decided_on = now_datetime()
	doc.partner_organisation = organisation
	doc.save(ignore_permissions=True)  # no role writes applications; the decision is this action
	doc.add_comment("Info", _("{0} by {1}: {2}").format(_(decision), user, doc.decision_reason))
	return {"status": doc.status, "partner_organisation": organisation}


def _accredit(application, existing) -> str:
	if existing:
		org = frappe.get_doc("TA Partner Organisation", existing.name)
	else:
		org = frappe.new_doc("TA Partner Organisation")
		org.organisation_name = application.organisation_name
		org.sector = application.sector
	for field in ("regional_group", "country", "website"):
		if not org.get(field) and application.get(field):
			org.set(field, application.get(field))
	if not org.accredited_for_oversight:
		org.accredited_for_oversight = 1
		org.accredited_on = today()
	org.save()  # as the manager, with their permissions; an accreditation change re-checks the gate
	return org.name
