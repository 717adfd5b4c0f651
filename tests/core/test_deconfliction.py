"""Deconfliction rules (``core.deconfliction``): what overlaps, how strongly, in which order; the
index gives exactly what comparing every source gives; coordination notes and the review gate."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ta_programmes.core import deconfliction as D
from ta_programmes.core.errors import RuleViolation

STATES = ("KE", "GH", "NG", "VN")
CODES = ("15130", "15210", "22040", "15160", "151", "152", "220")
DAY0 = date(2026, 1, 1)


def src(
	key="X1",
	kind=D.EXTERNAL,
	states=("KE",),
	codes=("15210",),
	start=DAY0,
	days=365,
	inst=(),
	owner="Other",
	themes=(),
):
	return D.Source(
		kind=kind,
		key=key,
		title=f"Title {key}",
		owner=owner,
		states=frozenset(states),
		codes=frozenset(codes),
		start=start,
		end=start + timedelta(days=days - 1) if days else None,
		institution_types=frozenset(inst),
		themes=frozenset(themes),
		owner_ids=D.owner_ids(owner),
	)


def prog(**kw):
	kw.setdefault("key", "P1")
	kw.setdefault("kind", D.PROGRAMME)
	kw.setdefault("owner", "Agency A")
	return src(**kw)


@st.composite
def sources(draw, kind=None):
	start = DAY0 + timedelta(days=draw(st.integers(0, 1500)))
	return src(
		key=f"S{draw(st.integers(0, 10**6))}",
		kind=kind or draw(st.sampled_from(D.KINDS)),
		states=draw(st.sets(st.sampled_from(STATES), min_size=1, max_size=3)),
		codes=draw(st.sets(st.sampled_from(CODES), min_size=1, max_size=3)),
		start=start,
		days=draw(st.one_of(st.integers(1, 900), st.none()))
		if kind != D.PROGRAMME
		else draw(st.integers(1, 900)),
		inst=draw(st.sets(st.sampled_from(("Police", "Judiciary", "CERT")), max_size=2)),
		owner=draw(st.sampled_from(("Agency A", "Agency B", "Publisher C"))),
	)


# --- the rule, by example ---------------------------------------------------------------------------
def test_same_state_code_and_period_is_a_strong_candidate_with_its_reasons():
	[c] = D.scan(prog(), [src(inst=("Police",))])
	assert c.strong and c.states == ("KE",) and c.codes == (("15210", "15210"),) and c.overlap_days == 365
	texts = [t.format(*a) for t, a in c.reasons]
	assert "Same beneficiary state(s): KE." in texts
	assert "Same DAC purpose code(s): 15210." in texts
	assert "Periods overlap for 365 days (2026-01-01 to 2026-12-31)." in texts


def test_a_category_covers_its_purpose_codes_but_is_weak():
	[c] = D.scan(prog(codes=("15210",)), [src(codes=("152",))])
	assert not c.strong and c.codes == (("15210", "152"),)
	assert any("covers" in t for t, _a in c.reasons)
	assert D.scan(prog(codes=("15210",)), [src(codes=("151",))]) == []
	assert D.scan(prog(codes=("15210",)), [src(codes=("15220",))]) == [], (
		"two purpose codes of one category differ"
	)


def test_short_overlap_is_a_weak_candidate():
	[c] = D.scan(prog(), [src(start=DAY0 + timedelta(days=365 - D.STRONG_MIN_OVERLAP_DAYS + 1))])
	assert c.overlap_days == D.STRONG_MIN_OVERLAP_DAYS - 1 and not c.strong
	[c] = D.scan(prog(), [src(start=DAY0 + timedelta(days=365 - D.STRONG_MIN_OVERLAP_DAYS))])
	assert c.strong


def test_no_candidate_without_a_common_state_code_or_day():
	assert D.scan(prog(), [src(states=("GH",))]) == []
	assert D.scan(prog(), [src(codes=("22040",))]) == []
	assert D.scan(prog(), [src(start=DAY0 + timedelta(days=365))]) == []


def test_an_open_ended_activity_overlaps_everything_after_its_start():
	[c] = D.scan(prog(start=date(2030, 1, 1)), [src(days=None)])
	assert c.strong and c.overlap_end == date(2030, 12, 31)


def test_own_agency_and_the_programme_itself_are_left_out():
	p = prog(owner="Agency A")
	assert D.scan(p, [src(kind=D.PROGRAMME, key="P2", owner="agency a ")]) == []
	assert D.scan(p, [prog()]) == []
	assert len(D.scan(p, [src(kind=D.PROGRAMME, key="P2", owner="Agency B")])) == 1


def test_institution_overlap_raises_the_score():
	p = prog(inst=("Police", "CERT"))
	[without] = D.scan(p, [src(inst=("Judiciary",))])
	[with_] = D.scan(p, [src(inst=("Police",))])
	assert with_.score > without.score and with_.institution_types == ("Police",)


def test_strong_candidates_rank_first_then_by_score():
	p = prog(states=("KE", "GH"), codes=("15210", "22040"))
	weak_but_wide = src("W", states=("KE", "GH"), codes=("152", "220"))
	strong_narrow = src("S", states=("KE",), codes=("15210",), days=40)
	strong_wide = src("T", states=("KE", "GH"), codes=("15210", "22040"))
	ranked = D.scan(p, [weak_but_wide, strong_narrow, strong_wide])
	assert [c.source.key for c in ranked] == ["T", "S", "W"]


# --- properties -------------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(sources(kind=D.PROGRAMME), st.lists(sources(), max_size=40))
def test_the_index_finds_exactly_what_comparing_every_source_finds(programme, pool):
	index = D.Index(pool)
	assert D.find_overlaps(programme, index) == D.scan(programme, pool)
	assert D.find_overlaps(programme, index, strong_only=True) == [
		c for c in D.scan(programme, pool) if c.strong
	]


@settings(max_examples=150, deadline=None)
@given(sources(kind=D.PROGRAMME), st.lists(sources(), max_size=30))
def test_ranking_is_monotone(programme, pool):
	ranked = D.find_overlaps(programme, D.Index(pool))
	keys = [D.rank_key(c) for c in ranked]
	assert keys == sorted(keys)
	strong = [c.strong for c in ranked]
	assert strong == sorted(strong, reverse=True), "strong candidates first"
	for c in ranked:
		assert 0 < c.score <= 100


@given(sources(kind=D.PROGRAMME), sources(kind=D.PROGRAMME))
def test_overlap_is_symmetric(a, b):
	ab, ba = D.compare(a, b), D.compare(b, a)
	assert (ab is None) == (ba is None)
	if ab:
		assert (ab.overlap_days, ab.strong, ab.states, ab.overlap_start, ab.overlap_end) == (
			ba.overlap_days,
			ba.strong,
			ba.states,
			ba.overlap_start,
			ba.overlap_end,
		)
		assert sorted(ab.codes) == sorted((y, x) for x, y in ba.codes)


@given(sources(kind=D.PROGRAMME), sources(kind=D.EXTERNAL))
def test_disjoint_periods_never_overlap(programme, other):
	if other.start > programme.until or (other.end and other.end < programme.start):
		assert D.compare(programme, other) is None


@given(sources(kind=D.PROGRAMME), sources(kind=D.EXTERNAL), st.sampled_from(("Police", "Judiciary", "CERT")))
def test_sharing_one_more_institution_type_never_lowers_the_score(programme, other, extra):
	before = D.compare(programme, other)
	after = D.compare(
		programme, D.Source(**{**other.__dict__, "institution_types": other.institution_types | {extra}})
	)
	if before:
		assert after.score >= before.score and after.strong == before.strong


@given(st.text(max_size=8), st.sampled_from(("1", "2", "99", None)))
def test_only_dac_codes_are_compared(code, vocabulary):
	got = D.norm_code(code, vocabulary)
	if got is not None:
		assert got.isdigit() and len(got) == (3 if vocabulary == "2" else 5)


def test_states_normalise_to_iso_codes():
	assert D.norm_state("ke") == "KE"
	assert D.norm_state("Kenya", {"Kenya": "ke"}) == "KE"
	assert D.norm_state("Atlantis", {}) is None
	assert D.norm_state("") is None


# --- notes ------------------------------------------------------------------------------------------
def note(key="X1", relation="Complementary", text="We train the judges, they train the police."):
	return D.Note(D.EXTERNAL, key, relation, text)


def test_a_note_needs_a_known_relation_and_a_reason():
	D.check_note(note())
	with pytest.raises(RuleViolation, match="relation"):
		D.check_note(note(relation="Friends"))
	with pytest.raises(RuleViolation, match="say why"):
		D.check_note(note(text="   ok   "))
	with pytest.raises(RuleViolation, match="has a note already"):
		D.check_notes([note(), note(relation="No overlap")])


def test_review_is_refused_while_a_strong_candidate_has_no_note():
	strong = D.scan(prog(), [src("X1"), src("X2", codes=("152",))])
	assert [c.source.key for c in D.missing_notes(strong, [])] == ["X1"], "weak candidates need no note"
	with pytest.raises(D.NotesMissing, match="Title X1"):
		D.check_notes_cover(strong, [])
	with pytest.raises(D.NotesMissing):
		D.check_notes_cover(strong, [note(text="short")])  # an invalid note does not count
	D.check_notes_cover(strong, [note()])


@given(st.lists(sources(), max_size=20), st.data())
def test_missing_notes_are_the_strong_candidates_not_noted(pool, data):
	candidates = D.scan(prog(), pool)
	noted = data.draw(st.sets(st.sampled_from([c.source.key for c in candidates]))) if candidates else set()
	notes = [
		D.Note(c.source.kind, c.source.key, "No overlap", "Different institutions and provinces entirely.")
		for c in candidates
		if c.source.key in noted
	]
	missing = D.missing_notes(candidates, notes)
	assert {c.ref for c in missing} == {c.ref for c in candidates if c.strong and c.source.key not in noted}


def test_the_note_doctype_offers_exactly_the_core_relations_and_kinds():
	import json
	from pathlib import Path

	path = (
		Path(D.__file__).resolve().parents[1]
		/ "technical_assistance/doctype/ta_coordination_note/ta_coordination_note.json"
	)
	fields = {f["fieldname"]: f for f in json.loads(path.read_text())["fields"]}
	assert tuple(fields["relation"]["options"].split("\n")) == D.RELATIONS
	assert tuple(fields["candidate_type"]["options"].split("\n")) == D.KINDS
