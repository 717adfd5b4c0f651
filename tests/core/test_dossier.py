"""The approval dossier's pure rules: which parts each role gets (generated from the declared table
``core.access.VISIBILITY``), the order of the timeline, and the summaries."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ta_programmes.core import access as A
from ta_programmes.core import dossier as D

TODAY = date(2026, 6, 1)


# --- parts per role ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", A.ROLES)
def test_a_role_gets_exactly_the_parts_whose_every_source_it_may_read(role):
	readable = {doctype for doctype, rule in A.VISIBILITY.items() if rule[role] != "none"}
	parts = D.parts_for_role(role)
	if "TA Programme" not in readable:
		assert parts == ()
		return
	for part in D.PARTS:
		assert (part in parts) == (set(D.PART_SOURCES[part]) <= readable), (role, part)


def test_every_source_is_a_declared_doctype_and_every_part_is_labelled():
	for part, sources in D.PART_SOURCES.items():
		assert part in D.PARTS and part in D.PART_LABELS
		assert all(s in A.VISIBILITY for s in sources), part
	assert set(D.EVENT_SOURCES) == set(D.EVENT_LABELS)
	assert all(s in A.VISIBILITY for s in D.EVENT_SOURCES.values())


def test_donors_get_the_scope_and_no_oversight_content():
	parts = D.parts_for_role(A.DONOR)
	assert parts == ("scope", "timeline")


@pytest.mark.parametrize("role", A.STAFF)
def test_staff_and_reviewers_get_every_part(role):
	assert D.parts_for_role(role) == D.PARTS


def test_guest_gets_nothing():
	assert D.parts_for_role("Guest") == ()


def test_a_part_needs_every_one_of_its_sources():
	everything_but = lambda missing: lambda doctype: doctype != missing  # noqa: E731
	assert "decision" not in D.parts_for(everything_but("TA Objection Override"))
	assert "overrides" not in D.parts_for(everything_but("TA Objection Override"))
	assert "review" in D.parts_for(everything_but("TA Objection Override"))
	assert "review" not in D.parts_for(everything_but("TA Mitigation Measure"))
	assert "signoffs" not in D.parts_for(everything_but("TA Sign-off Condition"))
	assert D.parts_for(everything_but("TA Programme")) == ()


# --- timeline ------------------------------------------------------------------------------------


def test_the_timeline_is_in_order_with_dates_counting_from_midnight():
	day = datetime(2026, 3, 2, 9, 30)
	events = [
		D.Event(D.moment(date(2026, 3, 2)), "override", "OVR-1", "manager", "Org"),
		D.Event(day + timedelta(hours=2), "approval", "TAP-1", "manager"),
		D.Event(day, "signoff", "SO-2", "civil", "Object"),
		D.Event(day - timedelta(days=1), "review", "HRR-1", "officer", "High"),
		D.Event(day, "signoff", "SO-1", "ohchr", "Endorse"),
	]
	assert [e.ref for e in D.timeline(events)] == ["HRR-1", "OVR-1", "SO-1", "SO-2", "TAP-1"]


def test_at_the_same_moment_the_review_comes_before_sign_offs_overrides_and_approval():
	t = datetime(2026, 3, 2)
	events = [D.Event(t, kind, kind) for kind in reversed(list(D.EVENT_LABELS))]
	assert [e.kind for e in D.timeline(events)] == list(D.EVENT_LABELS)


def test_the_timeline_keeps_only_events_the_reader_may_read_and_those_with_a_moment():
	t = datetime(2026, 3, 2)
	events = [
		D.Event(t, "review", "HRR-1"),
		D.Event(t, "signoff", "SO-1"),
		D.Event(t, "approval", "TAP-1"),
		D.Event(None, "override", "OVR-1"),
	]
	donor = lambda doctype: A.VISIBILITY[doctype][A.DONOR] != "none"  # noqa: E731
	assert [e.ref for e in D.timeline(events, donor)] == ["TAP-1"]
	assert [e.ref for e in D.timeline(events)] == ["HRR-1", "SO-1", "TAP-1"]


@given(
	st.lists(
		st.tuples(
			st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
			st.sampled_from(list(D.EVENT_LABELS)),
			st.text(min_size=1, max_size=5),
		),
		max_size=30,
	)
)
def test_the_timeline_is_sorted_and_loses_nothing(rows):
	events = [D.Event(when, kind, ref) for when, kind, ref in rows]
	out = D.timeline(events)
	assert sorted(map(repr, out)) == sorted(map(repr, events))
	assert all(a.when <= b.when for a, b in zip(out, out[1:], strict=False))


def test_programme_events():
	assert D.programme_events("TAP-1", None, None, None, None) == []
	events = D.programme_events("TAP-1", datetime(2026, 1, 5, 10), "manager", date(2026, 2, 1), "Coup")
	assert [(e.kind, e.actor, e.detail) for e in events] == [
		("approval", "manager", None),
		("suspension", None, "Coup"),
	]
	assert events[1].when == datetime(2026, 2, 1)


# --- summaries -----------------------------------------------------------------------------------


def test_the_review_summary_counts_risks_and_the_mitigation_plan():
	risks = [
		{"category": "Privacy & data protection", "likelihood": "High", "impact": "Low"},
		{"category": "Privacy & data protection", "likelihood": "Low", "impact": "Medium"},
		{"category": "Fair trial", "likelihood": "Low", "impact": "High"},
	]
	mitigations = [
		{"status": "Planned", "due_date": TODAY - timedelta(days=1)},  # overdue
		{"status": "Planned", "due_date": TODAY},  # due today: not yet overdue
		{"status": "Planned", "due_date": None},
		{"status": "In place", "due_date": TODAY - timedelta(days=30)},  # done: never overdue
		{"status": "Verified", "due_date": None},
	]
	s = D.summarise_review("High", risks, mitigations, TODAY)
	assert (s.risk_level, s.risks, s.high_risks, s.overdue) == ("High", 3, 2, 1)
	assert s.categories == (("Privacy & data protection", 2), ("Fair trial", 1))
	assert s.mitigations == (("Planned", 3), ("In place", 1), ("Verified", 1))


def test_an_empty_review_summary():
	s = D.summarise_review(None, [], [], TODAY)
	assert (s.risks, s.high_risks, s.overdue, s.mitigations, s.categories) == (0, 0, 0, (), ())


def test_sign_off_states():
	gate = {"SO-1": "objection", "SO-2": "stale"}
	assert D.signoff_state("SO-1", 1, gate) == "objection"
	assert D.signoff_state("SO-2", 1, gate) == "stale"
	assert D.signoff_state("SO-3", 1, gate) == "valid"  # the gate names only those not in force
	assert D.signoff_state("SO-1", 2, gate) == "cancelled"
	assert D.signoff_state("SO-1", 1, None) == "submitted"
	assert set(D.SIGNOFF_STATE_LABELS) >= {
		"valid",
		"expired",
		"stale",
		"superseded",
		"objection",
		"cancelled",
	}


def test_sign_offs_oldest_first_and_states_counted_in_order():
	rows = [
		{"name": "SO-3", "signed_on": datetime(2026, 3, 1, 12)},
		{"name": "SO-1", "signed_on": date(2026, 3, 1)},
		{"name": "SO-2", "signed_on": None},
	]
	assert [r["name"] for r in D.order_signoffs(rows)] == ["SO-2", "SO-1", "SO-3"]
	assert D.count_states(["stale", "valid", "valid", "cancelled"]) == (
		("valid", 2),
		("stale", 1),
		("cancelled", 1),
	)
