"""The approval dossier of a programme: which parts a reader gets, and their assembly.

The dossier is the programme's file copy of its approval: the scope, the human-rights review
(risk level, risks, mitigation plan), every sign-off with its state, the overrides of objections
with their justification, the gate's decision and the timeline of decisions. Each part shows
records of some doctypes; a reader gets a part only when the declared table
``core.access.VISIBILITY`` lets them read every one of those doctypes (the site checks the same
thing with Frappe's permissions, and reads each part through permission-checked queries).

Plain data in, plain data out: the Frappe side (``ta_programmes.dossier``) gathers the rows and
formats them for the print format.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from .access import VISIBILITY
from .i18n import _

PARTS = ("scope", "review", "signoffs", "overrides", "decision", "timeline")

# What each part shows records of. The gate's decision names the review, the sign-offs and the
# objecting organisations, so it needs all three.
PART_SOURCES: dict[str, tuple[str, ...]] = {
	"scope": ("TA Programme", "TA Programme State", "TA Programme Theme", "TA Implementing Partner"),
	"review": ("TA Human Rights Review", "TA Identified Risk", "TA Mitigation Measure"),
	"signoffs": ("TA Oversight Sign-off", "TA Sign-off Condition"),
	"overrides": ("TA Objection Override",),
	"decision": ("TA Human Rights Review", "TA Oversight Sign-off", "TA Objection Override"),
	"timeline": ("TA Programme",),  # each event is kept only when its own source is readable
}

PART_LABELS = {
	"scope": _("Scope"),
	"review": _("Human-rights review"),
	"signoffs": _("Sign-offs"),
	"overrides": _("Overrides of objections"),
	"decision": _("The gate's decision"),
	"timeline": _("Timeline of decisions"),
}

# A sign-off's state in the dossier: the gate's (core.oversight.Decision.signoff_states), or
# "cancelled" for a cancelled one, or "submitted" when the gate's decision is not part of it.
SIGNOFF_STATE_LABELS = {
	"valid": _("In force"),
	"expired": _("Expired"),
	"stale": _("Scope changed"),
	"superseded": _("Superseded"),
	"objection": _("Standing objection"),
	"unaccredited": _("Not counted: accreditation"),
	"partner": _("Not counted: partner of the programme"),
	"cancelled": _("Cancelled"),
	"submitted": _("Submitted"),
}

# Events of the timeline, in the order they are listed when they happen at the same moment.
EVENT_SOURCES = {
	"review": "TA Human Rights Review",
	"signoff": "TA Oversight Sign-off",
	"override": "TA Objection Override",
	"approval": "TA Programme",
	"suspension": "TA Programme",
}
EVENT_LABELS = {
	"review": _("Human-rights review submitted"),
	"signoff": _("Sign-off submitted"),
	"override": _("Objection overridden"),
	"approval": _("Programme approved"),
	"suspension": _("Programme suspended"),
}


def parts_for(can_read: Callable[[str], bool]) -> tuple[str, ...]:
	"""The parts of the dossier a reader gets, in order: those whose every source doctype
	``can_read`` allows. Nothing at all without the programme itself."""
	if not can_read("TA Programme"):
		return ()
	return tuple(part for part in PARTS if all(can_read(doctype) for doctype in PART_SOURCES[part]))


def parts_for_role(role: str) -> tuple[str, ...]:
	"""The parts the declared table gives a user holding only ``role``."""
	return parts_for(lambda doctype: VISIBILITY[doctype][role] != "none")


def moment(value: date | datetime | None) -> datetime | None:
	"""A date counts from its midnight, so that dates and moments sort together."""
	if value is None:
		return None
	if isinstance(value, datetime):
		return value.replace(tzinfo=None)
	return datetime.combine(value, time.min)


@dataclass(frozen=True)
class Event:
	when: datetime
	kind: str  # a key of EVENT_LABELS
	ref: str  # the record it comes from
	actor: str | None = None  # who decided
	detail: str | None = None  # risk level, decision, organisation, reason: shown as it is or translated

	@property
	def source(self) -> str:
		return EVENT_SOURCES[self.kind]

	@property
	def label(self) -> str:
		return EVENT_LABELS[self.kind]


_ORDER = {kind: i for i, kind in enumerate(EVENT_LABELS)}


def timeline(events: Iterable[Event], can_read: Callable[[str], bool] = lambda _doctype: True) -> list[Event]:
	"""The events a reader may read, oldest first; at the same moment a review comes before the
	sign-offs, the sign-offs before the overrides, and these before the approval that rests on
	them. Events without a moment are left out (a record never submitted decided nothing)."""
	kept = [e for e in events if e.when is not None and can_read(e.source)]
	return sorted(kept, key=lambda e: (moment(e.when), _ORDER[e.kind], e.ref))


def programme_events(
	name: str,
	approved_on: date | datetime | None,
	approved_by: str | None,
	suspended_on: date | datetime | None,
	suspension_reason: str | None,
) -> list[Event]:
	events = []
	if approved_on:
		events.append(Event(moment(approved_on), "approval", name, approved_by))
	if suspended_on:
		events.append(Event(moment(suspended_on), "suspension", name, None, suspension_reason or None))
	return events


@dataclass(frozen=True)
class ReviewSummary:
	risk_level: str | None
	risks: int
	high_risks: int  # rated High in likelihood or impact
	categories: tuple[tuple[str, int], ...]  # (category, risks), most frequent first
	mitigations: tuple[tuple[str, int], ...]  # (status, measures) in the order Planned, In place, Verified
	overdue: int  # measures still Planned whose due date has passed


MITIGATION_STATUSES = ("Planned", "In place", "Verified")


def summarise_review(
	risk_level: str | None, risks: Iterable[dict], mitigations: Iterable[dict], today: date
) -> ReviewSummary:
	"""Risk level, how many risks (and how many rated High), and the state of the mitigation plan.
	``risks``: dicts with category, likelihood, impact; ``mitigations``: dicts with status, due_date."""
	risks = list(risks)
	mitigations = list(mitigations)
	categories = Counter(r.get("category") or "Other" for r in risks)
	statuses = Counter(m.get("status") or "Planned" for m in mitigations)
	return ReviewSummary(
		risk_level=risk_level,
		risks=len(risks),
		high_risks=sum(1 for r in risks if "High" in (r.get("likelihood"), r.get("impact"))),
		categories=tuple(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
		mitigations=tuple((s, statuses[s]) for s in MITIGATION_STATUSES if statuses[s])
		+ tuple(sorted((s, n) for s, n in statuses.items() if s not in MITIGATION_STATUSES)),
		overdue=sum(
			1
			for m in mitigations
			if (m.get("status") or "Planned") == "Planned" and m.get("due_date") and m["due_date"] < today
		),
	)


def signoff_state(name: str, docstatus: int, gate_states: dict[str, str] | None) -> str:
	"""A sign-off's state in the dossier (see SIGNOFF_STATE_LABELS)."""
	if docstatus == 2:
		return "cancelled"
	if gate_states is None:
		return "submitted"
	return gate_states.get(name, "valid")


def order_signoffs(signoffs: Iterable[dict]) -> list[dict]:
	"""Sign-offs oldest first (by signed_on, then name)."""
	return sorted(signoffs, key=lambda s: (moment(s.get("signed_on")) or datetime.min, s.get("name") or ""))


def count_states(states: Iterable[str]) -> tuple[tuple[str, int], ...]:
	"""How many sign-offs are in each state, in the order of SIGNOFF_STATE_LABELS."""
	counts = Counter(states)
	return tuple((state, counts[state]) for state in SIGNOFF_STATE_LABELS if counts[state])
