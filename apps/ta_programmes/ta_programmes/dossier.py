"""The approval dossier of a programme on a site (print format "TA Approval Dossier").

The print format's Jinja calls :func:`ta_approval_dossier` (registered in ``hooks.jinja``), which
assembles the dossier *for the current user*: the programme is read again from the database and
its read permission checked (the document the print view was given may have been sent by the
client), and every part comes from a permission-checked read (``frappe.get_list``, which applies
the row rules of ``permissions.py``, child tables through their parent). A part is included only
when the reader may read every doctype it shows (``core.dossier.parts_for``): a donor reading a
programme it funds gets the scope and the programme's own approval and suspension, and none of the
review, the sign-offs, the overrides or the gate's decision, through whichever path prints it
(``/printview``, ``download_pdf``, ``get_html_and_style``).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import format_date, format_datetime, getdate, today

from ta_programmes import oversight
from ta_programmes.core import dossier as core
from ta_programmes.core.access import CHILDREN
from ta_programmes.core.oversight import APPROVER_ROLE, SCOPE_LABELS
from ta_programmes.permissions import hidden_from

PRINT_FORMAT = "TA Approval Dossier"


def can_read(doctype: str, user: str | None = None) -> bool:
	"""The user may read records of ``doctype`` at all (a child table: its parent, and the
	table's own rule does not hide it)."""
	user = user or frappe.session.user
	if hidden_from(user, doctype):
		return False
	parent = CHILDREN.get(doctype, (doctype, None))[0]
	return bool(frappe.has_permission(parent, "read", user=user))


def _date(value) -> str:
	return format_date(value) if value else ""


def _moment(value) -> str:
	return format_datetime(value) if value else ""


def ta_approval_dossier(programme: str) -> dict:
	"""The dossier of ``programme`` for the current user (a permission error when they may not
	read the programme)."""
	if not isinstance(programme, str) or not programme:
		raise frappe.DoesNotExistError
	doc = frappe.get_doc("TA Programme", programme)  # from the database, whatever the print view was given
	if not frappe.has_permission("TA Programme", "read", doc):
		raise frappe.PermissionError(_("You may not read programme {0}.").format(programme))
	parts = core.parts_for(can_read)
	out = frappe._dict(name=doc.name, parts=parts, labels={p: _(core.PART_LABELS[p]) for p in core.PARTS})
	out.hidden = [out.labels[p] for p in core.PARTS if p not in parts]
	events = core.programme_events(
		doc.name, doc.approved_on, doc.approved_by, doc.suspended_on, doc.suspension_reason
	)

	decision = None
	if "decision" in parts:
		decision = _decision(doc)
		out.decision = decision

	out.scope = _scope(doc)  # after the decision: it removes from ``doc`` the fields the reader may not read
	if "review" in parts:
		out.review, review_events = _review(doc.name)
		events += review_events
	if "signoffs" in parts:
		out.signoffs, signoff_events = _signoffs(doc.name, decision)
		events += signoff_events
	if "overrides" in parts:
		out.overrides, override_events = _overrides(doc.name)
		events += override_events
	out.timeline = [
		frappe._dict(
			when=_moment(e.when),
			label=_(e.label),
			ref=e.ref,
			actor=e.actor or "",
			detail=_(e.detail) if e.detail else "",
		)
		for e in core.timeline(events, can_read)
	]
	out.generated_on = _moment(frappe.utils.now_datetime())
	out.generated_for = frappe.session.user
	return out


def _scope(doc) -> dict:
	"""The programme's scope, as the reader may read it (fields above their permission level are
	removed first; the activities' institution types come from the activities they may list)."""
	doc.apply_fieldlevel_read_permissions()
	types = frappe.get_list(
		"TA Activity",
		filters={"programme": doc.name, "status": ("!=", "Cancelled"), "institution_type": ("is", "set")},
		fields=["institution_type"],
		distinct=True,
		order_by="institution_type asc",
		pluck="institution_type",
	)
	return frappe._dict(
		title=doc.title,
		status=doc.status,
		lead_agency=doc.lead_agency or "",
		officer=doc.programme_officer or "",
		planned_start=_date(doc.planned_start),
		planned_end=_date(doc.planned_end),
		budget=frappe.format_value(
			doc.budget, {"fieldtype": "Currency", "options": doc.currency}, currency=doc.currency
		)
		if doc.budget
		else "",
		objectives=doc.objectives or "",
		states=[frappe._dict(state=r.beneficiary_state, share=r.share) for r in doc.beneficiary_states],
		themes=[r.thematic_area for r in doc.thematic_areas],
		partners=[r.partner for r in doc.partners],
		institution_types=types,
		approved_by=doc.approved_by or "",
		approved_on=_moment(doc.approved_on),
		suspended_on=_moment(doc.suspended_on),
		suspension_reason=doc.suspension_reason or "",
	)


def _review(programme: str):
	reviews = frappe.get_list(
		"TA Human Rights Review",
		filters={"programme": programme, "docstatus": ("!=", 0)},
		fields=[
			"name",
			"risk_level",
			"submitted_on",
			"drafted_by",
			"docstatus",
			"rationale",
			"security_sector_recipient",
		],
		order_by="submitted_on desc, creation desc",
	)
	events = [
		core.Event(core.moment(r.submitted_on), "review", r.name, r.drafted_by, r.risk_level)
		for r in reviews
		if r.submitted_on
	]
	current = next((r for r in reviews if r.docstatus == 1), None)
	if not current:
		return frappe._dict(current=None, earlier=[_review_row(r) for r in reviews]), events
	risks = frappe.get_list(
		"TA Identified Risk",
		parent_doctype="TA Human Rights Review",
		filters={"parent": current.name, "parenttype": "TA Human Rights Review"},
		fields=["category", "description", "likelihood", "impact"],
		order_by="idx asc",
	)
	mitigations = frappe.get_list(
		"TA Mitigation Measure",
		parent_doctype="TA Human Rights Review",
		filters={"parent": current.name, "parenttype": "TA Human Rights Review"},
		fields=["measure", "owner_name", "due_date", "status"],
		order_by="idx asc",
	)
	summary = core.summarise_review(
		current.risk_level,
		risks,
		[{**m, "due_date": getdate(m.due_date) if m.due_date else None} for m in mitigations],
		getdate(today()),
	)
	return (
		frappe._dict(
			current=frappe._dict(
				_review_row(current),
				rationale=current.rationale or "",
				security_sector_recipient=bool(current.security_sector_recipient),
				risks=risks,
				mitigations=[frappe._dict(m, due_date=_date(m.due_date)) for m in mitigations],
				summary=summary,
			),
			earlier=[_review_row(r) for r in reviews if r.name != current.name],
		),
		events,
	)


def _review_row(r) -> dict:
	return frappe._dict(
		name=r.name,
		risk_level=r.risk_level or "",
		submitted_on=_moment(r.submitted_on),
		drafted_by=r.drafted_by or "",
		cancelled=r.docstatus == 2,
	)


def _signoffs(programme: str, decision):
	rows = frappe.get_list(
		"TA Oversight Sign-off",
		filters={"programme": programme, "docstatus": ("!=", 0)},
		fields=[
			"name",
			"kind",
			"organisation",
			"regional_group",
			"signer",
			"decision",
			"signed_on",
			"valid_until",
			"docstatus",
			"comments",
			"coi_declaration",
			"coi_details",
		],
	)
	conditions = {}
	if rows:
		for c in frappe.get_list(
			"TA Sign-off Condition",
			parent_doctype="TA Oversight Sign-off",
			filters={"parent": ("in", [r.name for r in rows]), "parenttype": "TA Oversight Sign-off"},
			fields=["parent", "condition", "owner_name", "due_date", "status"],
			order_by="idx asc",
		):
			conditions.setdefault(c.parent, []).append(frappe._dict(c, due_date=_date(c.due_date)))
	gate_states = decision.signoff_states if decision else None
	stale = decision.stale_fields if decision else {}
	out, events = [], []
	for r in core.order_signoffs(rows):
		state = core.signoff_state(r.name, r.docstatus, gate_states)
		out.append(
			frappe._dict(
				r,
				signed_on=_date(r.signed_on),
				valid_until=_date(r.valid_until),
				state=state,
				state_label=_(core.SIGNOFF_STATE_LABELS[state]),
				changed=", ".join(_(SCOPE_LABELS[f]) for f in stale.get(r.name, ())),
				conditions=conditions.get(r.name, []),
			)
		)
		if r.signed_on:
			events.append(core.Event(core.moment(r.signed_on), "signoff", r.name, r.signer, r.decision))
	summary = [
		frappe._dict(state=_(core.SIGNOFF_STATE_LABELS[s]), count=n)
		for s, n in core.count_states(s.state for s in out)
	]
	return frappe._dict(rows=out, summary=summary), events


def _overrides(programme: str):
	rows = frappe.get_list(
		"TA Objection Override",
		filters={"programme": programme, "docstatus": ("!=", 0)},
		fields=[
			"name",
			"objection",
			"organisation",
			"recorded_by",
			"recorded_on",
			"justification",
			"creation",
			"docstatus",
		],
		order_by="recorded_on asc, creation asc",
	)
	# recorded_on is a date: the moment the override was written places it after the objection
	events = [
		core.Event(
			r.creation or core.moment(getdate(r.recorded_on)),
			"override",
			r.name,
			r.recorded_by,
			r.organisation,
		)
		for r in rows
		if r.recorded_on and r.docstatus == 1
	]
	return [
		frappe._dict(r, recorded_on=_date(r.recorded_on), cancelled=r.docstatus == 2) for r in rows
	], events


def _decision(doc):
	"""The gate's decision, as the form's checklist shows it (``oversight.get_checklist``): for the
	approver of an approved programme, else for the current user when they approve programmes, else
	a preview."""
	if doc.status in ("Approved", "Active") and doc.approved_by:
		approver = doc.approved_by
	elif APPROVER_ROLE in frappe.get_roles():
		approver = frappe.session.user
	else:
		approver = None
	decision = oversight.decide(doc, approver)
	return frappe._dict(
		approvable=decision.approvable,
		risk_level=decision.risk_level or "",
		evaluated_for=approver or "",
		checks=[frappe._dict(ok=c.ok, label=_(c.label), messages=c.messages(_)) for c in decision.checks],
		signoff_states=decision.signoff_states,
		stale_fields=decision.stale_fields,
	)
