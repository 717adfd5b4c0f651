"""Frappe exception classes for the app, one per kind of core rule violation.

API clients see the class name in ``exc_type`` and can react to it; the desk shows the
translated message and title.
"""

import frappe

from ta_programmes.core import balance as oversight_balance
from ta_programmes.core import (
	concerns,
	deconfliction,
	iati,
	iati_import,
	lifecycle,
	oversight,
	results,
	schedule,
)
from ta_programmes.core import errors as core


class TAValidationError(frappe.ValidationError):
	pass


class InvalidDateRangeError(TAValidationError):
	pass


class InvalidSharesError(TAValidationError):
	pass


class NotInProgrammeError(TAValidationError):
	pass


class NegativeValueError(TAValidationError):
	pass


class InvalidParticipantsError(TAValidationError):
	pass


class DuplicateRowError(TAValidationError):
	pass


class MissingValueError(TAValidationError):
	pass


class InvalidValueError(TAValidationError):
	pass


class InvalidDemoDataError(TAValidationError):
	pass


class InvalidTransitionError(TAValidationError):
	pass


class GateRefusedError(TAValidationError):
	pass


class SignOffRefusedError(TAValidationError):
	pass


class ReviewLockedError(TAValidationError):
	"""A submitted review's mitigation plan, or a sign-off's conditions, changed other than by status."""


class OverrideRefusedError(TAValidationError):
	pass


class InvalidPolicyError(TAValidationError):
	pass


class TrainerConflictError(TAValidationError):
	pass


class IatiRuleError(TAValidationError):
	pass


class InvalidIndicatorValueError(TAValidationError):
	pass


class InvalidResultLinkError(TAValidationError):
	pass


class NotReadyError(TAValidationError):
	pass


class FollowUpLinkError(TAValidationError):
	pass


class EvidenceRefusedError(TAValidationError):
	pass


class TriageRefusedError(TAValidationError):
	pass


class ConcernBlocksActivityError(TAValidationError):
	pass


class ConcernLinkError(TAValidationError):
	pass


class CoordinationNotesMissingError(TAValidationError):
	pass


class IatiFileRefusedError(TAValidationError):
	pass


class AccreditationDecisionError(TAValidationError):
	"""An accreditation application decided by someone who may not, or decided twice."""


_BY_VIOLATION: dict[type[core.RuleViolation], type[TAValidationError]] = {
	core.InvalidDateRange: InvalidDateRangeError,
	core.InvalidShares: InvalidSharesError,
	core.NotInProgramme: NotInProgrammeError,
	core.NegativeValue: NegativeValueError,
	core.InvalidParticipants: InvalidParticipantsError,
	core.DuplicateRow: DuplicateRowError,
	core.MissingValue: MissingValueError,
	core.InvalidValue: InvalidValueError,
	core.InvalidDemoData: InvalidDemoDataError,
	lifecycle.InvalidTransition: InvalidTransitionError,
	lifecycle.GateRefused: GateRefusedError,
	oversight.SignOffRefused: SignOffRefusedError,
	oversight.OverrideRefused: OverrideRefusedError,
	oversight.InvalidPolicy: InvalidPolicyError,
	schedule.TrainerConflict: TrainerConflictError,
	iati.IatiRuleViolation: IatiRuleError,
	results.InvalidIndicatorValue: InvalidIndicatorValueError,
	results.InvalidResultLink: InvalidResultLinkError,
	results.NotReady: NotReadyError,
	concerns.EvidenceRefused: EvidenceRefusedError,
	concerns.TriageRefused: TriageRefusedError,
	concerns.ActivityBlocked: ConcernBlocksActivityError,
	oversight_balance.DecisionRefused: AccreditationDecisionError,
	deconfliction.NotesMissing: CoordinationNotesMissingError,
	iati_import.ImportRefused: IatiFileRefusedError,
}


def for_violation(violation: core.RuleViolation) -> type[TAValidationError]:
	for cls in type(violation).__mro__:
		if cls in _BY_VIOLATION:
			return _BY_VIOLATION[cls]
	return TAValidationError
