"""Status rules of programmes and activities: which transitions exist, and when an activity may
go ahead. Approval itself is decided by :mod:`ta_programmes.core.oversight`.
"""

from __future__ import annotations

from .errors import RuleViolation
from .i18n import _
from .oversight import Decision, render


class InvalidTransition(RuleViolation):
	title = _("Status Change Not Allowed")


class GateRefused(RuleViolation):
	title = _("Oversight Requirements Not Met")


PROGRAMME_TRANSITIONS: dict[str | None, tuple[str, ...]] = {
	None: ("Draft",),
	"Draft": ("Under Review", "Cancelled"),
	"Under Review": ("Approved", "Draft", "Cancelled"),
	"Approved": ("Active", "Suspended", "Cancelled"),
	"Active": ("Completed", "Suspended", "Cancelled"),
	"Suspended": ("Under Review", "Cancelled"),
	"Completed": (),
	"Cancelled": (),
}

# Entering these states requires the gate to hold at that moment.
GATED_PROGRAMME_STATES = ("Approved", "Active")
# A programme in these states has been approved and is expected to keep the gate.
APPROVED_PROGRAMME_STATES = ("Approved", "Active")

ACTIVITY_TRANSITIONS: dict[str | None, tuple[str, ...]] = {
	None: ("Planned", "Approved", "Scheduled"),
	"Planned": ("Approved", "Scheduled", "Postponed", "Cancelled"),
	"Approved": ("Scheduled", "Delivered", "Postponed", "Cancelled"),
	"Scheduled": ("Delivered", "Postponed", "Cancelled", "Approved"),
	"Postponed": ("Planned", "Approved", "Scheduled", "Cancelled"),
	"Delivered": (),
	"Cancelled": (),
}
GATED_ACTIVITY_STATES = ("Approved", "Scheduled")


def check_transition(kind: str, old: str | None, new: str, transitions: dict) -> None:
	if old == new:
		return
	if new not in transitions.get(old, ()):
		allowed = ", ".join(transitions.get(old, ())) or _("none: it is final")
		if old is None:
			raise InvalidTransition(_("A new {0} cannot start as {1}; it can start as: {2}."), kind, new, allowed)
		raise InvalidTransition(_("The {0} cannot go from {1} to {2}; from {1} it can go to: {3}."), kind, old, new, allowed)


def check_programme_transition(old: str | None, new: str) -> None:
	check_transition(_("programme"), old, new, PROGRAMME_TRANSITIONS)


def check_activity_transition(old: str | None, new: str) -> None:
	check_transition(_("activity"), old, new, ACTIVITY_TRANSITIONS)


def refusal(decision: Decision, what: str, translate=lambda s: s) -> GateRefused:
	"""One error listing every failed requirement with its reasons (translated by ``translate``)."""
	lines = []
	for check in decision.checks:
		if not check.ok:
			lines.append(f"{translate(check.label)}: " + " ".join(render(r, translate) for r in check.reasons))
	return GateRefused(_("{0} cannot be approved yet:\n{1}"), what, "\n".join(f"\u2022 {line}" for line in lines))


def check_activity_may_proceed(
	new_status: str,
	programme: str,
	programme_status: str,
	programme_decision: Decision | None,
	state: str,
	state_suspended: bool,
	ever_approved: bool,
	translate=lambda s: s,
) -> None:
	"""An activity is Approved or Scheduled only under an approved programme whose gate holds,
	and never in a suspended state or programme; it is Delivered only if it was approved."""
	if new_status in GATED_ACTIVITY_STATES or new_status == "Delivered":
		if programme_status == "Suspended":
			raise GateRefused(_("Programme {0} is suspended: its activities cannot be approved, scheduled or delivered."), programme)
		if state_suspended:
			raise GateRefused(_("Beneficiary state {0} is suspended: activities there cannot be approved, scheduled or delivered."), state)
	if new_status in GATED_ACTIVITY_STATES:
		if programme_status not in APPROVED_PROGRAMME_STATES:
			raise GateRefused(_("Programme {0} is {1}: an activity is approved or scheduled only once its programme is approved."), programme, programme_status)
		if programme_decision is not None and not programme_decision.approvable:
			failed = "; ".join(translate(c.label) for c in programme_decision.checks if not c.ok)
			raise GateRefused(_("Programme {0} no longer meets its oversight requirements ({1}); the activity cannot be {2}."), programme, failed, new_status)
	if new_status == "Delivered" and not ever_approved:
		raise GateRefused(_("An activity that was never approved cannot be marked Delivered."))


# What an activity's approval was given for: changing one of these re-runs the gate, or is refused.
MATERIAL_ACTIVITY_FIELDS = {
	"programme": _("programme"),
	"beneficiary_state": _("beneficiary state"),
	"thematic_area": _("thematic area"),
	"institution_type": _("institution type"),
}


def check_activity_change(
	old_programme: str | None, new_programme: str | None, status: str, ever_approved: bool, changed: tuple[str, ...],
	translate=lambda s: s,
) -> bool:
	"""May an existing activity change these material fields? Returns True when the change must
	pass the gate again (as if the activity were approved now).

	An approved activity stays with the programme it was approved under; a delivered one is a
	record of what happened and keeps its programme, state, theme and institution type."""
	if not changed:
		return False
	if "programme" in changed and ever_approved:
		raise GateRefused(
			_("The activity was approved under programme {0}; it cannot move to programme {1}. Cancel it and plan a new activity there."),
			old_programme, new_programme,
		)
	if status == "Delivered":
		labels = ", ".join(translate(MATERIAL_ACTIVITY_FIELDS[f]) for f in changed)
		raise GateRefused(_("A delivered activity is a record of what took place: its {0} cannot change."), labels)
	return status in GATED_ACTIVITY_STATES


def check_delivery_time(now_utc, last_end_utc) -> None:
	"""An activity is marked Delivered only once its last session has ended."""
	if last_end_utc and now_utc < last_end_utc:
		raise GateRefused(
			_("The last session ends {0} UTC; the activity can be marked Delivered after that."),
			last_end_utc.strftime("%Y-%m-%d %H:%M"),
		)
