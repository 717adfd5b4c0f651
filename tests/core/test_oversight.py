"""The oversight gate: approval implies every requirement; removing any one requirement from an
approvable case is refused naming exactly that requirement; expiry and staleness at the edges."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ta_programmes.core import oversight as O
from ta_programmes.core.lifecycle import (
	GateRefused,
	InvalidTransition,
	check_activity_may_proceed,
	check_activity_transition,
	check_programme_transition,
	refusal,
)

TODAY = date(2026, 6, 1)
START = date(2026, 9, 1)
SCOPE = O.scope_of(["Kenya", "Ghana"], ["Digital Forensics"], ["Police"], 250_000, START, date(2027, 8, 31), "UNODC")


def signoff(name, kind, signer, org=None, group=None, decision=O.ENDORSE, signed=TODAY - timedelta(days=5), months=12, scope=SCOPE, conditions=()):
	return O.SignOff(name, kind, org, group, signer, decision, signed, O.add_months(signed, months), scope, tuple(conditions))


def approvable(risk="High") -> O.GateInput:
	return O.GateInput(
		programme=O.Programme("TAP-1", "officer@x", "Under Review", START, SCOPE),
		approver="manager@x",
		approver_roles=(O.APPROVER_ROLE,),
		review=O.Review("HRR-1", risk, TODAY - timedelta(days=10), (O.Item("Vetting of units", START - timedelta(days=5), "In place"),)),
		signoffs=(
			signoff("SO-1", O.OHCHR, "ohchr@x"),
			signoff("SO-2", O.CIVIL_SOCIETY, "cs1@x", "Org A", "African",
					decision=O.ENDORSE_WITH_CONDITIONS, conditions=[O.Item("Publish curriculum", START, "Verified")]),
			signoff("SO-3", O.CIVIL_SOCIETY, "cs2@x", "Org B", "Asia-Pacific"),
			signoff("SO-4", O.CIVIL_SOCIETY, "cs3@x", "Org C", "African"),
		),
		overrides=(),
		policy=O.Policy(),
		today=TODAY,
	)


def test_the_approvable_case_is_approvable_at_every_risk_level():
	for risk in ("Low", "Medium", "High", "Critical"):
		decision = O.evaluate(approvable(risk))
		assert decision.approvable, (risk, decision.failed)
		assert [c.code for c in decision.checks] == list(O.REQUIREMENTS)
		assert set(decision.signoff_states.values()) == {"valid"}


def _without(requirement: str) -> O.GateInput:
	inp = approvable()
	p = inp.programme
	if requirement == "review":
		return replace(inp, review=None)
	if requirement == "ohchr":
		return replace(inp, signoffs=inp.signoffs[1:])
	if requirement == "quorum":
		return replace(inp, signoffs=inp.signoffs[:2])
	if requirement == "objection":
		return replace(inp, signoffs=inp.signoffs + (signoff("SO-5", O.CIVIL_SOCIETY, "cs4@x", "Org D", "Eastern European", decision=O.OBJECT),))
	if requirement == "segregation":
		return replace(inp, approver="officer@x")
	if requirement == "validity":
		return replace(inp, programme=replace(p, scope={**p.scope, "states": ["Ghana", "Kenya", "Peru"]}))
	if requirement == "mitigation":
		return replace(inp, review=replace(inp.review, mitigations=(O.Item("Vetting of units", START, "Planned"),)))
	if requirement == "suspension":
		return replace(inp, programme=replace(p, suspended_states=("Kenya",)))
	raise AssertionError(requirement)


# A founded concern voids the review and the endorsements before it, so it never fails alone:
# tests/core/test_concerns.py covers it.
@pytest.mark.parametrize("requirement", [r for r in O.REQUIREMENTS if r != "concerns"])
def test_removing_one_requirement_is_refused_naming_exactly_it(requirement):
	decision = O.evaluate(_without(requirement))
	assert decision.failed == (requirement,)
	error = refusal(decision, "Programme TAP-1")
	assert O.REQUIREMENT_LABELS[requirement] in str(error)
	assert isinstance(error, GateRefused)


def test_refusal_lists_every_failed_requirement():
	inp = replace(_without("review"), signoffs=(), approver="officer@x")
	decision = O.evaluate(inp)
	assert set(decision.failed) == {"review", "ohchr", "segregation"}
	text = str(refusal(decision, "Programme TAP-1"))
	for code in decision.failed:
		assert O.REQUIREMENT_LABELS[code] in text


# --- validity at its boundaries -----------------------------------------------------------------
def test_sign_off_valid_through_its_last_day_and_expired_the_day_after():
	so = signoff("SO-1", O.OHCHR, "ohchr@x", signed=date(2025, 6, 1))  # valid until 2026-06-01
	inp = replace(approvable(), signoffs=(so,) + approvable().signoffs[1:])
	assert O.evaluate(inp).approvable
	late = O.evaluate(replace(inp, today=TODAY + timedelta(days=1)))
	assert late.failed == ("validity",)
	assert late.signoff_states["SO-1"] == "expired"
	assert "expired on 2026-06-01" in late.check("validity").messages()[0]


def test_stale_sign_off_names_the_changed_fields():
	inp = approvable()
	changed = {**SCOPE, "budget_band": O.budget_band(2_000_000), "lead_agency": "UNDP"}
	decision = O.evaluate(replace(inp, programme=replace(inp.programme, scope=changed)))
	assert decision.failed == ("validity",)
	assert decision.signoff_states["SO-1"] == "stale"
	assert "scope changed since sign-off: budget band, lead agency" in decision.check("validity").messages()[0]


def test_a_day_shift_inside_the_month_is_not_material_but_a_month_is():
	a = O.scope_of(["Kenya"], ["X"], [], 10, date(2026, 9, 1), date(2027, 8, 31), "U")
	assert O.fingerprint(a) == O.fingerprint(O.scope_of(["Kenya"], ["X"], [], 10, date(2026, 9, 15), date(2027, 8, 2), "U"))
	moved = O.scope_of(["Kenya"], ["X"], [], 10, date(2026, 10, 1), date(2027, 8, 31), "U")
	assert O.changed_fields(a, moved) == ("date_range",)


def test_budget_bands_edges():
	assert O.budget_band(99_999.99) == "under 100k"
	assert O.budget_band(100_000) == "100k-500k"
	assert O.budget_band(5_000_000) == "5M and over"
	assert O.budget_band(None) == "under 100k"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 60))
def test_add_months_stays_in_month_and_clamps(day, months):
	result = O.add_months(day, months)
	assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
	assert result.day <= day.day


# --- positions and objections --------------------------------------------------------------------
def test_latest_position_supersedes_an_earlier_objection():
	inp = approvable()
	earlier = signoff("SO-0", O.CIVIL_SOCIETY, "cs1@x", "Org A", "African", decision=O.OBJECT, signed=TODAY - timedelta(days=30))
	decision = O.evaluate(replace(inp, signoffs=(earlier,) + inp.signoffs))
	assert decision.approvable
	assert decision.signoff_states["SO-0"] == "superseded"


def test_ohchr_objection_blocks_even_with_an_older_endorsement_and_no_override_helps():
	inp = approvable()
	objection = signoff("SO-9", O.OHCHR, "ohchr2@x", decision=O.OBJECT, signed=TODAY)
	override = O.Override("OV-1", "SO-9", "manager@x", (O.APPROVER_ROLE,), "x" * 40)
	decision = O.evaluate(replace(inp, signoffs=inp.signoffs + (objection,), overrides=(override,)))
	assert decision.failed == ("ohchr",)


def test_civil_society_objection_needs_a_managers_written_override():
	inp = _without("objection")
	short = O.Override("OV-1", "SO-5", "manager@x", (O.APPROVER_ROLE,), "ok")
	not_manager = O.Override("OV-2", "SO-5", "officer@x", ("TA Programme Officer",), "x" * 40)
	assert O.evaluate(replace(inp, overrides=(short, not_manager))).failed == ("objection",)
	good = O.Override("OV-3", "SO-5", "manager@x", (O.APPROVER_ROLE,), "Mitigated by independent monitoring of the unit.")
	assert O.evaluate(replace(inp, overrides=(good,))).approvable


def test_expired_objection_no_longer_stands():
	inp = _without("objection")
	decision = O.evaluate(replace(inp, today=TODAY + timedelta(days=400)))
	assert "objection" not in decision.failed


def test_sign_offs_before_a_suspension_do_not_count_after_it():
	inp = approvable()
	lifted = replace(inp, programme=replace(inp.programme, not_before=TODAY))
	decision = O.evaluate(lifted)
	assert {"review", "ohchr"} <= set(decision.failed)
	assert set(decision.signoff_states.values()) == {"superseded"}


def test_regional_spread_required_at_high_only_when_policy_says():
	inp = approvable()
	same_region = (inp.signoffs[0], inp.signoffs[1], inp.signoffs[3])  # Org A and Org C, both African
	decision = O.evaluate(replace(inp, signoffs=same_region))
	assert decision.failed == ("quorum",)
	assert "two UN regional groups" in " ".join(decision.check("quorum").messages())
	relaxed = replace(inp, signoffs=same_region, policy=replace(inp.policy, regional_spread_at_high=False))
	assert O.evaluate(relaxed).approvable


def test_conditions_due_after_the_start_do_not_block():
	inp = approvable()
	later = signoff("SO-3", O.CIVIL_SOCIETY, "cs2@x", "Org B", "Asia-Pacific", decision=O.ENDORSE_WITH_CONDITIONS,
					conditions=[O.Item("Follow-up audit", START + timedelta(days=90), "Planned")])
	assert O.evaluate(replace(inp, signoffs=(inp.signoffs[0], inp.signoffs[1], later))).approvable
	due = replace(later, conditions=(O.Item("Audit", START, "Planned"),))
	assert O.evaluate(replace(inp, signoffs=(inp.signoffs[0], inp.signoffs[1], due))).failed == ("mitigation",)


# --- property: approval implies every requirement ------------------------------------------------
ITEM = st.builds(O.Item, st.just("m"), st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 12, 31))), st.sampled_from(["Planned", "In place", "Verified", None]))
SIGNOFF = st.builds(
	signoff,
	st.sampled_from(["SO-1", "SO-2", "SO-3", "SO-4", "SO-5"]),
	st.sampled_from([O.OHCHR, O.CIVIL_SOCIETY]),
	st.sampled_from(["ohchr@x", "cs1@x", "cs2@x", "officer@x", "manager@x"]),
	st.sampled_from(["Org A", "Org B", "Org C", None]),
	st.sampled_from(["African", "Asia-Pacific", None]),
	decision=st.sampled_from([O.ENDORSE, O.ENDORSE_WITH_CONDITIONS, O.OBJECT]),
	signed=st.dates(date(2025, 1, 1), TODAY),
	scope=st.sampled_from([SCOPE, {**SCOPE, "themes": ["Other"]}]),
	conditions=st.lists(ITEM, max_size=2),
)


@given(
	risk=st.sampled_from([None, "Low", "Medium", "High", "Critical"]),
	signoffs=st.lists(SIGNOFF, max_size=6, unique_by=lambda s: s.name),
	approver=st.sampled_from(["manager@x", "officer@x", "cs1@x"]),
	mitigations=st.lists(ITEM, max_size=2),
	suspended=st.booleans(),
)
def test_approval_implies_every_requirement(risk, signoffs, approver, mitigations, suspended):
	inp = O.GateInput(
		programme=O.Programme("TAP-1", "officer@x", "Under Review", START, SCOPE, suspended=suspended),
		approver=approver,
		approver_roles=(O.APPROVER_ROLE,),
		review=O.Review("HRR-1", risk, TODAY, tuple(mitigations)) if risk else None,
		signoffs=tuple(signoffs),
		overrides=(),
		policy=O.Policy(),
		today=TODAY,
	)
	decision = O.evaluate(inp)
	if not decision.approvable:
		return
	current, _ = O.current_positions(inp.signoffs, None)
	endorse = [s for s in current if s.decision != O.OBJECT]
	civil = [s for s in endorse if s.kind == O.CIVIL_SOCIETY]
	assert risk
	assert any(s.kind == O.OHCHR for s in endorse)
	assert not any(s.decision == O.OBJECT and s.valid_until >= TODAY for s in current)
	assert len({s.organisation for s in civil if s.organisation}) >= inp.policy.quorum[risk]
	if risk in O.HIGH_RISK:
		assert len({s.regional_group for s in civil if s.regional_group}) >= 2
		assert all(m.status in O.DONE for m in mitigations if m.due is None or m.due <= START)
	assert approver != "officer@x"
	standing = [s for s in current if s.decision != O.OBJECT or s.valid_until >= TODAY]
	assert all(s.signer not in ("officer@x", approver) for s in standing)
	assert all(s.valid_until >= TODAY and s.scope == SCOPE for s in endorse)
	assert not suspended


# --- lifecycle --------------------------------------------------------------------------------------
def test_programme_transitions():
	check_programme_transition(None, "Draft")
	check_programme_transition("Under Review", "Approved")
	check_programme_transition("Suspended", "Under Review")
	with pytest.raises(InvalidTransition, match="cannot start as Approved"):
		check_programme_transition(None, "Approved")
	with pytest.raises(InvalidTransition, match="from Draft to Approved"):
		check_programme_transition("Draft", "Approved")
	with pytest.raises(InvalidTransition, match="none: it is final"):
		check_programme_transition("Completed", "Active")


def test_activity_transitions():
	check_activity_transition(None, "Scheduled")
	with pytest.raises(InvalidTransition):
		check_activity_transition(None, "Delivered")
	with pytest.raises(InvalidTransition):
		check_activity_transition("Planned", "Delivered")


def test_activity_may_proceed_only_under_an_approved_programme_that_keeps_its_gate():
	ok = O.evaluate(approvable())
	check_activity_may_proceed("Scheduled", "TAP-1", "Approved", ok, "Kenya", False, False)
	check_activity_may_proceed("Planned", "TAP-1", "Draft", None, "Kenya", False, False)
	with pytest.raises(GateRefused, match="once its programme is approved"):
		check_activity_may_proceed("Approved", "TAP-1", "Under Review", None, "Kenya", False, False)
	with pytest.raises(GateRefused, match="no longer meets"):
		check_activity_may_proceed("Scheduled", "TAP-1", "Active", O.evaluate(_without("validity")), "Kenya", False, False)
	with pytest.raises(GateRefused, match="Kenya is suspended"):
		check_activity_may_proceed("Scheduled", "TAP-1", "Active", ok, "Kenya", True, False)
	with pytest.raises(GateRefused, match="TAP-1 is suspended"):
		check_activity_may_proceed("Delivered", "TAP-1", "Suspended", ok, "Kenya", False, True)
	with pytest.raises(GateRefused, match="never approved"):
		check_activity_may_proceed("Delivered", "TAP-1", "Active", ok, "Kenya", False, False)


# --- who may sign, override, and what a policy may say ---------------------------------------------
SIGN = dict(
	kind=O.CIVIL_SOCIETY, signer="cs1@x", signer_roles=(O.CIVIL_SOCIETY_ROLE,), organisation="Org A",
	organisation_accredited=True, organisation_reviewers=("cs1@x",), officer="officer@x", programme_status="Under Review",
	decision=O.ENDORSE, conditions=0, comments=None, coi_declaration=O.NO_CONFLICT, coi_details=None,
)


def test_eligible_sign_off_passes():
	O.check_signoff(**SIGN)
	O.check_signoff(**{**SIGN, "kind": O.OHCHR, "signer": "oh@x", "signer_roles": (O.OHCHR_ROLE,), "organisation": None})


@pytest.mark.parametrize(
	"change, message",
	[
		({"programme_status": "Draft"}, "Programme is Draft"),
		({"signer": "officer@x", "organisation_reviewers": ("officer@x",)}, "is the programme officer"),
		({"signer_roles": (O.OHCHR_ROLE,)}, "TA Civil Society Reviewer"),
		({"kind": O.OHCHR}, "TA OHCHR Reviewer"),
		({"organisation": None}, "names the accredited organisation"),
		({"organisation_accredited": False}, "not accredited"),
		({"organisation_partners": ("Org B", "Org A")}, "is a partner of the programme"),
		({"organisation_reviewers": ("cs9@x",)}, "not a reviewer of Org A"),
		({"decision": O.ENDORSE_WITH_CONDITIONS}, "at least one condition"),
		({"decision": O.OBJECT, "comments": "  "}, "gives its reasons"),
		({"coi_declaration": None}, "mandatory"),
		({"coi_declaration": "I have a conflict of interest, declared below"}, "Describe the declared conflict"),
	],
)
def test_sign_off_refusals(change, message):
	with pytest.raises(O.SignOffRefused, match=message):
		O.check_signoff(**{**SIGN, **change})


def test_override_rules():
	ok = dict(recorder="m@x", recorder_roles=(O.APPROVER_ROLE,), objection_kind=O.CIVIL_SOCIETY, objection_decision=O.OBJECT,
			  objection_submitted=True, justification="x" * O.MIN_JUSTIFICATION)
	O.check_override(**ok)
	for change, message in [
		({"recorder_roles": ("TA Programme Officer",)}, "Only a TA Programme Manager"),
		({"objection_decision": O.ENDORSE}, "Only a submitted objection"),
		({"objection_submitted": False}, "Only a submitted objection"),
		({"objection_kind": O.OHCHR}, "OHCHR objection cannot be overridden"),
		({"justification": "x" * (O.MIN_JUSTIFICATION - 1)}, "at least 30"),
	]:
		with pytest.raises(O.OverrideRefused, match=message):
			O.check_override(**{**ok, **change})


def test_policy_rules():
	O.check_policy({"Low": 1, "Medium": 1, "High": 2, "Critical": 3}, 12)
	with pytest.raises(O.InvalidPolicy, match="at least 1"):
		O.check_policy({"Low": 0, "Medium": 1, "High": 2, "Critical": 3}, 12)
	with pytest.raises(O.InvalidPolicy, match="fewer"):
		O.check_policy({"Low": 1, "Medium": 2, "High": 1, "Critical": 3}, 12)
	with pytest.raises(O.InvalidPolicy, match="between 1 and 36"):
		O.check_policy({"Low": 1, "Medium": 1, "High": 2, "Critical": 3}, 0)


def test_preview_without_an_approver_checks_only_the_sign_offs():
	inp = replace(approvable(), approver=None, approver_roles=())
	decision = O.evaluate(inp)
	assert decision.approvable
	assert "checked on approval" in decision.check("segregation").messages()[0]
	by_officer = replace(inp, signoffs=inp.signoffs + (signoff("SO-9", O.CIVIL_SOCIETY, "officer@x", "Org D", "Eastern European"),))
	assert O.evaluate(by_officer).failed == ("segregation",)


# --- ways around the gate (issue: Trust) ------------------------------------------------------------
def _with_civil(inp, *civil):
	return replace(inp, signoffs=inp.signoffs[:1] + tuple(civil))


def test_one_person_listed_under_three_organisations_is_one_voice():
	inp = _with_civil(
		approvable("Critical"),
		signoff("SO-2", O.CIVIL_SOCIETY, "cs1@x", "Org A", "African"),
		signoff("SO-3", O.CIVIL_SOCIETY, "cs1@x", "Org B", "Asia-Pacific"),
		signoff("SO-4", O.CIVIL_SOCIETY, "cs1@x", "Org C", "Eastern European"),
	)
	decision = O.evaluate(inp)
	assert decision.failed == ("quorum",)
	assert "1 of 3" in " ".join(decision.check("quorum").messages())


def test_two_people_from_one_group_and_a_third_org_of_theirs_do_not_make_regional_spread():
	inp = _with_civil(
		approvable("High"),
		signoff("SO-2", O.CIVIL_SOCIETY, "cs1@x", "Org A", "African"),
		signoff("SO-3", O.CIVIL_SOCIETY, "cs2@x", "Org B", "African"),
		signoff("SO-4", O.CIVIL_SOCIETY, "cs1@x", "Org C", "Asia-Pacific"),  # cs1 again: not a second voice
	)
	assert O.evaluate(inp).failed == ("quorum",)


def test_the_ohchr_signer_does_not_also_count_for_civil_society():
	inp = _with_civil(
		approvable("Low"),
		signoff("SO-2", O.CIVIL_SOCIETY, "ohchr@x", "Org A", "African"),
	)
	assert O.evaluate(inp).failed == ("quorum",)


def test_a_partner_of_the_programme_never_counts_as_its_overseer():
	"""An organisation that implements, advises or hosts the programme may be accredited and
	declare no conflict: its endorsement still does not count (checked when the gate runs, so a
	partner added after its sign-off loses it too)."""
	inp = approvable("Medium")
	assert O.evaluate(inp).approvable
	partner = tuple(replace(s, independent=False) if s.kind == O.CIVIL_SOCIETY else s for s in inp.signoffs)
	decision = O.evaluate(replace(inp, signoffs=partner))
	assert decision.failed == ("quorum",)
	assert set(decision.signoff_states[s.name] for s in partner if s.kind == O.CIVIL_SOCIETY) == {"partner"}
	assert "is a partner of the programme" in " ".join(decision.check("quorum").messages())


def test_accreditation_is_checked_when_the_gate_runs():
	inp = approvable("Medium")
	withdrawn = tuple(replace(s, accredited=False) if s.kind == O.CIVIL_SOCIETY else s for s in inp.signoffs)
	decision = O.evaluate(replace(inp, signoffs=withdrawn))
	assert decision.failed == ("quorum",)
	assert set(decision.signoff_states[s.name] for s in withdrawn[1:]) == {"unaccredited"}
	assert "no longer accredited" in " ".join(decision.check("quorum").messages())


def test_a_sign_off_earlier_on_the_day_of_a_suspension_no_longer_counts():
	from datetime import datetime

	inp = approvable("Low")
	suspended_at = datetime(2026, 5, 20, 15, 0)
	morning = tuple(replace(s, signed_on=datetime(2026, 5, 20, 9, 30)) for s in inp.signoffs)
	review = replace(inp.review, submitted_on=datetime(2026, 5, 20, 9, 0))
	lifted = replace(inp, signoffs=morning, review=review, programme=replace(inp.programme, not_before=suspended_at))
	assert set(O.evaluate(lifted).failed) >= {"review", "ohchr"}
	evening = tuple(replace(s, signed_on=datetime(2026, 5, 20, 16, 0)) for s in inp.signoffs)
	later = replace(lifted, signoffs=evening, review=replace(review, submitted_on=datetime(2026, 5, 20, 15, 30)))
	assert O.evaluate(later).approvable
	# A sign-off known only by its date counts from that day's midnight: before the suspension.
	dated = replace(later, signoffs=tuple(replace(s, signed_on=date(2026, 5, 20)) for s in inp.signoffs))
	assert "ohchr" in O.evaluate(dated).failed


def test_sign_offs_endorse_the_review_a_new_risk_level_or_plan_makes_them_stale():
	plan = [("Vetting of units", START)]
	signed = O.scope_of(["Kenya"], ["X"], [], 10, START, date(2027, 8, 31), "U", O.review_key("High", plan))
	lowered = {**signed, "review": O.review_key("Low", plan)}
	assert O.changed_fields(signed, lowered) == ("review",)
	fewer = {**signed, "review": O.review_key("High", [])}
	assert O.changed_fields(signed, fewer) == ("review",)
	assert O.review_key("High", plan) == O.review_key("High", [(" vetting of UNITS ", START)])
	assert O.review_key(None, plan) == ""
	inp = approvable()
	scope = {**inp.programme.scope, "review": O.review_key("Low", [])}
	decision = O.evaluate(replace(inp, programme=replace(inp.programme, scope=scope)))
	assert decision.failed == ("validity",)
	assert "human-rights review" in decision.check("validity").messages()[0]


@given(
	signers=st.lists(st.sampled_from(["a@x", "b@x", "c@x", "ohchr@x"]), min_size=1, max_size=5),
	orgs=st.permutations(["Org A", "Org B", "Org C", "Org D", "Org E"]),
	groups=st.lists(st.sampled_from(["African", "Asia-Pacific", "GRULAC"]), min_size=5, max_size=5),
	accredited=st.lists(st.booleans(), min_size=5, max_size=5),
	risk=st.sampled_from(["Low", "Medium", "High", "Critical"]),
)
def test_quorum_never_counts_a_person_twice_nor_an_unaccredited_voice(signers, orgs, groups, accredited, risk):
	civil = tuple(
		signoff(f"SO-{i + 2}", O.CIVIL_SOCIETY, who, orgs[i], groups[i])
		for i, who in enumerate(signers)
	)
	civil = tuple(replace(s, accredited=accredited[i]) for i, s in enumerate(civil))
	inp = replace(approvable(risk), signoffs=approvable().signoffs[:1] + civil)
	decision = O.evaluate(inp)
	voices = {s.signer for s in civil if s.accredited and s.signer != "ohchr@x"}
	if decision.check("quorum").ok:
		assert len(voices) >= inp.policy.quorum[risk]
		if risk in O.HIGH_RISK:
			assert len({s.regional_group for s in civil if s.accredited and s.signer != "ohchr@x"}) >= 2


def test_an_approved_activity_keeps_its_programme_and_a_delivered_one_its_facts():
	from ta_programmes.core.lifecycle import check_activity_change

	assert check_activity_change("P1", "P1", "Scheduled", True, ()) is False
	assert check_activity_change("P1", "P1", "Scheduled", True, ("beneficiary_state",)) is True
	assert check_activity_change("P1", "P1", "Planned", False, ("institution_type",)) is False
	assert check_activity_change("P1", "P2", "Planned", False, ("programme",)) is False
	with pytest.raises(GateRefused, match="cannot move to programme P2"):
		check_activity_change("P1", "P2", "Planned", True, ("programme",))
	with pytest.raises(GateRefused, match="its beneficiary state cannot change"):
		check_activity_change("P1", "P1", "Delivered", True, ("beneficiary_state",))


def test_a_colleague_added_to_the_organisation_cannot_silence_an_objection():
	inp = approvable("Medium")
	objection = signoff("SO-5", O.CIVIL_SOCIETY, "cs4@x", "Org D", "Eastern European", decision=O.OBJECT,
						signed=TODAY - timedelta(days=3))
	colleague = signoff("SO-6", O.CIVIL_SOCIETY, "cs5@x", "Org D", "Eastern European", signed=TODAY - timedelta(days=1))
	decision = O.evaluate(replace(inp, signoffs=inp.signoffs + (objection, colleague)))
	assert decision.failed == ("objection",)
	withdrawn = signoff("SO-7", O.CIVIL_SOCIETY, "cs4@x", "Org D", "Eastern European", signed=TODAY - timedelta(days=1))
	assert O.evaluate(replace(inp, signoffs=inp.signoffs + (objection, withdrawn))).approvable


def test_a_suspension_voids_endorsements_but_never_an_objection():
	inp = approvable("Medium")
	objection = signoff("SO-5", O.CIVIL_SOCIETY, "cs4@x", "Org D", "Eastern European", decision=O.OBJECT,
						signed=TODAY - timedelta(days=20))
	renewed = tuple(replace(s, name=s.name + "b", signed_on=TODAY - timedelta(days=1)) for s in inp.signoffs)
	lifted = replace(
		inp, signoffs=inp.signoffs + (objection,) + renewed,
		review=replace(inp.review, submitted_on=TODAY - timedelta(days=2)),
		programme=replace(inp.programme, not_before=TODAY - timedelta(days=5)),
	)
	assert O.evaluate(lifted).failed == ("objection",)
