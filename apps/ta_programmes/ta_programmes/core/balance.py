"""Regional balance and open oversight: who signs off, who meets, and who may join.

Three sets of rules, plain values in, a value or a :class:`RuleViolation` out:

- **Balance.** Sign-offs and meeting participations counted by year, UN regional group and
  sector; each regional group's share of a year's sign-offs; the *dominance warning* when one
  regional group gives more than the threshold (TA Oversight Policy ``dominance_threshold``, per
  cent) of the sign-offs of a year that has at least :data:`MIN_SIGNOFFS` of them.

  What counts: submitted sign-offs (docstatus 1; a cancelled one was withdrawn, its amendment
  counts in its place), every decision alike (endorsements and objections are both a voice in
  oversight), in the year they were signed. A civil-society sign-off counts for the regional
  group of its organisation, as the server recorded it at signing (TA Oversight Sign-off
  ``regional_group``) and for its organisation's sector (Civil Society or Academia). OHCHR is a
  UN body that belongs to no regional group: its sign-offs are shown on a row of their own,
  ``OHCHR``, and are left out of the shares, as are sign-offs of an organisation that has no
  regional group (row :data:`NO_GROUP`). The shares are over the sign-offs of the five groups.

- **Oversight meetings.** Date, place (in person: city, country and the place's regional group;
  online: none of them), at least one participant, each with a sector of :data:`MEETING_SECTORS`
  and a regional group (none for OHCHR), minutes (private) and decisions (public once the
  meeting is submitted, which needs decisions and a date not in the future).

- **Accreditation applications.** What an organisation must give through the public form, and
  the decision: a programme manager, not the applicant nor a reviewer of the organisation, decides
  a pending application once, with a reason; only civil-society and academic organisations can
  be accredited.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .constants import (
	ACCREDITATION_STATUSES,
	MEETING_MODES,
	MEETING_SECTORS,
	OVERSIGHT_SECTORS,
	REGIONAL_GROUPS,
)
from .errors import DuplicateRow, InvalidValue, MissingValue, RuleViolation
from .i18n import Reason, _, reason

OHCHR = "OHCHR"
CIVIL_SOCIETY = "Civil Society"
NO_GROUP = "No regional group"
ONLINE, IN_PERSON = "Online", "In person"
PENDING, ACCREDITED, REFUSED = ACCREDITATION_STATUSES
DECISIONS = (ACCREDITED, REFUSED)
DECIDER_ROLE = "TA Programme Manager"

DEFAULT_THRESHOLD = 50.0
# A year with fewer sign-offs from the five groups gets no warning: two sign-offs from one group
# are 100 % of a year, and say nothing about balance yet.
MIN_SIGNOFFS = 5

EARLIEST_MEETING = date(2000, 1, 1)
FURTHEST_PLANNING_DAYS = 366  # a meeting may be entered up to a year ahead
MAX_NAME = 140
MAX_SHORT = 200
MAX_TEXT = 5_000
MAX_MINUTES = 100_000
MAX_PARTICIPANTS = 500
MIN_DECISIONS = 10  # characters of a meeting's decisions, to publish them
MIN_MANDATE = 30
MIN_INDEPENDENCE = 30
MIN_REASON = 20  # characters of an accreditation decision's reason

_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_WEBSITE = re.compile(
	r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?(/[^\s<>\"']*)?$", re.IGNORECASE
)


class DecisionRefused(RuleViolation):
	title = _("Decision Not Allowed")


# --- balance -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignOff:
	year: int
	kind: str  # "OHCHR" or "Civil Society"
	regional_group: str | None  # of the organisation, recorded at signing
	sector: str | None = None  # of the organisation (Civil Society or Academia)


@dataclass(frozen=True)
class Participation:
	year: int
	sector: str
	regional_group: str | None


@dataclass(frozen=True)
class Meeting:
	year: int
	mode: str
	country: str | None
	regional_group: str | None  # of the place (in person)


def group_of(s: SignOff) -> str:
	"""The row a sign-off counts on: its regional group, ``OHCHR``, or :data:`NO_GROUP`."""
	if s.kind == OHCHR:
		return OHCHR
	return s.regional_group if s.regional_group in REGIONAL_GROUPS else NO_GROUP


def sector_of(s: SignOff) -> str:
	if s.kind == OHCHR:
		return OHCHR
	return s.sector if s.sector in OVERSIGHT_SECTORS else CIVIL_SOCIETY


def participation_group(p: Participation) -> str:
	if p.sector == OHCHR:
		return OHCHR
	return p.regional_group if p.regional_group in REGIONAL_GROUPS else NO_GROUP


def place_of(m: Meeting) -> str:
	"""Where a meeting took place, as the balance counts it: online, or the place's group."""
	if m.mode == ONLINE:
		return ONLINE
	return m.regional_group if m.regional_group in REGIONAL_GROUPS else NO_GROUP


GROUP_ORDER = (*REGIONAL_GROUPS, NO_GROUP, OHCHR, ONLINE)
SECTOR_ORDER = MEETING_SECTORS


def _order(value: str, order: Sequence[str]) -> tuple[int, str]:
	return (order.index(value), "") if value in order else (len(order), value)


@dataclass
class Row:
	year: int
	regional_group: str
	sector: str
	signoffs: int = 0
	participations: int = 0


def counts(signoffs: Iterable[SignOff], participations: Iterable[Participation]) -> list[Row]:
	"""Sign-offs and meeting participations per (year, row group, sector), sorted by year, group
	and sector; only combinations that occur."""
	rows: dict[tuple[int, str, str], Row] = {}
	for s in signoffs:
		key = (s.year, group_of(s), sector_of(s))
		rows.setdefault(key, Row(*key)).signoffs += 1
	for p in participations:
		key = (p.year, participation_group(p), p.sector)
		rows.setdefault(key, Row(*key)).participations += 1
	return [
		rows[k]
		for k in sorted(rows, key=lambda k: (k[0], _order(k[1], GROUP_ORDER), _order(k[2], SECTOR_ORDER)))
	]


def shares(by_group: dict[str, int]) -> dict[str, float]:
	"""Each UN regional group's share (per cent) of the sign-offs of the five groups; rows outside
	them (OHCHR, no group) are left out. Empty when there are none."""
	counted = {g: n for g, n in by_group.items() if g in REGIONAL_GROUPS and n > 0}
	total = sum(counted.values())
	if not total:
		return {}
	return {g: 100.0 * n / total for g, n in counted.items()}


def check_threshold(threshold: float | None) -> float:
	"""The policy's threshold, per cent; empty means the default."""
	if threshold is None or threshold == "":
		return DEFAULT_THRESHOLD
	value = float(threshold)
	if not 0 <= value <= 100:
		raise InvalidValue(_("The dominance threshold must be between 0 and 100 per cent; it is {0}."), value)
	return value


@dataclass
class YearBalance:
	year: int
	counted: int  # sign-offs of the five groups
	by_group: dict[str, int]  # every row group, OHCHR and no group included
	shares: dict[str, float]
	dominant: str | None = None
	warning: Reason | None = None
	hosted: dict[str, int] = field(default_factory=dict)  # meetings by place (group or Online)


def dominance(
	by_group: dict[str, int], threshold: float | None, minimum: int = MIN_SIGNOFFS
) -> tuple[str | None, float | None]:
	"""The group whose share exceeds the threshold, when the year has enough sign-offs to tell;
	``(group, share)`` or ``(None, None)``. Ties cannot exceed 50 %, so the group is unique above it;
	at a lower threshold the largest share wins, ties broken by the groups' order."""
	limit = check_threshold(threshold)
	s = shares(by_group)
	counted = sum(n for g, n in by_group.items() if g in REGIONAL_GROUPS and n > 0)
	if counted < minimum or not s:
		return None, None
	top = max(s, key=lambda g: (s[g], -REGIONAL_GROUPS.index(g)))
	return (top, s[top]) if s[top] > limit else (None, None)


def yearly(
	signoffs: Iterable[SignOff],
	meetings: Iterable[Meeting] = (),
	threshold: float | None = None,
	minimum: int = MIN_SIGNOFFS,
) -> list[YearBalance]:
	"""Per year (ascending): sign-offs per row group, the shares, the warning, meetings by place."""
	by_year: dict[int, Counter] = {}
	for s in signoffs:
		by_year.setdefault(s.year, Counter())[group_of(s)] += 1
	hosted: dict[int, Counter] = {}
	for m in meetings:
		hosted.setdefault(m.year, Counter())[place_of(m)] += 1
	out = []
	for year in sorted(set(by_year) | set(hosted)):
		groups = dict(by_year.get(year, Counter()))
		dominant, share = dominance(groups, threshold, minimum)
		counted = sum(n for g, n in groups.items() if g in REGIONAL_GROUPS)
		warning = (
			reason(
				_(
					"In {0}, {1} gave {2}% of the {3} sign-offs from UN regional groups (more than {4}%): oversight is not regionally balanced."
				),
				year,
				dominant,
				_pct(share),
				counted,
				_pct(check_threshold(threshold)),
			)
			if dominant
			else None
		)
		out.append(
			YearBalance(
				year, counted, groups, shares(groups), dominant, warning, dict(hosted.get(year, Counter()))
			)
		)
	return out


def _pct(value: float) -> str:
	return f"{value:.1f}".rstrip("0").rstrip(".")


# --- oversight meetings --------------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
	name: str | None
	sector: str | None
	regional_group: str | None
	organisation: str | None = None


def check_meeting(
	meeting_date: date | None,
	mode: str | None,
	city: str | None,
	country: str | None,
	place_group: str | None,
	participants: Sequence[Participant],
	today: date,
	decisions: str | None = None,
	minutes: str | None = None,
) -> None:
	if not meeting_date:
		raise MissingValue(_("Enter the date of the meeting."))
	if meeting_date < EARLIEST_MEETING or meeting_date > today + timedelta(days=FURTHEST_PLANNING_DAYS):
		raise InvalidValue(
			_("The meeting date {0} is not plausible: enter a date between {1} and a year from today."),
			meeting_date.isoformat(),
			EARLIEST_MEETING.isoformat(),
		)
	if mode not in MEETING_MODES:
		raise InvalidValue(_("The meeting is held {0}."), " / ".join(MEETING_MODES))
	if mode == ONLINE:
		if (city or "").strip() or country or place_group:
			raise InvalidValue(
				_(
					"An online meeting has no city, country or regional group of its place; clear them, or choose In person."
				)
			)
	else:
		if not (city or "").strip() or not country:
			raise MissingValue(_("An in-person meeting needs its city and country."))
		if place_group not in REGIONAL_GROUPS:
			raise MissingValue(_("Choose the UN regional group of the place where the meeting is held."))
		if len(city) > MAX_NAME:
			raise InvalidValue(_("{0}: at most {1} characters, please."), _("City"), MAX_NAME)
	check_participants(participants)
	for label, text, limit in ((_("Decisions"), decisions, MAX_TEXT), (_("Minutes"), minutes, MAX_MINUTES)):
		if text and len(text) > limit:
			raise InvalidValue(_("{0}: at most {1} characters, please."), label, limit)


def check_participants(participants: Sequence[Participant]) -> None:
	if not participants:
		raise MissingValue(_("Add at least one participant of the meeting."))
	if len(participants) > MAX_PARTICIPANTS:
		raise InvalidValue(_("At most {0} participants, please."), MAX_PARTICIPANTS)
	seen = set()
	for row, p in enumerate(participants, start=1):
		name = (p.name or "").strip()
		if not name:
			raise MissingValue(_("Participant row {0}: enter the participant's name."), row)
		if len(name) > MAX_NAME:
			raise InvalidValue(_("Participant row {0}: the name has at most {1} characters."), row, MAX_NAME)
		if p.sector not in MEETING_SECTORS:
			raise InvalidValue(
				_("Participant row {0}: the sector must be one of {1}."), row, ", ".join(MEETING_SECTORS)
			)
		if p.sector == OHCHR and p.regional_group:
			raise InvalidValue(
				_("Participant row {0}: OHCHR is a UN body and belongs to no regional group."), row
			)
		if p.sector != OHCHR and p.regional_group not in REGIONAL_GROUPS:
			raise MissingValue(_("Participant row {0}: choose the participant's UN regional group."), row)
		key = (name.casefold(), p.sector, p.organisation or "")
		if key in seen:
			raise DuplicateRow(_("Participant row {0}: {1} is listed twice."), row, name)
		seen.add(key)


def check_publish(meeting_date: date | None, decisions: str | None, today: date) -> None:
	"""Submitting a meeting publishes its decisions: the meeting took place and decided something."""
	if meeting_date and meeting_date > today:
		raise InvalidValue(
			_("The meeting of {0} has not taken place yet: its decisions cannot be published."),
			meeting_date.isoformat(),
		)
	if len((decisions or "").strip()) < MIN_DECISIONS:
		raise MissingValue(
			_("Enter the decisions of the meeting (at least {0} characters): they are published."),
			MIN_DECISIONS,
		)


def public_counts(participants: Iterable[Participant]) -> tuple[dict[str, int], dict[str, int]]:
	"""What the public learns of who met: counts by sector and by regional group (OHCHR on its
	own row), never a name or an organisation."""
	sectors: Counter = Counter()
	groups: Counter = Counter()
	for p in participants:
		sectors[p.sector] += 1
		groups[OHCHR if p.sector == OHCHR else (p.regional_group or NO_GROUP)] += 1
	order_s = {s: i for i, s in enumerate(SECTOR_ORDER)}
	order_g = {g: i for i, g in enumerate(GROUP_ORDER)}
	return (
		dict(sorted(sectors.items(), key=lambda kv: order_s.get(kv[0], 99))),
		dict(sorted(groups.items(), key=lambda kv: order_g.get(kv[0], 99))),
	)


# --- accreditation -------------------------------------------------------------------------------


def check_application(
	organisation_name: str | None,
	sector: str | None,
	regional_group: str | None,
	country: str | None,
	website: str | None,
	contact_name: str | None,
	contact_email: str | None,
	mandate: str | None,
	independence: str | None,
) -> None:
	"""What an organisation applying for accreditation must give through the public form."""
	for label, value in (
		(_("Organisation name"), organisation_name),
		(_("Contact name"), contact_name),
		(_("Contact e-mail"), contact_email),
	):
		if not (value or "").strip():
			raise MissingValue(_("Please enter the {0}."), label.lower())
	for label, value, limit in (
		(_("Organisation name"), organisation_name, MAX_NAME),
		(_("Contact name"), contact_name, MAX_NAME),
		(_("Contact e-mail"), contact_email, MAX_SHORT),
		(_("Website"), website, MAX_SHORT),
		(_("Mandate"), mandate, MAX_TEXT),
		(_("Independence statement"), independence, MAX_TEXT),
	):
		if value and len(value) > limit:
			raise InvalidValue(_("{0}: at most {1} characters, please."), label, limit)
	if sector not in OVERSIGHT_SECTORS:
		raise InvalidValue(
			_("Only civil-society and academic organisations can be accredited for oversight: choose {0}."),
			" / ".join(OVERSIGHT_SECTORS),
		)
	if regional_group not in REGIONAL_GROUPS:
		raise MissingValue(_("Please choose your organisation's UN regional group."))
	if not country:
		raise MissingValue(_("Please choose the country where your organisation is based."))
	if not _EMAIL.match(contact_email.strip()):
		raise InvalidValue(_("The contact e-mail address does not look right."))
	if website and not _WEBSITE.match(website.strip()):
		raise InvalidValue(_("The website must be an address such as https://example.org."))
	if len((mandate or "").strip()) < MIN_MANDATE:
		raise MissingValue(
			_("Please describe your organisation's mandate and work (at least {0} characters)."), MIN_MANDATE
		)
	if len((independence or "").strip()) < MIN_INDEPENDENCE:
		raise MissingValue(
			_(
				"Please state how your organisation is independent of governments and of the programmes it would oversee (at least {0} characters)."
			),
			MIN_INDEPENDENCE,
		)


def folded(name: str | None) -> str:
	"""A name as the database compares it: case, accents and spacing aside."""
	import unicodedata

	text = unicodedata.normalize("NFKD", " ".join((name or "").split()))
	return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def same_name(name: str | None, names: Sequence[str]) -> bool:
	return folded(name) in {folded(n) for n in names}


def check_decision(
	status: str | None,
	decision: str | None,
	decision_reason: str | None,
	decider: str,
	decider_roles: Sequence[str],
	contact_email: str | None,
	decider_organisations: Sequence[str],
	organisation_name: str,
	existing_sector: str | None = None,
) -> None:
	"""A programme manager decides a pending application once, with a reason; never their own
	application, nor one of an organisation they review for; only civil-society and academic
	organisations are accredited."""
	if DECIDER_ROLE not in decider_roles:
		raise DecisionRefused(_("Only a programme manager can decide an accreditation application."))
	if status != PENDING:
		raise DecisionRefused(
			_("This application was already decided ({0}); a decision is kept as it was made."),
			status or _("unknown"),
		)
	if decision not in DECISIONS:
		raise InvalidValue(_("The decision is {0}."), " / ".join(DECISIONS))
	if len((decision_reason or "").strip()) < MIN_REASON:
		raise MissingValue(
			_("Give the reason for the decision (at least {0} characters): it is kept with the application."),
			MIN_REASON,
		)
	if len(decision_reason) > MAX_TEXT:
		raise InvalidValue(_("{0}: at most {1} characters, please."), _("Reason"), MAX_TEXT)
	if contact_email and decider.strip().casefold() == contact_email.strip().casefold():
		raise DecisionRefused(_("You applied for this organisation: another programme manager must decide."))
	if same_name(organisation_name, decider_organisations):
		raise DecisionRefused(
			_("You review for {0}: another programme manager must decide."), organisation_name
		)
	if decision == ACCREDITED and existing_sector and existing_sector not in OVERSIGHT_SECTORS:
		raise DecisionRefused(
			_(
				"{0} is recorded as a {1} organisation; only civil-society and academic organisations can be accredited."
			),
			organisation_name,
			existing_sector,
		)
