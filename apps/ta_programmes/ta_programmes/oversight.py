"""Frappe side of the oversight gate: gathers a programme's review, sign-offs, overrides and
policy from the database, asks ``core.oversight.evaluate`` for the decision, and acts on it
(refuse, record in the timeline, notify, flag in the daily check).

Every path that approves or proceeds — the programme and activity controllers (desk, REST,
Data Import, scripts, workflow actions), the desk checklist and the daily check — goes through
:func:`decide`.
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime, today

from ta_programmes import concerns
from ta_programmes.core import oversight as core
from ta_programmes.core.i18n import N_, reason
from ta_programmes.enforce import as_date

POLICY = "TA Oversight Policy"


def get_policy() -> core.Policy:
	"""The site's policy; a value never set falls back to the safe default."""
	p = frappe.get_cached_doc(POLICY)
	default = core.Policy()

	def value(field, fallback):
		v = p.get(field)
		return fallback if v is None or v == "" else v

	return core.Policy(
		quorum={level: int(value(f"quorum_{level.lower()}", n)) for level, n in default.quorum.items()},
		regional_spread_at_high=bool(value("regional_spread_at_high", default.regional_spread_at_high)),
		validity_months=int(value("validity_months", default.validity_months)),
		mitigation_before_start_at_high=bool(value("mitigation_before_start_at_high", default.mitigation_before_start_at_high)),
	)


_UNKNOWN = object()


def current_scope(
	programme, extra_institution_types: tuple[str, ...] = (), exclude_activity: str | None = None, review=_UNKNOWN
) -> dict:
	"""The programme's material scope now: its activities' institution types and its current
	human-rights review (risk level and mitigation plan) included."""
	types = []
	if programme.is_new():
		review = None
	else:
		A = frappe.qb.DocType("TA Activity")
		q = (
			frappe.qb.from_(A)
			.select(A.institution_type)
			.distinct()
			.where((A.programme == programme.name) & (A.status != "Cancelled") & (A.institution_type != ""))
		)
		if exclude_activity:
			q = q.where(A.name != exclude_activity)
		types = [r[0] for r in q.run() if r[0]]
		if review is _UNKNOWN:
			review = current_review(programme.name)
	return core.scope_of(
		[r.beneficiary_state for r in programme.beneficiary_states],
		[r.thematic_area for r in programme.thematic_areas],
		list(types) + [t for t in extra_institution_types if t],
		programme.budget,
		as_date(programme.planned_start),
		as_date(programme.planned_end),
		programme.lead_agency,
		core.review_key(review.risk_level, [(m.description, m.due) for m in review.mitigations]) if review else "",
	)


def current_review(programme: str) -> core.Review | None:
	"""The programme's current (latest submitted) human-rights review, with its mitigation plan."""
	R = frappe.qb.DocType("TA Human Rights Review")
	found = (
		frappe.qb.from_(R)
		.select(R.name, R.risk_level, R.submitted_on)
		.where((R.programme == programme) & (R.docstatus == 1))
		.orderby(R.submitted_on, order=frappe.qb.desc)
		.orderby(R.creation, order=frappe.qb.desc)
		.limit(1)
		.run(as_dict=True)
	)
	if not found:
		return None
	r = found[0]
	mitigations = _items(_children("TA Mitigation Measure", [r.name], "measure"), "measure")
	return core.Review(r.name, r.risk_level, get_datetime(r.submitted_on), mitigations)


def _children(doctype: str, parents: list[str], text_field: str) -> list:
	"""A child table's rows (text, due date, status) for several parents, in one query."""
	if not parents:
		return []
	C = frappe.qb.DocType(doctype)
	return (
		frappe.qb.from_(C)
		.select(C.parent, C[text_field], C.due_date, C.status)
		.where(C.parent.isin(parents))
		.orderby(C.idx)
		.run(as_dict=True)
	)


def _items(rows, text_field: str) -> tuple[core.Item, ...]:
	return tuple(core.Item(r.get(text_field), as_date(r.get("due_date")), r.get("status")) for r in rows)


def gate_input(programme, approver: str | None, scope: dict | None = None) -> core.GateInput:
	"""Everything the gate needs, in one query per table (the gate runs on every approval and
	every activity scheduled: see tests/benchmark)."""
	name = programme.name
	review = None if programme.is_new() else current_review(name)
	S = frappe.qb.DocType("TA Oversight Sign-off")
	rows = (
		frappe.qb.from_(S)
		.select(S.name, S.kind, S.organisation, S.regional_group, S.signer, S.decision, S.signed_on, S.valid_until, S.scope_snapshot)
		.where((S.programme == name) & (S.docstatus == 1))
		.run(as_dict=True)
	)
	conditions: dict[str, list] = {}
	for c in _children("TA Sign-off Condition", [s.name for s in rows], "condition"):
		conditions.setdefault(c.parent, []).append(c)
	voices = accredited_reviewers({s.organisation for s in rows if s.organisation})
	partners = {r.partner for r in programme.get("partners") or [] if r.partner}
	signoffs = [
		core.SignOff(
			s.name, s.kind, s.organisation, s.regional_group, s.signer, s.decision, get_datetime(s.signed_on),
			getdate(s.valid_until), json.loads(s.scope_snapshot or "{}"), _items(conditions.get(s.name, []), "condition"),
			accredited=s.kind != core.CIVIL_SOCIETY or (s.organisation, s.signer) in voices,
			independent=s.organisation not in partners,
		)
		for s in rows
	]
	O = frappe.qb.DocType("TA Objection Override")
	overrides = tuple(
		core.Override(o.name, o.objection, o.recorded_by, tuple(frappe.get_roles(o.recorded_by)), o.justification)
		for o in frappe.qb.from_(O)
		.select(O.name, O.objection, O.recorded_by, O.justification)
		.where((O.programme == name) & (O.docstatus == 1))
		.run(as_dict=True)
	)
	states = [r.beneficiary_state for r in programme.beneficiary_states]
	B = frappe.qb.DocType("TA Beneficiary State")
	state_rows = (
		frappe.qb.from_(B).select(B.name, B.status, B.suspended_on).where(B.name.isin(states)).run(as_dict=True)
		if states
		else []
	)
	suspension_dates = [get_datetime(d) for d in [programme.suspended_on, *(s.suspended_on for s in state_rows)] if d]
	return core.GateInput(
		programme=core.Programme(
			name=name,
			officer=programme.programme_officer,
			status=programme.status,
			planned_start=as_date(programme.planned_start),
			scope=scope if scope is not None else current_scope(programme, review=review),
			suspended=programme.status == "Suspended",
			suspended_states=tuple(s.name for s in state_rows if s.status == "Suspended"),
			not_before=max(suspension_dates) if suspension_dates else None,
		),
		approver=approver,
		approver_roles=tuple(frappe.get_roles(approver)) if approver else (),
		review=review,
		signoffs=tuple(signoffs),
		overrides=overrides,
		policy=get_policy(),
		today=getdate(today()),
		concerns=concerns.bearing_on(name, states, [t.thematic_area for t in programme.thematic_areas]),
	)


def accredited_reviewers(organisations: set[str]) -> set[tuple[str, str]]:
	"""(organisation, reviewer) pairs that hold now: the organisation is accredited for oversight
	and the user is one of its listed reviewers."""
	if not organisations:
		return set()
	P = frappe.qb.DocType("TA Partner Organisation")
	OR = frappe.qb.DocType("TA Organisation Reviewer")
	rows = (
		frappe.qb.from_(OR)
		.join(P)
		.on(OR.parent == P.name)
		.select(OR.parent, OR.user)
		.where((OR.parenttype == "TA Partner Organisation") & (P.accredited_for_oversight == 1) & P.name.isin(list(organisations)))
		.run()
	)
	return {(org, user) for org, user in rows}


def decide(programme, approver: str | None, scope: dict | None = None) -> core.Decision:
	"""The gate's decision for ``approver`` (None: a preview before anyone approves)."""
	return core.evaluate(gate_input(programme, approver, scope))


def refusal_text(decision: core.Decision, what: str) -> str:
	lines = [
		f"<li><b>{_(c.label)}</b>: {' '.join(frappe.utils.escape_html(m) for m in c.messages(_))}</li>"
		for c in decision.checks
		if not c.ok
	]
	return _("{0} cannot be approved yet:").format(what) + "<ul>" + "".join(lines) + "</ul>"


def alert_text(decision: core.Decision) -> str:
	"""The failed requirements in one line, for the form's alert and the daily check."""
	return "; ".join(f"{_(c.label)}: {' '.join(c.messages(_))}" for c in decision.checks if not c.ok)


def log_after_rollback(doctype: str, name: str, text: str) -> None:
	"""Record a refused decision in the timeline although the refused save is rolled back."""

	def record():
		if frappe.db.exists(doctype, name):
			frappe.get_doc(doctype, name).add_comment("Info", text)
			frappe.db.commit()  # nosemgrep: frappe-manual-commit -- runs after the refused save was rolled back; the refusal must stay in the timeline

	frappe.db.after_rollback.add(record)


def keep_rows_after_submit(doc, table: str, message: str, title: str) -> None:
	"""A submitted review's mitigation plan, or a sign-off's conditions: after submission only each
	row's status changes (Frappe checks the rows' fields, but not rows added or removed)."""
	from ta_programmes.exceptions import ReviewLockedError

	before = doc.get_doc_before_save()
	if before and {r.name for r in before.get(table)} != {r.name for r in doc.get(table)}:
		frappe.throw(message, exc=ReviewLockedError, title=title)


def comment(doctype: str, name: str, text: str) -> None:
	frappe.get_doc(doctype, name).add_comment("Info", text)


# --- desk ---------------------------------------------------------------------------------------


@frappe.whitelist()
def get_checklist(programme: str) -> dict:
	"""The oversight checklist of a programme, for its form: the same decision as the gate."""
	# The checklist shows sign-offs and the risk level: for those who may read sign-offs (never donors).
	frappe.has_permission("TA Oversight Sign-off", "read", throw=True)
	doc = frappe.get_doc("TA Programme", programme)
	doc.check_permission("read")
	if doc.status in ("Approved", "Active") and doc.approved_by:
		approver = doc.approved_by
	elif core.APPROVER_ROLE in frappe.get_roles():
		approver = frappe.session.user
	else:
		approver = None
	decision = decide(doc, approver)
	signoffs = frappe.get_all(
		"TA Oversight Sign-off",
		filters={"programme": programme, "docstatus": ("!=", 0)},
		fields=["name", "kind", "organisation", "signer", "decision", "signed_on", "valid_until", "docstatus"],
		order_by="signed_on desc",
	)
	for s in signoffs:
		s.state = "cancelled" if s.docstatus == 2 else decision.signoff_states.get(s.name, "valid")
		s.state_label = _(s.state.title())
		if s.name in decision.stale_fields:
			s.changed = ", ".join(_(core.SCOPE_LABELS[f]) for f in decision.stale_fields[s.name])
	return {
		"approvable": decision.approvable,
		"risk_level": decision.risk_level,
		"evaluated_for": approver,
		"checks": [
			{"code": c.code, "ok": c.ok, "label": _(c.label), "messages": c.messages(_)} for c in decision.checks
		],
		"signoffs": signoffs,
	}


# --- notifications ------------------------------------------------------------------------------


def notify(users: list[str], subject, doc, confidential: bool = True) -> None:
	"""An alert in the desk and an e-mail to each user, in the language that user reads (see
	``ta_programmes.notify``): ``subject`` is a ``core.i18n.reason`` whose template is marked with
	``N_``; a confidential one (the default) never reaches a donor."""
	from ta_programmes.notify import notify as send

	send(users, subject, doc, confidential=confidential)


def users_with_role(role: str) -> list[str]:
	return frappe.get_all(
		"Has Role",
		filters={"role": role, "parenttype": "User"},
		pluck="parent",
		distinct=True,
	)


def reviewers_of(programme) -> list[str]:
	"""OHCHR reviewers and the reviewers of every accredited organisation."""
	accredited = frappe.get_all("TA Partner Organisation", filters={"accredited_for_oversight": 1}, pluck="name")
	cs = frappe.get_all(
		"TA Organisation Reviewer", filters={"parent": ("in", accredited or [""]), "parenttype": "TA Partner Organisation"}, pluck="user"
	)
	return users_with_role(core.OHCHR_ROLE) + cs


# --- the daily check ---------------------------------------------------------------------------


def recheck(programmes, cause: str | None = None) -> tuple[list[str], list[str]]:
	"""Evaluate the gate again for those of ``programmes`` that are approved: flag the ones whose
	gate no longer holds (the form's alert, the timeline, the managers and the officer told)
	and clear the flag of those that hold again. Called whenever a document that feeds the gate
	changes (review, sign-off, override, policy, accreditation, suspension of a state) and by the
	daily check. Returns (flagged, cleared)."""
	flagged, cleared = [], []
	names = frappe.get_all(
		"TA Programme", filters={"name": ("in", list(programmes) or [""]), "status": ("in", ["Approved", "Active"])}, pluck="name"
	)
	from ta_programmes.transparency.cache import clear_public_cache

	for name in names:
		doc = frappe.get_doc("TA Programme", name)
		decision = decide(doc, doc.approved_by or "Administrator")
		if decision.approvable:
			if doc.gate_alert:
				doc.db_set("gate_alert", None, update_modified=False)
				clear_public_cache()
				cleared.append(name)
			continue
		alert = alert_text(decision)
		if alert != doc.gate_alert:
			doc.db_set("gate_alert", alert, update_modified=False)
			clear_public_cache()
			doc.add_comment(
				"Info",
				(cause or _("Oversight check"))
				+ ": "
				+ _("the approved programme no longer meets its requirements: {0}").format(alert),
			)
			notify(
				users_with_role(core.APPROVER_ROLE) + [doc.programme_officer],
				reason(N_("Programme {0} no longer meets its oversight requirements"), doc.title),
				doc,
			)
		flagged.append(name)
	return flagged, cleared


def recheck_all(cause: str) -> None:
	"""Every approved programme (e.g. after the policy changed); in the background when many."""
	names = frappe.get_all("TA Programme", filters={"status": ("in", ["Approved", "Active"])}, pluck="name")
	if len(names) <= 100 or frappe.flags.in_test:
		recheck(names, cause)
	else:
		frappe.enqueue("ta_programmes.oversight.recheck", queue="long", programmes=names, cause=cause, enqueue_after_commit=True)


def programmes_signed_by(organisation: str) -> list[str]:
	return frappe.get_all(
		"TA Oversight Sign-off", filters={"organisation": organisation, "docstatus": 1}, pluck="programme", distinct=True
	)


def programmes_in_state(state: str) -> list[str]:
	return frappe.get_all(
		"TA Programme State", filters={"beneficiary_state": state, "parenttype": "TA Programme"}, pluck="parent", distinct=True
	)


def daily_check() -> dict:
	"""Flag approved programmes and activities whose gate no longer holds (e.g. a sign-off
	expired, a low-level write changed the scope), and tell the programme managers.
	Run daily by the scheduler, which commits after the job."""
	approved = frappe.get_all("TA Programme", filters={"status": ("in", ["Approved", "Active"])}, pluck="name")
	flagged, cleared = recheck(approved, _("Daily oversight check"))
	activities = frappe.get_all(
		"TA Activity",
		filters={"status": ("in", ["Approved", "Scheduled"]), "programme": ("in", flagged or [""]), "start": (">=", now_datetime())},
		pluck="name",
	)
	return {"flagged": flagged, "cleared": cleared, "activities_at_risk": activities}
