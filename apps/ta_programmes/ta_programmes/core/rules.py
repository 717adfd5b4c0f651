"""Validation rules for the programme model (foundation).

Each function takes plain values and raises a :class:`RuleViolation` subclass when the rule
fails, naming the offending row or value so that a user can fix it without guessing.
Labels passed in (``start_label`` ...) are already translated by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from . import constants
from .errors import (
	DuplicateRow,
	InvalidDateRange,
	InvalidParticipants,
	InvalidShares,
	InvalidValue,
	MissingValue,
	NegativeValue,
	NotInProgramme,
)
from .i18n import _

SHARE_TOLERANCE = Decimal("0.01")
_IATI_ORG_ID = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]+(-[^\s/&|?#\x00-\x1f\x7f]+)?")
_URL = re.compile(r"^https://[^\s/$.?#].[^\s]*$", re.IGNORECASE)


def check_date_order(
	start: date | datetime | None,
	end: date | datetime | None,
	start_label: str,
	end_label: str,
	allow_equal: bool = True,
) -> None:
	"""``end`` must not be before ``start`` (nor equal to it unless ``allow_equal``)."""
	if start is None or end is None:
		return
	if end < start or (end == start and not allow_equal):
		raise InvalidDateRange(
			_("{0} ({1}) must be after {2} ({3})."), end_label, _fmt(end), start_label, _fmt(start)
		)


def check_within(
	start: date | datetime | None,
	end: date | datetime | None,
	outer_start: date | None,
	outer_end: date | None,
	what: str,
	outer: str,
) -> None:
	"""The period ``start``..``end`` must lie inside ``outer_start``..``outer_end`` (dates)."""
	if start is None or end is None or outer_start is None or outer_end is None:
		return
	s = start.date() if isinstance(start, datetime) else start
	e = end.date() if isinstance(end, datetime) else end
	if s < outer_start or e > outer_end:
		raise InvalidDateRange(
			_("{0} runs from {1} to {2}, outside {3} ({4} to {5})."),
			what,
			_fmt(s),
			_fmt(e),
			outer,
			_fmt(outer_start),
			_fmt(outer_end),
		)


def check_shares(shares: Sequence[tuple[str, float | int | str | None]]) -> None:
	"""Beneficiary-state shares: each in (0, 100] and together exactly 100 (to 0.01)."""
	if not shares:
		raise InvalidShares(_("Add at least one beneficiary state with its share of the programme."))
	total = Decimal(0)
	for label, share in shares:
		value = _decimal(share)
		if value <= 0 or value > 100:
			raise InvalidShares(_("The share of {0} must be more than 0 and at most 100, not {1}."), label, _num(value))
		total += value
	if abs(total - 100) > SHARE_TOLERANCE:
		raise InvalidShares(_("Beneficiary state shares must add up to 100%; they add up to {0}%."), _num(total))


def check_member(value: str | None, allowed: Iterable[str], what: str, where: str) -> None:
	"""``value`` (e.g. a thematic area) must be one of the programme's."""
	if not value:
		return
	allowed = list(allowed)
	if value not in allowed:
		raise NotInProgramme(
			_("{0} {1} is not one of the programme's: {2}. Add it to programme {3} first or choose another."),
			what,
			value,
			", ".join(allowed) or _("none yet"),
			where,
		)


def check_non_negative(label: str, value: float | int | None, row: int | None = None) -> None:
	if value is not None and _decimal(value) < 0:
		if row is None:
			raise NegativeValue(_("{0} cannot be negative ({1})."), label, _num(_decimal(value)))
		raise NegativeValue(_("Row {0}: {1} cannot be negative ({2})."), row, label, _num(_decimal(value)))


def check_positive(label: str, value: float | int | None, row: int | None = None) -> None:
	if value is None or _decimal(value) <= 0:
		if row is None:
			raise NegativeValue(_("{0} must be greater than zero."), label)
		raise NegativeValue(_("Row {0}: {1} must be greater than zero."), row, label)


def check_participants(total: int | None, women: int | None, men: int | None, other: int | None) -> None:
	"""Actual participants: none negative, and women + men + other/undisclosed = total."""
	parts = {"women": women or 0, "men": men or 0, "other": other or 0}
	if (total or 0) < 0 or any(v < 0 for v in parts.values()):
		raise InvalidParticipants(_("Participant numbers cannot be negative."))
	disaggregated = sum(parts.values())
	if disaggregated != (total or 0):
		raise InvalidParticipants(
			_("Women ({0}), men ({1}) and other/undisclosed ({2}) add up to {3}, but the total is {4}."),
			parts["women"],
			parts["men"],
			parts["other"],
			disaggregated,
			total or 0,
		)


def check_unique(rows: Iterable[tuple[int, object, str]], what: str) -> None:
	"""``rows`` are (row number, key, label); a key may appear only once."""
	seen: dict[object, int] = {}
	for idx, key, label in rows:
		if key in (None, ""):
			continue
		if key in seen:
			raise DuplicateRow(_("{0} {1} appears twice (rows {2} and {3})."), what, label, seen[key], idx)
		seen[key] = idx


def check_required(label: str, value: object, reason: str = "") -> None:
	if value in (None, "", []):
		if reason:
			raise MissingValue(_("{0} is required {1}."), label, reason)
		raise MissingValue(_("{0} is required."), label)


def check_time_zone(label: str, tz: str | None) -> None:
	if tz and tz not in _time_zones():
		raise InvalidValue(_("{0} {1} is not a known IANA time zone (e.g. Africa/Nairobi)."), label, tz)


def check_iati_org_id(value: str | None) -> None:
	"""An IATI organisation identifier: registration-agency prefix and an id, e.g. ``XM-DAC-41114``."""
	if value and not _IATI_ORG_ID.fullmatch(value):
		raise InvalidValue(
			_("{0} is not an IATI organisation identifier: use the agency prefix and the number, e.g. XM-DAC-41114 or GB-GOV-1."),
			value,
		)


def check_https_url(label: str, value: str | None) -> None:
	if value and not _URL.match(value.strip()):
		raise InvalidValue(_("{0} must be an https:// address, not {1}."), label, value)


def check_delivery_mode(mode: str | None, venue: str | None, city: str | None, online_link: str | None) -> None:
	"""In person needs a venue and city, Online a link, Hybrid both."""
	if mode in ("In person", "Hybrid") and not (venue and city):
		raise MissingValue(_("{0} delivery needs a venue and a city."), mode)
	if mode in ("Online", "Hybrid") and not online_link:
		raise MissingValue(_("{0} delivery needs an online link."), mode)
	check_https_url(_("Online link"), online_link)


def check_accreditation(sector: str | None, accredited: bool) -> None:
	if accredited and sector not in constants.OVERSIGHT_SECTORS:
		raise InvalidValue(
			_("Only civil-society and academic organisations can be accredited for oversight; this one is {0}."),
			sector or _("without a sector"),
		)


def check_vetting(status: str | None, vetting_date: date | None, today: date) -> None:
	if status in ("Cleared", "Rejected") and not vetting_date:
		raise MissingValue(_("Enter the vetting date for a {0} trainer."), status)
	if vetting_date and vetting_date > today:
		raise InvalidDateRange(_("The vetting date {0} is in the future."), _fmt(vetting_date))


def check_risk_rating(rating: str | None, rated_on: date | None, source: str | None, today: date) -> None:
	if not rating:
		return
	if not rated_on or not source:
		raise MissingValue(_("A human-rights risk rating needs the date it was made and its source."))
	if rated_on > today:
		raise InvalidDateRange(_("The risk rating date {0} is in the future."), _fmt(rated_on))


def check_trainer_assignable(row: int, trainer: str, active: bool, vetting_status: str | None) -> None:
	if not active:
		raise InvalidValue(_("Row {0}: trainer {1} is inactive and cannot be assigned."), row, trainer)
	if vetting_status == "Rejected":
		raise InvalidValue(_("Row {0}: trainer {1} failed vetting and cannot be assigned."), row, trainer)


def compute_budget(lines: Iterable[tuple[float | int | str | None, float | int | str | None]]) -> float:
	"""Budget in programme currency: the sum of each funding line's amount × exchange rate."""
	total = Decimal(0)
	for amount, rate in lines:
		total += _decimal(amount) * (_decimal(rate) if rate not in (None, "", 0) else Decimal(1))
	return float(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def check_funding_lines(lines: Sequence[tuple[int, float | None, str | None, float | None, str]], programme_currency: str | None) -> None:
	"""Each line: (row, amount, currency, exchange rate, donor). Amounts ≥ 0; rate 1 in programme currency."""
	for row, amount, currency, rate, _donor in lines:
		check_non_negative(_("Amount"), amount, row)
		if rate is not None and _decimal(rate) <= 0:
			raise NegativeValue(_("Row {0}: the exchange rate must be greater than zero."), row)
		if currency and programme_currency and currency == programme_currency and rate not in (None, 0) and _decimal(rate) != 1:
			raise InvalidValue(_("Row {0}: a line in the programme currency ({1}) has exchange rate 1."), row, currency)


def _decimal(value: object) -> Decimal:
	if value in (None, ""):
		return Decimal(0)
	return Decimal(str(value))


def _num(value: Decimal) -> str:
	return format(value.normalize(), "f") if value == value.to_integral() else str(value.quantize(Decimal("0.01")))


def _fmt(value: date | datetime) -> str:
	if isinstance(value, datetime):
		return value.strftime("%Y-%m-%d %H:%M")
	return value.isoformat()


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
	import zoneinfo

	return frozenset(zoneinfo.available_timezones())


_DAC_CODE = re.compile(r"^\d{5}$")


def check_dac_code(code: str | None) -> None:
	"""An OECD-DAC purpose code has five digits, e.g. 15130 (legal and judicial development)."""
	if not code or not _DAC_CODE.match(code):
		raise InvalidValue(_("{0} is not an OECD-DAC purpose code: use its five digits, e.g. 15130."), code or "")


def check_not_future(label: str, value: date | None, today: date, row: int | None = None) -> None:
	if value and value > today:
		if row is None:
			raise InvalidDateRange(_("{0} {1} is in the future."), label, _fmt(value))
		raise InvalidDateRange(_("Row {0}: {1} {2} is in the future."), row, label, _fmt(value))


def check_user_role(label: str, user: str | None, user_roles: Iterable[str], allowed: Sequence[str]) -> None:
	"""``user`` must hold one of ``allowed`` roles (e.g. a programme officer must be an officer or manager)."""
	if user and user != "Administrator" and not set(user_roles) & set(allowed):
		raise InvalidValue(_("{0} {1} must hold one of these roles: {2}."), label, user, ", ".join(allowed))


def check_actuals_only_when_delivered(status: str | None, figures: Iterable[int | None]) -> None:
	if status != "Delivered" and any(figures):
		raise InvalidParticipants(_("Actual participants are recorded once the activity is Delivered (it is {0})."), status)


def check_suppression_threshold(k: int | None) -> None:
	"""Public counts below k are suppressed; k below 2 would publish every count."""
	if k is None or int(k) < 2 or int(k) > 50:
		raise InvalidValue(_("The suppression threshold must be between 2 and 50, not {0}."), k)


HOURS_PER_DAY = 8


def rate_in(currency: str | None, rate: float | None, rate_currency: str | None, rates: dict[str, float], trainer: str) -> float | None:
	"""A trainer's daily rate in the programme's ``currency``. ``rates`` converts other currencies
	into it (the programme's funding lines carry them). Amounts in two currencies are never added
	as if they were one: a rate in a currency the programme has no exchange rate for is refused."""
	if not rate or not rate_currency or rate_currency == currency:
		return rate
	factor = rates.get(rate_currency)
	if not factor:
		raise InvalidValue(
			_("Trainer {0} is paid in {1}, but the programme's budget is in {2} and none of its funding lines gives a {1} exchange rate. Add one, or record the trainer's rate in {2}."),
			trainer, rate_currency, currency,
		)
	return float(_decimal(rate) * _decimal(factor))


def trainer_totals(rows: Iterable[tuple[float | None, str | None, float | None]]) -> tuple[float, float, float]:
	"""An activity's trainer-hours, the part by outside experts (academia, civil society, private
	sector) and the trainer fees (hours × daily rate / 8), from its (hours, sector, daily rate)
	rows. Stored on the activity when it is saved, so that reports add them up in one pass."""
	hours = outside = fees = Decimal(0)
	for h, sector, rate in rows:
		h = _decimal(h)
		hours += h
		if sector in constants.OUTSIDE_EXPERTISE_SECTORS:
			outside += h
		fees += h * _decimal(rate) / HOURS_PER_DAY
	return float(hours), float(outside), float(fees.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
