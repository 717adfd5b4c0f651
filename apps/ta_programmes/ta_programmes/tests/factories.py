"""Idempotent factories for bench tests: each returns an existing record when there is one.

Natural keys carry a ``_test`` marker so tests never collide with demo data.
"""

from __future__ import annotations

import json
import threading
from datetime import date

import frappe
from frappe.utils import add_days, getdate

PASSWORD = "ta-test-Pass-2026"


def user(email: str, *roles: str) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
				"new_password": PASSWORD,
				"roles": [{"role": r} for r in roles],
			}
		).insert(ignore_permissions=True)
	else:
		doc = frappe.get_doc("User", email)
		missing = [r for r in roles if r not in {x.role for x in doc.roles}]
		if missing:
			doc.add_roles(*missing)
	return email


def api_auth(email: str) -> dict[str, str]:
	"""An Authorization header with a fresh API key/secret for ``email``."""
	from frappe.core.doctype.user.user import generate_keys

	secret = generate_keys(email)["api_secret"]
	key = frappe.db.get_value("User", email, "api_key")
	return {"Authorization": f"token {key}:{secret}"}


def partner(name="UNODC _test", sector="UN entity", **kw) -> str:
	if not frappe.db.exists("TA Partner Organisation", name):
		frappe.get_doc(
			{"doctype": "TA Partner Organisation", "organisation_name": name, "sector": sector, **kw}
		).insert(ignore_permissions=True)
	return name


def state(country="Kenya", group="African", **kw) -> str:
	if not frappe.db.exists("TA Beneficiary State", country):
		frappe.get_doc(
			{"doctype": "TA Beneficiary State", "country": country, "regional_group": group, **kw}
		).insert(ignore_permissions=True)
	return country


def donor(name="Donor A _test", donor_type="Government", users=()) -> str:
	if not frappe.db.exists("TA Donor", name):
		frappe.get_doc(
			{
				"doctype": "TA Donor",
				"donor_name": name,
				"donor_type": donor_type,
				"users": [{"user": u} for u in users],
			}
		).insert(ignore_permissions=True)
	return name


def trainer(email="trainer1@tests.ta.example", **kw) -> str:
	existing = frappe.db.get_value("TA Trainer", {"email": email})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "TA Trainer",
			"full_name": kw.pop("full_name", email.split("@")[0].title()),
			"email": email,
			"vetting_status": kw.pop("vetting_status", "Cleared"),
			"vetting_date": kw.pop("vetting_date", add_days(getdate(), -30)),
			**kw,
		}
	).insert(ignore_permissions=True)
	return doc.name


def officer() -> str:
	return user("officer@tests.ta.example", "TA Programme Officer")


def programme_doc(**kw):
	"""An unsaved, valid programme (Kenya 60 / Ghana 40, two themes, one donor)."""
	start = kw.pop("planned_start", date(2026, 1, 1))
	values = {
		"doctype": "TA Programme",
		"title": "Programme _test",
		"lead_agency": partner(),
		"programme_officer": officer(),
		"planned_start": start,
		"planned_end": kw.pop("planned_end", date(2027, 12, 31)),
		"objectives": "Test objectives",
		"currency": "USD",
		"beneficiary_states": [
			{"beneficiary_state": state("Kenya", "African"), "share": 60},
			{"beneficiary_state": state("Ghana", "African"), "share": 40},
		],
		"thematic_areas": [
			{"thematic_area": "Digital Forensics"},
			{"thematic_area": "Prevention & Awareness"},
		],
		"funding_lines": [{"donor": donor(), "amount": 100000, "currency": "USD"}],
	}
	values.update(kw)
	return frappe.get_doc(values)


def programme(**kw) -> str:
	title = kw.get("title", "Programme _test")
	existing = frappe.db.get_value("TA Programme", {"title": title})
	if existing:
		return existing
	return programme_doc(**kw).insert(ignore_permissions=True).name


def activity_doc(programme_name: str | None = None, **kw):
	values = {
		"doctype": "TA Activity",
		"title": "Activity _test",
		"programme": programme_name or programme(),
		"activity_type": "Training",
		"thematic_area": "Digital Forensics",
		"beneficiary_state": "Kenya",
		"delivery_mode": "In person",
		"venue": "Training Centre",
		"city": "Nairobi",
		"start": "2026-03-02 09:00:00",
		"end": "2026-03-04 17:00:00",
		"planned_participants": 20,
	}
	values.update(kw)
	return frappe.get_doc(values)


def rest(
	method: str, path: str, headers: dict | None = None, json: dict | None = None, data: dict | None = None
):
	"""Call the site's real WSGI application (REST API) in-process, in its own thread and request.

	The request carries the test site's name as its host, so Frappe resolves the site as it
	would behind a web server. Data the call must see has to be committed first.
	"""
	from frappe.utils import get_test_client

	site = frappe.local.site
	result: dict = {}

	def run():
		client = get_test_client(use_cookies=False)
		result["response"] = client.open(
			path, method=method, base_url=f"http://{site}/", headers=headers or {}, json=json, data=data
		)

	thread = threading.Thread(target=run)
	thread.start()
	thread.join()
	return result["response"]


# --- oversight -------------------------------------------------------------------------------------
MANAGER = "manager@tests.ta.example"
OHCHR = "ohchr@tests.ta.example"
CIVIL = ("cs1@tests.ta.example", "cs2@tests.ta.example", "cs3@tests.ta.example")
CS_ORGS = (
	("Rights Watch Africa _test", "African"),
	("Digital Rights Asia _test", "Asia-Pacific"),
	("Privacy Latin America _test", "Latin American & Caribbean"),
)
NO_CONFLICT = "I have no conflict of interest with this programme"


def oversight_cast() -> dict:
	"""The people of an oversight: officer, manager, OHCHR, three civil-society reviewers
	from accredited organisations in three regional groups."""
	cast = {
		"officer": officer(),
		"manager": user(MANAGER, "TA Programme Manager"),
		"ohchr": user(OHCHR, "TA OHCHR Reviewer"),
		"civil": [user(email, "TA Civil Society Reviewer") for email in CIVIL],
		"orgs": [],
	}
	for (org, group), reviewer in zip(CS_ORGS, cast["civil"]):
		if not frappe.db.exists("TA Partner Organisation", org):
			frappe.get_doc(
				{
					"doctype": "TA Partner Organisation",
					"organisation_name": org,
					"sector": "Civil Society",
					"regional_group": group,
					"accredited_for_oversight": 1,
					"accredited_on": "2025-01-01",
					"reviewers": [{"user": reviewer}],
				}
			).insert(ignore_permissions=True)
		cast["orgs"].append(org)
	return cast


def as_user(email: str):
	"""Context manager: run as ``email``, then back to whoever ran before."""
	from contextlib import contextmanager

	@contextmanager
	def _ctx():
		previous = frappe.session.user
		frappe.set_user(email)
		try:
			yield
		finally:
			frappe.set_user(previous)

	return _ctx()


def request_file(state_name: str) -> str:
	"""A private file standing for a state's written request for assistance."""
	name = f"request-{frappe.scrub(state_name)}-_test.txt"
	existing = frappe.db.get_value("File", {"file_name": name}, "file_url")
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": name,
				"is_private": 1,
				"content": f"Request for assistance from {state_name}",
			}
		)
		.insert(ignore_permissions=True)
		.file_url
	)


def assess_needs(programme_name: str, states: list[str] | None = None) -> None:
	"""A needs assessment, with the state's request attached, for each state of the programme (or
	for ``states``, e.g. one about to be added)."""
	doc = frappe.get_doc("TA Programme", programme_name)
	for row in [frappe._dict(beneficiary_state=s) for s in states] if states else doc.beneficiary_states:
		if frappe.db.exists(
			"TA Needs Assessment", {"programme": programme_name, "beneficiary_state": row.beneficiary_state}
		):
			continue
		frappe.get_doc(
			{
				"doctype": "TA Needs Assessment",
				"programme": programme_name,
				"beneficiary_state": row.beneficiary_state,
				"assessed_on": "2025-11-01",
				"requested_by": f"Ministry of Justice of {row.beneficiary_state}",
				"request_date": "2025-10-01",
				"request_document": request_file(row.beneficiary_state),
				"gaps": "No forensic laboratory _test",
				"priorities": "Evidence handling _test",
			}
		).insert(ignore_permissions=True)


def set_status(name: str, status: str, as_: str, **values):
	if status == "Under Review":
		assess_needs(name)
	with as_user(as_):
		doc = frappe.get_doc("TA Programme", name)
		if status in ("Under Review", "Approved"):
			coordinate(doc)
		doc.status = status
		doc.update(values)
		doc.save()
		return doc


def submit_review(programme_name: str, risk="Medium", mitigations=(), as_: str | None = None):
	with as_user(as_ or officer()):
		return frappe.get_doc(
			{
				"doctype": "TA Human Rights Review",
				"programme": programme_name,
				"risk_level": risk,
				"rationale": "Police cybercrime unit; vetting in place.",
				"security_sector_recipient": 1,
				"mitigations": [
					{"measure": m, "due_date": "2026-01-01", "status": s} for m, s in mitigations
				],
			}
		).submit()


def revise_review(programme_name: str, risk="Medium"):
	"""Cancel the programme's current review and submit its amendment (a new assessment)."""
	with as_user(officer()):
		current = frappe.get_doc("TA Human Rights Review", {"programme": programme_name, "docstatus": 1})
		current.cancel()
		amended = frappe.copy_doc(current)
		amended.amended_from = current.name
		amended.risk_level = risk
		return amended.submit()


def sign(programme_name: str, signer: str, kind="Civil Society", organisation=None, decision="Endorse", **kw):
	with as_user(signer):
		return frappe.get_doc(
			{
				"doctype": "TA Oversight Sign-off",
				"programme": programme_name,
				"kind": kind,
				"organisation": organisation,
				"decision": decision,
				"coi_declaration": NO_CONFLICT,
				**kw,
			}
		).submit()


def under_review(title: str, **kw) -> str:
	"""A new programme (the title gets a unique suffix) moved to Under Review by its officer."""
	cast = oversight_cast()
	name = programme(title=f"{title} {frappe.generate_hash(length=6)}", **kw)
	if frappe.db.get_value("TA Programme", name, "status") == "Draft":
		set_status(name, "Under Review", cast["officer"])
	return name


def signed_off(title: str, risk="Medium", civil=1, **kw) -> str:
	"""A programme under review with a submitted review and the sign-offs its risk needs."""
	cast = oversight_cast()
	name = under_review(title, **kw)
	submit_review(name, risk)
	sign(name, cast["ohchr"], kind="OHCHR")
	for reviewer, org in list(zip(cast["civil"], cast["orgs"]))[:civil]:
		sign(name, reviewer, organisation=org)
	return name


def approved(title: str, **kw) -> str:
	name = signed_off(title, **kw)
	set_status(name, "Approved", MANAGER)
	return name


def race(actions: dict, refused: type[Exception]) -> dict[str, str]:
	"""Run each action at the same moment in its own thread and database connection (as two
	requests would) and report, per key, "done", "refused" (``refused`` raised) or the error.
	Data the actions need must be committed first."""
	site, sites_path = frappe.local.site, getattr(frappe.local, "sites_path", ".")
	results: dict[str, str] = {}
	barrier = threading.Barrier(len(actions))

	def run(key, action):
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		try:
			prepared = action()
			barrier.wait(timeout=10)
			prepared()
			frappe.db.commit()
			results[key] = "done"
		except refused:
			frappe.db.rollback()
			results[key] = "refused"
		except Exception as e:  # reported by the caller's assertion
			frappe.db.rollback()
			results[key] = repr(e)
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run, args=item) for item in actions.items()]
	for t in threads:
		t.start()
	for t in threads:
		t.join(timeout=60)
	return results


def outgoing_email_account(port: int = 2525) -> str:
	"""The site's default outgoing account, on a loopback SMTP server (no authentication)."""
	name = "TA Test Outgoing"
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": "programmes@tests.ta.example",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": port,
				"no_smtp_authentication": 1,
				"use_tls": 0,
				"use_ssl_for_outgoing": 0,
			}
		).insert(ignore_permissions=True)
	return name


def web_form_answer(token: str, **answers):
	"""The Guest submission of the /follow-up web form, through the endpoint the form calls (the
	app's checked wrapper of Frappe's ``accept``, see hooks ``override_whitelisted_methods``)."""
	from ta_programmes.api.guard import web_form_accept as accept

	frappe.set_user("Guest")
	try:
		return accept(
			"follow-up", json.dumps({"token": token, "applied_skill": "Yes", "cases": 3, **answers})
		)
	finally:
		frappe.set_user("Administrator")


# --- monitoring and evaluation ---------------------------------------------------------------------
def results_framework(programme_name: str, unit="Number", disaggregation="None", targets=None) -> dict:
	"""An outcome, an output serving it and one indicator of the outcome with targets for 2026
	and 2027; returns their names."""
	suffix = frappe.generate_hash(length=4)
	outcome = frappe.get_doc(
		{
			"doctype": "TA Result",
			"programme": programme_name,
			"level": "Outcome",
			"code": f"1-{suffix}",
			"title": "Prosecutors use e-evidence _test",
		}
	).insert()
	output = frappe.get_doc(
		{
			"doctype": "TA Result",
			"programme": programme_name,
			"level": "Output",
			"parent_result": outcome.name,
			"code": f"1.1-{suffix}",
			"title": "Prosecutors trained _test",
		}
	).insert()
	indicator = frappe.get_doc(
		{
			"doctype": "TA Indicator",
			"result": outcome.name,
			"code": f"OC1-{suffix}",
			"title": "Prosecutors using e-evidence _test",
			"definition": "Trained prosecutors who used electronic evidence in a case",
			"means_of_verification": "Case files",
			"unit": unit,
			"direction": "Increase",
			"disaggregation": disaggregation,
			"baseline_value": 2 if unit == "Number" else 10,
			"baseline_date": "2025-12-01",
			"baseline_source": "Needs assessment",
			"targets": targets
			or [
				{
					"period": "2026",
					"period_start": "2026-01-01",
					"period_end": "2026-12-31",
					"target_value": 20 if unit == "Number" else 40,
				},
				{
					"period": "2027",
					"period_start": "2027-01-01",
					"period_end": "2027-12-31",
					"target_value": 40 if unit == "Number" else 70,
				},
			],
		}
	).insert()
	return {"outcome": outcome.name, "output": output.name, "indicator": indicator.name}


def actual(indicator: str, period="2026", value=12, category=None, **kw):
	return frappe.get_doc(
		{
			"doctype": "TA Indicator Actual",
			"indicator": indicator,
			"period": period,
			"value": value,
			"category": category,
			"evidence_link": "https://evidence.example.org/case-files",
			**kw,
		}
	).insert()


def delivered_activity(programme_name: str, title="Delivered _test", end="2026-03-06 12:00:00", **kw) -> str:
	"""An activity of an approved programme, delivered (its session ended ``end``)."""
	start = end[:10] + " 09:00:00"
	name = (
		activity_doc(
			programme_name,
			title=f"{title} {frappe.generate_hash(length=4)}",
			status="Scheduled",
			start=start,
			end=end,
			**kw,
		)
		.insert()
		.name
	)
	doc = frappe.get_doc("TA Activity", name)
	doc.update(
		{"status": "Delivered", "actual_participants": 20, "participants_women": 9, "participants_men": 11}
	)
	doc.save()
	return name


def monitoring_records(programme_name: str, key: str = "") -> dict[str, str]:
	"""A record of every M&E doctype (and a row of every M&E child table) for an approved
	programme, which is left Active: framework and actual, a delivered training with its learning
	test, roster, follow-up with links and an answer (with a concern), and an impact review."""
	from ta_programmes import results as M

	framework = results_framework(programme_name)
	delivered = delivered_activity(programme_name, title=f"Monitored {key} _test")
	test = frappe.get_doc(
		{
			"doctype": "TA Learning Test",
			"activity": delivered,
			"max_score": 10,
			"scores": [{"participant_code": "P-1", "pre_score": 2, "post_score": 8}],
		}
	).insert()
	roster = frappe.get_doc(
		{
			"doctype": "TA Participant Roster",
			"activity": delivered,
			"entries": [{"full_name": f"Monitored Participant {key}"}],
		}
	).insert()
	M.create_follow_ups(today="2026-11-30")
	follow_up = frappe.get_value("TA Follow-up", {"activity": delivered}, "name")
	token = M.issue_links(follow_up, 2)[0].split("token=")[1]
	answer = web_form_answer(token, hr_concern=1, concern_details=f"Concern {key} _test")
	set_status(programme_name, "Active", MANAGER)
	review = frappe.get_doc(
		{"doctype": "TA Impact Review", "programme": programme_name, "what_worked": "x", "lessons": "y"}
	).insert()
	return {
		"TA Result": framework["outcome"],
		"TA Indicator": framework["indicator"],
		"TA Indicator Actual": actual(framework["indicator"]).name,
		"TA Needs Assessment": frappe.get_value("TA Needs Assessment", {"programme": programme_name}, "name"),
		"TA Learning Test": test.name,
		"TA Participant Roster": roster.name,
		"TA Follow-up": follow_up,
		"TA Follow-up Response": answer.name,
		"TA Impact Review": review.name,
	}


# --- concern reports ---------------------------------------------------------------------------------
CONCERN_TEXT = "Officers trained by the programme used the tools against journalists _test."


def report_concern(programme_name: str | None = None, state: str | None = None, files=(), **form) -> dict:
	"""A concern reported through the public path (as a Guest would post it; ``files``: (name,
	bytes) pairs); returns the reference and the secret link."""
	from ta_programmes import concerns as C

	values = {
		"form_key": frappe.generate_hash(length=32),
		"subject": "Programme" if programme_name else "Beneficiary state",
		"programme": programme_name,
		"beneficiary_state": state,
		"what_happened": CONCERN_TEXT,
	}
	values.update(form)
	import io

	from werkzeug.datastructures import FileStorage

	uploads = [FileStorage(stream=io.BytesIO(content), filename=name) for name, content in files]
	with as_user("Guest"):
		return C.submit(frappe._dict(values), uploads)


def triage(concern: str, as_: str, status="Assessed", outcome="Founded", **values):
	with as_user(as_):
		doc = frappe.get_doc("TA Concern Report", concern)
		doc.status = status
		doc.outcome = outcome if status == "Assessed" else None
		doc.outcome_reasons = (
			"Two independent sources and the unit's own records confirm it." if status == "Assessed" else None
		)
		doc.update(values)
		doc.save()
		return doc


def concern_records(programme_name: str, key: str = "") -> dict[str, str]:
	"""A concern report about the programme, with information added through its link (a row of
	the child table); acknowledged, not assessed (so the gate is untouched)."""
	from ta_programmes import concerns as C

	case = report_concern(programme_name, what_happened=f"{CONCERN_TEXT} {key}")
	with as_user("Guest"):
		C.add_information(case["link"].split("token=")[1], f"More information {key} _test", [])
	triage(case["reference"], OHCHR, status="Acknowledged")
	return {"TA Concern Report": case["reference"]}


# --- deconfliction ---------------------------------------------------------------------------------
# Other data on the site (the demo, other tests) may overlap a factory programme: before review the
# factories record a coordination note on every strong match, as its officer would.
COORDINATED = "Recorded by the test factory: the other agency works with different institutions."


def coordinate(doc) -> None:
	"""Append a coordination note to ``doc`` (unsaved) for each strong match without one."""
	from ta_programmes import deconfliction as X

	noted = {(r.candidate_type, r.candidate) for r in doc.coordination_notes}
	for c in X.candidates_for(doc):
		if c.strong and c.ref not in noted:
			doc.append("coordination_notes", {"candidate_type": c.source.kind, "candidate": c.source.key, "relation": "No overlap", "reason": COORDINATED})


def iati_xml(activities: list[dict], version: str = "2.03", org=("XM-TEST-OTHER", "Other Publisher _test")) -> bytes:
	"""An IATI activity file of another publisher. Each activity: id, title, countries, sectors
	[(code, vocabulary)], start, end, budget."""
	from xml.sax.saxutils import escape, quoteattr

	out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<iati-activities version="{version}">']
	for a in activities:
		out.append(f'<iati-activity default-currency="{a.get("currency", "USD")}">')
		out.append(f"<iati-identifier>{escape(a['id'])}</iati-identifier>")
		out.append(f'<reporting-org ref={quoteattr(org[0])} type="10"><narrative>{escape(org[1])}</narrative></reporting-org>')
		out.append(f"<title><narrative>{escape(a.get('title', a['id']))}</narrative></title>")
		if a.get("start"):
			out.append(f'<activity-date type="1" iso-date="{a["start"]}"/>')
		if a.get("end"):
			out.append(f'<activity-date type="3" iso-date="{a["end"]}"/>')
		for c in a.get("countries", ()):
			out.append(f'<recipient-country code="{c}"/>')
		for code, vocabulary in a.get("sectors", ()):
			out.append(f'<sector vocabulary="{vocabulary}" code="{code}"/>')
		if a.get("budget") is not None:
			out.append(f'<budget type="1"><period-start iso-date="{a.get("start") or "2026-01-01"}"/><value>{a["budget"]}</value></budget>')
		out.append("</iati-activity>")
	out.append("</iati-activities>")
	return "\n".join(out).encode()


def iati_import(content: bytes, file_name: str = "other-publisher _test.xml", as_: str | None = None) -> str:
	"""A TA IATI Import with ``content`` attached as a private file (not yet imported)."""
	with as_user(as_ or officer()):
		file = frappe.get_doc({"doctype": "File", "file_name": file_name, "is_private": 1, "content": content}).insert()
		doc = frappe.get_doc({"doctype": "TA IATI Import", "import_file": file.file_url}).insert()
		file.db_set({"attached_to_doctype": "TA IATI Import", "attached_to_name": doc.name})
		return doc.name


def deconfliction_records(programme_name: str, key: str = "") -> dict[str, str]:
	"""An imported external activity (Tuvalu, a DAC code no programme uses: it overlaps nothing) and
	a coordination note about it on ``programme_name``."""
	from ta_programmes import deconfliction as X

	identifier = f"XM-TEST-MATRIX-{key or 'x'}"
	content = iati_xml([{"id": identifier, "title": f"Matrix external {key} _test", "countries": ["TV"], "sectors": [("99810", "1")], "start": "2026-01-01", "end": "2026-12-31", "budget": 1000}])
	name = iati_import(content, f"matrix-{key or 'x'} _test.xml")
	with as_user(officer()):
		X.run_import(name)
		doc = frappe.get_doc("TA Programme", programme_name)
		if not any(r.candidate == identifier for r in doc.coordination_notes):
			doc.append("coordination_notes", {"candidate_type": "TA External Activity", "candidate": identifier, "relation": "Complementary", "reason": f"Different region entirely {key} _test"})
			doc.save()
	return {"TA External Activity": identifier, "TA IATI Import": name}


# --- regional balance and open oversight ---------------------------------------------------------------
MEETING_DECISIONS = "The meeting agreed that the forensic programme is reviewed again in six months _test."
MEETING_MINUTES = "Private minutes _test: Ms Minute-Taker reported what the unit's director said."


def meeting(title: str = "Oversight meeting _test", submit: bool = True, **kw) -> str:
	"""An oversight meeting held a month ago in Nairobi by an OHCHR officer and a civil-society
	member, recorded (and submitted: its decisions published) by the programme manager."""
	existing = frappe.db.get_value("TA Oversight Meeting", {"title": title, "docstatus": ("<", 2)})
	if existing:
		return existing
	values = {
		"doctype": "TA Oversight Meeting",
		"title": title,
		"meeting_date": add_days(getdate(), -30),
		"mode": "In person",
		"city": "Nairobi",
		"country": "Kenya",
		"regional_group": "African",
		"participants": [
			{"participant_name": "Olga Ohchr-Officer _test", "sector": "OHCHR"},
			{"participant_name": "Cyril Civil-Member _test", "sector": "Civil Society", "regional_group": "African"},
		],
		"decisions": MEETING_DECISIONS,
		"minutes": MEETING_MINUTES,
	}
	values.update(kw)
	with as_user(user(MANAGER, "TA Programme Manager")):
		doc = frappe.get_doc(values).insert()
		if submit:
			doc.submit()
	return doc.name


def accreditation_answers(**answers) -> dict:
	values = {
		"organisation_name": "Applicant Forum _test",
		"sector": "Civil Society",
		"regional_group": "Asia-Pacific",
		"country": "India",
		"website": "https://applicant.example.org",
		"contact_name": "Asha Applicant",
		"contact_email": "asha@applicant.example.org",
		"mandate": "We monitor surveillance and digital rights in South Asia since 2015 _test.",
		"independence_statement": "We take no government funding and have no stake in the programmes _test.",
	}
	values.update(answers)
	return values


def apply_for_accreditation(**answers):
	"""The Guest submission of the /accreditation web form, through the endpoint the form calls
	(the app's checked wrapper of Frappe's ``accept``), in-process."""
	from ta_programmes.api.guard import web_form_accept as accept

	frappe.set_user("Guest")
	try:
		return accept("accreditation", json.dumps(accreditation_answers(**answers)))
	finally:
		frappe.set_user("Administrator")


def oversight_balance_records(key: str = "") -> dict[str, str]:
	"""A submitted oversight meeting (with participant rows) and a pending accreditation application."""
	application = apply_for_accreditation(organisation_name=f"Applicant {key} _test")
	return {
		"TA Oversight Meeting": meeting(f"Matrix meeting {key} _test"),
		"TA Accreditation Application": application.name,
	}
