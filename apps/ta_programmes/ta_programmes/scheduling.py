"""Frappe side of scheduling: sessions in UTC, trainer bookings, the conflict check with row
locks, trainer ranking, reminders and iCalendar feeds. The rules are in ``core.schedule``.

Every trainer's busy time (sessions of activities that are not Cancelled or Postponed, and
declared unavailability) is kept in ``TA Trainer Booking`` in UTC, indexed on
(trainer, start_utc), so that a conflict check is one range query per save.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Min
from frappe.utils import get_datetime, now_datetime

from ta_programmes.core import rules as R
from ta_programmes.core import schedule as S
from ta_programmes.core.i18n import N_, reason
from ta_programmes.enforce import rules

BOOKING = "TA Trainer Booking"
NOT_BUSY_STATUSES = ("Cancelled", "Postponed")


def travel_buffer() -> timedelta:
	hours = frappe.get_cached_doc("TA Scheduling Settings").travel_buffer_hours
	return timedelta(hours=24 if hours is None else float(hours))


def viewer_zone() -> str:
	return frappe.get_cached_value("User", frappe.session.user, "time_zone") or frappe.utils.get_system_timezone()


def utc_now() -> datetime:
	"""Now as a naive UTC datetime (bookings are stored in UTC)."""
	return datetime.utcnow().replace(microsecond=0)


# --- sessions -------------------------------------------------------------------------------------


def sync_sessions(activity) -> list[S.Session]:
	"""Give the activity at least one session, compute every session's UTC times from its local
	times, and make the activity's start and end follow its sessions (in the host zone)."""
	zone = activity.time_zone
	before = None if activity.is_new() else activity.get_doc_before_save()
	if not activity.sessions and activity.start and activity.end:
		activity.append("sessions", {"start": activity.start, "end": activity.end})
	elif before and len(activity.sessions) == 1 and (
		str(before.start) != str(activity.start) or str(before.end) != str(activity.end)
	):
		# One session only, and the activity's own dates were edited: the session moves with them.
		only = activity.sessions[0]
		if str(only.start) == str(before.start) and str(only.end) == str(before.end):
			only.start, only.end = activity.start, activity.end
	sessions = []
	labels: set[str] = set()
	with rules():
		for row in activity.sessions:
			row_zone = row.time_zone or zone
			session = S.make_session(get_datetime(row.start), get_datetime(row.end), row_zone, row.session_label or "", activity.name)
			row.start_utc, row.end_utc = session.start_utc, session.end_utc
			label = row.session_label or S.from_utc(session.start_utc, zone).strftime("%Y-%m-%d %H:%M")
			while label in labels:
				label += "+"
			row.session_label = label
			labels.add(label)
			sessions.append(S.Session(session.start_utc, session.end_utc, label, activity.name))
	if sessions:
		first, last = S.span(sessions)
		activity.start, activity.end = S.from_utc(first, zone), S.from_utc(last, zone)
	return sessions


# --- conflicts ------------------------------------------------------------------------------------


def check_trainer_conflicts(activity, sessions: list[S.Session]) -> None:
	"""Refuse the save if any assigned trainer is busy (another session, unavailability, or too
	little time to travel). The trainers' rows are locked first, so that of two officers booking
	the same trainer at the same moment exactly one succeeds and the other sees the conflict."""
	if activity.status in NOT_BUSY_STATUSES or not sessions:
		return
	trainers = sorted({r.trainer for r in activity.trainers if r.trainer})
	in_person = activity.delivery_mode in S.IN_PERSON_MODES
	new = S.as_busy(sessions, activity.beneficiary_state, in_person, activity.time_zone)
	buffer = travel_buffer()
	conflicts = S.find_conflicts(new, [], buffer)  # sessions of this activity among themselves
	names: dict[str, str] = {}
	if trainers:
		names = lock_trainers(trainers)
		existing = bookings_in_window(trainers, S.query_windows(new, buffer), exclude_activity=activity.name, lock=True)
		for trainer in trainers:
			conflicts += S.find_conflicts(new, existing.get(trainer, []), buffer, trainer=trainer, among_new=False)
	if conflicts:
		with rules():
			S.raise_conflicts(conflicts, names, viewer_zone(), _)


def lock_trainers(trainers: list[str]) -> dict[str, str]:
	"""Lock the trainers' rows (see check_trainer_conflicts); their names, for the messages."""
	T = frappe.qb.DocType("TA Trainer")
	return dict(frappe.qb.from_(T).select(T.name, T.full_name).where(T.name.isin(trainers)).for_update().run())


def bookings_in_window(
	trainers: list[str], window, exclude_activity: str | None = None, lock: bool = False
) -> dict[str, list[S.Busy]]:
	"""The trainers' busy periods overlapping ``window`` (one (start, end) or a list of them): an
	indexed range query per window, in one statement. ``lock`` makes it a locking read, which sees
	what other transactions committed meanwhile (MariaDB's repeatable read would otherwise show
	this transaction's older snapshot)."""
	windows = [window] if isinstance(window, tuple) else list(window or [])
	if not windows:
		return {}
	B = frappe.qb.DocType(BOOKING)
	overlaps = None
	for start, end in windows:
		term = (B.start_utc < end) & (B.end_utc > start)
		overlaps = term if overlaps is None else overlaps | term
	q = (
		frappe.qb.from_(B)
		.select(B.trainer, B.start_utc, B.end_utc, B.kind, B.activity, B.session_label, B.country, B.in_person)
		.where(B.trainer.isin(trainers))
		.where(overlaps)
	)
	if exclude_activity:
		q = q.where((B.activity.isnull()) | (B.activity != exclude_activity))
	if lock:
		q = q.for_update()
	out: dict[str, list[S.Busy]] = {}
	for r in q.run(as_dict=True):
		out.setdefault(r.trainer, []).append(
			S.Busy(
				get_datetime(r.start_utc), get_datetime(r.end_utc), r.activity, r.session_label, r.country,
				bool(r.in_person), r.kind,
			)
		)
	return out


def sync_activity_bookings(activity) -> None:
	"""Keep the booking index in step with the saved activity."""
	frappe.db.delete(BOOKING, {"activity": activity.name})
	if activity.status in NOT_BUSY_STATUSES:
		return
	in_person = 1 if activity.delivery_mode in S.IN_PERSON_MODES else 0
	rows = [
		(frappe.generate_hash(length=12), r.trainer, s.start_utc, s.end_utc, S.SESSION, activity.name, s.session_label,
		 activity.beneficiary_state, in_person)
		for r in activity.trainers if r.trainer
		for s in activity.sessions
	]
	insert_bookings(rows)


def insert_bookings(rows: list[tuple]) -> None:
	if not rows:
		return
	now = now_datetime()
	frappe.db.bulk_insert(
		BOOKING,
		["name", "trainer", "start_utc", "end_utc", "kind", "activity", "session_label", "country", "in_person",
		 "creation", "modified", "owner", "modified_by"],
		[(*r, now, now, "Administrator", "Administrator") for r in rows],
	)


def sync_unavailability(trainer) -> None:
	"""The trainer's declared unavailability, in UTC from their home zone, as bookings."""
	frappe.db.delete(BOOKING, {"trainer": trainer.name, "kind": S.UNAVAILABILITY})
	zone = trainer.home_time_zone or "UTC"
	rows = []
	for row in trainer.unavailability:
		start = S.to_utc(get_datetime(row.from_datetime), zone)
		end = S.to_utc(get_datetime(row.to_datetime), zone)
		rows.append((frappe.generate_hash(length=12), trainer.name, start, end, S.UNAVAILABILITY, None, None, None, 0))
	insert_bookings(rows)


def check_unavailability(trainer) -> None:
	"""A declared unavailability may not cover sessions the trainer is already booked for."""
	zone = trainer.home_time_zone or "UTC"
	with rules():
		for r in trainer.unavailability:
			R.check_date_order(get_datetime(r.from_datetime), get_datetime(r.to_datetime), _("From"), _("To"), allow_equal=False)
		periods = [
			S.Busy(S.to_utc(get_datetime(r.from_datetime), zone), S.to_utc(get_datetime(r.to_datetime), zone), kind=S.UNAVAILABILITY)
			for r in trainer.unavailability
		]
	if not periods or trainer.is_new():
		return
	window = (min(p.start_utc for p in periods), max(p.end_utc for p in periods))
	# Locked like a booking, so that a session booked at the same moment is seen or waits.
	lock_trainers([trainer.name])
	sessions = [b for b in bookings_in_window([trainer.name], window, lock=True).get(trainer.name, []) if b.kind == S.SESSION]
	conflicts = S.find_conflicts(periods, sessions, timedelta(0), trainer=trainer.name, among_new=False)
	if conflicts:
		with rules():
			S.raise_conflicts(conflicts, {trainer.name: trainer.full_name}, viewer_zone(), _)


# --- reminders ------------------------------------------------------------------------------------


def send_reminders(today=None) -> list[str]:
	"""Daily: tell the assigned trainers and the officer about activities whose first session is
	N days away (N from TA Scheduling Settings). Returns the activities reminded."""
	from ta_programmes.oversight import notify

	today = frappe.utils.getdate(today) if today else utc_now().date()
	days = int(frappe.get_cached_doc("TA Scheduling Settings").reminder_days_before or 0)
	start, end = S.reminder_window(today, days)
	Session = frappe.qb.DocType("TA Activity Session")
	Activity = frappe.qb.DocType("TA Activity")
	first = (
		frappe.qb.from_(Session)
		.join(Activity)
		.on((Session.parent == Activity.name) & (Session.parenttype == "TA Activity"))
		.select(Activity.name, Activity.title, Activity.status, Activity.time_zone.as_("zone"), Min(Session.start_utc).as_("start_utc"))
		.where(Activity.status.isin(["Approved", "Scheduled"]))
		.groupby(Activity.name)
		.having((Min(Session.start_utc) >= start) & (Min(Session.start_utc) < end))
		.run(as_dict=True)
	)
	due = S.due_reminders([{**a, "start_utc": get_datetime(a.start_utc)} for a in first], today, days)
	for a in due:
		doc = frappe.get_doc("TA Activity", a["name"])
		officer = frappe.db.get_value("TA Programme", doc.programme, "programme_officer")
		users = [officer] + [u for u in (frappe.db.get_value("TA Trainer", r.trainer, "user") for r in doc.trainers) if u]
		notify(
			users,
			reason(N_("Reminder: {0} starts {1} ({2})"), doc.title, a["local_start"].strftime("%Y-%m-%d %H:%M"), doc.time_zone),
			doc,
			confidential=False,  # a title, a date and a time zone
		)
	return [a["name"] for a in due]
