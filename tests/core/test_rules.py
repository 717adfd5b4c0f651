"""Core rules of the programme model, without Frappe."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ta_programmes.core import rules as R
from ta_programmes.core.errors import (
	DuplicateRow,
	InvalidDateRange,
	InvalidParticipants,
	InvalidShares,
	InvalidValue,
	MissingValue,
	NegativeValue,
	NotInProgramme,
	RuleViolation,
)

D = date(2026, 3, 1)


class TestDateOrder:
	def test_end_before_start_is_refused_and_names_both(self):
		with pytest.raises(InvalidDateRange) as e:
			R.check_date_order(date(2026, 5, 2), date(2026, 5, 1), "Planned start", "Planned end")
		assert str(e.value) == "Planned end (2026-05-01) must be after Planned start (2026-05-02)."

	def test_equal_dates_allowed_for_days_but_not_for_times(self):
		R.check_date_order(D, D, "s", "e")
		t = datetime(2026, 3, 1, 9)
		with pytest.raises(InvalidDateRange):
			R.check_date_order(t, t, "s", "e", allow_equal=False)

	def test_missing_values_are_left_to_mandatory_checks(self):
		R.check_date_order(None, D, "s", "e")
		R.check_date_order(D, None, "s", "e")

	@given(st.datetimes(), st.datetimes())
	def test_refused_iff_end_not_after_start(self, a, b):
		try:
			R.check_date_order(a, b, "s", "e", allow_equal=False)
			assert b > a
		except InvalidDateRange:
			assert b <= a

	def test_within_programme_period(self):
		R.check_within(datetime(2026, 3, 1, 9), datetime(2026, 3, 2, 17), D, date(2026, 3, 2), "A", "P")
		with pytest.raises(InvalidDateRange, match="outside P"):
			R.check_within(datetime(2026, 2, 28, 9), datetime(2026, 3, 2), D, date(2026, 12, 1), "A", "P")
		with pytest.raises(InvalidDateRange):
			R.check_within(datetime(2026, 3, 1, 9), datetime(2026, 12, 2), D, date(2026, 12, 1), "A", "P")


class TestShares:
	def test_exactly_hundred(self):
		R.check_shares([("Kenya", 60), ("Ghana", 40)])
		R.check_shares([("A", "33.33"), ("B", "33.33"), ("C", "33.34")])

	def test_sum_off_by_more_than_a_cent_is_refused_with_the_sum(self):
		with pytest.raises(InvalidShares, match="add up to 99.98%"):
			R.check_shares([("A", "33.33"), ("B", "33.33"), ("C", "33.32")])

	def test_each_share_positive(self):
		with pytest.raises(InvalidShares, match="share of B"):
			R.check_shares([("A", 100), ("B", 0)])
		with pytest.raises(InvalidShares):
			R.check_shares([("A", 120), ("B", -20)])

	def test_at_least_one_state(self):
		with pytest.raises(InvalidShares, match="at least one"):
			R.check_shares([])

	@given(st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=8))
	def test_accepted_iff_sum_is_100(self, shares):
		rows = [(f"S{i}", s) for i, s in enumerate(shares)]
		try:
			R.check_shares(rows)
			assert sum(shares) == 100
		except InvalidShares:
			assert sum(shares) != 100


class TestMembership:
	def test_value_outside_programme_is_refused_with_the_allowed_ones(self):
		with pytest.raises(NotInProgramme) as e:
			R.check_member("Peru", ["Kenya", "Ghana"], "Beneficiary state", "TAP-2026-00001")
		assert "Kenya, Ghana" in str(e.value) and "TAP-2026-00001" in str(e.value)

	def test_member_and_empty_pass(self):
		R.check_member("Kenya", ["Kenya"], "Beneficiary state", "P")
		R.check_member(None, [], "Beneficiary state", "P")


class TestAmounts:
	def test_negative_refused_with_row(self):
		with pytest.raises(NegativeValue, match="Row 3: Amount cannot be negative"):
			R.check_non_negative("Amount", -1, 3)
		R.check_non_negative("Amount", 0)

	def test_budget_sums_amount_times_rate_to_cents(self):
		assert R.compute_budget([(100, 1), ("50", "1.1"), (None, None)]) == 155.0
		assert R.compute_budget([(0.1, 1)] * 3) == 0.3
		assert R.compute_budget([]) == 0

	@given(st.lists(st.tuples(st.decimals(0, 10**9, places=2), st.decimals("0.01", 100, places=4)), max_size=10))
	def test_budget_is_exact_sum(self, lines):
		expected = sum((a * r for a, r in lines), Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
		assert Decimal(str(R.compute_budget(lines))) == expected

	def test_funding_lines(self):
		R.check_funding_lines([(1, 100, "USD", 1, "EU"), (2, 50, "EUR", 1.08, "EU")], "USD")
		with pytest.raises(NegativeValue, match="Row 2"):
			R.check_funding_lines([(1, 100, "USD", 1, "EU"), (2, -5, "USD", 1, "EU")], "USD")
		with pytest.raises(NegativeValue, match="exchange rate"):
			R.check_funding_lines([(1, 100, "EUR", -1, "EU")], "USD")
		with pytest.raises(InvalidValue, match="exchange rate 1"):
			R.check_funding_lines([(1, 100, "USD", 1.2, "EU")], "USD")


class TestParticipants:
	def test_disaggregation_must_equal_total(self):
		R.check_participants(20, 8, 11, 1)
		R.check_participants(None, None, None, None)
		with pytest.raises(InvalidParticipants, match=r"add up to 19, but the total is 20"):
			R.check_participants(20, 8, 10, 1)

	def test_negative_refused(self):
		with pytest.raises(InvalidParticipants, match="negative"):
			R.check_participants(0, 1, -1, 0)

	@given(*(st.integers(min_value=-3, max_value=50) for _ in range(4)))
	def test_accepted_iff_consistent(self, total, women, men, other):
		ok = min(total, women, men, other) >= 0 and women + men + other == total
		try:
			R.check_participants(total, women, men, other)
			assert ok
		except InvalidParticipants:
			assert not ok

	def test_actuals_only_once_delivered(self):
		R.check_actuals_only_when_delivered("Delivered", [10, 5, 5, 0])
		R.check_actuals_only_when_delivered("Planned", [None, 0, None, 0])
		with pytest.raises(InvalidParticipants, match="it is Planned"):
			R.check_actuals_only_when_delivered("Planned", [10, 5, 5, 0])


class TestUnique:
	def test_duplicate_named_with_both_rows(self):
		with pytest.raises(DuplicateRow) as e:
			R.check_unique([(1, "a", "A"), (2, "b", "B"), (3, "a", "A")], "Trainer")
		assert str(e.value) == "Trainer A appears twice (rows 1 and 3)."

	def test_blank_keys_ignored(self):
		R.check_unique([(1, None, ""), (2, None, ""), (3, "", "")], "Trainer")

	@given(st.lists(st.integers(0, 6), max_size=10))
	def test_refused_iff_repeated(self, keys):
		rows = [(i + 1, k, str(k)) for i, k in enumerate(keys)]
		try:
			R.check_unique(rows, "X")
			assert len(set(keys)) == len(keys)
		except DuplicateRow:
			assert len(set(keys)) < len(keys)


class TestReferenceValues:
	def test_time_zone(self):
		R.check_time_zone("Zone", "Africa/Nairobi")
		R.check_time_zone("Zone", None)
		with pytest.raises(InvalidValue, match="Mars/Olympus"):
			R.check_time_zone("Zone", "Mars/Olympus")

	@pytest.mark.parametrize("good", ["XM-DAC-41114", "GB-GOV-1", "XI-IATI-EC_INTPA", "NL-KVK-27108436"])
	def test_iati_ids_accepted(self, good):
		R.check_iati_org_id(good)

	@pytest.mark.parametrize("bad", ["41114", "GB GOV 1", "-DAC-1", "GB-"])
	def test_iati_ids_refused(self, bad):
		with pytest.raises(InvalidValue):
			R.check_iati_org_id(bad)

	def test_dac_code(self):
		R.check_dac_code("15130")
		for bad in ("1513", "15130a", "", None):
			with pytest.raises(InvalidValue):
				R.check_dac_code(bad)

	def test_delivery_mode(self):
		R.check_delivery_mode("In person", "Centre", "Nairobi", None)
		R.check_delivery_mode("Online", None, None, "https://meet.example.org/x")
		R.check_delivery_mode("Hybrid", "Centre", "Lima", "https://meet.example.org/x")
		with pytest.raises(MissingValue, match="venue and a city"):
			R.check_delivery_mode("In person", "Centre", None, None)
		with pytest.raises(MissingValue, match="online link"):
			R.check_delivery_mode("Hybrid", "Centre", "Lima", None)
		with pytest.raises(InvalidValue, match="https://"):
			R.check_delivery_mode("Online", None, None, "javascript:alert(1)")

	def test_accreditation_only_for_civil_society_and_academia(self):
		R.check_accreditation("Civil Society", True)
		R.check_accreditation("Academia", True)
		R.check_accreditation("Government", False)
		with pytest.raises(InvalidValue, match="Government"):
			R.check_accreditation("Government", True)

	def test_vetting(self):
		R.check_vetting("Pending", None, D)
		R.check_vetting("Cleared", D, D)
		with pytest.raises(MissingValue):
			R.check_vetting("Cleared", None, D)
		with pytest.raises(InvalidDateRange):
			R.check_vetting("Cleared", date(2026, 3, 2), D)

	def test_risk_rating(self):
		R.check_risk_rating(None, None, None, D)
		R.check_risk_rating("High", D, "UPR", D)
		with pytest.raises(MissingValue):
			R.check_risk_rating("High", None, "UPR", D)
		with pytest.raises(InvalidDateRange):
			R.check_risk_rating("High", date(2027, 1, 1), "UPR", D)

	def test_trainer_assignable(self):
		R.check_trainer_assignable(1, "T", True, "Pending")
		with pytest.raises(InvalidValue, match="inactive"):
			R.check_trainer_assignable(1, "T", False, "Cleared")
		with pytest.raises(InvalidValue, match="failed vetting"):
			R.check_trainer_assignable(2, "T", True, "Rejected")

	def test_user_role(self):
		R.check_user_role("Officer", "a@x", ["TA Programme Officer"], ("TA Programme Officer",))
		R.check_user_role("Officer", "Administrator", [], ("TA Programme Officer",))
		with pytest.raises(InvalidValue, match="a@x"):
			R.check_user_role("Officer", "a@x", ["TA Donor"], ("TA Programme Officer",))


def test_violation_renders_through_a_translator():
	v = InvalidShares("Beneficiary state shares must add up to 100%; they add up to {0}%.", "90")
	assert v.render(lambda s: s.replace("Beneficiary state shares", "Les parts")) == (
		"Les parts must add up to 100%; they add up to 90%."
	)
	assert isinstance(v, RuleViolation) and v.title == "Invalid Shares"


def test_trainer_totals_split_outside_expertise_and_fees():
	assert R.trainer_totals([]) == (0.0, 0.0, 0.0)
	assert R.trainer_totals([(7, "Academia", 800), (7, "Government", 400), (3.5, "Civil Society", None)]) == (17.5, 10.5, 1050.0)
	assert R.trainer_totals([(None, None, None)]) == (0.0, 0.0, 0.0)


def test_a_rate_in_another_currency_is_converted_or_refused_never_added_as_is():
	assert R.rate_in("USD", 800, "USD", {}, "Ada") == 800
	assert R.rate_in("USD", 800, None, {}, "Ada") == 800
	assert R.rate_in("USD", 800, "EUR", {"EUR": 1.1}, "Ada") == 880.0
	with pytest.raises(R.InvalidValue, match="paid in EUR"):
		R.rate_in("USD", 800, "EUR", {"NOK": 0.1}, "Ada")


@pytest.mark.parametrize("value", ["XM-DAC-701-1\x01", "XM-DAC-701-1\n", "XM-DAC-701 1", "XM-DAC-7/1"])
def test_iati_organisation_identifiers_refuse_control_characters_and_separators(value):
	with pytest.raises(InvalidValue):
		R.check_iati_org_id(value)
