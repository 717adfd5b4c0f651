"""Scheduling endpoints for the desk (typed, thin: the rules are in core.schedule)."""

from __future__ import annotations

import hmac

import frappe
from frappe import _
from frappe.utils import get_datetime

from ta_programmes import i18n, scheduling
from ta_programmes.api import args as A
from ta_programmes.core import schedule as S
from ta_programmes.core.i18n import render
from ta_programmes.enforce import rules


@frappe.whitelist()
def generate_sessions(
	activity: str | None,
	time_zone: str,
	first_day: str,
	until: str,
	weekdays: list[str] | str,
	start_time: str,
	end_time: str,
	exclude: list[str] | str | None = None,
	freq: str = "WEEKLY",
	interval: int = 1,
) -> list[dict]:
	"""Session rows (local wall times) from a recurrence rule, for the form to add and edit."""
	frappe.has_permission("TA Activity", "write", throw=True)
	weekdays = A.json_arg(weekdays, (list,), _("Weekdays")) if isinstance(weekdays, str) and weekdays.startswith("[") else weekdays
	if isinstance(weekdays, str):
		weekdays = [w.strip() for w in weekdays.split(",") if w.strip()]
	excluded = A.json_arg(exclude, (list,), _("Skip dates")) if isinstance(exclude, str) and exclude.startswith("[") else (exclude or [])
	if isinstance(excluded, str):
		excluded = [d.strip() for d in excluded.split(",") if d.strip()]
	with rules():
		sessions = S.expand_rrule(
			A.date_arg(first_day, _("First day")),
			A.date_arg(until, _("Until")),
			weekdays,
			A.time_arg(start_time, _("Start time")),
			A.time_arg(end_time, _("End time")),
			time_zone,
			exclude={A.date_arg(d, _("Skip dates")) for d in excluded},
			freq=freq,
			interval=A.int_arg(interval, _("Interval"), 1, 52),
			activity=activity,
		)
	return [
		{
			"session_label": s.label,
			"start": S.from_utc(s.start_utc, time_zone).strftime("%Y-%m-%d %H:%M:%S"),
			"end": S.from_utc(s.end_utc, time_zone).strftime("%Y-%m-%d %H:%M:%S"),
		}
		for s in sessions
	]


@frappe.whitelist()
def schedule_in_my_zone(activity: str) -> list[dict]:
	"""Each session in the host zone with the viewer's zone beside it."""
	doc = frappe.get_doc("TA Activity", activity)
	doc.check_permission("read")
	zone = scheduling.viewer_zone()
	return [
		{"session": r.session_label, "when": S.describe(get_datetime(r.start_utc), r.time_zone or doc.time_zone, zone),
		 "until": S.describe(get_datetime(r.end_utc), r.time_zone or doc.time_zone, zone)}
		for r in doc.sessions
		if r.start_utc
	]


@frappe.whitelist()
def find_trainers(activity: str) -> dict:
	"""Trainers ranked for the activity: cleared, free in every session, expert, speaking its
	language, with a preference for outside expertise — each with the reasons for its place."""
	doc = frappe.get_doc("TA Activity", activity)
	doc.check_permission("write")
	sessions = [S.Session(get_datetime(r.start_utc), get_datetime(r.end_utc), r.session_label, doc.name) for r in doc.sessions if r.start_utc]
	busy = S.as_busy(sessions, doc.beneficiary_state, doc.delivery_mode in S.IN_PERSON_MODES, doc.time_zone)
	buffer = scheduling.travel_buffer()
	assigned = {r.trainer for r in doc.trainers}
	candidates = frappe.get_all(
		"TA Trainer",
		filters={"name": ("not in", list(assigned) or [""])},
		fields=["name", "full_name", "sector", "vetting_status", "active"],
	)
	names = [c.name for c in candidates] or [""]
	expertise, languages = {}, {}
	for r in frappe.get_all("TA Trainer Expertise", filters={"parent": ("in", names)}, fields=["parent", "thematic_area"]):
		expertise.setdefault(r.parent, []).append(r.thematic_area)
	for r in frappe.get_all("TA Trainer Language", filters={"parent": ("in", names)}, fields=["parent", "language"]):
		languages.setdefault(r.parent, []).append(r.language)
	window = S.query_window(busy, buffer)
	bookings = scheduling.bookings_in_window(names, window, exclude_activity=doc.name) if window else {}
	current_sectors = [frappe.db.get_value("TA Trainer", t, "sector") for t in assigned]
	ranking = S.rank_trainers(
		{"thematic_area": doc.thematic_area, "language": doc.language, "sessions": busy, "current_sectors": current_sectors},
		[
			{**c, "active": bool(c.active), "expertise": expertise.get(c.name, []), "languages": languages.get(c.name, []),
			 "busy": bookings.get(c.name, [])}
			for c in candidates
		],
		travel_buffer=buffer,
		viewer_zone=scheduling.viewer_zone(),
	)
	outside = sum(1 for s in current_sectors if s in S.constants.OUTSIDE_EXPERTISE_SECTORS)

	def explain(entry):
		return {k: v for k, v in entry.items() if k not in ("busy", "reasons")} | {"reasons": [render(r, _) for r in entry["reasons"]]}

	return {
		"mix": _("{0} of {1} assigned trainers bring outside expertise (academia, civil society, private sector).").format(
			outside, len(assigned)
		),
		"ranked": [explain(e) for e in ranking.ranked],
		"excluded": [explain(e) for e in ranking.excluded],
	}


@frappe.whitelist(allow_guest=True, methods=["GET"])
def ics(trainer: str | None = None, token: str | None = None):
	"""A trainer's sessions as an iCalendar feed, for calendar programs to subscribe to.
	The link carries the trainer's secret token; regenerating the token revokes old links."""
	from frappe.utils.password import get_decrypted_password

	secret = trainer and frappe.db.exists("TA Trainer", str(trainer)[:140]) and get_decrypted_password(
		"TA Trainer", trainer, "ics_token", raise_exception=False
	)
	if not secret or not token or not hmac.compare_digest(str(secret), str(token)):
		frappe.throw(_("This calendar link is not valid or has been revoked."), frappe.PermissionError, title=_("Not Permitted"))
	full_name, user = frappe.db.get_value("TA Trainer", trainer, ["full_name", "user"])
	# A calendar program asks with no language of its own: the feed speaks the trainer's.
	with i18n.speaking(i18n.language_of(user) if user else frappe.local.lang):
		feed = _ics(trainer, full_name)
	frappe.response.update(
		type="download", filename=f"{trainer}.ics", filecontent=feed.encode("utf-8"),
		content_type="text/calendar; charset=utf-8", display_content_as="inline",
	)


def _ics(trainer: str, full_name: str) -> str:
	B = frappe.qb.DocType(scheduling.BOOKING)
	A = frappe.qb.DocType("TA Activity")
	rows = (
		frappe.qb.from_(B)
		.join(A)
		.on(B.activity == A.name)
		.select(B.activity, B.session_label, B.start_utc, B.end_utc, A.title, A.venue, A.city, A.delivery_mode, A.beneficiary_state)
		.where(B.trainer == trainer)
		.where(B.kind == S.SESSION)
		.orderby(B.start_utc)
		.run(as_dict=True)
	)
	events = [
		{
			"activity": r.activity,
			"session": r.session_label,
			"start_utc": get_datetime(r.start_utc),
			"end_utc": get_datetime(r.end_utc),
			"summary": r.title,
			"venue": r.venue,
			"city": r.city,
			"delivery_mode": r.delivery_mode,
			"description": _("Activity {0} in {1}").format(r.activity, _(r.beneficiary_state or "")),
		}
		for r in rows
	]
	return S.ics_feed(_("Training sessions of {0}").format(full_name), events, scheduling.utc_now(), translate=_)


@frappe.whitelist()
def calendar_link(trainer: str, regenerate: bool = False) -> str:
	"""The trainer's feed URL; ``regenerate`` issues a new token and revokes the old link."""
	doc = frappe.get_doc("TA Trainer", trainer)
	doc.check_permission("write")
	if frappe.utils.sbool(regenerate) or not doc.get_password("ics_token", raise_exception=False):
		doc.flags.renew_ics_token = True  # the token is server-owned: the controller issues it
		doc.save()
	token = doc.get_password("ics_token")
	return frappe.utils.get_url(f"/api/method/ta_programmes.api.schedule.ics?trainer={trainer}&token={token}")
