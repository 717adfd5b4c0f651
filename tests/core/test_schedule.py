"""Scheduling: time zones across clock changes, recurrence, the conflict rule against a brute-force
model, trainer ranking, reminders and the iCalendar feed."""

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ta_programmes.core import schedule as S
from ta_programmes.core.errors import InvalidDateRange, InvalidValue, MissingValue
from ta_programmes.core.i18n import render

ZONES = [
	"Europe/Paris",
	"Australia/Sydney",
	"America/Santiago",
	"Africa/Lagos",
	"Asia/Kolkata",
	"America/New_York",
]
BASE = datetime(2026, 1, 5)  # a Monday
MINUTE = timedelta(minutes=1)


# --------------------------------------------------------------------------------------------
# Time zones


def test_paris_weekly_tuesday_keeps_nine_local_across_the_end_of_march():
	sessions = S.expand_rrule(date(2026, 3, 17), date(2026, 4, 7), ["TU"], time(9), time(12), "Europe/Paris")
	assert [s.start_utc.hour for s in sessions] == [8, 8, 7, 7]  # clocks move forward on 29 March
	assert {S.from_utc(s.start_utc, "Europe/Paris").time() for s in sessions} == {time(9)}
	assert [s.label for s in sessions] == ["2026-03-17", "2026-03-24", "2026-03-31", "2026-04-07"]
	assert all(s.end_utc - s.start_utc == timedelta(hours=3) for s in sessions)


def test_sydney_weekly_tuesday_keeps_nine_local_across_the_first_sunday_of_april():
	sessions = S.expand_rrule(
		date(2026, 3, 24), date(2026, 4, 14), ["TU"], time(9), time(17), "Australia/Sydney"
	)
	# 09:00 AEDT (UTC+11) is 22:00 UTC the day before; after 5 April, 09:00 AEST (UTC+10) is 23:00 UTC.
	assert [s.start_utc for s in sessions] == [
		datetime(2026, 3, 23, 22),
		datetime(2026, 3, 30, 22),
		datetime(2026, 4, 6, 23),
		datetime(2026, 4, 13, 23),
	]


def test_santiago_weekly_saturday_keeps_local_time_as_winter_starts():
	sessions = S.expand_rrule(
		date(2026, 3, 28), date(2026, 4, 11), ["SA"], time(10), time(13), "America/Santiago"
	)
	assert [s.start_utc.hour for s in sessions] == [
		13,
		13,
		14,
	]  # UTC-3 until midnight ending 4 April, then UTC-4


@pytest.mark.parametrize(
	"local, zone",
	[
		(datetime(2026, 3, 29, 2, 30), "Europe/Paris"),
		(datetime(2026, 10, 4, 2, 15), "Australia/Sydney"),
		(datetime(2026, 9, 6, 0, 30), "America/Santiago"),
	],
)
def test_a_wall_time_skipped_by_the_clocks_is_refused(local, zone):
	with pytest.raises(S.NonexistentLocalTime) as e:
		S.to_utc(local, zone)
	assert str(e.value) == (
		f"{local:%Y-%m-%d %H:%M} does not exist in {zone}: clocks move forward that night; choose another time."
	)
	assert e.value.template.startswith("{0} does not exist in {1}")


def test_a_recurring_session_in_the_gap_is_refused_naming_that_day():
	with pytest.raises(S.NonexistentLocalTime, match="2026-03-29 02:30 does not exist in Europe/Paris"):
		S.expand_rrule(date(2026, 3, 22), date(2026, 4, 5), ["SU"], time(2, 30), time(4), "Europe/Paris")


def test_an_ambiguous_wall_time_is_its_first_occurrence():
	# 02:30 on 25 October 2026 happens twice in Paris: first on summer time (UTC+2), then UTC+1.
	assert S.to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Paris") == datetime(2026, 10, 25, 0, 30)
	second = S.from_utc(datetime(2026, 10, 25, 1, 30), "Europe/Paris")
	assert second == datetime(2026, 10, 25, 2, 30) and second.fold == 1
	assert S.to_utc(second, "Europe/Paris") == datetime(2026, 10, 25, 1, 30)


def test_unknown_or_missing_zone_and_aware_input():
	with pytest.raises(InvalidValue, match="Mars/Olympus is not a known IANA time zone"):
		S.to_utc(datetime(2026, 1, 1, 9), "Mars/Olympus")
	with pytest.raises(MissingValue):
		S.from_utc(datetime(2026, 1, 1, 9), "")
	with pytest.raises(ValueError):
		S.to_utc(datetime(2026, 1, 1, 9).astimezone(), "Europe/Paris")


@given(st.datetimes(datetime(1990, 1, 1), datetime(2060, 12, 31)), st.sampled_from(ZONES))
def test_host_zone_round_trip_for_times_that_exist(local, zone):
	# Independently: the UTC instants that could show ``local`` use the zone's offsets a day either side.
	offsets = {S.from_utc(local + d, zone) - (local + d) for d in (timedelta(days=-1), timedelta(days=1))}
	instants = sorted(local - off for off in offsets if S.from_utc(local - off, zone) == local)
	if not instants:
		with pytest.raises(S.NonexistentLocalTime):
			S.to_utc(local, zone)
		return
	utc = S.to_utc(local, zone)
	assert utc == instants[0]  # a repeated wall time is its first occurrence
	assert S.from_utc(utc, zone) == local


@given(st.datetimes(datetime(1990, 1, 1), datetime(2060, 12, 31)), st.sampled_from(ZONES))
def test_every_utc_instant_round_trips_through_its_wall_time(utc, zone):
	assert S.to_utc(S.from_utc(utc, zone), zone) == utc


def test_describe_shows_the_viewer_time_only_when_the_zones_differ():
	utc = datetime(2026, 3, 31, 7)
	assert (
		S.describe(utc, "Europe/Paris", "Africa/Lagos")
		== "2026-03-31 09:00 Europe/Paris (08:00 Africa/Lagos)"
	)
	assert S.describe(utc, "Europe/Paris", "Europe/Paris") == "2026-03-31 09:00 Europe/Paris"
	assert S.describe(utc, "Europe/Paris", None) == "2026-03-31 09:00 Europe/Paris"
	assert S.describe(datetime(2026, 3, 31, 20), "Europe/Paris", "Asia/Tokyo") == (
		"2026-03-31 22:00 Europe/Paris (2026-04-01 05:00 Asia/Tokyo)"
	)


# --------------------------------------------------------------------------------------------
# Recurrence

CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@settings(max_examples=60, deadline=None)
@given(
	first=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
	days=st.integers(0, 400),
	weekdays=st.sets(st.integers(0, 6), min_size=1),
	interval=st.integers(1, 3),
	hour=st.integers(6, 17),
	minute=st.sampled_from([0, 15, 30, 45]),
	length=st.integers(15, 240),
	zone=st.sampled_from(ZONES),
	data=st.data(),
)
def test_weekly_expansion_matches_a_day_by_day_count(
	first, days, weekdays, interval, hour, minute, length, zone, data
):
	until = first + timedelta(days=days)
	monday = first - timedelta(days=first.weekday())
	candidates = [
		first + timedelta(days=i)
		for i in range(days + 1)
		if (first + timedelta(days=i)).weekday() in weekdays
		and ((first + timedelta(days=i)) - monday).days // 7 % interval == 0
	]
	exclude = data.draw(st.sets(st.sampled_from(candidates)) if candidates else st.just(set()))
	expected = [d for d in candidates if d not in exclude]
	assume(0 < len(expected) <= S.MAX_SESSIONS)
	start = time(hour, minute)
	end = (datetime.combine(first, start) + timedelta(minutes=length)).time()
	assume(end > start)
	sessions = S.expand_rrule(
		first,
		until,
		[CODES[w] for w in sorted(weekdays)],
		start,
		end,
		zone,
		exclude,
		interval=interval,
		activity="A1",
	)
	assert [s.label for s in sessions] == [d.isoformat() for d in expected]
	for s, day in zip(sessions, expected, strict=True):
		local_start, local_end = S.from_utc(s.start_utc, zone), S.from_utc(s.end_utc, zone)
		assert (local_start.date(), local_start.time(), local_end.time()) == (day, start, end)
		assert s.activity == "A1"
	assert S.span(sessions) == (sessions[0].start_utc, sessions[-1].end_utc)


def test_monthly_first_tuesday_and_daily():
	first_tuesdays = S.expand_rrule(
		date(2026, 1, 1), date(2026, 4, 30), ["1TU"], time(9), time(10), "UTC", freq="MONTHLY"
	)
	assert [s.label for s in first_tuesdays] == ["2026-01-06", "2026-02-03", "2026-03-03", "2026-04-07"]
	daily = S.expand_rrule(
		date(2026, 5, 4), date(2026, 5, 8), [], time(9), time(10), "UTC", {date(2026, 5, 6)}, "DAILY"
	)
	assert [s.label for s in daily] == ["2026-05-04", "2026-05-05", "2026-05-07", "2026-05-08"]


def test_recurrence_refusals():
	args = (date(2026, 1, 1), date(2026, 12, 31), ["MO"], time(9), time(10), "Europe/Paris")
	with pytest.raises(InvalidDateRange, match="Session end"):
		S.expand_rrule(*args[:3], time(10), time(9), "Europe/Paris")
	with pytest.raises(InvalidDateRange, match="Session end"):
		S.expand_rrule(*args[:3], time(9), time(9), "Europe/Paris")
	with pytest.raises(InvalidDateRange, match="Repeat until"):
		S.expand_rrule(date(2026, 2, 1), date(2026, 1, 1), *args[2:])
	with pytest.raises(InvalidValue, match="XX is not a weekday"):
		S.expand_rrule(*args[:2], ["MO", "XX"], *args[3:])
	with pytest.raises(InvalidValue, match="Repeat HOURLY is not supported"):
		S.expand_rrule(*args, freq="HOURLY")
	with pytest.raises(InvalidValue, match="Repeat every 0"):
		S.expand_rrule(*args, interval=0)
	with pytest.raises(InvalidValue, match="more than 500 sessions"):
		S.expand_rrule(date(2026, 1, 1), date(2027, 12, 31), [], time(9), time(10), "UTC", freq="DAILY")
	with pytest.raises(MissingValue, match="no sessions"):
		S.expand_rrule(
			date(2026, 1, 5), date(2026, 1, 5), ["MO"], time(9), time(10), "UTC", {date(2026, 1, 5)}
		)
	with pytest.raises(MissingValue):
		S.span([])


def test_exactly_the_cap_is_allowed():
	sessions = S.expand_rrule(
		date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=499), [], time(9), time(10), "UTC", freq="DAILY"
	)
	assert len(sessions) == S.MAX_SESSIONS


# --------------------------------------------------------------------------------------------
# Conflicts: the rule against a minute-grid model

COUNTRIES = [None, "Kenya", "Ghana"]


@st.composite
def busy(draw, activity):
	start = draw(st.integers(0, 3000))
	length = draw(st.integers(1, 600))
	kind = draw(st.sampled_from([S.SESSION, S.SESSION, S.UNAVAILABILITY]))
	return S.Busy(
		BASE + start * MINUTE,
		BASE + (start + length) * MINUTE,
		activity,
		f"s{start}",
		draw(st.sampled_from(COUNTRIES)),
		draw(st.booleans()) and kind == S.SESSION,
		kind,
	)


def model_gap(a, b, buffer_minutes):
	both_on_site_sessions = a.kind == "session" and b.kind == "session" and a.in_person and b.in_person
	abroad = a.country is not None and b.country is not None and a.country != b.country
	return buffer_minutes if both_on_site_sessions and abroad else 0


def minutes(b):
	return (b.start_utc - BASE) // MINUTE, (b.end_utc - BASE) // MINUTE


def model_conflict(a, b, buffer_minutes):
	(s1, e1), (s2, e2) = sorted([minutes(a), minutes(b)])
	extended_earlier = set(range(s1, e1 + model_gap(a, b, buffer_minutes)))
	return bool(extended_earlier & set(range(s2, e2)))


@settings(max_examples=150, deadline=None)
@given(
	new=st.lists(busy("NEW"), max_size=5),
	existing=st.lists(st.integers(1, 4).flatmap(lambda i: busy(f"E{i}")), max_size=8),
	buffer_minutes=st.integers(0, 300),
)
def test_conflicts_are_exactly_the_pairs_that_meet_once_the_earlier_is_extended(
	new, existing, buffer_minutes
):
	buffer = buffer_minutes * MINUTE
	expected = sorted(
		[(id(n), id(e)) for n in new for e in existing if model_conflict(n, e, buffer_minutes)]
		+ [
			tuple(sorted((id(a), id(b))))
			for i, a in enumerate(new)
			for b in new[i + 1 :]
			if model_conflict(a, b, buffer_minutes)
		]
	)
	found = S.find_conflicts(new, existing, buffer)
	existing_ids = {id(e) for e in existing}
	got = sorted(
		(id(c.new), id(c.existing))
		if id(c.existing) in existing_ids
		else tuple(sorted((id(c.new), id(c.existing))))
		for c in found
	)
	assert got == expected
	assert [c.new.start_utc for c in found] == sorted(c.new.start_utc for c in found)
	for c in found:
		assert c.gap == model_gap(c.new, c.existing, buffer_minutes) * MINUTE
	# The window query never misses a conflict.
	window = S.query_window(new, buffer)
	if window:
		near = [e for e in existing if e.end_utc > window[0] and e.start_utc < window[1]]
		assert S.find_conflicts(new, near, buffer) == found
	# Nor do the separate windows, which hold no more than the one span.
	windows = S.query_windows(new, buffer)
	assert all(a[1] < b[0] for a, b in pairwise(windows))
	near = [e for e in existing if any(e.end_utc > w[0] and e.start_utc < w[1] for w in windows)]
	assert S.find_conflicts(new, near, buffer) == found
	if window:
		assert (windows[0][0], windows[-1][1]) == window


def at(hour_from, hour_to, **kw):
	return S.Busy(BASE + timedelta(hours=hour_from), BASE + timedelta(hours=hour_to), **kw)


def test_touching_sessions_do_not_conflict_but_travel_needs_the_buffer():
	a = at(9, 12, activity="A", session="1", country="Kenya", in_person=True)
	b = at(12, 15, activity="B", session="1", country="Kenya", in_person=True)
	assert S.find_conflicts([b], [a], timedelta(hours=24)) == []
	abroad = at(12 + 24, 15 + 24, activity="B", session="2", country="Ghana", in_person=True)
	assert S.find_conflicts([abroad], [a], timedelta(hours=24)) == []  # 24 h after the end: fine
	too_soon = at(12 + 23, 15 + 23, activity="B", session="3", country="Ghana", in_person=True)
	[c] = S.find_conflicts([too_soon], [a], timedelta(hours=24))
	assert (c.new, c.existing, c.gap) == (too_soon, a, timedelta(hours=24))
	online = at(12, 14, activity="B", session="4", country="Ghana", in_person=False)
	assert S.find_conflicts([online], [a], timedelta(hours=24)) == []  # no travel for an online session
	assert S.required_gap(online, a, timedelta(hours=24)) == timedelta(0)
	unknown = at(12, 14, activity="B", session="5", country=None, in_person=True)
	assert S.find_conflicts([unknown], [a], timedelta(hours=24)) == []  # country unknown: no buffer
	off = at(12, 20, kind=S.UNAVAILABILITY)
	assert S.find_conflicts([a], [off], timedelta(hours=24)) == []
	assert S.required_gap(a, off, timedelta(hours=24)) == timedelta(0)


def test_sessions_of_the_same_activity_and_its_stored_rows():
	one = at(9, 12, activity="A", session="1")
	two = at(11, 13, activity="A", session="2")
	stored = at(9, 12, activity="A", session="1")  # the activity's saved row, replaced by the new ones
	[c] = S.find_conflicts([one, two], [stored], timedelta(0))
	assert (c.existing, c.new) == (one, two)
	assert S.find_conflicts([one, two], [], timedelta(0), among_new=False) == []
	template, args = S.conflict_message(c, "Ada", "UTC")
	assert template.format(*args) == (
		"Sessions 1 and 2 of A overlap: 2026-01-05 09:00 UTC – 2026-01-05 12:00 UTC and "
		"2026-01-05 11:00 UTC – 2026-01-05 13:00 UTC."
	)


def test_query_window_and_negative_buffer():
	sessions = [at(9, 12), at(30, 33)]
	assert S.query_window(sessions, timedelta(hours=24)) == (
		BASE - timedelta(hours=15),
		BASE + timedelta(hours=57),
	)
	assert S.query_window([], timedelta(hours=24)) is None
	assert S.query_windows(sessions, timedelta(hours=2)) == [
		(BASE + timedelta(hours=7), BASE + timedelta(hours=14)),
		(BASE + timedelta(hours=28), BASE + timedelta(hours=35)),
	]
	assert S.query_windows(sessions, timedelta(hours=24)) == [(BASE - timedelta(hours=15), BASE + timedelta(hours=57))]
	assert S.query_windows([], timedelta(hours=24)) == []
	with pytest.raises(InvalidValue, match="negative"):
		S.find_conflicts(sessions, [], timedelta(hours=-1))


def test_conflict_messages_in_the_viewer_zone():
	paris = dict(zone="Europe/Paris", in_person=True)
	old = S.Busy(
		datetime(2026, 3, 31, 7),
		datetime(2026, 3, 31, 10),
		"ACT-1",
		"2026-03-31",
		"France",
		kind="session",
		**paris,
	)
	new = S.Busy(datetime(2026, 3, 31, 8), datetime(2026, 3, 31, 9), "ACT-2", "2026-03-31", "France", **paris)
	booked = S.conflict_message(S.Conflict(new, old, timedelta(0), "T1"), "Ada Lovelace", "Africa/Lagos")
	assert render(booked) == (
		"Trainer Ada Lovelace is already booked: ACT-1, session 2026-03-31, "
		"2026-03-31 09:00 Europe/Paris (08:00 Africa/Lagos) – 2026-03-31 12:00 Europe/Paris (11:00 Africa/Lagos)."
	)
	later = S.Busy(
		datetime(2026, 3, 31, 20),
		datetime(2026, 3, 31, 22),
		"ACT-3",
		"1",
		"Kenya",
		True,
		zone="Africa/Nairobi",
	)
	travel = S.conflict_message(S.Conflict(later, old, timedelta(hours=24)), "Ada", "Europe/Paris")
	assert travel[0].endswith("and needs {5} h between in-person sessions in {6} and {7}.")
	assert travel[1][5:] == ("24", "France", "Kenya")
	off = S.Busy(datetime(2026, 3, 31, 0), datetime(2026, 4, 2, 0), kind=S.UNAVAILABILITY)
	unavailable = S.conflict_message(S.Conflict(new, off, timedelta(0)), "Ada", "Europe/Paris")
	assert (
		render(unavailable)
		== "Trainer Ada is unavailable 2026-03-31 02:00 Europe/Paris – 2026-04-02 02:00 Europe/Paris."
	)


def test_raise_conflicts_lists_them_all_once_and_translated():
	old = at(9, 12, activity="A", session="1")
	news = [at(10, 11, activity="B", session=str(i)) for i in range(2)]
	conflicts = S.find_conflicts(news, [old], timedelta(0), trainer="T1", among_new=False)
	conflicts += S.find_conflicts(news, [old], timedelta(0), trainer="T2", among_new=False)
	S.raise_conflicts([], {}, "UTC")  # nothing to report
	with pytest.raises(S.TrainerConflict) as e:
		S.raise_conflicts(conflicts + conflicts, {"T1": "Ada", "T2": "Grace"}, "UTC", translate=str.upper)
	assert e.value.title == "Trainer Double-Booked"
	lines = e.value.args_[0].split("\n")
	assert len(lines) == 2 and all(line.startswith("\u2022 TRAINER ") for line in lines)
	assert "Ada IS ALREADY BOOKED" in lines[0] and "Grace IS ALREADY BOOKED" in lines[1]
	# The same existing booking is named once, however many new sessions it blocks.
	same = [
		S.Conflict(at(10 + i, 11 + i, activity="B", session=str(i)), at(9, 40, activity="A"), timedelta(0))
		for i in range(5)
	]
	with pytest.raises(S.TrainerConflict) as e:
		S.raise_conflicts(same, {}, "UTC")
	assert str(e.value).count("\u2022") == 1
	many = [
		S.Conflict(
			at(10, 11, activity="B", session="1"),
			at(i, i + 24, activity="A", session=str(i)),
			timedelta(0),
			"T1",
		)
		for i in range(25)
	]
	with pytest.raises(S.TrainerConflict) as e:
		S.raise_conflicts(many, {"T1": "Ada"}, "UTC")
	assert str(e.value).endswith("… and 5 more.")


# --------------------------------------------------------------------------------------------
# Ranking


def trainer(name, sector="Government", expertise=(), languages=(), busy=(), status="Cleared", active=True):
	return dict(
		name=name,
		full_name=name.title(),
		sector=sector,
		vetting_status=status,
		active=active,
		expertise=list(expertise),
		languages=list(languages),
		busy=list(busy),
	)


def activity(current_sectors=(), sessions=None):
	return dict(
		name="ACT-1",
		zone="Africa/Nairobi",
		thematic_area="Digital Forensics",
		language="French",
		current_sectors=list(current_sectors),
		sessions=sessions or [at(9, 12, activity="ACT-1", session="1", country="Kenya", in_person=True)],
	)


def test_ranking_excludes_with_reasons_and_orders_deterministically():
	clash = at(10, 11, activity="ACT-9", session="3", country="Kenya", in_person=True)
	abroad = at(14, 16, activity="ACT-8", session="1", country="Ghana", in_person=True)
	candidates = [
		trainer("zoe", expertise=["Digital Forensics"], languages=["French"]),
		trainer("amy", expertise=["Digital Forensics"], languages=["French"]),
		trainer("bob", languages=["French"]),
		trainer("pending", status="Pending", expertise=["Digital Forensics"]),
		trainer("asleep", active=False, status=None),
		trainer("booked", busy=[clash]),
		trainer("traveller", busy=[abroad]),
		trainer("self", busy=[at(9, 12, activity="ACT-1", session="1")]),  # already on this activity
	]
	result = S.rank_trainers(activity(), candidates, timedelta(hours=24))
	assert [(r["name"], r["score"]) for r in result.ranked] == [
		("amy", 5),
		("zoe", 5),
		("bob", 2),
		("self", 0),
	]
	assert "busy" not in result.ranked[0]
	assert result.ranked[0]["reasons"] == [
		("Expert in {0}", ("Digital Forensics",)),
		("Speaks {0}", ("French",)),
	]
	excluded = {e["name"]: [render(r) for r in e["reasons"]] for e in result.excluded}
	assert list(excluded) == ["asleep", "booked", "pending", "traveller"]
	assert excluded["pending"] == ["Not cleared by vetting (status: Pending)."]
	assert excluded["asleep"] == ["Not cleared by vetting (status: none).", "Inactive."]
	assert excluded["booked"][0].startswith(
		"Trainer Booked is already booked: ACT-9, session 3, 2026-01-05 13:00 Africa/Nairobi"
	)
	assert "needs 24 h between in-person sessions in Kenya and Ghana" in excluded["traveller"][0]
	# Without a travel buffer the traveller is free.
	assert "traveller" in [r["name"] for r in S.rank_trainers(activity(), candidates, timedelta(0)).ranked]


def test_outside_expertise_is_preferred_when_the_mix_lacks_it():
	candidates = [
		trainer("gov", sector="Government", expertise=["Digital Forensics"]),
		trainer("uni", sector="Academia", expertise=["Digital Forensics"]),
		trainer("ngo", sector="Civil Society"),
	]
	none_yet = S.rank_trainers(activity(["Government"]), candidates).ranked
	assert [(r["name"], r["score"]) for r in none_yet] == [("uni", 5), ("gov", 3), ("ngo", 2)]
	assert ("Brings outside expertise ({0}); the activity has none yet", ("Academia",)) in none_yet[0][
		"reasons"
	]
	few = S.rank_trainers(activity(["Government"] * 3 + ["Private Sector"]), candidates).ranked
	assert [(r["name"], r["score"]) for r in few] == [("uni", 4), ("gov", 3), ("ngo", 1)]
	assert few[0]["reasons"][-1] == (
		"Brings outside expertise ({0}); only {1} of the {2} trainers assigned do",
		("Academia", 1, 4),
	)
	enough = S.rank_trainers(activity(["Government", "Academia"]), candidates).ranked
	assert [(r["name"], r["score"]) for r in enough] == [("gov", 3), ("uni", 3), ("ngo", 0)]


# --------------------------------------------------------------------------------------------
# Reminders


def test_due_reminders_use_the_host_local_date():
	acts = [
		# 23:30 UTC on 9 June is already 10 June in Nairobi (UTC+3).
		dict(name="NBO", zone="Africa/Nairobi", start_utc=datetime(2026, 6, 9, 23, 30)),
		# 02:00 UTC on 10 June is still 9 June in Santiago (UTC-4).
		dict(name="SCL", zone="America/Santiago", start_utc=datetime(2026, 6, 10, 2)),
		# The first of its sessions counts, whatever their order.
		dict(
			name="PAR",
			zone="Europe/Paris",
			sessions=[
				S.Session(datetime(2026, 6, 12, 7), datetime(2026, 6, 12, 9), "2"),
				S.Session(datetime(2026, 6, 10, 7), datetime(2026, 6, 10, 9), "1"),
			],
		),
		dict(name="OFF", zone="Europe/Paris", start_utc=datetime(2026, 6, 10, 7), status="Cancelled"),
	]
	due = S.due_reminders(acts, date(2026, 6, 3), 7)
	assert [(a["name"], a["local_start"]) for a in due] == [
		("NBO", datetime(2026, 6, 10, 2, 30)),
		("PAR", datetime(2026, 6, 10, 9)),
	]
	assert [a["name"] for a in S.due_reminders(acts, date(2026, 6, 2), 7)] == ["SCL"]
	start, end = S.reminder_window(date(2026, 6, 3), 7)
	assert all(start <= a["start_utc"] < end for a in due)
	with pytest.raises(ValueError):
		S.due_reminders(acts, date(2026, 6, 3), -1)


@given(st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31)), st.sampled_from(ZONES), st.integers(0, 30))
def test_each_activity_is_due_on_exactly_one_day_inside_the_window(start_utc, zone, days_before):
	act = dict(name="A", zone=zone, start_utc=start_utc)
	local_day = S.from_utc(start_utc, zone).date()
	today = local_day - timedelta(days=days_before)
	assert S.due_reminders([act], today, days_before)
	assert not S.due_reminders([act], today - timedelta(days=1), days_before)
	window = S.reminder_window(today, days_before)
	assert window[0] <= start_utc < window[1]


# --------------------------------------------------------------------------------------------
# iCalendar

NOW = datetime(2026, 3, 1, 12, 0, 0)


def events():
	return [
		dict(
			activity="ACT-2",
			session="2026-04-07",
			start_utc=datetime(2026, 4, 7, 7),
			end_utc=datetime(2026, 4, 7, 10),
			summary="Digital forensics; module 2, part \\b",
			venue="Palais, salle 3",
			city="Paris",
			description="Line one\nLine two; with, punctuation \\ and é " + "long " * 40,
			participants=[{"name": "Secret Person", "email": "secret@example.org"}],
		),
		dict(
			activity="ACT-1",
			session="1",
			start_utc=datetime(2026, 3, 31, 7),
			end_utc=datetime(2026, 3, 31, 10),
			summary="Judicial training",
			delivery_mode="Online",
			venue="ignored",
		),
		dict(
			activity="ACT-3", session="1", start_utc=datetime(2026, 5, 1, 8), end_utc=datetime(2026, 5, 1, 9)
		),
	]


def test_ics_feed_parses_and_holds_the_sessions():
	icalendar = pytest.importorskip("icalendar")
	text = S.ics_feed("Trainer calendar: Ada, Lovelace", events(), NOW)
	cal = icalendar.Calendar.from_ical(text)
	assert str(cal["VERSION"]) == "2.0"
	# icalendar keeps unknown X- properties raw; clients read X-WR-CALNAME as TEXT.
	assert cal["X-WR-CALNAME"].to_ical() == b"Trainer calendar: Ada\\, Lovelace"
	assert str(cal["PRODID"]) == S.ICS_PRODID and str(cal["CALSCALE"]) == "GREGORIAN"
	vevents = cal.walk("VEVENT")
	assert [str(e["UID"]) for e in vevents] == [
		"ACT-1-1@ta-programmes",
		"ACT-2-2026-04-07@ta-programmes",
		"ACT-3-1@ta-programmes",
	]
	first, second, third = vevents
	assert first.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 3, 31, 7)
	assert first.decoded("DTSTART").utcoffset() == timedelta(0)
	assert second.decoded("DTEND").replace(tzinfo=None) == datetime(2026, 4, 7, 10)
	assert second.decoded("DTSTAMP").replace(tzinfo=None) == NOW
	assert str(first["LOCATION"]) == "Online" and str(third["LOCATION"]) == "Online"
	assert str(third["SUMMARY"]) == "ACT-3" and "DESCRIPTION" not in third
	assert str(second["SUMMARY"]) == "Digital forensics; module 2, part \\b"
	assert str(second["LOCATION"]) == "Palais, salle 3, Paris"
	assert str(second["DESCRIPTION"]) == events()[0]["description"]


def test_ics_text_is_escaped_folded_and_uses_crlf():
	text = S.ics_feed("Cal", events(), NOW)
	assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
	assert text.endswith("END:VCALENDAR\r\n")
	lines = text.split("\r\n")[:-1]
	assert all(len(line.encode("utf-8")) <= 75 for line in lines)
	assert any(line.startswith(" ") for line in lines)  # the long description is folded
	assert "SUMMARY:Digital forensics\\; module 2\\, part \\\\b" in lines
	assert "LOCATION:Palais\\, salle 3\\, Paris" in lines
	unfolded = text.replace("\r\n ", "")
	assert "DESCRIPTION:Line one\\nLine two\\; with\\, punctuation \\\\ and é long" in unfolded
	assert "Secret" not in text and "secret@" not in text and "ignored" not in text


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_summary_survives_escaping_and_folding(summary):
	icalendar = pytest.importorskip("icalendar")
	event = dict(
		activity="A", session="1", start_utc=NOW, end_utc=NOW + timedelta(hours=1), summary=summary or "x"
	)
	text = S.ics_feed("Cal", [event], NOW)
	assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
	[parsed] = icalendar.Calendar.from_ical(text).walk("VEVENT")
	expected = (summary or "x").replace("\r\n", "\n").replace("\r", "\n")
	expected = "".join(c for c in expected if c in "\t\n" or not (ord(c) < 32 or ord(c) == 127))
	assert str(parsed["SUMMARY"]) == expected
