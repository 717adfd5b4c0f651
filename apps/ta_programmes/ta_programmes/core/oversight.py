"""The oversight gate: when may a programme be approved, and an activity go ahead?

This is the one place where the approval rule lives. The programme controller, the activity
controller, the sign-off controller, the daily check, the desk checklist and the reports all
call :func:`evaluate` (or :func:`activity_gate`) with plain data and act on its decision.

The rule follows the UN Human Rights Due Diligence Policy: a risk assessment (the human-rights
review), a decision by OHCHR and accredited civil society (sign-offs), mitigation before
delivery, monitoring (expiry and staleness of sign-offs), and suspension.

A programme can be approved only when every requirement holds:

1. ``review``       a submitted human-rights review with a risk level exists;
2. ``ohchr``        at least one OHCHR endorsement and no standing OHCHR objection;
3. ``quorum``       civil-society endorsements from distinct accredited organisations meet the
                    policy's quorum for the risk level, from at least two UN regional groups
                    at High and above when the policy says so;
4. ``objection``    every standing civil-society objection has a manager's override with a
                    written justification;
5. ``segregation``  no sign-off is by the programme officer or the approver, and the approver
                    is not the officer (and holds the approving role);
6. ``validity``     every counted sign-off is in force: not expired, and signed on the
                    programme's current material scope ("scope changed since sign-off: ...");
7. ``mitigation``   at High and Critical, mitigation measures and sign-off conditions due
                    before the start are In place (or Verified), when the policy says so;
8. ``suspension``   neither the programme nor any of its beneficiary states is suspended, and
                    the review and sign-offs post-date the latest suspension.

Each reviewer's *current position* is their latest submitted sign-off (per person, and per
organisation they speak for); older ones are superseded, a colleague's never are. Counted sign-offs are the current endorsements;
standing objections are current objections that have not expired.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time

from .concerns import Founded
from .errors import RuleViolation
from .i18n import Reason, _, reason, render

OHCHR = "OHCHR"
CIVIL_SOCIETY = "Civil Society"
ENDORSE = "Endorse"
ENDORSE_WITH_CONDITIONS = "Endorse with conditions"
OBJECT = "Object"
DONE = ("In place", "Verified")
HIGH_RISK = ("High", "Critical")

APPROVER_ROLE = "TA Programme Manager"
OHCHR_ROLE = "TA OHCHR Reviewer"
CIVIL_SOCIETY_ROLE = "TA Civil Society Reviewer"

REQUIREMENTS = (
	"review",
	"ohchr",
	"quorum",
	"objection",
	"segregation",
	"validity",
	"mitigation",
	"suspension",
	"concerns",
)

REQUIREMENT_LABELS = {
	"review": _("Human-rights review submitted"),
	"ohchr": _("OHCHR endorsement"),
	"quorum": _("Civil-society quorum"),
	"objection": _("No unresolved civil-society objection"),
	"segregation": _("Segregation of duties"),
	"validity": _("Sign-offs in force and on the current scope"),
	"mitigation": _("Mitigation and conditions in place"),
	"suspension": _("No suspension"),
	"concerns": _("Founded concerns answered"),
}

# Budget bands for the scope fingerprint (upper bounds, in programme currency).
BUDGET_BANDS = ((100_000, "under 100k"), (500_000, "100k-500k"), (1_000_000, "500k-1M"), (5_000_000, "1M-5M"))

SCOPE_LABELS = {
	"states": _("beneficiary states"),
	"themes": _("thematic areas"),
	"institution_types": _("institution types"),
	"budget_band": _("budget band"),
	"date_range": _("date range"),
	"lead_agency": _("lead agency"),
	"review": _("human-rights review (risk level and mitigation plan)"),
}


# --------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Policy:
	quorum: dict[str, int] = field(default_factory=lambda: {"Low": 1, "Medium": 1, "High": 2, "Critical": 3})
	regional_spread_at_high: bool = True
	validity_months: int = 12
	mitigation_before_start_at_high: bool = True


@dataclass(frozen=True)
class Item:
	"""A mitigation measure or a sign-off condition."""

	description: str
	due: date | None
	status: str | None


@dataclass(frozen=True)
class Review:
	name: str
	risk_level: str | None
	submitted_on: date | datetime  # the moment of submission (a date counts from its midnight)
	mitigations: tuple[Item, ...] = ()


@dataclass(frozen=True)
class SignOff:
	name: str
	kind: str  # OHCHR or Civil Society
	organisation: str | None
	regional_group: str | None
	signer: str
	decision: str
	signed_on: date | datetime  # the moment of submission (a date counts from its midnight)
	valid_until: date
	scope: dict  # the material scope at signing (see scope_of)
	conditions: tuple[Item, ...] = ()
	# Civil society: the organisation is still accredited and the signer still one of its
	# reviewers when the gate runs (checked then, not only at signing).
	accredited: bool = True
	# ... and is not one of the programme's partners (implementing it, advising or hosting it):
	# an organisation does not oversee its own work, whatever it declared
	independent: bool = True

	@property
	def position(self) -> tuple[str, str, str]:
		"""Whose position this is: one person speaking for OHCHR or for one organisation. A later
		sign-off replaces only the same person's earlier one, so an objection stands until its
		author withdraws it (or, for civil society, a manager overrides it with a published
		justification): adding another reviewer to the organisation cannot silence it."""
		return (self.kind, (self.organisation or "") if self.kind == CIVIL_SOCIETY else "", self.signer)


@dataclass(frozen=True)
class Override:
	name: str
	objection: str  # the sign-off name of the objection it overrides
	by: str
	by_roles: tuple[str, ...]
	justification: str


@dataclass(frozen=True)
class Programme:
	name: str
	officer: str | None
	status: str
	planned_start: date | None
	scope: dict
	suspended: bool = False
	suspended_states: tuple[str, ...] = ()
	not_before: date | datetime | None = None  # the latest suspension of the programme or its states


@dataclass(frozen=True)
class GateInput:
	programme: Programme
	approver: str | None
	approver_roles: tuple[str, ...]
	review: Review | None
	signoffs: tuple[SignOff, ...]
	overrides: tuple[Override, ...]
	policy: Policy
	today: date
	# Founded misuse concerns bearing on this programme (core.concerns.affects_programme): each
	# voids the review and the endorsements made before it, as a suspension does.
	concerns: tuple[Founded, ...] = ()


# --------------------------------------------------------------------------------------------
# Outputs


@dataclass(frozen=True)
class Check:
	code: str
	ok: bool
	reasons: tuple[Reason, ...] = ()

	@property
	def label(self) -> str:
		return REQUIREMENT_LABELS[self.code]

	def messages(self, translate=lambda s: s) -> list[str]:
		return [render(r, translate) for r in self.reasons]


@dataclass(frozen=True)
class Decision:
	checks: tuple[Check, ...]
	signoff_states: dict[str, str]  # name -> valid / expired / stale / superseded / objection
	stale_fields: dict[str, tuple[str, ...]]
	risk_level: str | None

	@property
	def approvable(self) -> bool:
		return all(c.ok for c in self.checks)

	@property
	def failed(self) -> tuple[str, ...]:
		return tuple(c.code for c in self.checks if not c.ok)

	def check(self, code: str) -> Check:
		return next(c for c in self.checks if c.code == code)


# --------------------------------------------------------------------------------------------
# Scope and fingerprint


def budget_band(amount: float | None) -> str:
	for bound, label in BUDGET_BANDS:
		if (amount or 0) < bound:
			return label
	return "5M and over"


def scope_of(
	states: list[str],
	themes: list[str],
	institution_types: list[str],
	budget: float | None,
	start: date | None,
	end: date | None,
	lead_agency: str | None,
	review: str = "",
) -> dict:
	"""The programme's material scope, as reviewers signed it.

	Dates count to the month: moving a workshop by a day is not a new programme, extending it
	by a month is. ``review`` is :func:`review_key` of the current human-rights review: a
	sign-off endorses that assessment, so a new risk level or mitigation plan makes it stale.
	"""
	return {
		"states": sorted({s for s in states if s}),
		"themes": sorted({t for t in themes if t}),
		"institution_types": sorted({i for i in institution_types if i}),
		"budget_band": budget_band(budget),
		"date_range": f"{start:%Y-%m}..{end:%Y-%m}" if start and end else "",
		"lead_agency": lead_agency or "",
		"review": review or "",
	}


def review_key(risk_level: str | None, mitigations: list[tuple[str | None, date | None]]) -> str:
	"""What a sign-off endorses of the review: its risk level and its mitigation plan (each
	measure and its due date; their progress, the one thing edited after submission, is not
	part of it). Readable, with a digest of the plan."""
	if not risk_level:
		return ""
	plan = sorted(f"{(m or '').strip().casefold()}|{d.isoformat() if d else ''}" for m, d in mitigations)
	digest = hashlib.sha256("\n".join(plan).encode()).hexdigest()[:10]
	return f"{risk_level}; {len(plan)} mitigation measure(s) [{digest}]"


def moment(value: date | datetime | None) -> datetime | None:
	"""Dates and datetimes on one scale: a date counts from its midnight, so a sign-off known
	only by its day never counts as later than a suspension on that day."""
	if value is None or isinstance(value, datetime):
		return value
	return datetime.combine(value, time.min)


def fingerprint(scope: dict) -> str:
	canonical = json.dumps(scope, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
	return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def changed_fields(signed: dict, current: dict) -> tuple[str, ...]:
	return tuple(key for key in SCOPE_LABELS if signed.get(key) != current.get(key))


def add_months(day: date, months: int) -> date:
	month = day.month - 1 + months
	year = day.year + month // 12
	month = month % 12 + 1
	leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
	last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
	return date(year, month, min(day.day, last))


# --------------------------------------------------------------------------------------------
# The gate


def current_positions(signoffs: tuple[SignOff, ...], not_before: date | None) -> tuple[list[SignOff], set[str]]:
	"""Each reviewer's latest sign-off (after ``not_before``), and the names superseded."""
	latest: dict[tuple[str, str], SignOff] = {}
	superseded: set[str] = set()
	not_before = moment(not_before)
	for s in sorted(signoffs, key=lambda s: (moment(s.signed_on), s.name)):
		# A suspension voids the endorsements made before it, never an objection: an objection
		# stands until its author withdraws it or a manager overrides it.
		if not_before and moment(s.signed_on) <= not_before and s.decision != OBJECT:
			superseded.add(s.name)
			continue
		if s.position in latest:
			superseded.add(latest[s.position].name)
		latest[s.position] = s
	return list(latest.values()), superseded


def evaluate(inp: GateInput) -> Decision:
	p, policy, today = inp.programme, inp.policy, inp.today
	review = inp.review
	found = max((moment(c.found_on) for c in inp.concerns), default=None)
	not_before = max((m for m in (moment(p.not_before), found) if m), default=None)
	if review and not_before and moment(review.submitted_on) <= not_before:
		review = None
	risk = review.risk_level if review else None

	current, superseded = current_positions(inp.signoffs, not_before)
	endorsements = [s for s in current if s.decision in (ENDORSE, ENDORSE_WITH_CONDITIONS)]
	objections = [s for s in current if s.decision == OBJECT and s.valid_until >= today]
	ohchr = [s for s in endorsements if s.kind == OHCHR]
	civil = [s for s in endorsements if s.kind == CIVIL_SOCIETY]
	unaccredited = [s for s in civil if not s.accredited]
	partners = [s for s in civil if s.accredited and not s.independent]
	civil = [s for s in civil if s.accredited and s.independent]

	states: dict[str, str] = {name: "superseded" for name in superseded}
	stale: dict[str, tuple[str, ...]] = {}
	for s in current:
		changed = changed_fields(s.scope, p.scope)
		if s.kind == CIVIL_SOCIETY and not s.accredited:
			states[s.name] = "unaccredited"
		elif s.kind == CIVIL_SOCIETY and not s.independent:
			states[s.name] = "partner"
		elif s.decision == OBJECT:
			states[s.name] = "objection" if s.valid_until >= today else "expired"
		elif s.valid_until < today:
			states[s.name] = "expired"
		elif changed:
			states[s.name] = "stale"
			stale[s.name] = changed
		else:
			states[s.name] = "valid"

	checks = [
		_check_review(review),
		_check_ohchr(ohchr, objections),
		_check_quorum(civil, risk, policy, ohchr, unaccredited, partners),
		_check_objections(objections, inp.overrides),
		_check_segregation(p, inp.approver, inp.approver_roles, endorsements + objections),
		_check_validity(endorsements, states, stale),
		_check_mitigation(review, endorsements, risk, policy, p.planned_start),
		_check_suspension(p),
		_check_concerns(inp.concerns, review, ohchr, civil),
	]
	return Decision(tuple(checks), states, stale, risk)


def _check_review(review: Review | None) -> Check:
	if not review:
		return Check(
			"review", False,
			(reason(_("No submitted human-rights review for this programme (since its latest suspension or founded concern).")),),
		)
	if not review.risk_level:
		return Check("review", False, (reason(_("Review {0} has no risk level."), review.name),))
	return Check("review", True, (reason(_("Review {0}: risk {1}."), review.name, review.risk_level),))


def _check_concerns(concerns: tuple[Founded, ...], review: Review | None, ohchr: list[SignOff], civil: list[SignOff]) -> Check:
	"""The review and the endorsements left after the voiding in :func:`evaluate` all post-date
	the latest founded concern: this check only names what is still missing."""
	if not concerns:
		return Check("concerns", True, (reason(_("No founded concern about this programme.")),))
	names = ", ".join(sorted(c.name for c in concerns))
	latest = max(moment(c.found_on) for c in concerns)
	if review and ohchr and civil:
		return Check("concerns", True, (reason(_("Founded concern(s) {0} answered by a new review and new sign-offs."), names),))
	return Check(
		"concerns", False,
		(reason(_("Concern(s) {0} found founded (latest on {1}): a new human-rights review, a new OHCHR endorsement and new civil-society endorsements must post-date it."), names, f"{latest:%Y-%m-%d}"),),
	)


def _check_ohchr(ohchr: list[SignOff], objections: list[SignOff]) -> Check:
	reasons = []
	standing = [s for s in objections if s.kind == OHCHR]
	if standing:
		reasons.append(reason(_("OHCHR objects ({0})."), ", ".join(s.name for s in standing)))
	if not ohchr:
		reasons.append(reason(_("No OHCHR endorsement.")))
	if reasons:
		return Check("ohchr", False, tuple(reasons))
	return Check("ohchr", True, (reason(_("Endorsed by OHCHR ({0})."), ", ".join(s.name for s in ohchr)),))


def independent_endorsements(civil: list[SignOff], ohchr: list[SignOff] = ()) -> list[SignOff]:
	"""The civil-society endorsements that count towards the quorum: one per organisation and
	one per person. A reviewer listed under several organisations, or who also endorsed for
	OHCHR, speaks once (their first organisation by name counts: never more than the true
	number of independent voices, though a cleverer pairing might occasionally count one more).
	"""
	taken = {s.signer for s in ohchr}
	counted, orgs = [], set()
	for s in sorted(civil, key=lambda s: (s.organisation or "", s.name)):
		if not s.organisation or s.organisation in orgs or s.signer in taken:
			continue
		counted.append(s)
		orgs.add(s.organisation)
		taken.add(s.signer)
	return counted


def _check_quorum(
	civil: list[SignOff],
	risk: str | None,
	policy: Policy,
	ohchr: list[SignOff] = (),
	unaccredited: list[SignOff] = (),
	partners: list[SignOff] = (),
) -> Check:
	if not risk:
		# Reported once, under "review"; the quorum is assessed as soon as the risk level is known.
		return Check("quorum", True, (reason(_("Depends on the review's risk level, not known yet.")),))
	needed = policy.quorum.get(risk, 1)
	counted = independent_endorsements(civil, ohchr)
	reasons = []
	if len(counted) < needed:
		reasons.append(
			reason(_("{0} of {1} civil-society endorsements needed at {2} risk (from distinct accredited organisations and distinct people)."),
				len(counted), needed, risk
			)
		)
		for s in unaccredited:
			reasons.append(
				reason(_("Sign-off {0} does not count: {1} is no longer accredited, or {2} is no longer one of its reviewers."),
					s.name, s.organisation, s.signer
				)
			)
		for s in partners:
			reasons.append(
				reason(_("Sign-off {0} does not count: {1} is a partner of the programme and cannot oversee it."), s.name, s.organisation)
			)
	if risk in HIGH_RISK and policy.regional_spread_at_high:
		groups = {s.regional_group for s in counted if s.regional_group}  # one person each
		if len(groups) < 2:
			reasons.append(
				reason(_("At {0} risk the endorsing organisations must come from at least two UN regional groups; they come from {1}."),
					risk, ", ".join(sorted(groups)) or _("none")
				)
			)
	if reasons:
		return Check("quorum", False, tuple(reasons))
	return Check("quorum", True, (reason(_("{0} civil-society endorsements (needed: {1})."), len(counted), needed),))


def _check_objections(objections: list[SignOff], overrides: tuple[Override, ...]) -> Check:
	overridden = {
		o.objection
		for o in overrides
		if APPROVER_ROLE in o.by_roles and len((o.justification or "").strip()) >= MIN_JUSTIFICATION
	}
	open_ = [s for s in objections if s.kind == CIVIL_SOCIETY and s.name not in overridden]
	if open_:
		return Check(
			"objection",
			False,
			tuple(
				reason(_("{0} objects ({1}) and no programme manager has overridden it with a justification."),
					s.organisation, s.name
				)
				for s in open_
			),
		)
	done = [s for s in objections if s.kind == CIVIL_SOCIETY]
	if done:
		return Check("objection", True, (reason(_("Objections overridden with justification: {0}."), ", ".join(s.name for s in done)),))
	return Check("objection", True, (reason(_("No civil-society objection.")),))


MIN_JUSTIFICATION = 30


def _check_segregation(p: Programme, approver: str | None, approver_roles: tuple[str, ...], signoffs: list[SignOff]) -> Check:
	"""``approver`` None: nobody is approving yet (a reviewer's preview); approver checks wait."""
	reasons = []
	if approver is not None:
		if p.officer and approver == p.officer:
			reasons.append(reason(_("The approver {0} is the programme officer."), approver))
		if APPROVER_ROLE not in approver_roles:
			reasons.append(reason(_("The approver {0} does not hold the role {1}."), approver, APPROVER_ROLE))
	for s in signoffs:
		if p.officer and s.signer == p.officer:
			reasons.append(reason(_("Sign-off {0} is by the programme officer {1}."), s.name, s.signer))
		if approver is not None and s.signer == approver:
			reasons.append(reason(_("Sign-off {0} is by the approver {1}."), s.name, s.signer))
	if reasons:
		return Check("segregation", False, tuple(reasons))
	if approver is None:
		return Check("segregation", True, (reason(_("No sign-off is by the officer; the approver is checked on approval.")),))
	return Check("segregation", True, (reason(_("Officer, reviewers and approver are different people.")),))


def _check_validity(endorsements: list[SignOff], states: dict[str, str], stale: dict[str, tuple[str, ...]]) -> Check:
	reasons = []
	for s in endorsements:
		if states[s.name] == "expired":
			reasons.append(reason(_("Sign-off {0} expired on {1}."), s.name, s.valid_until.isoformat()))
		elif states[s.name] == "stale":
			fields = ", ".join(SCOPE_LABELS[f] for f in stale[s.name])
			reasons.append(reason(_("Sign-off {0}: scope changed since sign-off: {1}."), s.name, fields))
	if reasons:
		return Check("validity", False, tuple(reasons))
	return Check("validity", True, (reason(_("Every counted sign-off is in force and on the current scope.")),))


def _check_mitigation(
	review: Review | None, endorsements: list[SignOff], risk: str | None, policy: Policy, start: date | None
) -> Check:
	if risk not in HIGH_RISK or not policy.mitigation_before_start_at_high:
		return Check("mitigation", True, (reason(_("Not required at this risk level.")),))
	reasons = []
	for m in review.mitigations if review else ():
		if _due_before(m, start) and m.status not in DONE:
			reasons.append(reason(_("Mitigation “{0}” is {1}, not In place."), m.description, m.status or _("Planned")))
	for s in endorsements:
		for c in s.conditions:
			if _due_before(c, start) and c.status not in DONE:
				reasons.append(
					reason(_("Condition “{0}” of sign-off {1} is {2}, not In place."), c.description, s.name, c.status or _("Planned"))
				)
	if reasons:
		return Check("mitigation", False, tuple(reasons))
	return Check("mitigation", True, (reason(_("Measures and conditions due before the start are in place.")),))


def _due_before(item: Item, start: date | None) -> bool:
	return item.due is None or start is None or item.due <= start


def _check_suspension(p: Programme) -> Check:
	reasons = []
	if p.suspended:
		reasons.append(reason(_("The programme is suspended.")))
	for state in p.suspended_states:
		reasons.append(reason(_("Beneficiary state {0} is suspended."), state))
	if reasons:
		return Check("suspension", False, tuple(reasons))
	return Check("suspension", True, (reason(_("Neither the programme nor its states are suspended.")),))


# --------------------------------------------------------------------------------------------
# Who may sign, object and override


class SignOffRefused(RuleViolation):
	title = _("Sign-off Not Allowed")


class OverrideRefused(RuleViolation):
	title = _("Override Not Allowed")


class InvalidPolicy(RuleViolation):
	title = _("Invalid Oversight Policy")


SIGNABLE_PROGRAMME_STATES = ("Under Review", "Approved", "Active")
NO_CONFLICT = "I have no conflict of interest with this programme"


def check_signoff(
	*,
	kind: str,
	signer: str,
	signer_roles: tuple[str, ...],
	organisation: str | None,
	organisation_accredited: bool,
	organisation_reviewers: tuple[str, ...],
	officer: str | None,
	organisation_partners: tuple[str, ...] = (),
	programme_status: str,
	decision: str,
	conditions: int,
	comments: str | None,
	coi_declaration: str | None,
	coi_details: str | None,
) -> None:
	"""A sign-off may be recorded only by an eligible reviewer, on a programme under oversight."""
	if programme_status not in SIGNABLE_PROGRAMME_STATES:
		raise SignOffRefused(
			_("Programme is {0}: sign-offs are recorded while it is Under Review, Approved or Active."), programme_status
		)
	if officer and signer == officer:
		raise SignOffRefused(_("{0} is the programme officer and cannot sign off their own programme."), signer)
	if kind == OHCHR and OHCHR_ROLE not in signer_roles:
		raise SignOffRefused(_("{0} does not hold the role {1} needed for an OHCHR sign-off."), signer, OHCHR_ROLE)
	if kind == CIVIL_SOCIETY:
		if CIVIL_SOCIETY_ROLE not in signer_roles:
			raise SignOffRefused(_("{0} does not hold the role {1} needed for a civil-society sign-off."), signer, CIVIL_SOCIETY_ROLE)
		if not organisation:
			raise SignOffRefused(_("A civil-society sign-off names the accredited organisation it speaks for."))
		if not organisation_accredited:
			raise SignOffRefused(_("{0} is not accredited for oversight."), organisation)
		if organisation in organisation_partners:
			raise SignOffRefused(_("{0} is a partner of the programme and cannot oversee it."), organisation)
		if signer not in organisation_reviewers:
			raise SignOffRefused(_("{0} is not a reviewer of {1}."), signer, organisation)
	if decision == ENDORSE_WITH_CONDITIONS and not conditions:
		raise SignOffRefused(_("An endorsement with conditions lists at least one condition."))
	if decision == OBJECT and not (comments or "").strip():
		raise SignOffRefused(_("An objection gives its reasons in the comments."))
	if not coi_declaration:
		raise SignOffRefused(_("The conflict-of-interest declaration is mandatory."))
	if coi_declaration != NO_CONFLICT and not (coi_details or "").strip():
		raise SignOffRefused(_("Describe the declared conflict of interest."))


def check_override(
	*, recorder: str, recorder_roles: tuple[str, ...], objection_kind: str, objection_decision: str,
	objection_submitted: bool, justification: str | None,
) -> None:
	if APPROVER_ROLE not in recorder_roles:
		raise OverrideRefused(_("Only a {0} can override an objection; {1} is not one."), APPROVER_ROLE, recorder)
	if not objection_submitted or objection_decision != OBJECT:
		raise OverrideRefused(_("Only a submitted objection can be overridden."))
	if objection_kind != CIVIL_SOCIETY:
		raise OverrideRefused(_("An OHCHR objection cannot be overridden; it must be resolved with OHCHR."))
	if len((justification or "").strip()) < MIN_JUSTIFICATION:
		raise OverrideRefused(
			_("The justification is published with the override; write at least {0} characters."), MIN_JUSTIFICATION
		)


def check_policy(quorum: dict[str, int], validity_months: int) -> None:
	for level, value in quorum.items():
		if value < 1:
			raise InvalidPolicy(_("The civil-society quorum at {0} risk must be at least 1."), level)
	if not (1 <= validity_months <= 36):
		raise InvalidPolicy(_("Sign-off validity must be between 1 and 36 months, not {0}."), validity_months)
	ordered = [quorum[level] for level in ("Low", "Medium", "High", "Critical") if level in quorum]
	if ordered != sorted(ordered):
		raise InvalidPolicy(_("A higher risk level cannot need fewer civil-society endorsements than a lower one."))
