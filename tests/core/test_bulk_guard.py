"""tests/benchmark/synthetic.py: the bulk generator writes only to a site marked synthetic that holds
nothing it did not make."""

from hypothesis import given
from hypothesis import strategies as st

from tests.benchmark import synthetic as G

CLEAN = {dt: 0 for dt in (*G.MARKS, *G.NEVER)}


def test_a_marked_site_holding_only_generated_records_is_accepted():
	for marked in (1, "1", True, "true"):
		assert G.refusal("perf.localhost", marked, CLEAN) is None


def test_an_unmarked_site_is_refused_even_when_empty():
	for marked in (None, 0, "0", "", False, "no"):
		message = G.refusal("perf.localhost", marked, CLEAN)
		assert message and "not marked as synthetic" in message and G.CONFIG_KEY in message


def test_a_marked_site_with_a_real_record_is_refused_and_the_record_named():
	message = G.refusal("ta.localhost", 1, {**CLEAN, "TA Programme": 5}, {"TA Programme": ["TAP-2026-00001"]})
	assert message.startswith("Refusing to write bulk data to ta.localhost")
	assert "5 TA Programme (TAP-2026-00001, …)" in message and "not marked" not in message


def test_both_reasons_are_given():
	message = G.refusal("s", None, {**CLEAN, "User": 2, "TA Concern Report": 1})
	assert "not marked as synthetic" in message and "2 User" in message and "1 TA Concern Report" in message


@given(st.dictionaries(st.sampled_from(sorted((*G.MARKS, *G.NEVER))), st.integers(0, 5)), st.sampled_from((0, 1)))
def test_accepted_only_when_marked_and_nothing_foreign(foreign, marked):
	assert (G.refusal("s", marked, foreign) is None) == (marked == 1 and not any(foreign.values()))


def test_what_the_generator_makes_is_recognised():
	assert G.is_generated("TA Programme", {"name": "TAP-BULK-2019-000001"})
	assert G.is_generated("TA Activity", {"name": "taa-bulk-2020-000002"})  # MariaDB compares case-insensitively
	assert G.is_generated("User", {"name": "officer3@bulk.ta.example"})
	assert G.is_generated("User", {"name": "Administrator"}) and G.is_generated("User", {"name": "Guest"})
	assert G.is_generated("TA Donor", {"name": "EU", "website": "https://bulk.ta.example/donor-1"})
	assert G.is_generated("TA Beneficiary State", {"name": "Kenya", "risk_source": G.STATE_SOURCE})


def test_real_records_are_not():
	assert not G.is_generated("TA Programme", {"name": "TAP-2026-00001"})
	assert not G.is_generated("TA Programme", {"name": "XTAP-BULK-1"})
	assert not G.is_generated("User", {"name": "admin@ta.localhost"})
	assert not G.is_generated("User", {"name": "someone@bulk.ta.example.org"})
	assert not G.is_generated("TA Donor", {"name": "EU", "website": None})
	assert not G.is_generated("TA Donor", {"name": "EU", "website": "https://bulk.ta.example"})
	assert not G.is_generated("TA Beneficiary State", {"name": "Kenya", "risk_source": "OHCHR"})
	assert not G.is_generated("TA Concern Report", {"name": "anything"})


@given(st.text(alphabet="ab%_", max_size=6), st.text(alphabet="abAB", max_size=6))
def test_like_agrees_with_a_regular_expression(pattern, value):
	import re

	regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
	assert G.like(pattern, value) == bool(re.fullmatch(regex, value, re.I | re.S))
