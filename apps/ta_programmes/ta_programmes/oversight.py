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
from frappe.utils import getdate, now_datetime, today

from ta_programmes.core import oversight as core
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


def current_scope(programme, extra_institution_types: tuple[str, ...] = (), exclude_activity: str | None = None) -> dict:
	"""The programme's material scope now, including its activities' institution types."""
	filters = {"programme": programme.name, "status": ("!=", "Cancelled"), "institution_type": ("is", "set")}
	if exclude_activity:
		filters["name"] = ("!=", exclude_activity)
	types = frappe.get_all("TA Activity", filters=filters, pluck="institution_type", distinct=True) if not programme.is_new() else []
	return core.scope_of(
		[r.beneficiary_state for r in programme.beneficiary_states],
		[r.thematic_area for r in programme.thematic_areas],
		list(types) + [t for t in extra_institution_types if t],
		programme.budget,
		as_date(programme.planned_start),
		as_date(programme.planned_end),
		programme.lead_agency,
	)


def _items(rows, text_field: str) -> tuple[core.Item, ...]:
	return tuple(core.Item(r.get(text_field), as_date(r.get("due_date")), r.get("status")) for r in rows)


def gate_input(programme, approver: str | None, scope: dict | None = None) -> core.GateInput:
	name = programme.name
	review = None
	if not programme.is_new():
		review_name = frappe.db.get_value(
			"TA Human Rights Review", {"programme": name, "docstatus": 1}, "name", order_by="submitted_on desc, creation desc"
		)
		if review_name:
			r = frappe.get_doc("TA Human Rights Review", review_name)
			review = core.Review(r.name, r.risk_level, getdate(r.submitted_on), _items(r.mitigations, "measure"))
	signoffs = []
	for s in frappe.get_all(
		"TA Oversight Sign-off",
		filters={"programme": name, "docstatus": 1},
		fields=["name", "kind", "organisation", "regional_group", "signer", "decision", "signed_on", "valid_until", "scope_snapshot"],
	):
		conditions = frappe.get_all(
			"TA Sign-off Condition",
			filters={"parent": s.name, "parenttype": "TA Oversight Sign-off"},
			fields=["`condition`", "due_date", "status"],
		)
		signoffs.append(
			core.SignOff(
				s.name, s.kind, s.organisation, s.regional_group, s.signer, s.decision, getdate(s.signed_on),
				getdate(s.valid_until), json.loads(s.scope_snapshot or "{}"), _items(conditions, "condition"),
			)
		)
	overrides = tuple(
		core.Override(o.name, o.objection, o.recorded_by, tuple(frappe.get_roles(o.recorded_by)), o.justification)
		for o in frappe.get_all(
			"TA Objection Override",
			filters={"programme": name, "docstatus": 1},
			fields=["name", "objection", "recorded_by", "justification"],
		)
	)
	states = [r.beneficiary_state for r in programme.beneficiary_states]
	state_rows = frappe.get_all(
		"TA Beneficiary State", filters={"name": ("in", states)}, fields=["name", "status", "suspended_on"]
	) if states else []
	suspension_dates = [getdate(d) for d in [programme.suspended_on, *(s.suspended_on for s in state_rows)] if d]
	return core.GateInput(
		programme=core.Programme(
			name=name,
			officer=programme.programme_officer,
			status=programme.status,
			planned_start=as_date(programme.planned_start),
			scope=scope if scope is not None else current_scope(programme),
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
	)


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
			frappe.db.commit()

	frappe.db.after_rollback.add(record)


def comment(doctype: str, name: str, text: str) -> None:
	frappe.get_doc(doctype, name).add_comment("Info", text)


# --- desk ---------------------------------------------------------------------------------------


@frappe.whitelist()
def get_checklist(programme: str) -> dict:
	"""The oversight checklist of a programme, for its form: the same decision as the gate."""
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


def notify(users: list[str], subject: str, doc) -> None:
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	users = sorted({u for u in users if u and u not in ("Administrator", "Guest")})
	if users:
		enqueue_create_notification(
			users,
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": subject,
				"from_user": frappe.session.user,
			},
		)


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


def daily_check() -> dict:
	"""Flag approved programmes and activities whose gate no longer holds (e.g. a sign-off
	expired, a low-level write changed the scope), and tell the programme managers.
	Run daily by the scheduler, which commits after the job."""
	flagged, cleared = [], []
	for name in frappe.get_all("TA Programme", filters={"status": ("in", ["Approved", "Active"])}, pluck="name"):
		doc = frappe.get_doc("TA Programme", name)
		decision = decide(doc, doc.approved_by or "Administrator")
		if decision.approvable:
			if doc.gate_alert:
				doc.db_set("gate_alert", None, update_modified=False)
				cleared.append(name)
			continue
		alert = alert_text(decision)
		if alert != doc.gate_alert:
			doc.db_set("gate_alert", alert, update_modified=False)
			doc.add_comment("Info", _("Daily oversight check: the approved programme no longer meets its requirements: {0}").format(alert))
			notify(
				users_with_role(core.APPROVER_ROLE) + [doc.programme_officer],
				_("Programme {0} no longer meets its oversight requirements").format(doc.title),
				doc,
			)
		flagged.append(name)
	activities = frappe.get_all(
		"TA Activity",
		filters={"status": ("in", ["Approved", "Scheduled"]), "programme": ("in", flagged or [""]), "start": (">=", now_datetime())},
		pluck="name",
	)
	return {"flagged": flagged, "cleared": cleared, "activities_at_risk": activities}
