"""Reading IATI activity files of other publishers (IATI standard 2.01, 2.02, 2.03).

:func:`parse` reads the whole file first and returns one :class:`ExternalActivity` per
``iati-activity``, or refuses the file with a :class:`ImportRefused` naming the line; the caller
writes only after a successful parse, so a bad file leaves nothing half-imported.

What is kept, per activity: ``iati-identifier`` (the re-import key), the ``reporting-org`` (ref and
first narrative), the first ``title/narrative``, the ``recipient-country`` codes, the ``sector``
codes with their vocabulary (default 1, DAC 5-digit), the dates and the budget.

- Dates: ``activity-date`` types 1 planned start, 2 actual start, 3 planned end, 4 actual end. The
  actual date is preferred to the planned one (what happened, or is happening, is what another
  agency coordinates with), each end independently: an activity with an actual start and only a
  planned end keeps both. An activity without any start date cannot be placed in time: it is kept
  and counted, but no check compares it. No end: open-ended.
- Budget: the ``budget/value`` elements summed; where a period has a revised budget (type 2) its
  original (type 1) is not counted again. Each value's currency is its ``@currency`` or the
  activity's ``@default-currency``; when they differ the total is left empty (no exchange rates
  here) and the currency says "mixed".

Refused, naming the line: not XML or malformed XML (lxml's own line), a DOCTYPE (IATI files have
none; it is how entity attacks begin), a root other than ``iati-activities``, a version other
than 2.01-2.03, an activity without identifier, the same identifier twice, a country code that is
not two letters, a date that is not YYYY-MM-DD, a budget value that is not a number. The parser
resolves no entities, never reaches the network, refuses huge trees and files over
:data:`MAX_BYTES`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from .errors import RuleViolation
from .i18n import _

SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")
MAX_BYTES = 20 * 1024 * 1024
MAX_ACTIVITIES = 100_000
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
BUDGET_ORIGINAL, BUDGET_REVISED = "1", "2"
MIXED = "mixed"
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class ImportRefused(RuleViolation):
	title = _("IATI File Refused")


@dataclass(frozen=True)
class ExternalActivity:
	identifier: str
	title: str
	reporting_org_ref: str
	reporting_org_name: str
	countries: tuple[str, ...]  # ISO 3166-1 alpha-2, upper case, file order, no repeats
	sectors: tuple[tuple[str, str], ...]  # (code, vocabulary)
	start: date | None
	end: date | None
	budget: Decimal | None
	currency: str
	line: int

	def fingerprint(self) -> str:
		"""What a re-import compares: equal fingerprints, nothing to update."""
		data = asdict(self)
		data.pop("line")
		return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _parser() -> etree.XMLParser:
	return etree.XMLParser(
		resolve_entities=False,
		no_network=True,
		huge_tree=False,
		load_dtd=False,
		dtd_validation=False,
		remove_comments=True,
		remove_pis=True,
	)


def _text(el) -> str:
	return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _narrative(el) -> str:
	if el is None:
		return ""
	first = el.find("narrative")
	return _text(first) if first is not None else _text(el)


def _date(el, identifier: str) -> date:
	value = (el.get("iso-date") or "").strip()
	try:
		if not _DATE.match(value):
			raise ValueError(value)
		return date.fromisoformat(value[:10])
	except ValueError:
		raise ImportRefused(
			_("Line {0}: activity {1} has a date that is not YYYY-MM-DD: “{2}”."),
			el.sourceline,
			identifier,
			value[:40],
		) from None


def _number(el, identifier: str) -> Decimal:
	raw = _text(el)
	try:
		value = Decimal(raw.replace(",", "")) if raw else Decimal("NaN")
	except InvalidOperation:
		value = Decimal("NaN")
	if not value.is_finite():
		raise ImportRefused(
			_("Line {0}: activity {1} has a budget value that is not a number: “{2}”."),
			el.sourceline,
			identifier,
			raw[:40],
		)
	return value


def parse(content: bytes) -> list[ExternalActivity]:
	if not isinstance(content, bytes | bytearray):
		raise ImportRefused(_("The IATI file must be uploaded as a file."))
	if len(content) > MAX_BYTES:
		raise ImportRefused(_("The IATI file is larger than {0} MB."), MAX_BYTES // (1024 * 1024))
	if not content.strip():
		raise ImportRefused(_("The IATI file is empty."))
	try:
		root = etree.fromstring(bytes(content), parser=_parser())
	except etree.XMLSyntaxError as e:
		line = e.lineno or (e.position[0] if getattr(e, "position", None) else 0)
		raise ImportRefused(
			_("Line {0}: the file is not well-formed XML ({1})."), line, str(e.msg or e)[:200]
		) from None
	except ValueError as e:  # e.g. an encoding declaration lxml cannot use
		raise ImportRefused(_("Line {0}: the file is not well-formed XML ({1})."), 1, str(e)[:200]) from None
	tree = root.getroottree()
	if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
		raise ImportRefused(_("Line {0}: the file declares a DOCTYPE; IATI files have none."), 1)
	if root.tag != "iati-activities":
		raise ImportRefused(
			_(
				"Line {0}: the root element is “{1}”, not “iati-activities”: this is not an IATI activity file."
			),
			root.sourceline,
			str(root.tag)[:60],
		)
	version = (root.get("version") or "").strip()
	if version not in SUPPORTED_VERSIONS:
		raise ImportRefused(
			_("Line {0}: IATI version “{1}” is not supported (supported: {2})."),
			root.sourceline,
			version[:20],
			", ".join(SUPPORTED_VERSIONS),
		)
	activities: list[ExternalActivity] = []
	seen: dict[str, int] = {}
	for el in root.iterchildren("iati-activity"):
		if len(activities) >= MAX_ACTIVITIES:
			raise ImportRefused(
				_("Line {0}: the file holds more than {1} activities."), el.sourceline, MAX_ACTIVITIES
			)
		activity = _activity(el)
		if activity.identifier in seen:
			raise ImportRefused(
				_("Line {0}: activity {1} appears twice in the file (first on line {2})."),
				el.sourceline,
				activity.identifier,
				seen[activity.identifier],
			)
		seen[activity.identifier] = activity.line
		activities.append(activity)
	return activities


def _activity(el) -> ExternalActivity:
	identifier = _text(el.find("iati-identifier"))
	if not identifier:
		raise ImportRefused(_("Line {0}: an activity has no iati-identifier."), el.sourceline)
	if len(identifier) > 140:
		raise ImportRefused(_("Line {0}: the iati-identifier is longer than 140 characters."), el.sourceline)
	org = el.find("reporting-org")
	countries: list[str] = []
	for c in el.iterchildren("recipient-country"):
		code = (c.get("code") or "").strip()
		if not _COUNTRY.match(code):
			raise ImportRefused(
				_("Line {0}: activity {1} has a recipient-country code that is not two letters: “{2}”."),
				c.sourceline,
				identifier,
				code[:20],
			)
		if code.upper() not in countries:
			countries.append(code.upper())
	sectors: list[tuple[str, str]] = []
	for s in el.iterchildren("sector"):
		code, vocabulary = (s.get("code") or "").strip(), (s.get("vocabulary") or "1").strip()
		if code and (code, vocabulary) not in sectors:
			sectors.append((code, vocabulary))
	dates: dict[str, date] = {}
	for d in el.iterchildren("activity-date"):
		kind = (d.get("type") or "").strip()
		if kind in (PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END):
			dates[kind] = _date(d, identifier)
	budget, currency = _budget(el, identifier)
	return ExternalActivity(
		identifier=identifier,
		title=_narrative(el.find("title"))[:500] or identifier,
		reporting_org_ref=(org.get("ref") or "").strip() if org is not None else "",
		reporting_org_name=_narrative(org)[:140],
		countries=tuple(countries),
		sectors=tuple(sectors),
		start=dates.get(ACTUAL_START) or dates.get(PLANNED_START),
		end=dates.get(ACTUAL_END) or dates.get(PLANNED_END),
		budget=budget,
		currency=currency,
		line=el.sourceline,
	)


def _budget(el, identifier: str) -> tuple[Decimal | None, str]:
	default = (el.get("default-currency") or "").strip().upper()
	by_period: dict[tuple, tuple[str, Decimal, str]] = {}
	for b in el.iterchildren("budget"):
		value = b.find("value")
		if value is None:
			continue
		amount = _number(value, identifier)
		currency = ((value.get("currency") or "").strip().upper()) or default
		start, end = b.find("period-start"), b.find("period-end")
		period = (
			start.get("iso-date") if start is not None else None,
			end.get("iso-date") if end is not None else None,
			b.sourceline if start is None else None,  # an undated budget line stands alone
		)
		kind = (b.get("type") or BUDGET_ORIGINAL).strip()
		if period in by_period and by_period[period][0] == BUDGET_REVISED and kind != BUDGET_REVISED:
			continue
		by_period[period] = (kind, amount, currency)
	if not by_period:
		return None, default if _CURRENCY.match(default) else ""
	currencies = {c for _k, _a, c in by_period.values()}
	if len(currencies) > 1:
		return None, MIXED
	currency = currencies.pop()
	return sum((a for _k, a, _c in by_period.values()), Decimal(0)), currency if _CURRENCY.match(
		currency
	) else ""
