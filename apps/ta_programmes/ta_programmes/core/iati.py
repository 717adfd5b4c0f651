"""IATI 2.03 activity file for approved programmes.

Each approved (or later) programme becomes one ``iati-activity``. The file carries only public
facts about the programme: its title and description, who funds, is accountable for and
implements it, its status and dates, recipient countries, OECD-DAC sectors, the human-rights
due-diligence (HRDD) marker and its budget. No person, no review content, no participant count.

The element order, the required attributes and the codes follow the IATI 2.03 activity schema
(``iati-activities-schema.xsd``) and codelists; :func:`check_activity` applies the rules the
schema cannot express (the IATI Standard ruleset and the budget guidance):

- a start date, planned or actual, is given; planned start <= planned end and actual start <= actual
  end; actual dates are not in the future;
- recipient-country percentages add up to 100 when there is more than one country or any
  percentage is given; likewise sector percentages within each sector vocabulary;
- there is at least one sector;
- a budget period starts before it ends and ends no more than one year after it starts; budget
  periods of the same type do not overlap;
- identifiers (the activity's and organisations') are not empty and have none of ``/ & | ?``.

:func:`iati_xml_parts` writes the file one activity at a time and checks each before writing it;
:func:`build_iati_xml` joins the parts. Nothing of a file whose check fails may be published: the
Frappe layer (``ta_programmes.api.iati``) writes the whole stream aside before sending a byte.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from .constants import IATI_ORGANISATION_TYPES
from .errors import RuleViolation
from .i18n import _
from .oversight import add_months
from .rules import SHARE_TOLERANCE

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Programme status -> IATI ActivityStatus code. Codes 3 and 4 are "Finalisation" (complete,
# pending financial sign-off or M&E) and "Closed" in the current codelist; a completed
# programme is closed.
ACTIVITY_STATUS = {"Approved": "1", "Active": "2", "Completed": "4", "Cancelled": "5", "Suspended": "6"}

# OrganisationRole codes.
FUNDING, ACCOUNTABLE, IMPLEMENTING = "1", "2", "4"
# ActivityDateType codes.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
DESCRIPTION_GENERAL = "1"
SECTOR_VOCABULARY_DAC5 = "1"
POLICY_MARKER_VOCABULARY_OWN = "99"  # "Reporting Organisation": the app's own HRDD marker
HRDD_MARKER_CODE = "1"
HRDD_SIGNIFICANCE = (0, 1, 2)  # PolicySignificance: not targeted, significant, principal objective
BUDGET_ORIGINAL, BUDGET_INDICATIVE = "1", "1"

_FORBIDDEN_IN_IDENTIFIERS = re.compile(r"[/&|?]")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DAC5 = re.compile(r"^\d{5}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
CENT = Decimal("0.01")


class IatiRuleViolation(RuleViolation):
	title = _("IATI Check Failed")


# --------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class IatiOrg:
	ref: str | None
	name: str
	type_code: str | None


@dataclass(frozen=True)
class ReportingOrg:
	ref: str
	name: str
	type_code: str


@dataclass(frozen=True)
class IatiBudget:
	start: date
	end: date
	value: float
	currency: str
	value_date: date


@dataclass(frozen=True)
class IatiActivity:
	identifier_suffix: str
	title: str
	description: str
	status: str  # programme status: Approved, Active, Completed, Suspended or Cancelled
	planned_start: date | None
	planned_end: date | None
	actual_start: date | None
	actual_end: date | None
	funders: list[IatiOrg]
	accountable: IatiOrg
	implementers: list[IatiOrg]
	countries: list[tuple[str, float | None]]  # (ISO 3166-1 alpha-2, percentage)
	sectors: list[tuple[str, float | None]]  # (OECD-DAC 5-digit purpose code, percentage)
	budgets: list[IatiBudget]
	currency: str
	hrdd_status: str  # e.g. "approved with OHCHR and civil-society sign-off"
	hrdd_significance: int  # 0, 1 or 2
	last_updated: datetime
	results: list[IatiResult] = field(default_factory=list)
	# The same texts in other languages, {"fr": "..."}: each becomes a narrative with its xml:lang.
	title_versions: dict[str, str] = field(default_factory=dict)
	description_versions: dict[str, str] = field(default_factory=dict)
	hrdd_status_versions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IatiActual:
	value: float | None  # None: not published (suppressed)
	dimension: tuple[str, str] | None = None  # (name, value), e.g. ("sex", "female")


@dataclass(frozen=True)
class IatiPeriod:
	start: date
	end: date
	target: float | None
	actuals: list[IatiActual]


@dataclass(frozen=True)
class IatiIndicator:
	title: str
	measure: str  # IndicatorMeasure: 1 unit, 2 percentage, 3 nominal, 4 ordinal
	ascending: bool
	baseline_year: int | None
	baseline_date: date | None
	baseline_value: float | None
	periods: list[IatiPeriod]


@dataclass(frozen=True)
class IatiResult:
	type_code: str  # ResultType: 1 output, 2 outcome
	title: str
	indicators: list[IatiIndicator]


# --------------------------------------------------------------------------------------------
# Codes and budgets


def activity_status_code(status: str) -> str:
	"""The IATI ActivityStatus code of a programme status; only approved programmes are published."""
	try:
		return ACTIVITY_STATUS[status]
	except KeyError:
		raise IatiRuleViolation(
			_(
				"A programme that is {0} is not published to IATI; only Approved, Active, Suspended, Completed and Cancelled ones are."
			),
			status,
		) from None


def one_year_after(start: date) -> date:
	"""The last day a budget period starting on ``start`` may end (29 February gives 28 February)."""
	return add_months(start, 12)


def budget_periods(
	start: date, end: date, total: float, currency: str = "", value_date: date | None = None
) -> list[IatiBudget]:
	"""Split a programme budget into consecutive periods of at most one year, pro rata by days.

	Periods run from the start in yearly steps (start .. the day before its anniversary), the next
	one starting the day after the previous one ends; a final period of a single day is folded
	into the previous one, which IATI allows (a period may end exactly one year after it starts).
	Amounts are rounded to the cent by the largest-remainder method, so they add up to the total
	exactly. ``value_date`` defaults to the start of the programme.
	"""
	if end <= start:
		raise IatiRuleViolation(
			_("The budget period {0} to {1} must end after it starts."), start.isoformat(), end.isoformat()
		)
	if total < 0:
		raise IatiRuleViolation(_("The budget cannot be negative ({0})."), total)
	bounds: list[tuple[date, date]] = []
	cursor = start
	while cursor <= end:
		bounds.append((cursor, min(end, one_year_after(cursor) - timedelta(days=1))))
		cursor = bounds[-1][1] + timedelta(days=1)
	if len(bounds) > 1 and bounds[-1][0] == bounds[-1][1]:
		bounds[-2:] = [(bounds[-2][0], bounds[-1][1])]
	days = [(e - s).days + 1 for s, e in bounds]
	amounts = split_cents(Decimal(str(total)), days)
	return [
		IatiBudget(s, e, float(amount), currency, value_date or start)
		for (s, e), amount in zip(bounds, amounts, strict=True)
	]


def activity_budgets(
	name: str, start: date, end: date, total: float, currency: str = "", value_date: date | None = None
) -> list[IatiBudget]:
	""":func:`budget_periods` of the activity ``name`` (its :func:`activity_label`): a programme
	whose budget cannot be split (it ends the day it starts, or its budget is negative) is refused
	with a message naming it, like any other IATI rule."""
	if end <= start:
		raise IatiRuleViolation(
			_("IATI activity {0}: the budget period {1} to {2} must end after it starts."),
			name,
			start.isoformat(),
			end.isoformat(),
		)
	if total < 0:
		raise IatiRuleViolation(
			_("IATI activity {0}: the budget for {1} to {2} is negative."), name, start.isoformat(), end.isoformat()
		)
	return budget_periods(start, end, total, currency, value_date)


def split_cents(total: Decimal, weights: list[int]) -> list[Decimal]:
	"""Split ``total`` (rounded half-up to the cent) pro rata to ``weights``, in whole cents."""
	cents = int(total.quantize(CENT, rounding=ROUND_HALF_UP) * 100)
	whole = sum(weights)
	shares = [cents * w // whole for w in weights]
	remainders = sorted(range(len(weights)), key=lambda i: (-(cents * weights[i] % whole), i))
	for i in remainders[: cents - sum(shares)]:
		shares[i] += 1
	return [Decimal(share) / 100 for share in shares]


# --------------------------------------------------------------------------------------------
# Checks


def check_activity(a: IatiActivity, today: date | None = None) -> None:
	"""Raise :class:`IatiRuleViolation` naming the activity when it breaks an IATI rule.

	``today``, when given, also refuses actual dates in the future.
	"""
	name = activity_label(a)
	if not (a.identifier_suffix or "").strip():
		raise IatiRuleViolation(_("IATI activity {0}: the activity identifier is empty."), name)
	_check_identifier(name, _("the activity"), a.identifier_suffix)
	if a.status not in ACTIVITY_STATUS:
		raise IatiRuleViolation(
			_(
				"IATI activity {0}: a programme that is {1} is not published; only Approved, Active, Suspended, Completed and Cancelled ones are."
			),
			name,
			a.status,
		)
	if not (a.title or "").strip():
		raise IatiRuleViolation(_("IATI activity {0}: the title is empty."), name)
	if not (a.description or "").strip():
		raise IatiRuleViolation(_("IATI activity {0}: the description is empty."), name)
	if not _CURRENCY.match(a.currency or ""):
		raise IatiRuleViolation(
			_("IATI activity {0}: {1} is not an ISO 4217 currency code."), name, a.currency
		)
	_check_dates(name, a, today)
	for org in (*a.funders, a.accountable, *a.implementers):
		_check_org(name, org)
	_check_codes(
		name,
		_("recipient country"),
		[c for c, _p in a.countries],
		_COUNTRY,
		_("two capital letters (ISO 3166-1)"),
	)
	_check_percentages(name, _("recipient-country"), a.countries)
	if not a.sectors:
		raise IatiRuleViolation(_("IATI activity {0}: give at least one OECD-DAC sector."), name)
	_check_codes(
		name, _("sector"), [c for c, _p in a.sectors], _DAC5, _("an OECD-DAC purpose code of five digits")
	)
	_check_percentages(name, _("sector"), a.sectors)  # one vocabulary: OECD-DAC 5-digit
	if a.hrdd_significance not in HRDD_SIGNIFICANCE:
		raise IatiRuleViolation(
			_("IATI activity {0}: the HRDD marker significance must be 0, 1 or 2, not {1}."),
			name,
			a.hrdd_significance,
		)
	if not (a.hrdd_status or "").strip():
		raise IatiRuleViolation(_("IATI activity {0}: the HRDD status is empty."), name)
	_check_budgets(name, a.budgets)


def check_reporting_org(org: ReportingOrg) -> None:
	"""The publisher: an identifier, a name and an IATI organisation type are required."""
	if not (org.ref or "").strip():
		raise IatiRuleViolation(_("The reporting organisation {0} has no IATI identifier."), org.name)
	if not _valid_identifier(org.ref):
		raise IatiRuleViolation(
			_("The reporting organisation identifier “{0}” may not contain / & | ? or spaces around it."),
			org.ref,
		)
	if not (org.name or "").strip():
		raise IatiRuleViolation(_("The reporting organisation {0} has no name."), org.ref)
	if org.type_code not in IATI_ORGANISATION_TYPES:
		raise IatiRuleViolation(
			_("The reporting organisation {0} has no IATI organisation type (it has {1})."),
			org.ref,
			org.type_code,
		)


def activity_label(a: IatiActivity) -> str:
	return f"{a.identifier_suffix} ({a.title})" if a.title else a.identifier_suffix


def _valid_identifier(value: str) -> bool:
	"""IATI identifiers may not contain ``/ & | ?`` (standard ruleset) nor start or end with spaces,
	nor characters XML cannot carry."""
	return not _FORBIDDEN_IN_IDENTIFIERS.search(value) and value == value.strip() and not _NOT_XML.search(value)


def _check_identifier(name: str, owner: str, value: str) -> None:
	if not _valid_identifier(value):
		raise IatiRuleViolation(
			_("IATI activity {0}: the identifier “{1}” of {2} may not contain / & | ? or spaces around it."),
			name,
			value,
			owner,
		)


def _check_dates(name: str, a: IatiActivity, today: date | None) -> None:
	if not (a.planned_start or a.actual_start):
		raise IatiRuleViolation(_("IATI activity {0}: give a planned or an actual start date."), name)
	for kind, start, end in (
		(_("planned"), a.planned_start, a.planned_end),
		(_("actual"), a.actual_start, a.actual_end),
	):
		if start and end and end < start:
			raise IatiRuleViolation(
				_("IATI activity {0}: the {1} end {2} is before the {1} start {3}."),
				name,
				kind,
				end.isoformat(),
				start.isoformat(),
			)
	for label, value in ((_("actual start"), a.actual_start), (_("actual end"), a.actual_end)):
		if today and value and value > today:
			raise IatiRuleViolation(
				_("IATI activity {0}: the {1} {2} is in the future."), name, label, value.isoformat()
			)


def _check_org(name: str, org: IatiOrg) -> None:
	if not (org.ref or "").strip() and not (org.name or "").strip():
		raise IatiRuleViolation(
			_("IATI activity {0}: a participating organisation has neither identifier nor name."), name
		)
	if org.ref:
		_check_identifier(name, org.name or org.ref, org.ref)
	if org.type_code and org.type_code not in IATI_ORGANISATION_TYPES:
		raise IatiRuleViolation(
			_("IATI activity {0}: {1} is not an IATI organisation type (organisation {2})."),
			name,
			org.type_code,
			org.name,
		)


def _check_codes(name: str, what: str, codes: list[str], pattern: re.Pattern, expected: str) -> None:
	for code in codes:
		if not pattern.match(code or ""):
			raise IatiRuleViolation(
				_("IATI activity {0}: {1} code “{2}” is not {3}."), name, what, code, expected
			)
	duplicates = sorted({c for c in codes if codes.count(c) > 1})
	if duplicates:
		raise IatiRuleViolation(
			_("IATI activity {0}: {1} {2} is listed more than once."), name, what, ", ".join(duplicates)
		)


def _check_percentages(name: str, what: str, items: list[tuple[str, float | None]]) -> None:
	"""Percentages add up to 100 (to 0.01) when there are several items or any has a percentage."""
	given = [p for _code, p in items if p is not None]
	if not given and len(items) <= 1:
		return
	if len(given) < len(items):
		missing = ", ".join(code for code, p in items if p is None)
		raise IatiRuleViolation(_("IATI activity {0}: give a {1} percentage for {2}."), name, what, missing)
	for code, p in items:
		if not 0 <= p <= 100:
			raise IatiRuleViolation(
				_("IATI activity {0}: the {1} percentage of {2} is {3}, not between 0 and 100."),
				name,
				what,
				code,
				p,
			)
	total = sum(Decimal(str(p)) for p in given)
	if abs(total - 100) > SHARE_TOLERANCE:
		raise IatiRuleViolation(
			_("IATI activity {0}: {1} percentages must add up to 100; they add up to {2}."),
			name,
			what,
			_decimal_text(total),
		)


def _check_budgets(name: str, budgets: list[IatiBudget]) -> None:
	for b in budgets:
		period = (b.start.isoformat(), b.end.isoformat())
		if b.end <= b.start:
			raise IatiRuleViolation(
				_("IATI activity {0}: the budget period {1} to {2} must end after it starts."), name, *period
			)
		if b.end > one_year_after(b.start):
			raise IatiRuleViolation(
				_(
					"IATI activity {0}: the budget period {1} to {2} is longer than one year; split it into yearly periods."
				),
				name,
				*period,
			)
		if b.value < 0:
			raise IatiRuleViolation(
				_("IATI activity {0}: the budget for {1} to {2} is negative."), name, *period
			)
		if b.currency and not _CURRENCY.match(b.currency):
			raise IatiRuleViolation(
				_("IATI activity {0}: {1} is not an ISO 4217 currency code."), name, b.currency
			)
	ordered = sorted(budgets, key=lambda b: b.start)
	for before, after in pairwise(ordered):
		if after.start <= before.end:
			raise IatiRuleViolation(
				_("IATI activity {0}: the budget periods ending {1} and starting {2} overlap."),
				name,
				before.end.isoformat(),
				after.start.isoformat(),
			)


# --------------------------------------------------------------------------------------------
# XML


def build_iati_xml(
	reporting_org: ReportingOrg,
	activities: list[IatiActivity],
	generated: datetime,
	marker_uri: str | None = None,
) -> bytes:
	"""The IATI 2.03 activity file (UTF-8 bytes) for ``activities``, published by ``reporting_org``:
	:func:`iati_xml_parts` joined.

	Every activity is checked (actual dates against ``generated``); identifiers must be unique in
	the file. ``marker_uri`` is the public page that describes the HRDD policy marker (the
	``vocabulary-uri`` of a reporting-organisation marker); it is omitted when not given.
	"""
	return b"".join(iati_xml_parts(reporting_org, activities, generated, marker_uri))


_ROOT = "iati-activities"
_INDENT = "  "  # ET.indent's default: the file is indented as ET.indent(root) writes it


def iati_xml_parts(
	reporting_org: ReportingOrg,
	activities: Iterable[IatiActivity],
	generated: datetime,
	marker_uri: str | None = None,
) -> Iterator[bytes]:
	"""The IATI file as it is written, one activity at a time: the XML declaration and the opening
	tag (with the first activity), then each activity, then the closing tag. Joined, the parts are
	the file ElementTree writes for the whole tree indented with ``ET.indent``; only one activity's
	elements are in memory at a time, so ``activities`` can be a generator reading the data in
	chunks.

	Each activity is checked as it comes (:func:`check_activity` against ``generated``, and its
	identifier unique in the file), so a violation is raised part-way through the stream, and a
	stream without any activity raises before its first part. A caller that sends the parts as they
	come must therefore have checked every activity first, or write the parts somewhere and send
	them only once the generator is exhausted (``ta_programmes.api.iati`` does the latter).
	"""
	check_reporting_org(reporting_org)
	seen: set[str] = set()
	for a in activities:
		check_activity(a, generated.date())
		if a.identifier_suffix in seen:
			raise IatiRuleViolation(_("IATI activity {0} appears twice in the file."), activity_label(a))
		yield _xml_head(generated) if not seen else f"\n{_INDENT}".encode()
		seen.add(a.identifier_suffix)
		yield activity_xml(reporting_org, a, marker_uri)
	if not seen:
		raise IatiRuleViolation(
			_("There is no approved programme to publish: an IATI file needs at least one activity.")
		)
	yield f"\n</{_ROOT}>".encode()


def _xml_head(generated: datetime) -> bytes:
	"""The XML declaration, the opening ``iati-activities`` tag and the indentation of its first child."""
	root = ET.Element(_ROOT, {"version": IATI_VERSION, "generated-datetime": _datetime_text(generated)})
	root.attrib.update({k: xml_text(v) for k, v in root.attrib.items()})
	root.text = f"\n{_INDENT}"
	whole = ET.tostring(root, encoding="utf-8", xml_declaration=True)
	return whole[: whole.rindex(f"</{_ROOT}>".encode())]


def activity_xml(reporting_org: ReportingOrg, a: IatiActivity, marker_uri: str | None = None) -> bytes:
	"""One ``iati-activity`` as it appears in the file (indented as a child of the root, without
	the whitespace that follows it). Not checked: see :func:`iati_xml_parts`.

	Written directly as text, in half the time :func:`activity_element` and ElementTree's
	serialiser take (0.21 s against 0.38 s for 1 777 programmes), and to the same bytes:
	ElementTree's output once the whole tree is indented by ``ET.indent`` and every text and
	attribute passed through :func:`xml_text` — the way the file was written before it was
	streamed (tests/core/test_iati.py holds the two to the same bytes).
	"""
	org = reporting_org
	L = 2  # the level of the activity's children
	children = [
		_leaf("iati-identifier", {}, f"{org.ref}-{a.identifier_suffix}"),
		_narrative_xml("reporting-org", org.name, L, ref=org.ref, type=org.type_code),
		_narrative_xml("title", a.title, L, versions=a.title_versions),
		_narrative_xml("description", a.description, L, versions=a.description_versions, type=DESCRIPTION_GENERAL),
	]
	for role, orgs in ((FUNDING, a.funders), (ACCOUNTABLE, [a.accountable]), (IMPLEMENTING, a.implementers)):
		children += [_narrative_xml("participating-org", o.name, L, ref=o.ref, type=o.type_code, role=role) for o in orgs]
	children.append(_leaf("activity-status", {"code": activity_status_code(a.status)}))
	dates = ((PLANNED_START, a.planned_start), (ACTUAL_START, a.actual_start), (PLANNED_END, a.planned_end), (ACTUAL_END, a.actual_end))
	children += [_leaf("activity-date", {"type": kind, "iso-date": day.isoformat()}) for kind, day in dates if day]
	children += [_leaf("recipient-country", _attributes(code=c, percentage=p)) for c, p in exact_percentages(a.countries)]
	children += [
		_leaf("sector", _attributes(vocabulary=SECTOR_VOCABULARY_DAC5, code=c, percentage=p)) for c, p in exact_percentages(a.sectors)
	]
	marker = {"vocabulary": POLICY_MARKER_VOCABULARY_OWN, "vocabulary-uri": marker_uri}
	marker |= {"code": HRDD_MARKER_CODE, "significance": str(a.hrdd_significance)}
	children.append(_narrative_xml("policy-marker", a.hrdd_status, L, versions=a.hrdd_status_versions, **marker))
	for b in a.budgets:
		value = _decimal_text(Decimal(str(b.value)).quantize(CENT, rounding=ROUND_HALF_UP))
		budget = [
			_leaf("period-start", {"iso-date": b.start.isoformat()}),
			_leaf("period-end", {"iso-date": b.end.isoformat()}),
			_leaf("value", _attributes(currency=b.currency or a.currency, **{"value-date": b.value_date.isoformat()}), value),
		]
		children.append(_parent("budget", {"type": BUDGET_ORIGINAL, "status": BUDGET_INDICATIVE}, budget, L))
	children += [_result_xml(r, L) for r in a.results if r.indicators]  # the schema wants an indicator per result
	attributes = {"last-updated-datetime": _datetime_text(a.last_updated), XML_LANG: "en", "default-currency": a.currency}
	return _parent("iati-activity", attributes, children, 1).encode("utf-8", "xmlcharrefreplace")


def _result_xml(r: IatiResult, level: int) -> str:
	""":func:`_result` as text, at ``level``."""
	indicators = []
	for ind in r.indicators:
		children = [_narrative_xml("title", ind.title, level + 2)]
		if ind.baseline_year:
			baseline = _attributes(
				year=str(ind.baseline_year),
				**{"iso-date": ind.baseline_date.isoformat() if ind.baseline_date else None},
				value=_figure(ind.baseline_value),
			)
			children.append(_leaf("baseline", baseline))
		for p in ind.periods:
			period = [_leaf("period-start", {"iso-date": p.start.isoformat()}), _leaf("period-end", {"iso-date": p.end.isoformat()})]
			if p.target is not None:
				period.append(_leaf("target", {"value": _figure(p.target)}))
			for actual in p.actuals:
				if actual.value is None:
					continue
				if actual.dimension:
					dimension = _leaf("dimension", {"name": actual.dimension[0], "value": actual.dimension[1]})
					period.append(_parent("actual", {"value": _figure(actual.value)}, [dimension], level + 3))
				else:
					period.append(_leaf("actual", {"value": _figure(actual.value)}))
			children.append(_parent("period", {}, period, level + 2))
		attributes = {"measure": ind.measure, "ascending": "1" if ind.ascending else "0", "aggregation-status": "0"}
		indicators.append(_parent("indicator", attributes, children, level + 1))
	title = _narrative_xml("title", r.title, level + 1)
	return _parent("result", {"type": r.type_code, "aggregation-status": "0"}, [title, *indicators], level)


def _narrative_xml(tag: str, text: str, level: int, versions: dict[str, str] | None = None, **attributes: str | None) -> str:
	""":func:`_narrated` as text, at ``level``."""
	narratives = [_leaf("narrative", {}, text)]
	for lang, version in sorted((versions or {}).items()):
		if (version or "").strip() and version != text:
			narratives.append(_leaf("narrative", {XML_LANG: lang}, version))
	return _parent(tag, _attributes(**attributes), narratives, level)


_QNAMES = {XML_LANG: "xml:lang"}


def _start(tag: str, attributes: dict[str, str]) -> str:
	return "<" + tag + "".join(f' {_QNAMES.get(k, k)}="{_escape_attribute(xml_text(v))}"' for k, v in attributes.items())


def _leaf(tag: str, attributes: dict[str, str], text: str | None = None) -> str:
	"""An element without children, as ElementTree writes it (``<tag />`` when it has no text)."""
	if text and (text := xml_text(text)):
		return f"{_start(tag, attributes)}>{_escape_text(text)}</{tag}>"
	return _start(tag, attributes) + " />"


def _parent(tag: str, attributes: dict[str, str], children: list[str], level: int) -> str:
	"""An element at ``level`` whose children (written at ``level + 1``) are indented as ET.indent does."""
	if not children:
		return _leaf(tag, attributes)
	inner = "\n" + _INDENT * (level + 1)
	return f"{_start(tag, attributes)}>{inner}{inner.join(children)}\n{_INDENT * level}</{tag}>"


def _escape_text(text: str) -> str:
	"""Character data escaped as ElementTree escapes it."""
	if "&" in text:
		text = text.replace("&", "&amp;")
	if "<" in text:
		text = text.replace("<", "&lt;")
	if ">" in text:
		text = text.replace(">", "&gt;")
	return text


_ATTRIBUTE_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escape_attribute(value: str) -> str:
	"""An attribute value escaped as ElementTree escapes it."""
	for char, entity in _ATTRIBUTE_ESCAPES:
		if char in value:
			value = value.replace(char, entity)
	return value


def activity_element(org: ReportingOrg, a: IatiActivity, marker_uri: str | None = None) -> ET.Element:
	"""One ``iati-activity`` as an ElementTree element, its children in the order of the schema's
	sequence: the reference form of :func:`activity_xml` (which writes the same activity directly,
	for speed; a change to one is a change to both, and the tests compare them)."""
	el = ET.Element(
		"iati-activity",
		{
			"last-updated-datetime": _datetime_text(a.last_updated),
			XML_LANG: "en",
			"default-currency": a.currency,
		},
	)
	ET.SubElement(el, "iati-identifier").text = f"{org.ref}-{a.identifier_suffix}"
	_narrated(el, "reporting-org", org.name, ref=org.ref, type=org.type_code)
	_narrated(el, "title", a.title, versions=a.title_versions)
	_narrated(el, "description", a.description, versions=a.description_versions, type=DESCRIPTION_GENERAL)
	for role, orgs in ((FUNDING, a.funders), (ACCOUNTABLE, [a.accountable]), (IMPLEMENTING, a.implementers)):
		for o in orgs:
			_narrated(el, "participating-org", o.name, ref=o.ref, type=o.type_code, role=role)
	ET.SubElement(el, "activity-status", code=activity_status_code(a.status))
	dates = (
		(PLANNED_START, a.planned_start),
		(ACTUAL_START, a.actual_start),
		(PLANNED_END, a.planned_end),
		(ACTUAL_END, a.actual_end),
	)
	for kind, day in dates:
		if day:
			ET.SubElement(el, "activity-date", {"type": kind, "iso-date": day.isoformat()})
	for code, percentage in exact_percentages(a.countries):
		ET.SubElement(el, "recipient-country", _attributes(code=code, percentage=percentage))
	for code, percentage in exact_percentages(a.sectors):
		ET.SubElement(
			el,
			"sector",
			_attributes(vocabulary=SECTOR_VOCABULARY_DAC5, code=code, percentage=percentage),
		)
	marker = {"vocabulary": POLICY_MARKER_VOCABULARY_OWN, "vocabulary-uri": marker_uri}
	marker |= {"code": HRDD_MARKER_CODE, "significance": str(a.hrdd_significance)}
	_narrated(el, "policy-marker", a.hrdd_status, versions=a.hrdd_status_versions, **marker)
	for b in a.budgets:
		budget = ET.SubElement(el, "budget", type=BUDGET_ORIGINAL, status=BUDGET_INDICATIVE)
		ET.SubElement(budget, "period-start", {"iso-date": b.start.isoformat()})
		ET.SubElement(budget, "period-end", {"iso-date": b.end.isoformat()})
		value = ET.SubElement(
			budget,
			"value",
			_attributes(currency=b.currency or a.currency, **{"value-date": b.value_date.isoformat()}),
		)
		value.text = _decimal_text(Decimal(str(b.value)).quantize(CENT, rounding=ROUND_HALF_UP))
	for r in a.results:
		if r.indicators:  # the schema wants at least one indicator per result
			el.append(_result(r))
	return el


def _result(r: IatiResult) -> ET.Element:
	"""A ``result``: its indicators with baseline and, per period, target and actuals (a headline
	actual, then one per published category with its ``dimension``). Values not published are
	left out, never written as text."""
	el = ET.Element("result", {"type": r.type_code, "aggregation-status": "0"})
	_narrated(el, "title", r.title)
	for ind in r.indicators:
		indicator = ET.SubElement(
			el, "indicator", {"measure": ind.measure, "ascending": "1" if ind.ascending else "0", "aggregation-status": "0"}
		)
		_narrated(indicator, "title", ind.title)
		if ind.baseline_year:
			ET.SubElement(
				indicator,
				"baseline",
				_attributes(
					year=str(ind.baseline_year),
					**{"iso-date": ind.baseline_date.isoformat() if ind.baseline_date else None},
					value=_figure(ind.baseline_value),
				),
			)
		for p in ind.periods:
			period = ET.SubElement(indicator, "period")
			ET.SubElement(period, "period-start", {"iso-date": p.start.isoformat()})
			ET.SubElement(period, "period-end", {"iso-date": p.end.isoformat()})
			if p.target is not None:
				ET.SubElement(period, "target", value=_figure(p.target))
			for actual in p.actuals:
				if actual.value is None:
					continue
				a = ET.SubElement(period, "actual", value=_figure(actual.value))
				if actual.dimension:
					ET.SubElement(a, "dimension", name=actual.dimension[0], value=actual.dimension[1])
	return el


def _figure(value: float | None) -> str | None:
	if value is None:
		return None
	return _decimal_text(Decimal(str(round(float(value), 2))))


# Characters XML 1.0 does not allow (control characters other than tab, newline, carriage return;
# lone surrogates; U+FFFE/U+FFFF). A title typed with one must not make the public file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str | None) -> str:
	"""Text as XML 1.0 can carry it: characters it forbids are dropped."""
	if not text:
		return ""
	return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def _narrated(parent: ET.Element, tag: str, text: str, versions: dict[str, str] | None = None, **attributes: str | None) -> ET.Element:
	"""``tag`` with a narrative in the activity's default language, then one per other language
	the text is written in (``xml:lang``), in a stable order."""
	el = ET.SubElement(parent, tag, _attributes(**attributes))
	ET.SubElement(el, "narrative").text = xml_text(text)
	for lang, version in sorted((versions or {}).items()):
		if (version or "").strip() and version != text:
			ET.SubElement(el, "narrative", {XML_LANG: lang}).text = xml_text(version)
	return el


def _attributes(**values: str | None) -> dict[str, str]:
	return {key: value for key, value in values.items() if value not in (None, "")}


def exact_percentages(items: list[tuple[str, float | None]]) -> list[tuple[str, str | None]]:
	"""Percentages as written: to the hundredth and adding up to exactly 100.

	The checks accept a sum within 0.01 of 100 (three thirds as 33.33), but the IATI ruleset
	compares the sum exactly; the hundredths are shared out pro rata like budget cents.
	"""
	if not items or any(p is None for _code, p in items):
		return [(code, None if p is None else _decimal_text(Decimal(str(p)))) for code, p in items]
	weights = [int(Decimal(str(p)) * 10_000) for _code, p in items]
	if not sum(weights):
		return [(code, "0") for code, _p in items]
	shares = split_cents(Decimal(100), weights)
	return [(code, _decimal_text(share)) for (code, _p), share in zip(items, shares, strict=True)]


def _decimal_text(value: Decimal) -> str:
	return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _datetime_text(value: datetime) -> str:
	"""An xsd:dateTime with its offset (``2026-06-01T14:30:05+02:00``): a time without one names no
	moment. The site passes times in its own zone (see ``api.iati.in_site_zone``); a naive value is
	read as UTC."""
	if value.tzinfo is None:
		value = value.replace(tzinfo=timezone.utc)
	return value.replace(microsecond=0).isoformat()


def sector_shares(dac_codes: list[str]) -> list[tuple[str, float]]:
	"""A programme's sectors from its thematic areas: each area weighs the same, and areas that
	share a DAC purpose code add up (two legal areas and one ICT area: 66.67 / 33.33)."""
	if not dac_codes:
		return []
	counts: dict[str, int] = {}
	for code in dac_codes:
		counts[code] = counts.get(code, 0) + 1
	return [(code, round(100 * n / len(dac_codes), 2)) for code, n in counts.items()]
