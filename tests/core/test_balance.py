"""Regional balance and open oversight: counts, shares and the dominance warning; meetings;
accreditation applications and decisions."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ta_programmes.core import balance as B
from ta_programmes.core.constants import MEETING_SECTORS, OVERSIGHT_SECTORS, REGIONAL_GROUPS
from ta_programmes.core.errors import DuplicateRow, InvalidValue, MissingValue, RuleViolation

TODAY = date(2026, 11, 30)

signoffs = st.builds(
	B.SignOff,
	year=st.integers(2024, 2027),
	kind=st.sampled_from(["OHCHR", "Civil Society"]),
	regional_group=st.one_of(st.none(), st.sampled_from(REGIONAL_GROUPS), st.just("Atlantis")),
	sector=st.one_of(st.none(), st.sampled_from(OVERSIGHT_SECTORS)),
)
group_counts = st.dictionaries(
	st.sampled_from((*REGIONAL_GROUPS, B.OHCHR, B.NO_GROUP)), st.integers(0, 40), max_size=7
)
thresholds = st.floats(0, 100, allow_nan=False)


# --- shares and the warning ------------------------------------------------------------------------
@given(group_counts)
def test_shares_sum_to_100_over_the_five_groups_only(by_group):
	s = B.shares(by_group)
	counted = sum(n for g, n in by_group.items() if g in REGIONAL_GROUPS)
	if counted:
		assert sum(s.values()) == pytest.approx(100.0)
		assert set(s) <= set(REGIONAL_GROUPS)
		assert all(0 < v <= 100 for v in s.values())
	else:
		assert s == {}


@given(group_counts, thresholds, st.integers(1, 10))
def test_warning_iff_the_largest_share_exceeds_the_threshold_with_enough_sign_offs(
	by_group, threshold, minimum
):
	dominant, share = B.dominance(by_group, threshold, minimum)
	s = B.shares(by_group)
	counted = sum(n for g, n in by_group.items() if g in REGIONAL_GROUPS)
	expected = bool(s) and counted >= minimum and max(s.values()) > threshold
	assert (dominant is not None) == expected
	if dominant:
		assert share == s[dominant] == max(s.values())


@given(st.lists(signoffs, max_size=40), thresholds, st.randoms())
def test_yearly_balance_does_not_depend_on_the_order_of_sign_offs(items, threshold, rnd):
	shuffled = list(items)
	rnd.shuffle(shuffled)
	a = B.yearly(items, threshold=threshold)
	b = B.yearly(shuffled, threshold=threshold)
	assert [(y.year, y.counted, y.by_group, y.dominant, y.warning) for y in a] == [
		(y.year, y.counted, y.by_group, y.dominant, y.warning) for y in b
	]
	assert B.counts(items, []) == B.counts(shuffled, [])


@given(st.lists(signoffs, max_size=40))
def test_every_sign_off_is_counted_once_and_ohchr_is_outside_the_groups(items):
	rows = B.counts(items, [])
	assert sum(r.signoffs for r in rows) == len(items)
	ohchr = [r for r in rows if r.regional_group == B.OHCHR]
	assert sum(r.signoffs for r in ohchr) == sum(1 for s in items if s.kind == "OHCHR")
	assert all(r.sector == B.OHCHR for r in ohchr)
	for y in B.yearly(items):
		assert y.counted == sum(
			1 for s in items if s.year == y.year and s.kind != "OHCHR" and s.regional_group in REGIONAL_GROUPS
		)


def test_a_year_with_few_sign_offs_gets_no_warning_however_lopsided():
	four = [B.SignOff(2026, "Civil Society", "African", "Civil Society")] * 4
	assert B.yearly(four, threshold=50)[0].warning is None
	five = four + [B.SignOff(2026, "Civil Society", "African", "Academia")]
	(y,) = B.yearly(five, threshold=50)
	assert y.dominant == "African" and y.warning
	assert "100%" in y.warning[0].format(*y.warning[1]) or y.warning[1][2] == "100"


def test_ohchr_sign_offs_do_not_dilute_a_dominant_group():
	items = [B.SignOff(2026, "Civil Society", "Asia-Pacific")] * 3 + [
		B.SignOff(2026, "Civil Society", "African")
	] * 2
	items += [B.SignOff(2026, "OHCHR", None)] * 10
	(y,) = B.yearly(items, threshold=50)
	assert y.shares == {"Asia-Pacific": 60.0, "African": 40.0}
	assert y.dominant == "Asia-Pacific"
	assert y.by_group[B.OHCHR] == 10


def test_exactly_at_the_threshold_is_not_a_warning():
	items = [B.SignOff(2026, "Civil Society", "African")] * 5 + [
		B.SignOff(2026, "Civil Society", "Eastern European")
	] * 5
	assert B.yearly(items, threshold=50)[0].dominant is None
	assert B.yearly(items, threshold=49.9)[0].dominant == "African"  # ties: the groups' order


def test_threshold_default_and_range():
	assert B.check_threshold(None) == 50
	assert B.check_threshold(70) == 70
	with pytest.raises(InvalidValue):
		B.check_threshold(120)


def test_meetings_hosted_are_counted_by_place():
	meetings = [
		B.Meeting(2026, "In person", "Kenya", "African"),
		B.Meeting(2026, "Online", None, None),
		B.Meeting(2026, "Online", None, None),
		B.Meeting(2025, "In person", "Chile", "Latin American & Caribbean"),
	]
	years = {y.year: y.hosted for y in B.yearly([], meetings)}
	assert years == {2025: {"Latin American & Caribbean": 1}, 2026: {"African": 1, "Online": 2}}


def test_participations_count_by_year_group_and_sector():
	rows = B.counts(
		[],
		[
			B.Participation(2026, "OHCHR", None),
			B.Participation(2026, "Academia", "African"),
			B.Participation(2026, "Academia", "African"),
		],
	)
	assert [(r.regional_group, r.sector, r.participations) for r in rows] == [
		("African", "Academia", 2),
		("OHCHR", "OHCHR", 1),
	]


# --- meetings ---------------------------------------------------------------------------------------
PEOPLE = [B.Participant("A. Person", "OHCHR", None), B.Participant("B. Person", "Civil Society", "African")]


def meeting(**kw):
	args = dict(
		meeting_date=date(2026, 6, 1),
		mode="In person",
		city="Nairobi",
		country="Kenya",
		place_group="African",
		participants=PEOPLE,
		today=TODAY,
	)
	args.update(kw)
	return B.check_meeting(**args)


def test_a_valid_meeting_passes_in_person_and_online():
	meeting()
	meeting(mode="Online", city=None, country=None, place_group=None)


@pytest.mark.parametrize(
	"kw, error",
	[
		({"meeting_date": None}, MissingValue),
		({"meeting_date": date(1999, 12, 31)}, InvalidValue),
		({"meeting_date": TODAY + timedelta(days=400)}, InvalidValue),
		({"mode": "Carrier pigeon"}, InvalidValue),
		({"city": ""}, MissingValue),
		({"country": None}, MissingValue),
		({"place_group": None}, MissingValue),
		({"place_group": "Atlantis"}, MissingValue),
		({"mode": "Online"}, InvalidValue),  # online with a city and country
		({"mode": "Online", "city": None, "country": None}, InvalidValue),  # still a place group
		({"participants": []}, MissingValue),
		({"participants": [B.Participant("", "OHCHR", None)]}, MissingValue),
		({"participants": [B.Participant("X", "Government", "African")]}, InvalidValue),
		({"participants": [B.Participant("X", "OHCHR", "African")]}, InvalidValue),
		({"participants": [B.Participant("X", "Academia", None)]}, MissingValue),
		({"participants": [B.Participant("X", "Academia", "Atlantis")]}, MissingValue),
		({"participants": [B.Participant("X", "Academia", "African")] * 2}, DuplicateRow),
		({"participants": [B.Participant("X" * 141, "Academia", "African")]}, InvalidValue),
		({"decisions": "d" * (B.MAX_TEXT + 1)}, InvalidValue),
	],
)
def test_meeting_rules(kw, error):
	with pytest.raises(error):
		meeting(**kw)


@given(
	sector=st.one_of(st.sampled_from(MEETING_SECTORS), st.text(max_size=12)),
	group=st.one_of(st.none(), st.sampled_from(REGIONAL_GROUPS), st.text(max_size=12)),
)
def test_a_participant_passes_iff_sector_and_group_are_in_the_lists(sector, group):
	ok = sector in MEETING_SECTORS and (
		(sector == "OHCHR" and not group) or (sector != "OHCHR" and group in REGIONAL_GROUPS)
	)
	try:
		B.check_participants([B.Participant("Someone", sector, group)])
		assert ok
	except RuleViolation:
		assert not ok


def test_publishing_needs_decisions_and_a_past_meeting():
	B.check_publish(date(2026, 6, 1), "We agreed to publish the review.", TODAY)
	with pytest.raises(MissingValue):
		B.check_publish(date(2026, 6, 1), "  ok  ", TODAY)
	with pytest.raises(InvalidValue):
		B.check_publish(TODAY + timedelta(days=1), "We agreed to publish the review.", TODAY)


def test_public_counts_name_nobody():
	sectors, groups = B.public_counts(
		[*PEOPLE, B.Participant("C. Person", "Academia", "African", "University X")]
	)
	assert sectors == {"OHCHR": 1, "Civil Society": 1, "Academia": 1}
	assert groups == {"African": 2, "OHCHR": 1}
	assert "Person" not in repr((sectors, groups)) and "University" not in repr((sectors, groups))


# --- accreditation ----------------------------------------------------------------------------------
def application(**kw):
	args = dict(
		organisation_name="Digital Rights Forum",
		sector="Civil Society",
		regional_group="African",
		country="Kenya",
		website="https://drf.example.org",
		contact_name="Amina",
		contact_email="amina@drf.example.org",
		mandate="We monitor digital rights and surveillance in East Africa.",
		independence="We take no government funding and no funds from the programmes.",
	)
	args.update(kw)
	return B.check_application(**args)


def test_a_complete_application_passes():
	application()
	application(website=None, sector="Academia")


@pytest.mark.parametrize(
	"kw, error",
	[
		({"organisation_name": " "}, MissingValue),
		({"contact_email": None}, MissingValue),
		({"contact_email": "not-an-address"}, InvalidValue),
		({"contact_email": "a@b"}, InvalidValue),
		({"website": "javascript:alert(1)"}, InvalidValue),
		({"website": "drf.example.org"}, InvalidValue),
		({"website": "https://x.org/" + "a" * 300}, InvalidValue),
		({"sector": "Government"}, InvalidValue),
		({"sector": "Private Sector"}, InvalidValue),
		({"regional_group": None}, MissingValue),
		({"country": None}, MissingValue),
		({"mandate": "short"}, MissingValue),
		({"independence": ""}, MissingValue),
		({"mandate": "m" * (B.MAX_TEXT + 1)}, InvalidValue),
		({"organisation_name": "o" * 141}, InvalidValue),
	],
)
def test_application_rules(kw, error):
	with pytest.raises(error):
		application(**kw)


def decide(**kw):
	args = dict(
		status="Pending",
		decision="Accredited",
		decision_reason="Independent, active for ten years in the region.",
		decider="manager@example.org",
		decider_roles=("TA Programme Manager",),
		contact_email="amina@drf.example.org",
		decider_organisations=(),
		organisation_name="Digital Rights Forum",
		existing_sector=None,
	)
	args.update(kw)
	return B.check_decision(**args)


def test_a_manager_decides_a_pending_application_with_a_reason():
	decide()
	decide(decision="Refused")
	decide(existing_sector="Academia")


@pytest.mark.parametrize(
	"kw, error",
	[
		({"decider_roles": ("TA Programme Officer", "TA Administrator")}, B.DecisionRefused),
		({"status": "Accredited"}, B.DecisionRefused),
		({"status": "Refused", "decision": "Accredited"}, B.DecisionRefused),
		({"decision": "Maybe"}, InvalidValue),
		({"decision_reason": "ok"}, MissingValue),
		({"decision_reason": "   " + "x" * 5 + "   "}, MissingValue),
		({"decider": "Amina@DRF.example.org "}, B.DecisionRefused),
		({"decider_organisations": ("Digital Rights Forum",)}, B.DecisionRefused),
		({"existing_sector": "Government"}, B.DecisionRefused),
	],
)
def test_decision_rules(kw, error):
	with pytest.raises(error):
		decide(**kw)


def test_refusing_an_application_of_a_government_body_is_allowed():
	decide(decision="Refused", existing_sector="Government")


@given(st.sampled_from(("Accredited", "Refused", None, "", "Pending ")))
def test_a_decided_application_is_never_decided_again(status):
	with pytest.raises(B.DecisionRefused):
		decide(status=status)


def test_a_decider_who_reviews_for_the_organisation_is_refused_whatever_the_case_or_accents():
	from ta_programmes.core import balance as B

	for spelling in ("universidad de los andes", "UNIVERSIDAD DE LOS ÁNDES", "Universidad  de los Andes "):
		with pytest.raises(B.DecisionRefused):
			B.check_decision(
				status=B.PENDING,
				decision=B.ACCREDITED,
				decision_reason="A reason long enough to be kept.",
				decider="m@x",
				decider_roles=(B.DECIDER_ROLE,),
				contact_email=None,
				decider_organisations=("Universidad de los Andes",),
				organisation_name=spelling,
			)
