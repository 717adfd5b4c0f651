"""Who may see what, and which fields only the server writes: the declared tables.

These tables are the contract. ``ta_programmes.permissions`` and
``ta_programmes.server_fields`` enforce them on a site; the bench tests generate their cases
from them (every doctype, child tables included, every role, every read path; every
server-owned field written through REST by every role that can write the document); README
"Security" shows them.
"""

from __future__ import annotations

# --- reads ---------------------------------------------------------------------------------------
# What a role sees of a doctype's records:
#   "all"     every record;
#   "funded"  (donors) the records of programmes a donor linked to the user funds: the
#             programme itself, its activities, and the rows of their child tables;
#   "own"     (donors) their own donor record and its rows;
#   "overseen" (civil-society reviewers) the concern reports about programmes their accredited
#             organisation has signed off (a report about no such programme: OHCHR alone);
#   "none"    nothing, through any path.
ROLES = (
	"TA Administrator",
	"TA Programme Manager",
	"TA Programme Officer",
	"TA OHCHR Reviewer",
	"TA Civil Society Reviewer",
	"TA M&E Officer",
	"TA Donor",
	"Guest",
)
STAFF = ROLES[:6]


def _row(default: str, exceptions: dict[str, str] | None = None) -> dict[str, str]:
	"""One doctype's row: ``default`` for every staff role and donors, ``none`` for Guest,
	with the named exceptions."""
	return {**{role: default for role in ROLES[:-1]}, "Guest": "none", **(exceptions or {})}


DONOR = "TA Donor"
NO_DONOR = {DONOR: "none"}
FUNDED = {DONOR: "funded"}
OVERSIGHT_ONLY = {"TA OHCHR Reviewer": "none", "TA Civil Society Reviewer": "none"}
VISIBILITY: dict[str, dict[str, str]] = {
	# programmes and what hangs off them
	"TA Programme": _row("all", FUNDED),
	"TA Programme State": _row("all", FUNDED),
	"TA Programme Theme": _row("all", FUNDED),
	"TA Implementing Partner": _row("all", FUNDED),
	"TA Funding Line": _row("all", NO_DONOR),  # donors see their own commitments in /my-programmes
	"TA Activity": _row("all", FUNDED),
	"TA Activity Session": _row("all", FUNDED),
	"TA Activity Postponement": _row("all", NO_DONOR),
	"TA Activity Trainer": _row("all", NO_DONOR),
	# oversight: reviewers, managers, officers and M&E; never donors
	"TA Human Rights Review": _row("all", NO_DONOR),
	"TA Identified Risk": _row("all", NO_DONOR),
	"TA Mitigation Measure": _row("all", NO_DONOR),
	"TA Oversight Sign-off": _row("all", NO_DONOR),
	"TA Sign-off Condition": _row("all", NO_DONOR),
	"TA Objection Override": _row("all", NO_DONOR),
	"TA Oversight Policy": _row("all", NO_DONOR),
	# monitoring and evaluation: staff and reviewers; donors read results aggregated in their view
	"TA Standard Indicator": _row("all", NO_DONOR),
	"TA Result": _row("all", NO_DONOR),
	"TA Indicator": _row("all", NO_DONOR),
	"TA Indicator Target": _row("all", NO_DONOR),
	"TA Indicator Actual": _row("all", NO_DONOR),
	"TA Needs Assessment": _row("all", NO_DONOR),
	"TA Impact Review": _row("all", NO_DONOR),
	"TA Follow-up Response": _row("all", NO_DONOR),  # concerns go to the reviewers
	# learning and follow-up: programme staff and M&E only (scores are pseudonymous, but nobody
	# else needs them); the roster of names: programme staff only
	"TA Learning Test": _row("all", {**OVERSIGHT_ONLY, DONOR: "none"}),
	"TA Test Score": _row("all", {**OVERSIGHT_ONLY, DONOR: "none"}),
	"TA Follow-up": _row("all", {**OVERSIGHT_ONLY, DONOR: "none"}),
	# one-time link hashes: administrators only (staff could otherwise tell which link was answered, when)
	"TA Follow-up Link": _row("none", {"TA Administrator": "all"}),
	"TA Participant Roster": _row("all", {**OVERSIGHT_ONLY, "TA M&E Officer": "none", DONOR: "none"}),
	"TA Roster Entry": _row("all", {**OVERSIGHT_ONLY, "TA M&E Officer": "none", DONOR: "none"}),
	"TA Monitoring Settings": _row("all", {**OVERSIGHT_ONLY, DONOR: "none"}),
	# concern reports: who reported what is for the overseers alone; the public reads counts
	"TA Concern Report": _row("none", {"TA OHCHR Reviewer": "all", "TA Civil Society Reviewer": "overseen"}),
	"TA Concern Update": _row("none", {"TA OHCHR Reviewer": "all", "TA Civil Society Reviewer": "overseen"}),
	# the hashes of the reporters' secret links and of the forms' one-time keys: no TA role (an
	# administrator could otherwise cut a reporter off, or tell when a case was reported)
	"TA Concern Key": _row("none"),
	# the delivery rollup (sums per programme, state, theme and period behind the transparency
	# reports): read only through those reports, which apply each reader's rule; as a table, by no
	# TA role (a donor would otherwise read the figures of programmes it does not fund)
	"TA Delivery Rollup": _row("none"),
	# deconfliction: other publishers' IATI activities and the officers' coordination notes are for
	# staff and reviewers; never donors (a note says how the programme relates to others' work)
	"TA External Activity": _row("all", NO_DONOR),
	"TA External Country": _row("all", NO_DONOR),
	"TA External Sector": _row("all", NO_DONOR),
	"TA IATI Import": _row("all", NO_DONOR),
	"TA Coordination Note": _row("all", NO_DONOR),
	# master data
	"TA Beneficiary State": _row("all"),
	"TA Beneficiary Institution": _row("all"),
	"TA Thematic Area": _row("all"),
	"TA Donor": _row("all", {**OVERSIGHT_ONLY, DONOR: "own"}),
	"TA Donor User": _row("all", {**OVERSIGHT_ONLY, DONOR: "own"}),
	"TA Partner Organisation": _row("all", NO_DONOR),
	"TA Organisation Reviewer": _row("all", NO_DONOR),
	"TA Trainer": _row("all", NO_DONOR),
	"TA Trainer Expertise": _row("all", NO_DONOR),
	"TA Trainer Language": _row("all", NO_DONOR),
	"TA Trainer Unavailability": _row("all", NO_DONOR),
	"TA Conflict Declaration": _row("all", NO_DONOR),
	# scheduling internals and settings
	"TA Trainer Booking": _row("all", {**OVERSIGHT_ONLY, "TA M&E Officer": "none", DONOR: "none"}),
	"TA Scheduling Settings": _row("all", {**OVERSIGHT_ONLY, "TA M&E Officer": "none", DONOR: "none"}),
	"TA Transparency Settings": _row(
		"none", {"TA Administrator": "all", "TA Programme Manager": "all", "TA M&E Officer": "all"}
	),
	# regional balance and open oversight: meetings (minutes private; decisions published on
	# /oversight-meetings) for staff and reviewers; accreditation applications (contacts) for those
	# who decide them and for OHCHR
	"TA Oversight Meeting": _row("all", NO_DONOR),
	"TA Meeting Participant": _row("all", NO_DONOR),
	"TA Accreditation Application": _row(
		"none", {"TA Administrator": "all", "TA Programme Manager": "all", "TA OHCHR Reviewer": "all"}
	),
}

# Tables a donor reads the parent of but not the rows: their parent field is at permission level
# 1, which every staff role reads (and writes where it writes the parent) and donors do not, so
# Frappe leaves them out of the documents it returns to donors.
PERMLEVEL_1_TABLES = {
	("TA Programme", "funding_lines"),
	("TA Activity", "trainers"),
	("TA Activity", "postponements"),
	("TA Programme", "coordination_notes"),
}

# Fields a donor reads the document of but not the field (permission level 1): the gate's alert
# names sign-offs, objecting organisations and the quorum.
PERMLEVEL_1_FIELDS = {("TA Programme", "gate_alert")}

# What a donor's request may not even name (in fields, filters, order or group by): Frappe would
# join these child tables, or filter on these fields, checking only the parent's permission.
DONOR_HIDDEN = tuple(
	sorted(
		{"TA Funding Line", "TA Activity Trainer", "TA Activity Postponement", "TA Coordination Note"}
		| {field for _parent, field in PERMLEVEL_1_TABLES}  # Frappe also reads "funding_lines.amount"
		| {field for _doctype, field in PERMLEVEL_1_FIELDS}
	)
)

# Child doctype -> (parent doctype, parent field), for the child-row rules and the tests.
CHILDREN: dict[str, tuple[str, str]] = {
	"TA Programme State": ("TA Programme", "beneficiary_states"),
	"TA Programme Theme": ("TA Programme", "thematic_areas"),
	"TA Implementing Partner": ("TA Programme", "partners"),
	"TA Funding Line": ("TA Programme", "funding_lines"),
	"TA Activity Session": ("TA Activity", "sessions"),
	"TA Activity Postponement": ("TA Activity", "postponements"),
	"TA Activity Trainer": ("TA Activity", "trainers"),
	"TA Identified Risk": ("TA Human Rights Review", "risks"),
	"TA Mitigation Measure": ("TA Human Rights Review", "mitigations"),
	"TA Sign-off Condition": ("TA Oversight Sign-off", "conditions"),
	"TA Beneficiary Institution": ("TA Beneficiary State", "institutions"),
	"TA Donor User": ("TA Donor", "users"),
	"TA Organisation Reviewer": ("TA Partner Organisation", "reviewers"),
	"TA Trainer Expertise": ("TA Trainer", "expertise"),
	"TA Trainer Language": ("TA Trainer", "languages"),
	"TA Trainer Unavailability": ("TA Trainer", "unavailability"),
	"TA Indicator Target": ("TA Indicator", "targets"),
	"TA Test Score": ("TA Learning Test", "scores"),
	"TA Roster Entry": ("TA Participant Roster", "entries"),
	"TA Conflict Declaration": ("TA Trainer", "conflict_declarations"),
	"TA Concern Update": ("TA Concern Report", "updates"),
	"TA External Country": ("TA External Activity", "countries"),
	"TA External Sector": ("TA External Activity", "sectors"),
	"TA Coordination Note": ("TA Programme", "coordination_notes"),
	"TA Meeting Participant": ("TA Oversight Meeting", "participants"),
}


def visibility(doctype: str, role: str) -> str:
	return VISIBILITY[doctype][role]


# --- writes --------------------------------------------------------------------------------------
# Fields the server alone writes: whatever a client sends is replaced, before validation, by the
# stored value (or emptied on a new record), and the controller then sets them. Fields fetched from
# a link (``fetch_from``) are fetched again on every save as well.
SERVER_OWNED: dict[str, tuple[str, ...]] = {
	"TA Programme": ("approved_by", "approved_on", "gate_alert", "suspended_on", "budget"),
	"TA Activity": ("approved_on", "oversight_verified", "trainer_hours", "outside_hours", "trainer_fees", "postponements"),
	"TA Activity Session": ("start_utc", "end_utc"),
	"TA Funding Line": ("base_amount",),
	"TA Beneficiary State": ("suspended_on",),
	"TA Human Rights Review": ("submitted_on",),
	"TA Oversight Sign-off": ("signer", "signed_on", "valid_until", "scope_fingerprint", "scope_snapshot", "regional_group"),
	"TA Objection Override": ("programme", "organisation", "recorded_by", "recorded_on"),
	"TA Trainer": ("ics_token",),
	"TA Result": ("result_key",),
	"TA Indicator": ("indicator_key",),
	"TA Indicator Actual": ("recorded_by", "recorded_on", "actual_key"),
	"TA Needs Assessment": ("assessment_key",),
	"TA Test Score": ("gain",),
	"TA Learning Test": ("paired", "mean_pre", "mean_post", "mean_gain", "normalised_gain"),
	"TA Participant Roster": ("retention_until",),
	"TA Follow-up": (
		"activity", "round_months", "due_on", "emailed_on", "invited", "responded", "response_rate", "applied", "cases", "concerns",
		"follow_up_key",
	),
	"TA Follow-up Response": ("follow_up", "activity", "programme", "round_months"),
	"TA Follow-up Link": ("follow_up", "token_hash", "issued_on", "expires_on", "used"),
	"TA Concern Report": (
		"anonymous", "received_on", "acknowledge_by", "assess_by", "overdue", "acknowledged_on", "acknowledged_by", "assessed_on",
		"assessed_by", "updates",
	),
	"TA Concern Key": ("concern", "token_hash", "nonce_hash"),
	"TA Delivery Rollup": (
		"programme", "beneficiary_state", "thematic_area", "period", "activities", "women", "men", "other", "participants",
		"verified", "trainer_hours", "outside_hours", "fees",
	),
	"TA Impact Review": ("indicators", "on_track", "partly", "missed", "no_data", "response_rate", "mean_gain"),
	# deconfliction: the import writes the external activities (no role may), the summary of an
	# import, and who recorded a coordination note when
	"TA External Activity": (
		"iati_identifier", "title", "reporting_org_ref", "reporting_org_name", "start", "end", "budget", "currency", "countries",
		"sectors", "iati_import", "imported_on", "fingerprint",
	),
	"TA IATI Import": ("status", "imported_by", "imported_on", "activities", "created", "updated", "unchanged", "undated", "publishers"),
	"TA Coordination Note": ("candidate_title", "recorded_by", "recorded_on"),
	# an accreditation application's decision: written only by the decision action (api.accreditation)
	"TA Accreditation Application": ("received_on", "status", "decision_reason", "decided_by", "decided_on", "partner_organisation"),
}
