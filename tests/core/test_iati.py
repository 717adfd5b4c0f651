"""IATI 2.03 export: the file validates against the official schema, each ruleset check refuses a
broken activity by name, budgets split into yearly periods to the cent, and only public fields
are written."""

import importlib.util
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ta_programmes.core import iati as I
from ta_programmes.core.oversight import add_months

GENERATED = datetime(2026, 6, 1, 12, 30, 5, tzinfo=timezone.utc)
REPORTER = I.ReportingOrg("XM-DAC-41114", "UN Technical Assistance Office", "40")
MARKER_URI = "https://ta.example.org/hrdd-marker"


def activity(**changes) -> I.IatiActivity:
	a = I.IatiActivity(
		identifier_suffix="TAP-2026-0001",
		title="Electronic evidence for prosecutors",
		description="Training prosecutors of two states to handle electronic evidence with safeguards.",
		status="Active",
		planned_start=date(2026, 1, 15),
		planned_end=date(2027, 6, 30),
		actual_start=date(2026, 2, 1),
		actual_end=None,
		funders=[
			I.IatiOrg("XI-IATI-EC_INTPA", "European Union", "40"),
			I.IatiOrg(None, "Government of Norway", "10"),
		],
		accountable=I.IatiOrg("XM-DAC-41114", "UN Technical Assistance Office", "40"),
		implementers=[I.IatiOrg(None, "Digital Rights Watch Africa", "21")],
		countries=[("KE", 60.0), ("GH", 40.0)],
		sectors=[("15130", 70.0), ("15160", 30.0)],
		budgets=I.budget_periods(date(2026, 1, 15), date(2027, 6, 30), 250_000.0, "EUR"),
		currency="EUR",
		hrdd_status="approved with OHCHR and civil-society sign-off",
		hrdd_significance=2,
		last_updated=datetime(2026, 5, 30, 9, 0, tzinfo=timezone.utc),
	)
	return replace(a, **changes)


def minimal() -> I.IatiActivity:
	return activity(
		identifier_suffix="TAP-2026-0002",
		title="Awareness campaign",
		status="Approved",
		planned_end=None,
		actual_start=None,
		funders=[],
		implementers=[],
		countries=[("PE", None)],
		sectors=[("22040", None)],
		budgets=[],
		hrdd_significance=0,
	)


def build(*activities) -> bytes:
	return I.build_iati_xml(REPORTER, list(activities) or [activity()], GENERATED, marker_uri=MARKER_URI)


# --------------------------------------------------------------------------------------------
# Schema


def schema_path() -> Path:
	spec = importlib.util.find_spec("iati")  # locates pyIATI without importing it
	if spec is None or not spec.submodule_search_locations:
		pytest.skip("pyIATI (pip install --no-deps pyIATI) is not installed")
	path = (
		Path(spec.submodule_search_locations[0])
		/ "resources/standard/2-03/schemas/iati-activities-schema.xsd"
	)
	if not path.exists():
		pytest.skip(f"IATI 2.03 schema not found at {path}")
	return path


@pytest.fixture(scope="module")
def schema():
	etree = pytest.importorskip("lxml.etree")
	return etree.XMLSchema(etree.parse(str(schema_path())))


def test_file_validates_against_the_iati_2_03_schema(schema):
	etree = pytest.importorskip("lxml.etree")
	doc = etree.fromstring(build(activity(), minimal()))
	assert schema.validate(doc), schema.error_log


def test_schema_rejects_a_file_out_of_order(schema):
	"""The validation is real: swapping two elements breaks the schema's sequence."""
	etree = pytest.importorskip("lxml.etree")
	doc = etree.fromstring(build())
	act = doc[0]
	status = act.find("activity-status")
	act.remove(status)
	act.insert(1, status)
	assert not schema.validate(doc)


# --------------------------------------------------------------------------------------------
# Content


def parse(xml: bytes) -> ET.Element:
	return ET.fromstring(xml)


def test_file_header_and_activity_attributes():
	root = parse(build())
	assert root.tag == "iati-activities"
	assert root.get("version") == "2.03"
	assert root.get("generated-datetime") == "2026-06-01T12:30:05+00:00"
	act = root[0]
	assert act.get("last-updated-datetime") == "2026-05-30T09:00:00+00:00"
	assert act.get(I.XML_LANG) == "en"
	assert act.get("default-currency") == "EUR"
	assert build().startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_activity_content():
	act = parse(build())[0]
	assert act.findtext("iati-identifier") == "XM-DAC-41114-TAP-2026-0001"
	rep = act.find("reporting-org")
	assert (rep.get("ref"), rep.get("type"), rep.findtext("narrative")) == (
		"XM-DAC-41114",
		"40",
		"UN Technical Assistance Office",
	)
	assert act.findtext("title/narrative") == "Electronic evidence for prosecutors"
	assert act.find("description").get("type") == "1"
	orgs = [
		(o.get("role"), o.get("ref"), o.get("type"), o.findtext("narrative"))
		for o in act.findall("participating-org")
	]
	assert orgs == [
		("1", "XI-IATI-EC_INTPA", "40", "European Union"),
		("1", None, "10", "Government of Norway"),
		("2", "XM-DAC-41114", "40", "UN Technical Assistance Office"),
		("4", None, "21", "Digital Rights Watch Africa"),
	]
	assert act.find("activity-status").get("code") == "2"
	dates = [(d.get("type"), d.get("iso-date")) for d in act.findall("activity-date")]
	assert dates == [("1", "2026-01-15"), ("2", "2026-02-01"), ("3", "2027-06-30")]
	assert [(c.get("code"), c.get("percentage")) for c in act.findall("recipient-country")] == [
		("KE", "60"),
		("GH", "40"),
	]
	assert [(s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in act.findall("sector")] == [
		("1", "15130", "70"),
		("1", "15160", "30"),
	]
	marker = act.find("policy-marker")
	assert dict(marker.attrib) == {
		"vocabulary": "99",
		"vocabulary-uri": MARKER_URI,
		"code": "1",
		"significance": "2",
	}
	assert marker.findtext("narrative") == "approved with OHCHR and civil-society sign-off"
	budgets = act.findall("budget")
	assert [(b.get("type"), b.get("status")) for b in budgets] == [("1", "1")] * 2
	assert [
		(b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date")) for b in budgets
	] == [
		("2026-01-15", "2027-01-14"),
		("2027-01-15", "2027-06-30"),
	]
	values = [b.find("value") for b in budgets]
	assert {(v.get("currency"), v.get("value-date")) for v in values} == {("EUR", "2026-01-15")}
	assert sum(Decimal(v.text) for v in values) == Decimal("250000.00")


def test_minimal_activity_omits_what_it_does_not_have():
	act = parse(build(minimal()))[0]
	assert [d.get("type") for d in act.findall("activity-date")] == ["1"]
	assert act.find("recipient-country").get("percentage") is None
	assert act.find("activity-status").get("code") == "1"
	assert act.findall("budget") == []
	assert [o.get("role") for o in act.findall("participating-org")] == ["2"]


def test_marker_uri_is_omitted_when_not_given():
	act = parse(I.build_iati_xml(REPORTER, [activity()], GENERATED))[0]
	assert "vocabulary-uri" not in act.find("policy-marker").attrib


def test_text_is_escaped():
	a = activity(title="<script>alert(1)</script> & co", description='Quotes " and \u00e9')
	act = parse(build(a))[0]
	assert act.findtext("title/narrative") == "<script>alert(1)</script> & co"
	assert b"<script>" not in build(a)


def test_nothing_but_the_public_fields_is_written():
	a = activity()
	root = parse(build(a))
	written = {root.get("version"), root.get("generated-datetime")}
	for el in root.iter():
		written |= set(el.attrib.values())
		if el.text and el.text.strip():
			written.add(el.text)
	orgs = [*a.funders, a.accountable, *a.implementers]
	expected = {
		"2.03",
		"2026-06-01T12:30:05+00:00",
		"2026-05-30T09:00:00+00:00",
		"en",
		"EUR",
		MARKER_URI,
		"XM-DAC-41114-TAP-2026-0001",
		REPORTER.ref,
		REPORTER.name,
		REPORTER.type_code,
		a.title,
		a.description,
		a.hrdd_status,
		str(a.hrdd_significance),
		*(o.ref for o in orgs if o.ref),
		*(o.name for o in orgs),
		*(o.type_code for o in orgs),
		*(c for c, _p in a.countries),
		"60",
		"40",
		*(s for s, _p in a.sectors),
		"70",
		"30",
		*(d.isoformat() for d in (a.planned_start, a.planned_end, a.actual_start)),
		*(b.start.isoformat() for b in a.budgets),
		*(b.end.isoformat() for b in a.budgets),
		*(f"{Decimal(str(b.value)):.2f}" for b in a.budgets),
		"1",
		"2",
		"3",
		"4",
		"99",  # codes: roles, date types, status, description type, vocabularies
	}
	assert written <= expected, written - expected
	tags = {el.tag for el in root.iter()}
	assert tags == {
		"iati-activities",
		"iati-activity",
		"iati-identifier",
		"reporting-org",
		"narrative",
		"title",
		"description",
		"participating-org",
		"activity-status",
		"activity-date",
		"recipient-country",
		"sector",
		"policy-marker",
		"budget",
		"period-start",
		"period-end",
		"value",
	}


# --------------------------------------------------------------------------------------------
# Checks


BROKEN = {
	"no start date": (dict(planned_start=None, actual_start=None), "give a planned or an actual start date"),
	"planned end before start": (
		dict(planned_end=date(2025, 12, 31)),
		"the planned end 2025-12-31 is before the planned start",
	),
	"actual end before start": (
		dict(actual_end=date(2026, 1, 20)),
		"the actual end 2026-01-20 is before the actual start",
	),
	"actual start in the future": (
		dict(actual_start=date(2026, 7, 1)),
		"the actual start 2026-07-01 is in the future",
	),
	"countries off 100": (
		dict(countries=[("KE", 60.0), ("GH", 39.0)]),
		"recipient-country percentages must add up to 100; they add up to 99",
	),
	"country without percentage": (
		dict(countries=[("KE", 100.0), ("GH", None)]),
		"give a recipient-country percentage for GH",
	),
	"one country with a wrong percentage": (
		dict(countries=[("KE", 50.0)]),
		"add up to 100; they add up to 50",
	),
	"bad country code": (dict(countries=[("Kenya", 100.0)]), "recipient country code \u201cKenya\u201d"),
	"duplicate country": (
		dict(countries=[("KE", 50.0), ("KE", 50.0)]),
		"recipient country KE is listed more than once",
	),
	"sectors off 100": (
		dict(sectors=[("15130", 70.0), ("15160", 40.0)]),
		"sector percentages must add up to 100; they add up to 110",
	),
	"no sector": (dict(sectors=[]), "give at least one OECD-DAC sector"),
	"bad sector code": (
		dict(sectors=[("151", None)]),
		"sector code \u201c151\u201d is not an OECD-DAC purpose code",
	),
	"budget longer than a year": (
		dict(budgets=[I.IatiBudget(date(2026, 1, 15), date(2027, 1, 16), 1.0, "EUR", date(2026, 1, 15))]),
		"the budget period 2026-01-15 to 2027-01-16 is longer than one year",
	),
	"budget ending before it starts": (
		dict(budgets=[I.IatiBudget(date(2026, 1, 15), date(2026, 1, 15), 1.0, "EUR", date(2026, 1, 15))]),
		"the budget period 2026-01-15 to 2026-01-15 must end after it starts",
	),
	"overlapping budgets": (
		dict(
			budgets=[
				I.IatiBudget(date(2026, 1, 1), date(2026, 12, 31), 1.0, "EUR", date(2026, 1, 1)),
				I.IatiBudget(date(2026, 12, 31), date(2027, 6, 30), 1.0, "EUR", date(2026, 1, 1)),
			]
		),
		"the budget periods ending 2026-12-31 and starting 2026-12-31 overlap",
	),
	"negative budget": (
		dict(budgets=[I.IatiBudget(date(2026, 1, 1), date(2026, 12, 31), -5.0, "EUR", date(2026, 1, 1))]),
		"is negative",
	),
	"empty identifier": (dict(identifier_suffix="  "), "the activity identifier is empty"),
	"slash in identifier": (
		dict(identifier_suffix="TAP/1"),
		"the identifier \u201cTAP/1\u201d of the activity may not contain",
	),
	"organisation ref with ampersand": (
		dict(implementers=[I.IatiOrg("XM-A&B", "A and B", "21")]),
		"the identifier \u201cXM-A&B\u201d of A and B may not contain",
	),
	"organisation without ref or name": (
		dict(implementers=[I.IatiOrg(None, "", None)]),
		"neither identifier nor name",
	),
	"unknown organisation type": (
		dict(funders=[I.IatiOrg(None, "Someone", "99")]),
		"99 is not an IATI organisation type",
	),
	"draft programme": (dict(status="Draft"), "a programme that is Draft is not published"),
	"empty title": (dict(title=""), "the title is empty"),
	"empty description": (dict(description=" "), "the description is empty"),
	"bad currency": (dict(currency="euro"), "euro is not an ISO 4217 currency code"),
	"bad significance": (dict(hrdd_significance=3), "significance must be 0, 1 or 2, not 3"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_each_rule_refuses_a_broken_activity_by_name(case):
	changes, message = BROKEN[case]
	a = activity(**changes)
	with pytest.raises(I.IatiRuleViolation) as e:
		I.check_activity(a, today=GENERATED.date())
	assert message in str(e.value)
	assert str(e.value).startswith(f"IATI activity {a.identifier_suffix}")
	assert e.value.title == "IATI Check Failed"
	with pytest.raises(I.IatiRuleViolation):
		build(a)


def test_the_good_activities_pass():
	I.check_activity(activity(), today=GENERATED.date())
	I.check_activity(minimal(), today=GENERATED.date())


def test_percentages_within_a_hundredth_pass():
	I.check_activity(activity(countries=[("KE", 33.33), ("GH", 33.33), ("NG", 33.33)]))
	with pytest.raises(I.IatiRuleViolation):
		I.check_activity(activity(countries=[("KE", 33.3), ("GH", 33.3), ("NG", 33.3)]))


def test_written_percentages_add_up_to_exactly_100():
	"""The checks allow 0.01 of slack; the IATI ruleset compares the sum exactly."""
	a = activity(
		countries=[("KE", 33.33), ("GH", 33.33), ("NG", 33.33)], sectors=[("15130", 99.995), ("15160", 0.005)]
	)
	act = parse(build(a))[0]
	countries = [Decimal(c.get("percentage")) for c in act.findall("recipient-country")]
	sectors = [Decimal(c.get("percentage")) for c in act.findall("sector")]
	assert sum(countries) == sum(sectors) == 100
	assert sorted(countries) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
	assert I.exact_percentages([("KE", 60.0), ("GH", 40.0)]) == [("KE", "60"), ("GH", "40")]
	assert I.exact_percentages([("KE", None)]) == [("KE", None)]


def test_a_budget_may_end_exactly_one_year_after_it_starts():
	I.check_activity(
		activity(budgets=[I.IatiBudget(date(2026, 1, 15), date(2027, 1, 15), 1.0, "EUR", date(2026, 1, 15))])
	)


def test_file_level_checks():
	with pytest.raises(I.IatiRuleViolation, match="at least one activity"):
		I.build_iati_xml(REPORTER, [], GENERATED)
	with pytest.raises(I.IatiRuleViolation, match="appears twice"):
		build(activity(), activity())
	with pytest.raises(I.IatiRuleViolation, match="no IATI identifier"):
		I.build_iati_xml(replace(REPORTER, ref=""), [activity()], GENERATED)
	with pytest.raises(I.IatiRuleViolation, match="no IATI organisation type"):
		I.build_iati_xml(replace(REPORTER, type_code=None), [activity()], GENERATED)


# --------------------------------------------------------------------------------------------
# Status


def test_status_mapping():
	assert {
		s: I.activity_status_code(s) for s in ("Approved", "Active", "Suspended", "Completed", "Cancelled")
	} == {
		"Approved": "1",
		"Active": "2",
		"Suspended": "6",
		"Completed": "4",
		"Cancelled": "5",
	}
	for status in ("Draft", "Under Review", "Nonsense"):
		with pytest.raises(I.IatiRuleViolation, match="not published"):
			I.activity_status_code(status)


# --------------------------------------------------------------------------------------------
# Budget periods


def test_budget_of_exactly_one_year_plus_a_day_stays_one_period():
	periods = I.budget_periods(date(2026, 1, 1), date(2027, 1, 1), 100.0, "USD")
	assert [(p.start, p.end, p.value) for p in periods] == [(date(2026, 1, 1), date(2027, 1, 1), 100.0)]


def test_budget_split_pro_rata():
	periods = I.budget_periods(
		date(2026, 1, 1), date(2027, 12, 31), 1000.0, "USD", value_date=date(2025, 12, 1)
	)
	assert [(p.start, p.end, p.value) for p in periods] == [
		(date(2026, 1, 1), date(2026, 12, 31), 500.0),
		(date(2027, 1, 1), date(2027, 12, 31), 500.0),
	]
	assert {p.value_date for p in periods} == {date(2025, 12, 1)}
	assert {p.currency for p in periods} == {"USD"}


def test_budget_from_29_february():
	periods = I.budget_periods(date(2028, 2, 29), date(2029, 6, 1), 10.0)
	assert periods[0].end == date(2029, 2, 27)
	assert periods[1].start == date(2029, 2, 28)


def test_budget_needs_an_end_after_its_start():
	with pytest.raises(I.IatiRuleViolation, match="must end after it starts"):
		I.budget_periods(date(2026, 1, 1), date(2026, 1, 1), 10.0)
	with pytest.raises(I.IatiRuleViolation, match="negative"):
		I.budget_periods(date(2026, 1, 1), date(2026, 3, 1), -1.0)


@settings(max_examples=300, deadline=None)
@given(
	st.dates(date(2000, 1, 1), date(2040, 12, 31)),
	st.integers(1, 4000),
	st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_budget_periods_are_contiguous_yearly_and_add_up_to_the_cent(start, days, total):
	end = start + timedelta(days=days)
	periods = I.budget_periods(start, end, float(total), "EUR")
	assert periods[0].start == start
	assert periods[-1].end == end
	for before, after in pairwise(periods):
		assert after.start == before.end + timedelta(days=1)
	for p in periods:
		assert p.start < p.end <= add_months(p.start, 12)
		assert Decimal(str(p.value)) == Decimal(str(p.value)).quantize(Decimal("0.01"))
		assert p.value >= 0
	assert sum(Decimal(str(p.value)) for p in periods) == total
	I.check_activity(activity(planned_start=start, planned_end=end, actual_start=None, budgets=periods))


def test_sector_shares_weigh_each_theme_equally():
	from ta_programmes.core.iati import sector_shares

	assert sector_shares(["15130", "22040", "15130"]) == [("15130", 66.67), ("22040", 33.33)]
	assert sector_shares(["15160"]) == [("15160", 100.0)]
	assert sector_shares([]) == []


def test_control_characters_typed_into_a_title_never_make_the_file_unreadable(schema):
	from lxml import etree

	xml = build(activity(title="Cyber\x0bcrime\x01 training\ud800", description="A\x00B\tC"))
	root = etree.fromstring(xml)  # well-formed: lxml refuses PCDATA with control characters
	assert schema.validate(root), schema.error_log
	assert root.find(".//title/narrative").text == "Cybercrime training"


def test_control_characters_in_identifiers_are_refused_and_never_reach_the_file():
	with pytest.raises(I.IatiRuleViolation):
		I.check_reporting_org(I.ReportingOrg("XM-DAC-1\x01", "Org", "40"))
	xml = build(activity(title="T"))
	from lxml import etree

	etree.fromstring(xml)


def with_results() -> I.IatiActivity:
	periods = [
		I.IatiPeriod(date(2026, 1, 15), date(2026, 12, 31), 40.0, [I.IatiActual(35.0), I.IatiActual(20.0, ("sex", "female")), I.IatiActual(None, ("sex", "male"))]),
		I.IatiPeriod(date(2027, 1, 1), date(2027, 6, 30), 60.0, [I.IatiActual(None)]),
	]
	return activity(
		results=[
			I.IatiResult("2", "Prosecutors use electronic evidence lawfully", [
				I.IatiIndicator("Share of trained prosecutors who used electronic evidence in a case", "2", True, 2025, date(2025, 11, 1), 12.5, periods),
				I.IatiIndicator("Laws amended with human-rights safeguards", "1", True, None, None, None, []),
			]),
			I.IatiResult("1", "Prosecutors trained", []),
		]
	)


def test_results_validate_against_the_schema_and_leave_out_what_is_not_published(schema):
	etree = pytest.importorskip("lxml.etree")
	doc = etree.fromstring(build(with_results()))
	assert schema.validate(doc), schema.error_log
	assert len(doc.findall(".//result")) == 1, "a result without indicators is left out"
	result = doc.find(".//result")
	assert result.get("type") == "2"
	indicator = result.find("indicator")
	assert indicator.get("measure") == "2" and indicator.get("ascending") == "1"
	assert indicator.find("baseline").attrib == {"year": "2025", "iso-date": "2025-11-01", "value": "12.5"}
	first, second = indicator.findall("period")
	assert [a.get("value") for a in first.findall("actual")] == ["35", "20"]
	assert first.find("actual/dimension").attrib == {"name": "sex", "value": "female"}
	assert second.find("actual") is None and second.find("target").get("value") == "60"


def test_texts_carry_a_narrative_per_language_they_are_written_in(schema):
	"""Title, description and the human-rights marker in every language they exist in (xml:lang);
	the original stays first, in the activity's default language; an empty or identical version
	adds nothing. The file still validates."""
	a = activity(
		title_versions={"fr": "Renforcement des capacités", "es": "Fomento de la capacidad", "ar": "بناء القدرات", "de": ""},
		description_versions={"es": "Resumen público"},
		hrdd_status_versions={"fr": "Approuvé après examen", "es": activity().hrdd_status},
	)
	xml = build(a)
	etree = pytest.importorskip("lxml.etree")
	assert schema.validate(etree.fromstring(xml)), schema.error_log
	root = parse(xml)
	lang = "{http://www.w3.org/XML/1998/namespace}lang"

	def narratives(path):
		return [(n.get(lang), n.text) for n in root.find(f"iati-activity/{path}").findall("narrative")]

	assert narratives("title") == [
		(None, a.title), ("ar", "بناء القدرات"), ("es", "Fomento de la capacidad"), ("fr", "Renforcement des capacités"),
	]
	assert narratives("description") == [(None, a.description), ("es", "Resumen público")]
	assert narratives("policy-marker") == [(None, a.hrdd_status), ("fr", "Approuvé après examen")]
	assert root.find("iati-activity").get(lang) == "en"


# --------------------------------------------------------------------------------------------
# Streaming: the file one activity at a time, the same bytes as one ElementTree


def whole_tree(org: I.ReportingOrg, activities: list[I.IatiActivity], generated: datetime, marker_uri=None) -> bytes:
	"""The file as it was written before it was streamed: one ElementTree holding every activity,
	indented by ET.indent, every text and attribute through xml_text, serialised by ElementTree."""
	root = ET.Element("iati-activities", {"version": I.IATI_VERSION, "generated-datetime": generated.replace(microsecond=0).isoformat()})
	for a in activities:
		root.append(I.activity_element(org, a, marker_uri))
	ET.indent(root)
	for el in root.iter():
		el.text = (I.xml_text(el.text) or None) if el.text else el.text
		el.attrib.update({k: I.xml_text(v) for k, v in el.attrib.items()})
	return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# Anything a user may type: markup, quotes, line breaks and tabs (escaped differently in text and
# in attributes), characters XML 1.0 cannot carry, right-to-left text, blanks.
typed = st.lists(
	st.sampled_from(list("aZ é&<>\"'\r\n\t\x00\x01\x0b\x1f\ud800\ufffe€ش") + ["  ", "&amp;", "]]>"]), max_size=12
).map(lambda s: "T" + "".join(s))  # never blank: a blank title or name is refused
versions = st.dictionaries(st.sampled_from(["fr", "es", "ar"]), st.one_of(typed, st.just(""), st.just("   ")), max_size=3)
figures = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 10**6).map(float))


@st.composite
def results(draw):
	def period(year):
		actuals = [I.IatiActual(draw(figures))] + [
			I.IatiActual(draw(figures), ("sex", c)) for c in draw(st.lists(st.sampled_from(["female", "male", "other"]), unique=True))
		]
		return I.IatiPeriod(date(year, 1, 1), date(year, 12, 31), draw(figures), actuals)

	indicators = [
		I.IatiIndicator(
			draw(typed), draw(st.sampled_from(["1", "2", "3", "4"])), draw(st.booleans()), draw(st.one_of(st.none(), st.just(2024))),
			draw(st.one_of(st.none(), st.just(date(2024, 3, 1)))), draw(figures), [period(y) for y in range(2025, 2025 + draw(st.integers(0, 2)))],
		)
		for _ in range(draw(st.integers(0, 2)))
	]
	return I.IatiResult(draw(st.sampled_from(["1", "2", "9"])), draw(typed), indicators)


@st.composite
def activities(draw):
	out = []
	for n in range(draw(st.integers(1, 4))):
		out.append(
			activity(
				identifier_suffix=f"TAP-2026-{n:04d}", title=draw(typed), description=draw(typed),
				title_versions=draw(versions), description_versions=draw(versions),
				hrdd_status=draw(typed), hrdd_status_versions=draw(versions),
				funders=[I.IatiOrg(None, draw(typed), "10")], implementers=[I.IatiOrg(None, draw(typed), None)],
				results=draw(st.lists(results(), max_size=2)),
			)
		)
	return out


@settings(max_examples=300, deadline=None)
@given(activities(), st.one_of(st.none(), st.just(MARKER_URI + "?a=1&b=\"2\"")))
def test_the_streamed_file_is_byte_for_byte_the_one_elementtree_writes(acts, marker_uri):
	parts = list(I.iati_xml_parts(REPORTER, acts, GENERATED, marker_uri))
	assert b"".join(parts) == whole_tree(REPORTER, acts, GENERATED, marker_uri)
	assert I.build_iati_xml(REPORTER, acts, GENERATED, marker_uri) == b"".join(parts)
	assert len(parts) == 2 * len(acts) + 1  # head+first, (separator, activity)..., closing tag
	assert parts[0].startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<iati-activities ")


def test_the_stream_reads_one_activity_at_a_time_and_checks_each_before_writing_it():
	pulled = []

	def source():
		for n, a in enumerate([activity(identifier_suffix="TAP-1"), activity(identifier_suffix="TAP-2", countries=[("KE", 60.0)]), activity(identifier_suffix="TAP-3")]):
			pulled.append(n)
			yield a

	stream = I.iati_xml_parts(REPORTER, source(), GENERATED)
	first = next(stream)  # the head and the first activity's opening: only the first was read
	assert pulled == [0] and b"<?xml" in first
	assert b"XM-DAC-41114-TAP-1<" in next(stream)
	with pytest.raises(I.IatiRuleViolation, match=r"IATI activity TAP-2 .*add up to 100"):
		next(stream)
	assert pulled == [0, 1], "the broken activity stops the stream before the next one is read"


def test_a_stream_without_activities_fails_before_its_first_byte():
	with pytest.raises(I.IatiRuleViolation, match="at least one activity"):
		next(I.iati_xml_parts(REPORTER, iter(()), GENERATED))
	with pytest.raises(I.IatiRuleViolation, match="no IATI identifier"):
		next(I.iati_xml_parts(replace(REPORTER, ref=""), [activity()], GENERATED))
	stream = I.iati_xml_parts(REPORTER, [activity(), activity()], GENERATED)
	next(stream), next(stream)
	with pytest.raises(I.IatiRuleViolation, match="appears twice"):
		next(stream)


def test_a_programme_whose_budget_cannot_be_split_is_refused_by_name():
	name = "TAP-2026-0009 (One-day workshop)"
	with pytest.raises(I.IatiRuleViolation, match=r"IATI activity TAP-2026-0009 \(One-day workshop\): the budget period 2026-03-01 to 2026-03-01"):
		I.activity_budgets(name, date(2026, 3, 1), date(2026, 3, 1), 100.0)
	with pytest.raises(I.IatiRuleViolation, match=r"IATI activity TAP-2026-0009 .*is negative"):
		I.activity_budgets(name, date(2026, 3, 1), date(2026, 9, 1), -1.0)
	assert I.activity_budgets(name, date(2026, 3, 1), date(2027, 9, 1), 100.0, "EUR") == I.budget_periods(
		date(2026, 3, 1), date(2027, 9, 1), 100.0, "EUR"
	)


@pytest.mark.parametrize(
	"zone, generated, expected",
	[
		("UTC", datetime(2026, 6, 1, 12, 30, 5), "2026-06-01T12:30:05+00:00"),
		("Asia/Kolkata", datetime(2026, 6, 1, 19, 53), "2026-06-01T19:53:00+05:30"),
		("America/New_York", datetime(2026, 12, 15, 8, 0, 0, 999), "2026-12-15T08:00:00-05:00"),
		("America/New_York", datetime(2026, 7, 15, 8, 0), "2026-07-15T08:00:00-04:00"),
	],
)
def test_datetimes_carry_their_offset(zone, generated, expected):
	"""A site's local time is written with its zone's offset at that date (summer time included),
	so the file names one moment wherever it is read."""
	from zoneinfo import ZoneInfo

	aware = generated.replace(tzinfo=ZoneInfo(zone))
	root = parse(I.build_iati_xml(REPORTER, [activity(last_updated=aware)], aware, marker_uri=MARKER_URI))
	assert root.get("generated-datetime") == expected
	assert root[0].get("last-updated-datetime") == expected
	moment = datetime.fromisoformat(root.get("generated-datetime"))
	assert moment.utcoffset() == aware.utcoffset()
