"""Deconfliction: who else assists the same states in the same areas at the same time.

Before a programme goes to review, the app looks for overlapping assistance among two kinds of
*sources*: the site's programmes of other lead agencies, and activities of other publishers
imported from their IATI files (TA External Activity). Both become a :class:`Source`: states as
ISO 3166-1 alpha-2 codes, themes as OECD-DAC codes (5-digit purpose codes; an IATI 3-digit DAC
category stands for every purpose code that starts with it), a period, institution types.

The rule (:func:`compare`), for a programme and one source:

- a *candidate* shares at least one beneficiary state, at least one DAC code (equal codes, or a
  3-digit category and a 5-digit purpose code in it) and at least one day of its period;
- a candidate is *strong* when it shares a state, the exact 5-digit purpose code and at least
  :data:`STRONG_MIN_OVERLAP_DAYS` days; a strong candidate needs a coordination note before the
  programme may go to review;
- its score (0-100) ranks the candidates: the share of the programme's states (30), of its codes
  (30, a category-only match counts half), of its period (30) and of its institution types (10)
  that the source covers too. Strong candidates come first, then by score, days, name.

Sources of the programme's own lead agency (or its own IATI publisher identifier) are its
portfolio, not duplication, and are left out, as is the programme itself.

:class:`Index` is built once over all sources: a dict keyed by (state, code) whose buckets are
sorted by start date, so that :func:`find_overlaps` looks up only the keys of the programme and
cuts each bucket at the programme's end date; it never scans all sources. :func:`scan` is the
straightforward twin used by the tests and the benchmark; both give the same answer.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .errors import InvalidValue, MissingValue, RuleViolation
from .i18n import Reason, _, reason

PROGRAMME, EXTERNAL = "TA Programme", "TA External Activity"
KINDS = (PROGRAMME, EXTERNAL)
STRONG_MIN_OVERLAP_DAYS = 30
WEIGHTS = {"states": 30.0, "codes": 30.0, "period": 30.0, "institutions": 10.0}
RELATIONS = ("Complementary", "Coordinated with", "No overlap")
NOTE_MIN_REASON = 20
# Programmes in these states are assistance that exists or is about to: a draft is a plan of its
# agency only, a cancelled programme assists nobody.
COUNTED_STATUSES = ("Under Review", "Approved", "Active", "Suspended", "Completed")
OPEN_END = date.max

_ISO2 = re.compile(r"^[A-Za-z]{2}$")
_DAC5 = re.compile(r"^\d{5}$")
_DAC3 = re.compile(r"^\d{3}$")
# IATI SectorVocabulary: 1 = OECD DAC CRS purpose codes (5 digit), 2 = DAC CRS categories (3 digit).
VOCABULARY_DAC5, VOCABULARY_DAC3 = "1", "2"


class NotesMissing(RuleViolation):
	title = _("Coordination Notes Missing")


# --------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Source:
	kind: str  # PROGRAMME or EXTERNAL
	key: str  # the record's name
	title: str
	owner: str  # lead agency or reporting organisation, as shown
	states: frozenset[str]  # ISO 3166-1 alpha-2, upper case
	codes: frozenset[str]  # DAC 5-digit purpose codes and 3-digit categories
	start: date
	end: date | None  # None: open-ended
	institution_types: frozenset[str] = frozenset()
	themes: frozenset[str] = frozenset()  # thematic areas (site programmes)
	owner_ids: frozenset[str] = frozenset()  # lead agency name, IATI organisation identifiers (lower case)

	@property
	def until(self) -> date:
		return self.end or OPEN_END


def norm_state(value: str | None, iso_by_name: Mapping[str, str] | None = None) -> str | None:
	"""A state as an ISO-2 code: an ISO code as it is (upper case), a state's name through
	``iso_by_name`` (TA Beneficiary State name -> iso_code); None when unknown."""
	value = (value or "").strip()
	if not value:
		return None
	if iso_by_name and value in iso_by_name and iso_by_name[value]:
		value = iso_by_name[value].strip()
	return value.upper() if _ISO2.match(value) else None


def norm_code(code: str | None, vocabulary: str | None = VOCABULARY_DAC5) -> str | None:
	"""A sector code the check compares: a 5-digit DAC purpose code (vocabulary 1) or a 3-digit DAC
	category (vocabulary 2); anything else (other vocabularies, malformed codes) None."""
	code, vocabulary = (code or "").strip(), (vocabulary or VOCABULARY_DAC5).strip()
	if vocabulary == VOCABULARY_DAC5 and _DAC5.match(code):
		return code
	if vocabulary == VOCABULARY_DAC3 and _DAC3.match(code):
		return code
	return None


def owner_ids(*values: str | None) -> frozenset[str]:
	return frozenset(v.strip().lower() for v in values if v and v.strip())


def codes_match(a: str, b: str) -> bool:
	"""Equal codes, or a 3-digit category and a 5-digit purpose code inside it."""
	if a == b:
		return True
	short, long_ = (a, b) if len(a) < len(b) else (b, a)
	return len(short) == 3 and len(long_) == 5 and long_.startswith(short)


# --------------------------------------------------------------------------------------------
# Outputs


@dataclass(frozen=True)
class Candidate:
	source: Source
	states: tuple[str, ...]
	codes: tuple[tuple[str, str], ...]  # (programme's code, source's code)
	themes: tuple[str, ...]
	overlap_start: date
	overlap_end: date
	overlap_days: int
	institution_types: tuple[str, ...]
	score: float
	strong: bool
	reasons: tuple[Reason, ...] = field(compare=False)

	@property
	def ref(self) -> tuple[str, str]:
		return (self.source.kind, self.source.key)


def excluded(programme: Source, source: Source) -> bool:
	"""The programme itself, or assistance of its own lead agency / publisher."""
	if source.kind == programme.kind and source.key == programme.key:
		return True
	return bool(programme.owner_ids & source.owner_ids)


def _days(start: date, end: date) -> int:
	return (end - start).days + 1


def compare(programme: Source, source: Source) -> Candidate | None:
	"""The overlap of ``source`` with ``programme``, or None when it is no candidate."""
	if excluded(programme, source):
		return None
	states = tuple(sorted(programme.states & source.states))
	if not states:
		return None
	pairs = tuple(sorted((a, b) for a in programme.codes for b in source.codes if codes_match(a, b)))
	if not pairs:
		return None
	start, end = max(programme.start, source.start), min(programme.until, source.until)
	if end < start:
		return None
	days = _days(start, end)
	institutions = tuple(sorted(programme.institution_types & source.institution_types))
	themes = tuple(sorted(programme.themes & source.themes))
	exact = {a for a, b in pairs if a == b}
	category = {a for a, b in pairs if a != b} - exact
	strong = bool(exact) and days >= STRONG_MIN_OVERLAP_DAYS
	own_days = _days(programme.start, programme.until) if programme.end else days
	score = (
		WEIGHTS["states"] * len(states) / len(programme.states)
		+ WEIGHTS["codes"] * (len(exact) + 0.5 * len(category)) / len(programme.codes)
		+ WEIGHTS["period"] * min(1.0, days / own_days)
		+ (
			WEIGHTS["institutions"] * len(institutions) / len(programme.institution_types)
			if programme.institution_types
			else 0.0
		)
	)
	reasons = [reason(_("Same beneficiary state(s): {0}."), ", ".join(states))]
	if themes:
		reasons.append(reason(_("Same thematic area(s): {0}."), ", ".join(themes)))
	if exact:
		reasons.append(reason(_("Same DAC purpose code(s): {0}."), ", ".join(sorted(exact))))
	for a, b in pairs:
		if a != b:
			reasons.append(
				reason(_("DAC category {0} covers purpose code {1}."), min(a, b, key=len), max(a, b, key=len))
			)
	reasons.append(
		reason(
			_("Periods overlap for {0} days ({1} to {2})."),
			days,
			start.isoformat(),
			end.isoformat() if end != OPEN_END else _("open-ended"),
		)
	)
	if institutions:
		reasons.append(reason(_("Institution types in common: {0}."), ", ".join(institutions)))
	return Candidate(
		source=source,
		states=states,
		codes=pairs,
		themes=themes,
		overlap_start=start,
		overlap_end=end,
		overlap_days=days,
		institution_types=institutions,
		score=round(score, 1),
		strong=strong,
		reasons=tuple(reasons),
	)


def rank_key(c: Candidate) -> tuple:
	return (not c.strong, -c.score, -c.overlap_days, c.source.kind, c.source.key)


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
	return sorted(candidates, key=rank_key)


# --------------------------------------------------------------------------------------------
# The index


class Index:
	"""Sources by (state, code), each bucket sorted by start date.

	``exact[(state, code)]`` holds every source with that code (5-digit or 3-digit);
	``within[(state, category)]`` holds the sources with a 5-digit code in that 3-digit category.
	"""

	def __init__(self, sources: Iterable[Source]):
		self.sources: list[Source] = []
		exact: dict[tuple[str, str], list[tuple[date, int]]] = {}
		within: dict[tuple[str, str], list[tuple[date, int]]] = {}
		for i, s in enumerate(sources):
			self.sources.append(s)
			for state in s.states:
				for code in s.codes:
					exact.setdefault((state, code), []).append((s.start, i))
					if len(code) == 5:
						within.setdefault((state, code[:3]), []).append((s.start, i))
		self.exact = {k: _bucket(v) for k, v in exact.items()}
		self.within = {k: _bucket(v) for k, v in within.items()}

	def __len__(self) -> int:
		return len(self.sources)

	def lookup(self, programme: Source) -> set[int]:
		"""The positions of sources sharing a state and a code with the programme and starting no
		later than its end (their end is checked by :func:`compare`)."""
		hits: set[int] = set()
		until = programme.until
		for state in programme.states:
			for code in programme.codes:
				buckets = [self.exact.get((state, code))]
				if len(code) == 5:
					buckets.append(self.exact.get((state, code[:3])))
				elif len(code) == 3:
					buckets.append(self.within.get((state, code)))
				for bucket in buckets:
					if bucket:
						starts, positions = bucket
						hits.update(positions[: bisect_right(starts, until)])
		return hits


def _bucket(entries: list[tuple[date, int]]) -> tuple[list[date], list[int]]:
	entries.sort()
	return [e[0] for e in entries], [e[1] for e in entries]


def find_overlaps(programme: Source, index: Index, strong_only: bool = False) -> list[Candidate]:
	"""THE duplication check: the sources of ``index`` overlapping ``programme``, ranked, each with
	its reasons and its strong flag."""
	found = []
	for i in index.lookup(programme):
		c = compare(programme, index.sources[i])
		if c and (c.strong or not strong_only):
			found.append(c)
	return rank(found)


def scan(programme: Source, sources: Iterable[Source]) -> list[Candidate]:
	"""The straightforward way: compare the programme with every source (tests, benchmark)."""
	return rank(c for c in (compare(programme, s) for s in sources) if c)


# --------------------------------------------------------------------------------------------
# Coordination notes


@dataclass(frozen=True)
class Note:
	kind: str  # PROGRAMME or EXTERNAL
	key: str
	relation: str
	reason: str

	@property
	def ref(self) -> tuple[str, str]:
		return (self.kind, self.key)


def check_note(note: Note, row: int | None = None) -> None:
	"""A coordination note names a candidate, says how the programme relates to it and why."""
	where = f"#{row}" if row else ""
	if note.kind not in KINDS:
		raise InvalidValue(
			_("Coordination note {0}: the candidate must be a {1} or a {2}."), where, PROGRAMME, EXTERNAL
		)
	if not (note.key or "").strip():
		raise MissingValue(_("Coordination note {0}: the candidate is required."), where)
	if note.relation not in RELATIONS:
		raise InvalidValue(
			_("Coordination note {0}: the relation must be one of {1}."), where, ", ".join(RELATIONS)
		)
	if len((note.reason or "").strip()) < NOTE_MIN_REASON:
		raise MissingValue(
			_("Coordination note {0} ({1}): say why, in at least {2} characters."),
			where,
			note.key,
			NOTE_MIN_REASON,
		)


def check_notes(notes: Sequence[Note]) -> None:
	seen: set[tuple[str, str]] = set()
	for i, note in enumerate(notes, start=1):
		check_note(note, i)
		if note.ref in seen:
			raise InvalidValue(_("Coordination note #{0}: {1} has a note already."), i, note.key)
		seen.add(note.ref)


def missing_notes(candidates: Iterable[Candidate], notes: Iterable[Note]) -> list[Candidate]:
	"""The strong candidates without a valid note, in rank order."""
	noted = set()
	for n in notes:
		try:
			check_note(n)
		except RuleViolation:
			continue
		noted.add(n.ref)
	return [c for c in rank(candidates) if c.strong and c.ref not in noted]


def check_notes_cover(candidates: Iterable[Candidate], notes: Iterable[Note]) -> None:
	"""Refuse review while a strong candidate has no coordination note."""
	missing = missing_notes(candidates, notes)
	if missing:
		names = "; ".join(f"{c.source.title} ({c.source.owner}, {c.source.key})" for c in missing[:10])
		more = len(missing) - 10
		raise NotesMissing(
			_(
				"The programme overlaps assistance of others and cannot go to review before a coordination note "
				"(complementary, coordinated with, or no overlap, and why) is recorded for each strong match: {0}{1}"
			),
			names,
			f" (+{more})" if more > 0 else "",
		)
