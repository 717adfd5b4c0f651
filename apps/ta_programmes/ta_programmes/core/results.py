"""Monitoring and evaluation: results frameworks, indicators, learning, follow-ups, balance.

What changed because of the assistance, not only what was delivered. Everything here takes
plain values and raises a :class:`RuleViolation` (translated by the Frappe layer) or returns a
figure; the doctypes of the results framework, the learning tests, the follow-ups and the
reports call it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta

from .errors import DuplicateRow, InvalidDateRange, InvalidValue, MissingValue, NegativeValue, RuleViolation
from .i18n import Reason, _, reason

RESULT_LEVELS = ("Outcome", "Output")
UNITS = ("Number", "Percentage", "Yes/No", "Scale")
DIRECTIONS = ("Increase", "Decrease")
DISAGGREGATIONS = ("None", "Sex", "Institution type", "Beneficiary state")
SEX_CATEGORIES = ("Women", "Men", "Other")
# IATI IndicatorMeasure codes (2.03): 1 unit, 2 percentage, 3 nominal, 4 ordinal.
IATI_MEASURE = {"Number": "1", "Percentage": "2", "Yes/No": "3", "Scale": "4"}
# IATI ResultType codes: 1 output, 2 outcome.
IATI_RESULT_TYPE = {"Output": "1", "Outcome": "2"}

# Traffic lights: share of the way from baseline to target reached.
GREEN_FROM = 90.0
AMBER_FROM = 60.0
LIGHTS = ("green", "amber", "red", "grey")

DEFAULT_FOLLOW_UP_MONTHS = (3, 6, 12)
MAX_FOLLOW_UP_MONTHS = 60
MAX_CASES = 100_000
MAX_VALUE = 1e12
MAX_SCORE = 1000
MAX_SAMPLE = 10**9
FOLLOW_UP_LINK_DAYS = 60

# Institution types grouped as the source text contrasts them.
JUSTICE_CHAIN = {
	"Police": "Law enforcement",
	"CERT": "Law enforcement",
	"Prosecution": "Prosecution",
	"Judiciary": "Judiciary",
}
JUSTICE_GROUPS = ("Law enforcement", "Prosecution", "Judiciary", "Other institutions")

# A participant's pseudonymous code: a short prefix and a number ("P-017", "GH24-3"). A name or
# an e-mail address does not fit, so none can be stored beside a score.
_PARTICIPANT_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{0,2}-?[0-9]{1,5}$")


class InvalidIndicatorValue(RuleViolation):
	title = _("Invalid Indicator Value")


class InvalidResultLink(RuleViolation):
	title = _("Invalid Results Framework")


class NotReady(RuleViolation):
	title = _("Not Ready Yet")


# --- indicators --------------------------------------------------------------------------------
def check_scale(unit: str, scale_min: float | None, scale_max: float | None) -> None:
	if unit != "Scale":
		return
	for end in (scale_min, scale_max):
		check_value(_("The scale"), "Scale", end)
	if scale_min is None or scale_max is None:
		raise MissingValue(_("A scale indicator needs the lowest and highest point of its scale."))
	if scale_max <= scale_min:
		raise InvalidDateRange(
			_("The highest point of the scale ({0}) must be above its lowest point ({1})."), _num(scale_max), _num(scale_min)
		)


def check_value(
	label: str, unit: str, value: float | None, scale_min: float | None = None, scale_max: float | None = None,
	row: int | None = None,
) -> None:
	"""A value (baseline, target or actual) fits the indicator's unit."""
	if value is None:
		return
	if not math.isfinite(value) or abs(value) > MAX_VALUE:
		raise InvalidIndicatorValue(_("{0} must be a number of at most {1}."), label, f"{MAX_VALUE:,.0f}", row=row)
	if unit == "Number" and value < 0:
		raise NegativeValue(_("{0} cannot be negative ({1})."), label, _num(value), row=row)
	if unit == "Percentage" and not 0 <= value <= 100:
		raise InvalidIndicatorValue(_("{0} is a percentage: between 0 and 100, not {1}."), label, _num(value), row=row)
	if unit == "Yes/No" and value not in (0, 1):
		raise InvalidIndicatorValue(_("{0} is yes (1) or no (0), not {1}."), label, _num(value), row=row)
	if unit == "Scale" and scale_min is not None and scale_max is not None and not scale_min <= value <= scale_max:
		raise InvalidIndicatorValue(
			_("{0} must lie on the scale from {1} to {2}, not {3}."), label, _num(scale_min), _num(scale_max), _num(value), row=row
		)


@dataclass(frozen=True)
class Period:
	label: str
	start: date
	end: date


def check_periods(periods: Sequence[Period], programme_start: date | None, programme_end: date | None) -> None:
	"""Reporting periods have distinct names, end after they start, lie inside the programme and do
	not overlap."""
	seen: dict[str, int] = {}
	for i, p in enumerate(periods, 1):
		if p.label in seen:
			raise DuplicateRow(_("Row {0}: the period {1} is already listed in row {2}."), i, p.label, seen[p.label])
		seen[p.label] = i
		if p.end < p.start:
			raise InvalidDateRange(_("Row {0}: the period {1} ends ({2}) before it starts ({3})."), i, p.label, p.end, p.start)
		if programme_start and programme_end and (p.start < programme_start or p.end > programme_end):
			raise InvalidDateRange(
				_("Row {0}: the period {1} ({2} to {3}) lies outside the programme ({4} to {5})."),
				i, p.label, p.start, p.end, programme_start, programme_end,
			)
	ordered = sorted(enumerate(periods, 1), key=lambda x: x[1].start)
	for (i, a), (j, b) in pairwise(ordered):
		if b.start <= a.end:
			raise InvalidDateRange(_("Rows {0} and {1}: the periods {2} and {3} overlap."), i, j, a.label, b.label)


def categories_for(disaggregation: str, institution_types: Sequence[str], states: Sequence[str]) -> tuple[str, ...]:
	return {
		"Sex": SEX_CATEGORIES,
		"Institution type": tuple(institution_types),
		"Beneficiary state": tuple(states),
	}.get(disaggregation, ())


def check_category(disaggregation: str, category: str | None, allowed: Sequence[str]) -> None:
	"""An actual is the total (no category) or one category of the indicator's disaggregation."""
	if not category:
		return
	if disaggregation in (None, "", "None"):
		raise InvalidIndicatorValue(_("The indicator is not disaggregated: record its total, without a category."))
	if category not in allowed:
		raise InvalidIndicatorValue(
			_("{0} is not a category of the disaggregation by {1}; use one of: {2}."), category, _(disaggregation).lower(),
			", ".join(allowed) or "—",
		)


def check_category_sums(unit: str, total: float | None, categories: dict[str, float]) -> None:
	"""For a count, the categories of one period never add up to more than its total, and when
	every category is recorded they add up to it exactly."""
	if unit != "Number" or total is None or not categories:
		return
	s = sum(categories.values())
	if s > total + 1e-9:
		raise InvalidIndicatorValue(
			_("The categories recorded for this period add up to {0}, more than its total ({1})."), _num(s), _num(total)
		)


def headline(unit: str, total: float | None, categories: dict[str, float]) -> float | None:
	"""The period's figure: its recorded total, else (for a count) the sum of its categories."""
	if total is not None:
		return total
	if unit == "Number" and categories:
		return sum(categories.values())
	return None


def achievement(baseline: float | None, target: float | None, actual: float | None, direction: str) -> float | None:
	"""How far along from baseline to target the actual has come, in percent (0 when it moved the
	wrong way; above 100 when the target was beaten). None when there is nothing to compare."""
	if target is None or actual is None:
		return None
	base = baseline or 0.0
	sign = -1 if direction == "Decrease" else 1
	planned = (target - base) * sign
	made = (actual - base) * sign
	if planned <= 0:
		return 100.0 if (actual - target) * sign >= 0 else 0.0
	return round(max(0.0, made / planned * 100), 1)


def traffic_light(percent: float | None) -> str:
	if percent is None:
		return "grey"
	if percent >= GREEN_FROM:
		return "green"
	if percent >= AMBER_FROM:
		return "amber"
	return "red"


# --- results framework ------------------------------------------------------------------------
def check_result_parent(
	level: str, parent: str | None, parent_level: str | None, parent_programme: str | None, programme: str,
	ancestors: Iterable[str] = (), name: str | None = None,
) -> None:
	"""An output serves an outcome of the same programme; an outcome stands at the top."""
	if level == "Outcome":
		if parent:
			raise InvalidResultLink(_("An outcome stands at the top of the results framework: it has no parent result."))
		return
	if not parent:
		raise InvalidResultLink(_("An output serves an outcome: choose the outcome it contributes to."))
	if name and (parent == name or name in set(ancestors)):
		raise InvalidResultLink(_("A result cannot serve itself."))
	if parent_level != "Outcome":
		raise InvalidResultLink(_("{0} is an output; an output serves an outcome."), parent)
	if parent_programme != programme:
		raise InvalidResultLink(_("The outcome {0} belongs to programme {1}, not {2}."), parent, parent_programme, programme)


def check_activity_output(result: str, level: str | None, result_programme: str | None, programme: str) -> None:
	if level != "Output" or result_programme != programme:
		raise InvalidResultLink(
			_("{0} is not an output of programme {1}: an activity serves one of its programme's outputs."), result, programme
		)


# --- learning ------------------------------------------------------------------------------------
def normalise_code(code: str | None) -> str:
	return (code or "").strip().upper()


def check_participant_code(code: str | None, row: int | None = None) -> str:
	value = normalise_code(code)
	if not value:
		raise MissingValue(_("Each participant is recorded under a pseudonymous code."), row=row)
	if not _PARTICIPANT_CODE.match(value):
		raise InvalidValue(
			_("{0} is not a pseudonymous code: use a short prefix and a number such as P-017 (never a name or an e-mail address)."),
			code, row=row,
		)
	return value


def check_max_score(max_score: float | None) -> None:
	if max_score is None or not math.isfinite(max_score) or not 0 < max_score <= MAX_SCORE:
		raise InvalidValue(_("The highest score of a test is a number above 0 and at most {0}."), MAX_SCORE)


def check_sample(sample: int | None) -> None:
	if sample is not None and not 0 <= sample <= MAX_SAMPLE:
		raise InvalidValue(_("Measured over: a number of people from 0 to {0}."), f"{MAX_SAMPLE:,}")


def check_score(label: str, score: float | None, max_score: float, row: int | None = None) -> None:
	if score is None:
		return
	if not 0 <= score <= max_score:
		raise InvalidIndicatorValue(_("{0} must be between 0 and {1}, not {2}."), label, _num(max_score), _num(score), row=row)


@dataclass(frozen=True)
class Gain:
	paired: int
	mean_pre: float | None
	mean_post: float | None
	mean_gain: float | None
	normalised_gain: float | None  # share of the possible improvement achieved, in percent


def knowledge_gain(scores: Iterable[tuple[float | None, float | None]], max_score: float) -> Gain:
	"""Gain over participants with both a pre- and a post-test score (pairs only: an unmatched
	score says nothing about change). The normalised gain averages (post - pre) / (max - pre)
	over the pairs that had room to improve."""
	pairs = [(float(a), float(b)) for a, b in scores if a is not None and b is not None]
	if not pairs:
		return Gain(0, None, None, None, None)
	n = len(pairs)
	pre = sum(a for a, _b in pairs) / n
	post = sum(b for _a, b in pairs) / n
	room = [(b - a) / (max_score - a) for a, b in pairs if max_score - a > 0]
	return Gain(
		n, round(pre, 2), round(post, 2), round(post - pre, 2), round(sum(room) / len(room) * 100, 1) if room else None
	)


# --- follow-ups --------------------------------------------------------------------------------
def parse_intervals(text: str | None) -> tuple[int, ...]:
	"""'3, 6, 12' -> (3, 6, 12): months after delivery, ascending, each from 1 to 60."""
	if not (text or "").strip():
		return DEFAULT_FOLLOW_UP_MONTHS
	out = []
	for part in re.split(r"[,\s;]+", text.strip()):
		if not part:
			continue
		if not part.isdigit() or not 1 <= int(part) <= MAX_FOLLOW_UP_MONTHS:
			raise InvalidValue(
				_("Follow-up intervals are whole months from 1 to {0}, separated by commas; {1} is not one."),
				MAX_FOLLOW_UP_MONTHS, part,
			)
		out.append(int(part))
	if len(set(out)) != len(out):
		raise InvalidValue(_("Each follow-up interval is listed once."))
	return tuple(sorted(out))


def due_on(delivered: date, months: int) -> date:
	return delivered + relativedelta(months=months)


def due_rounds(delivered: date, intervals: Sequence[int], existing: Iterable[int], today: date) -> list[tuple[int, date]]:
	"""The follow-up rounds of a delivered activity that are due by ``today`` and not created yet."""
	have = set(existing)
	return [(m, due_on(delivered, m)) for m in intervals if m not in have and due_on(delivered, m) <= today]


def response_rate(invited: int, responded: int) -> float | None:
	if invited <= 0:
		return None
	return round(min(responded, invited) / invited * 100, 1)


LINK_MESSAGES = {
	"invalid": _("This follow-up link is not valid. Please use the link exactly as you received it."),
	"used": _("This follow-up link has already been used. Thank you: your answer was recorded."),
	"expired": _("This follow-up link has expired. The follow-up is closed."),
}


def link_problem(found: bool, used: bool, expires: datetime | None, open_: bool, now: datetime) -> str | None:
	"""Why a follow-up link cannot be answered ("invalid", "used", "expired"), or None. A link is
	answered once, before it expires, while its follow-up is open."""
	if not found:
		return "invalid"
	if used:
		return "used"
	if (expires and now > expires) or not open_:
		return "expired"
	return None


def link_expiry(issued: datetime, days: int = FOLLOW_UP_LINK_DAYS) -> datetime:
	return issued + timedelta(days=days)


def retention_until(delivered: date, months: int) -> date:
	return delivered + relativedelta(months=months)


def check_answer(applied: str | None, cases: int | None, concern: bool, details: str | None) -> None:
	if cases is not None and cases < 0:
		raise NegativeValue(_("The number of cases cannot be negative."))
	if cases is not None and cases > MAX_CASES:
		raise InvalidValue(_("Please give the number of cases (at most {0})."), MAX_CASES)
	if applied == "No" and cases:
		raise InvalidValue(_("You answered that you have not applied the skill: the number of cases should be 0."))
	if concern and not (details or "").strip():
		raise MissingValue(_("Please describe the human-rights concern, so that the reviewers can look into it."))


MAX_TEXT = 5000


def check_text_length(label: str, text: str | None) -> None:
	if text and len(text) > MAX_TEXT:
		raise InvalidValue(_("{0}: at most {1} characters, please."), label, MAX_TEXT)


# --- readiness --------------------------------------------------------------------------------
def check_needs_assessed(states: Sequence[str], assessed: dict[str, bool]) -> None:
	"""A programme goes to review only once the needs of every beneficiary state are assessed and
	the state's own request for assistance is on file (assistance is demand-driven)."""
	missing = [s for s in states if s not in assessed]
	if missing:
		raise NotReady(_("Assess the needs of {0} before the programme goes to review."), ", ".join(missing))
	no_request = [s for s in states if not assessed[s]]
	if no_request:
		raise NotReady(_("Attach the request for assistance from {0} to its needs assessment."), ", ".join(no_request))


def check_impact_reviewed(reviewed: bool) -> None:
	if not reviewed:
		raise NotReady(_("Submit the programme's impact review (indicator achievement, lessons) before it is completed."))


# --- balance -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Balance:
	categories: dict[str, float]  # Enforcement / Prevention / Safeguards -> share in percent
	justice: dict[str, float]  # justice-chain group -> share in percent
	total: float


def balance(rows: Iterable[tuple[str | None, str | None, float]], categories: Sequence[str]) -> Balance:
	"""Shares of the assistance (weights: hours, participants or activities) by theme category and
	by justice-chain group."""
	by_cat = {c: 0.0 for c in categories}
	by_group = {g: 0.0 for g in JUSTICE_GROUPS}
	total = 0.0
	for category, institution, weight in rows:
		w = float(weight or 0)
		if w < 0:
			raise NegativeValue(_("A weight cannot be negative."))
		total += w
		if category in by_cat:
			by_cat[category] += w
		by_group[JUSTICE_CHAIN.get(institution or "", "Other institutions")] += w

	def pct(d):
		return {k: round(v / total * 100, 1) if total else 0.0 for k, v in d.items()}

	return Balance(pct(by_cat), pct(by_group), total)


def balance_warnings(theme_categories: Iterable[str], shares: dict[str, float] | None, min_non_enforcement: float | None) -> list[Reason]:
	"""Warnings for a programme: enforcement only (no prevention or safeguards theme), and, when a
	policy target is set, less prevention and safeguards than the target."""
	out: list[Reason] = []
	cats = set(theme_categories)
	if cats and cats <= {"Enforcement"}:
		out.append(reason(_("Enforcement only: the programme has no prevention or safeguards theme.")))
	if min_non_enforcement and shares:
		other = round(sum(v for k, v in shares.items() if k != "Enforcement"), 1)
		if other < min_non_enforcement:
			out.append(
				reason(_("Prevention and safeguards make up {0}% of the assistance; the policy target is at least {1}%."), other, min_non_enforcement)
			)
	return out


def _num(value: float) -> str:
	return f"{value:g}"


# --- publishing ---------------------------------------------------------------------------------
REST = "\x00rest"


def published_value(
	unit: str, total: float | None, categories: dict[str, float], sample: int | None, k: int, rounding: bool
) -> tuple[object, dict[str, object]]:
	"""An indicator's figure for one period as a public output shows it, and its categories.

	A count (unit Number) is published like every other count: below ``k`` as ``"<k"``, with a
	complement hidden where a category could be worked out from the total and the others (the
	part of the total no category accounts for is a line of its own, never published), rounded
	to base ``k`` for Guests. A percentage, yes/no share or scale is an average over people: it is
	published only when measured over at least ``k`` people, and never by category."""
	from .privacy import rounded, suppress_counts, suppressed_label

	if unit == "Number":
		if total is None and not categories:
			return None, {}
		cats = {c: int(round(v)) for c, v in categories.items()}
		whole = int(round(total)) if total is not None else sum(cats.values())
		values = dict(cats)
		if whole - sum(cats.values()) > 0:
			values[REST] = whole - sum(cats.values())
		shown, shown_total = suppress_counts(values, k)
		shown.pop(REST, None)
		if rounding:
			shown = {c: rounded(v, k) for c, v in shown.items()}
			shown_total = rounded(shown_total, k)
		return shown_total, shown
	if total is None:
		return None, {}
	if not sample or sample < k:
		return suppressed_label(k), {}
	return round(float(total), 1), {}


def published_baseline(unit: str, value: float | None, k: int, rounding: bool) -> object:
	if value is None:
		return None
	shown, _cats = published_value(unit, value, {}, k if unit != "Number" else None, k, rounding)
	return shown


def published_achievement(baseline: object, target: float | None, actual: object, direction: str) -> tuple[float | None, str]:
	"""% of target and light from published figures only: a hidden actual or baseline hides both
	(a light beside a small target would give a hidden count away)."""
	if isinstance(actual, str) or isinstance(baseline, str) or actual is None:
		return None, "grey"
	pct = achievement(baseline, target, actual, direction)
	return pct, traffic_light(pct)
