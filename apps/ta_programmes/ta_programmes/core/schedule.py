"""Scheduling of activity sessions: time zones, recurrence, trainer conflicts, trainer search,
reminders and iCalendar feeds.

Times are stored as naive UTC datetimes (the database keeps no time zone). A session's host zone
(the IANA zone of the state hosting it, e.g. ``Africa/Nairobi``) is used only to read the times
an officer enters and to show them back: :func:`to_utc` on the way in, :func:`from_utc` and
:func:`describe` on the way out. Nothing here imports Frappe.

Messages that explain a result (a conflict, a trainer's rank) are :data:`Reason` pairs
``(template, args)``: the caller translates the template, then formats it with the arguments
(see :func:`ta_programmes.core.i18n.render`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil import rrule

from . import constants
from .errors import InvalidValue, MissingValue, RuleViolation
from .i18n import Reason, _, render
from .rules import _fmt, check_date_order, check_time_zone

SESSION = "session"
UNAVAILABILITY = "unavailability"

# At most this many sessions from one repetition rule.
MAX_SESSIONS = 500
# Between in-person sessions in different countries, unless the caller's settings say otherwise.
DEFAULT_TRAVEL_BUFFER = timedelta(hours=24)
# Delivery modes in which the trainer has to be on site.
IN_PERSON_MODES = ("In person", "Hybrid")

# Points in the trainer ranking (see :func:`rank_trainers`).
EXPERTISE_POINTS = 3
LANGUAGE_POINTS = 2
OUTSIDE_NONE_POINTS = 2  # the activity has no trainer from outside government yet
OUTSIDE_FEW_POINTS = 1  # fewer than one in OUTSIDE_FEW_DIVISOR of its trainers are from outside
OUTSIDE_FEW_DIVISOR = 3
# Conflicts named per excluded candidate before "... and N more".
CONFLICTS_PER_CANDIDATE = 3
# Conflicts listed in one TrainerConflict message before "... and N more".
CONFLICTS_LISTED = 20

# Activities in these states get no reminder.
NO_REMINDER_STATUSES = ("Postponed", "Cancelled", "Delivered")
# UTC offsets in use range from -12:00 to +14:00.
_EARLIEST_OFFSET = timedelta(hours=14)
_LATEST_OFFSET = timedelta(hours=12)

ICS_PRODID = "-//TA Programmes//Session Calendar//EN"
ICS_UID_DOMAIN = "ta-programmes"

_FREQUENCIES = {"DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
_WEEKDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_ICS_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class NonexistentLocalTime(InvalidValue):
	title = _("Time Does Not Exist")


class TrainerConflict(RuleViolation):
	title = _("Trainer Double-Booked")


# --------------------------------------------------------------------------------------------
# Time zones


def to_utc(local: datetime, zone: str) -> datetime:
	"""The naive UTC datetime of the naive wall time ``local`` in ``zone``.

	A wall time skipped when clocks move forward (e.g. 02:30 on the last Sunday of March in
	Europe/Paris) does not exist and raises :class:`NonexistentLocalTime`.

	A wall time that occurs twice when clocks move back (e.g. 02:30 on the last Sunday of October
	in Europe/Paris) resolves to its first occurrence, still on summer time: datetimes from forms
	and from the database have ``fold=0``. Only a caller passing ``fold=1`` explicitly (as
	:func:`from_utc` returns for the second occurrence) gets the second one.
	"""
	if local.tzinfo is not None:
		raise ValueError("to_utc expects a naive wall time, not an aware datetime")
	tz = _zone(zone)
	utc = local.replace(tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)
	# Naive comparison ignores fold: a wall time in a gap comes back shifted by the jump.
	if _wall_time(utc, tz) != local:
		raise NonexistentLocalTime(
			_("{0} does not exist in {1}: clocks move forward that night; choose another time."),
			_fmt(local),
			zone,
		)
	return utc


def from_utc(utc: datetime, zone: str) -> datetime:
	"""The naive wall time in ``zone`` of ``utc`` (naive UTC; an aware datetime is converted).

	The second occurrence of a repeated wall time carries ``fold=1``, so ``to_utc`` gives back
	``utc`` for every instant.
	"""
	return _wall_time(utc, _zone(zone))


def describe(utc: datetime, host_zone: str, viewer_zone: str | None = None) -> str:
	"""``utc`` in the host zone, with the viewer's time beside it when the zones differ, e.g.
	``2026-03-31 09:00 Europe/Paris (08:00 Africa/Lagos)``; the viewer's date is shown too when it
	is not the host's."""
	host = from_utc(utc, host_zone)
	text = f"{_fmt(host)} {host_zone}"
	if viewer_zone and viewer_zone != host_zone:
		seen = from_utc(utc, viewer_zone)
		shown = seen.strftime("%H:%M") if seen.date() == host.date() else _fmt(seen)
		text += f" ({shown} {viewer_zone})"
	return text


@lru_cache(maxsize=128)
def _zone(name: str) -> ZoneInfo:
	if not name:
		raise MissingValue(_("A time zone is required to read and show session times."))
	check_time_zone(_("Time zone"), name)
	return ZoneInfo(name)


def _wall_time(utc: datetime, tz: ZoneInfo) -> datetime:
	aware = utc.astimezone(timezone.utc) if utc.tzinfo else utc.replace(tzinfo=timezone.utc)
	return aware.astimezone(tz).replace(tzinfo=None)


# --------------------------------------------------------------------------------------------
# Sessions and recurrence


@dataclass(frozen=True)
class Session:
	start_utc: datetime
	end_utc: datetime
	label: str
	activity: str | None = None


def make_session(
	local_start: datetime, local_end: datetime, zone: str, label: str, activity: str | None = None
) -> Session:
	"""One session from wall times in the host zone; the end must be after the start."""
	check_date_order(local_start, local_end, _("Session start"), _("Session end"), allow_equal=False)
	return Session(to_utc(local_start, zone), to_utc(local_end, zone), label, activity)


def expand_rrule(
	first_day: date,
	until: date,
	weekdays: Sequence[str],
	start: time,
	end: time,
	zone: str,
	exclude: Iterable[date] = (),
	freq: str = "WEEKLY",
	interval: int = 1,
	activity: str | None = None,
) -> list[Session]:
	"""Sessions from ``start`` to ``end`` (wall times in ``zone``) on the days of a repetition rule.

	The rule follows RFC 5545 as dateutil implements it: ``freq`` DAILY, WEEKLY or MONTHLY every
	``interval`` periods, from ``first_day`` to ``until`` inclusive, on ``weekdays`` (``MO`` ..
	``SU``; ``1TU`` / ``-1FR`` for the first Tuesday / last Friday of a month); no weekdays means
	the weekday (or, monthly, the day of the month) of ``first_day``. The rule runs on local wall
	times, so 09:00 stays 09:00 local across a change of clocks while its UTC hour shifts.

	Dates in ``exclude`` are skipped. Each session is labelled with its local date (ISO), which
	stays the same when other dates are excluded. A session starting or ending at a wall time that
	does not exist on its day is refused (:func:`to_utc`); more than :data:`MAX_SESSIONS` sessions,
	or none at all, are refused too.
	"""
	_zone(zone)
	check_date_order(first_day, until, _("First day"), _("Repeat until"))
	check_date_order(
		datetime.combine(first_day, start),
		datetime.combine(first_day, end),
		_("Session start"),
		_("Session end"),
		allow_equal=False,
	)
	rule = rrule.rrule(
		_frequency(freq),
		interval=_interval(interval),
		dtstart=datetime.combine(first_day, start),
		until=datetime.combine(until, start),
		byweekday=_weekdays(weekdays) or None,
	)
	skip = set(exclude)
	sessions: list[Session] = []
	for local_start in rule:
		day = local_start.date()
		if day in skip:
			continue
		if len(sessions) == MAX_SESSIONS:
			raise InvalidValue(
				_("The repetition gives more than {0} sessions; repeat less often or end it sooner."),
				MAX_SESSIONS,
			)
		sessions.append(
			make_session(local_start, datetime.combine(day, end), zone, day.isoformat(), activity)
		)
	if not sessions:
		raise MissingValue(
			_("The repetition gives no sessions from {0} to {1}: check the weekdays and the excluded dates."),
			_fmt(first_day),
			_fmt(until),
		)
	return sessions


def span(sessions: Iterable[Session | Busy]) -> tuple[datetime, datetime]:
	"""(first start, last end) in UTC: an activity's start and end follow its sessions."""
	sessions = list(sessions)
	if not sessions:
		raise MissingValue(_("An activity needs at least one session."))
	return min(s.start_utc for s in sessions), max(s.end_utc for s in sessions)


def _frequency(freq: str) -> int:
	if freq not in _FREQUENCIES:
		raise InvalidValue(_("Repeat {0} is not supported: use one of {1}."), freq, ", ".join(_FREQUENCIES))
	return _FREQUENCIES[freq]


def _interval(interval: int) -> int:
	if not isinstance(interval, int) or isinstance(interval, bool) or interval < 1:
		raise InvalidValue(_("Repeat every {0} is not possible: use a whole number of at least 1."), interval)
	return interval


def _weekdays(codes: Sequence[str]) -> list[rrule.weekday]:
	days = []
	for code in codes or ():
		match = _WEEKDAY.match(str(code).strip().upper())
		if not match:
			raise InvalidValue(
				_(
					"{0} is not a weekday: use MO, TU, WE, TH, FR, SA or SU (1TU for the first Tuesday of a month)."
				),
				code,
			)
		day = getattr(rrule, match.group(2))
		days.append(day(int(match.group(1))) if match.group(1) else day)
	return days


# --------------------------------------------------------------------------------------------
# Conflicts


@dataclass(frozen=True)
class Busy:
	"""A period in which a trainer is taken: a session of an activity, or declared unavailability.

	``country`` is the beneficiary state of the activity, ``in_person`` whether the trainer must be
	on site (see :data:`IN_PERSON_MODES`), ``zone`` the host zone used to show the times (the
	viewer's zone when unknown). A period whose end is not after its start blocks nothing.
	"""

	start_utc: datetime
	end_utc: datetime
	activity: str | None = None
	session: str | None = None
	country: str | None = None
	in_person: bool = False
	kind: str = SESSION
	zone: str | None = None


@dataclass(frozen=True)
class Conflict:
	"""``new`` cannot be booked because of ``existing`` (for two new sessions: the earlier one),
	given the ``gap`` required between them, for ``trainer`` when the caller named one."""

	new: Busy
	existing: Busy
	gap: timedelta
	trainer: str | None = None


def as_busy(
	sessions: Iterable[Session], country: str | None, in_person: bool, zone: str | None = None
) -> list[Busy]:
	"""The sessions of one activity as busy periods of each of its trainers."""
	return [
		Busy(s.start_utc, s.end_utc, s.activity, s.label, country, in_person, SESSION, zone) for s in sessions
	]


def required_gap(a: Busy, b: Busy, travel_buffer: timedelta) -> timedelta:
	"""Time needed between ``a`` and ``b``: ``travel_buffer`` between two in-person sessions in
	different (known) countries, otherwise none; sessions that touch (one ends when the next
	starts) are fine, and so is a session touching an unavailability."""
	travelling = (
		a.kind == b.kind == SESSION
		and a.in_person
		and b.in_person
		and bool(a.country and b.country)
		and a.country != b.country
	)
	return travel_buffer if travelling else timedelta(0)


def intervals_conflict(a: Busy, b: Busy, gap: timedelta) -> bool:
	"""The conflict rule: ``a`` and ``b`` conflict iff they overlap once the earlier one (the one
	starting first) is extended by ``gap``. Periods are half-open, [start, end)."""
	if a.end_utc <= a.start_utc or b.end_utc <= b.start_utc:
		return False
	first, second = sorted((a, b), key=_chronological)
	return second.start_utc < first.end_utc + gap


def find_conflicts(
	new: Sequence[Busy],
	existing: Sequence[Busy],
	travel_buffer: timedelta,
	trainer: str | None = None,
	among_new: bool = True,
) -> list[Conflict]:
	"""Every conflict of a ``new`` period with an ``existing`` one and, if ``among_new``, of two new
	periods with each other (sessions of one activity must not overlap either), by start.

	``existing`` periods of an activity that has periods in ``new`` are ignored: the new ones
	replace them when the activity is saved. Conflicts among ``existing`` are not reported.
	Fetch ``existing`` with :func:`query_window`.
	"""
	_check_buffer(travel_buffer)
	replaced = {b.activity for b in new if b.activity}
	tagged = [(b, True) for b in new] + [(b, False) for b in existing if b.activity not in replaced]
	tagged.sort(key=lambda t: _chronological(t[0]))
	found = []
	for i, (a, a_new) in enumerate(tagged):
		for j in range(i + 1, len(tagged)):
			b, b_new = tagged[j]
			if b.start_utc >= a.end_utc + travel_buffer:
				break  # later periods start later still; no gap exceeds the buffer
			if not (a_new or b_new) or (a_new and b_new and not among_new):
				continue
			gap = required_gap(a, b, travel_buffer)
			if intervals_conflict(a, b, gap):
				new_one, old_one = (b, a) if b_new else (a, b)
				found.append(Conflict(new_one, old_one, gap, trainer))
	found.sort(key=lambda c: (*_chronological(c.new), *_chronological(c.existing), c.new.session or ""))
	return found


def query_window(new: Sequence[Busy], travel_buffer: timedelta) -> tuple[datetime, datetime] | None:
	"""The UTC window outside which no busy period can conflict with ``new`` (None if empty).

	An existing period can conflict only if ``end_utc > window_start and start_utc < window_end``
	(strictly), so the caller fetches exactly those rows with one range query.
	"""
	_check_buffer(travel_buffer)
	if not new:
		return None
	first, last = span(new)
	return first - travel_buffer, last + travel_buffer


def query_windows(new: Sequence[Busy], travel_buffer: timedelta) -> list[tuple[datetime, datetime]]:
	"""The UTC windows, disjoint and in order, outside which no busy period can conflict with
	``new``: each new period widened by the travel buffer, overlapping ones merged. Sessions weeks
	apart (a series, or two activities saved together) are fetched as separate ranges, not as one
	span holding every booking in between."""
	_check_buffer(travel_buffer)
	merged: list[tuple[datetime, datetime]] = []
	for start, end in sorted((b.start_utc - travel_buffer, b.end_utc + travel_buffer) for b in new):
		if merged and start <= merged[-1][1]:
			merged[-1] = (merged[-1][0], max(merged[-1][1], end))
		else:
			merged.append((start, end))
	return merged


def conflict_message(conflict: Conflict, trainer_name: str, viewer_zone: str | None) -> Reason:
	"""Why ``conflict`` prevents the booking, with times in the host zone and the viewer's."""
	new, old = conflict.new, conflict.existing
	start, end = _when(old, viewer_zone)
	if old.kind == UNAVAILABILITY:
		return _("Trainer {0} is unavailable {1} – {2}."), (trainer_name, start, end)
	if old.activity and old.activity == new.activity:
		return _("Sessions {0} and {1} of {2} overlap: {3} – {4} and {5} – {6}."), (
			old.session,
			new.session,
			old.activity,
			start,
			end,
			*_when(new, viewer_zone),
		)
	if conflict.gap and not intervals_conflict(new, old, timedelta(0)):
		earlier, later = sorted((old, new), key=_chronological)
		return _(
			"Trainer {0} is already booked: {1}, session {2}, {3} – {4}, and needs {5} h between in-person sessions in {6} and {7}."
		), (
			trainer_name,
			old.activity,
			old.session,
			start,
			end,
			_hours(conflict.gap),
			earlier.country,
			later.country,
		)
	return _("Trainer {0} is already booked: {1}, session {2}, {3} – {4}."), (
		trainer_name,
		old.activity,
		old.session,
		start,
		end,
	)


def raise_conflicts(
	conflicts: Iterable[Conflict],
	trainer_names: Mapping[str, str],
	viewer_zone: str | None,
	translate: Callable[[str], str] = lambda s: s,
) -> None:
	"""Raise one :class:`TrainerConflict` listing every conflict (lines translated by ``translate``,
	repeats dropped, at most :data:`CONFLICTS_LISTED`), or nothing if there is none."""
	lines: list[str] = []
	for conflict in conflicts:
		name = trainer_names.get(conflict.trainer) or conflict.trainer or ""
		line = render(conflict_message(conflict, name, viewer_zone), translate)
		if line not in lines:
			lines.append(line)
	if not lines:
		return
	shown = [f"\u2022 {line}" for line in lines[:CONFLICTS_LISTED]]
	if len(lines) > CONFLICTS_LISTED:
		shown.append(translate(_("… and {0} more.")).format(len(lines) - CONFLICTS_LISTED))
	raise TrainerConflict(_("These bookings are not possible:\n{0}"), "\n".join(shown))


def _chronological(b: Busy) -> tuple[datetime, datetime]:
	return b.start_utc, b.end_utc


def _check_buffer(travel_buffer: timedelta) -> None:
	if travel_buffer < timedelta(0):
		raise InvalidValue(_("The travel buffer cannot be negative ({0} h)."), _hours(travel_buffer))


def _when(b: Busy, viewer_zone: str | None) -> tuple[str, str]:
	host = b.zone or viewer_zone or "UTC"
	return describe(b.start_utc, host, viewer_zone), describe(b.end_utc, host, viewer_zone)


def _hours(delta: timedelta) -> str:
	return f"{delta.total_seconds() / 3600:g}"


# --------------------------------------------------------------------------------------------
# Finding trainers


@dataclass(frozen=True)
class Ranking:
	"""``ranked``: the candidates who can be assigned, best first, each with ``score`` and
	``reasons``; ``excluded``: the others (name, full_name) with the ``reasons`` they cannot."""

	ranked: list[dict]
	excluded: list[dict]


def rank_trainers(
	activity: dict,
	candidates: Iterable[dict],
	travel_buffer: timedelta = DEFAULT_TRAVEL_BUFFER,
	viewer_zone: str | None = None,
) -> Ranking:
	"""Candidates for an activity, best first (score descending, then name).

	Excluded: a trainer not Cleared by vetting, inactive, or with any conflict between their
	``busy`` periods and the activity's ``sessions`` (:func:`find_conflicts`). The others score
	:data:`EXPERTISE_POINTS` when the activity's thematic area is among their expertise,
	:data:`LANGUAGE_POINTS` when they speak its language, and, if their sector brings outside
	expertise (:data:`constants.OUTSIDE_EXPERTISE_SECTORS`), :data:`OUTSIDE_NONE_POINTS` when no
	trainer already assigned (``current_sectors``) does or :data:`OUTSIDE_FEW_POINTS` when fewer than
	one in :data:`OUTSIDE_FEW_DIVISOR` does. Conflicts are shown in ``viewer_zone`` (default: the
	activity's ``zone``).
	"""
	viewer_zone = viewer_zone or activity.get("zone")
	sectors = list(activity.get("current_sectors") or ())
	outside = sum(1 for s in sectors if s in constants.OUTSIDE_EXPERTISE_SECTORS)
	ranked, excluded = [], []
	for candidate in candidates:
		why_not = _exclusions(activity, candidate, travel_buffer, viewer_zone)
		if why_not:
			excluded.append(
				{"name": candidate["name"], "full_name": candidate.get("full_name"), "reasons": why_not}
			)
			continue
		score, reasons = _score(activity, candidate, outside, len(sectors))
		entry = {k: v for k, v in candidate.items() if k != "busy"}
		ranked.append({**entry, "score": score, "reasons": reasons})
	ranked.sort(key=lambda r: (-r["score"], r["name"]))
	excluded.sort(key=lambda r: r["name"])
	return Ranking(ranked, excluded)


def _exclusions(
	activity: dict, candidate: dict, travel_buffer: timedelta, viewer_zone: str | None
) -> list[Reason]:
	reasons: list[Reason] = []
	if candidate.get("vetting_status") != "Cleared":
		reasons.append(
			(_("Not cleared by vetting (status: {0})."), (candidate.get("vetting_status") or _("none"),))
		)
	if not candidate.get("active"):
		reasons.append((_("Inactive."), ()))
	conflicts = find_conflicts(
		activity.get("sessions") or [],
		candidate.get("busy") or [],
		travel_buffer,
		trainer=candidate["name"],
		among_new=False,
	)
	name = candidate.get("full_name") or candidate["name"]
	reasons += [conflict_message(c, name, viewer_zone) for c in conflicts[:CONFLICTS_PER_CANDIDATE]]
	if len(conflicts) > CONFLICTS_PER_CANDIDATE:
		reasons.append((_("… and {0} more conflicts."), (len(conflicts) - CONFLICTS_PER_CANDIDATE,)))
	return reasons


def _score(activity: dict, candidate: dict, outside: int, assigned: int) -> tuple[int, list[Reason]]:
	score, reasons = 0, []
	area, language, sector = activity.get("thematic_area"), activity.get("language"), candidate.get("sector")
	if area:
		if area in (candidate.get("expertise") or ()):
			score += EXPERTISE_POINTS
			reasons.append((_("Expert in {0}"), (area,)))
		else:
			reasons.append((_("Not listed as expert in {0}"), (area,)))
	if language:
		if language in (candidate.get("languages") or ()):
			score += LANGUAGE_POINTS
			reasons.append((_("Speaks {0}"), (language,)))
		else:
			reasons.append((_("Does not list {0} among their languages"), (language,)))
	if sector in constants.OUTSIDE_EXPERTISE_SECTORS:
		if outside == 0:
			score += OUTSIDE_NONE_POINTS
			reasons.append((_("Brings outside expertise ({0}); the activity has none yet"), (sector,)))
		elif outside * OUTSIDE_FEW_DIVISOR < assigned:
			score += OUTSIDE_FEW_POINTS
			reasons.append(
				(
					_("Brings outside expertise ({0}); only {1} of the {2} trainers assigned do"),
					(sector, outside, assigned),
				)
			)
		else:
			reasons.append((_("Brings outside expertise ({0}); the activity already has enough"), (sector,)))
	return score, reasons


# --------------------------------------------------------------------------------------------
# Reminders


def due_reminders(activities: Iterable[dict], today: date, days_before: int) -> list[dict]:
	"""Activities whose first session starts, in the host zone's local date, ``days_before`` days
	after ``today``; each returned with ``local_start`` (wall time in the host zone) added.

	Each activity has ``name``, ``zone`` and either ``start_utc`` (as stored by :func:`span`) or
	``sessions``; those with a ``status`` in :data:`NO_REMINDER_STATUSES` are skipped. Run once a
	day with the same ``today`` clock: each activity is then due on exactly one day.
	"""
	if days_before < 0:
		raise ValueError("days_before cannot be negative")
	target = today + timedelta(days=days_before)
	due = []
	for activity in activities:
		if activity.get("status") in NO_REMINDER_STATUSES:
			continue
		start = activity.get("start_utc") or span(activity.get("sessions") or ())[0]
		local = from_utc(start, activity["zone"])
		if local.date() == target:
			due.append({**activity, "start_utc": start, "local_start": local})
	due.sort(key=lambda a: (a["start_utc"], a["name"]))
	return due


def reminder_window(today: date, days_before: int) -> tuple[datetime, datetime]:
	"""The naive UTC range holding every first start that :func:`due_reminders` may select, in any
	zone (UTC-12 to UTC+14): fetch activities with ``window_start <= start_utc < window_end``."""
	target = datetime.combine(today + timedelta(days=days_before), time(0))
	return target - _EARLIEST_OFFSET, target + timedelta(days=1) + _LATEST_OFFSET


# --------------------------------------------------------------------------------------------
# iCalendar


def ics_feed(calendar_name: str, events: Iterable[dict], now_utc: datetime, translate: Callable[[str], str] = lambda s: s) -> str:
	"""An RFC 5545 calendar with one VEVENT per session, by start.

	Each event has ``activity``, ``session`` (label), ``start_utc``, ``end_utc`` (naive UTC) and
	optionally ``summary`` (default: the activity), ``venue``, ``city``, ``delivery_mode`` and
	``description``. Only these keys are read, so participant data never reaches the feed. The UID
	``{activity}-{session}@ta-programmes`` stays the same across feeds, so calendar clients update
	events rather than duplicate them. Lines end with CRLF and are folded at 75 octets.
	"""
	lines = [
		"BEGIN:VCALENDAR",
		f"PRODID:{ICS_PRODID}",
		"VERSION:2.0",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		f"X-WR-CALNAME:{_ics_text(calendar_name)}",
	]
	stamp = _ics_time(now_utc)
	for event in sorted(events, key=lambda e: (e["start_utc"], e["activity"], e["session"])):
		lines += [
			"BEGIN:VEVENT",
			f"UID:{_ics_text(_uid(event['activity'], event['session']))}",
			f"DTSTAMP:{stamp}",
			f"DTSTART:{_ics_time(event['start_utc'])}",
			f"DTEND:{_ics_time(event['end_utc'])}",
			f"SUMMARY:{_ics_text(event.get('summary') or event['activity'])}",
			f"LOCATION:{_ics_text(_location(event, translate))}",
		]
		if event.get("description"):
			lines.append(f"DESCRIPTION:{_ics_text(event['description'])}")
		lines.append("END:VEVENT")
	lines.append("END:VCALENDAR")
	return "".join(_ics_fold(line) + "\r\n" for line in lines)


def _uid(activity: str, session: str) -> str:
	return f"{activity}-{session}@{ICS_UID_DOMAIN}"


def _location(event: dict, translate: Callable[[str], str]) -> str:
	online = translate(_("Online"))
	if event.get("delivery_mode") == "Online":
		return online
	return ", ".join(p for p in (event.get("venue"), event.get("city")) if p) or online


def _ics_time(value: datetime) -> str:
	if value.tzinfo is not None:
		value = value.astimezone(timezone.utc)
	return value.strftime("%Y%m%dT%H%M%SZ")


def _ics_text(value: object) -> str:
	"""A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and newline escaped; other
	control characters, which TEXT may not hold, dropped."""
	text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
	text = _ICS_CONTROL.sub("", text)
	return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
	"""Split ``line`` into lines of at most 75 octets (RFC 5545, 3.1), never inside a UTF-8
	character; each continuation starts with a space."""
	parts, current, size, limit = [], [], 0, 75
	for char in line:
		octets = len(char.encode("utf-8"))
		if size + octets > limit:
			parts.append("".join(current))
			current, size, limit = [], 0, 74
		current.append(char)
		size += octets
	parts.append("".join(current))
	return "\r\n ".join(parts)
