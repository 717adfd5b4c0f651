"""Loads the demo dataset (see fixtures/demo) into a site, all or nothing, and idempotently.

:func:`load` reads the folder, lets ``core.demo.prepare`` check every file before anything is
written, then inserts records through their controllers (so every validation applies) inside
one transaction. Any failure rolls the whole load back and names the file and the record.
Records that already exist (by their natural key) are left as they are, so the load can be
re-run safely.
"""

from __future__ import annotations

from pathlib import Path

import frappe
from frappe import _
from frappe.utils import add_days, add_years, getdate, today

from ta_programmes.core import demo as core_demo
from ta_programmes.core.errors import InvalidDemoData
from ta_programmes.core.oversight import NO_CONFLICT
from ta_programmes.enforce import rules

DEMO_PASSWORD = "ta-demo-2026"


class DemoLoadError(frappe.ValidationError):
	pass


def load(path: str | Path, on_date: str | None = None) -> dict[str, int]:
	"""Load the dataset at ``path``; returns the number of records created per file."""
	folder = Path(path)
	manifest = _read(folder / "manifest.json")
	files = {name: _read(folder / name) for name in core_demo.ORDER if (folder / name).exists()}
	with rules():
		data = core_demo.prepare(manifest, files, getdate(on_date or today()))

	created: dict[str, int] = {}
	try:
		keys: dict[str, dict[str, str]] = {"programmes": {}, "trainers": {}, "new_programmes": {}}
		for name in core_demo.ORDER:
			load_row = LOADERS[name]
			created[name] = sum(_each(name, data[name], lambda row, load_row=load_row: load_row(row, keys)))
		# Through the real lifecycle, as its users would: needs and results framework, oversight,
		# delivery, learning and follow-ups, then the impact review and closure.
		new = keys["new_programmes"]
		programmes = [(n, row) for n, row in enumerate(data["programmes.json"], start=1) if row["key"] in new]
		results = {row["programme"]: (n, row) for n, row in enumerate(data["results.json"], start=1) if row["programme"] in new}
		_each("results.json", list(results.values()), lambda item: _plan_results(new[item[1]["programme"]], item[1]), numbered=True)
		created["results.json"] = len(results)
		created[EXTERNAL_FILE] = _external_activities(folder, manifest, on_date)
		_each("programmes.json", programmes, lambda item: _oversee(new[item[1]["key"]], item[1]), numbered=True)
		activities = [
			(n, row) for n, row in enumerate(data["activities.json"], start=1) if row.get("_created")
		]
		_each("activities.json", activities, lambda item: _deliver(item[1]), numbered=True)
		_each("results.json", list(results.values()), lambda item: _measure(new[item[1]["programme"]], item[1]), numbered=True)
		_follow_ups(set(new.values()), {new[row["key"]] for _n, row in programmes if row["status"] == "Suspended"})
		_each("programmes.json", programmes, lambda item: _close(new[item[1]["key"]], item[1], results.get(item[1]["key"], (0, {}))[1]), numbered=True)
		# Concerns come last: reported by the public about programmes as they now stand.
		created["concerns.json"] = sum(
			_each("concerns.json", list(enumerate(data["concerns.json"], start=1)), lambda item: _concern(item[1], keys["programmes"]), numbered=True)
		)
		# Oversight meetings and accreditation applications: on their own, after everything else.
		created["oversight.json"] = sum(
			_each("oversight.json", list(enumerate(data["oversight.json"], start=1)), lambda item: _oversight(item[1]), numbered=True)
		)
	except Exception:
		frappe.db.rollback()
		raise
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	return created


def _each(filename: str, rows, step, numbered: bool = False) -> list[int]:
	"""Run ``step`` on every row, naming the file and row of any failure."""
	results = []
	for row_no, row in rows if numbered else enumerate(rows, start=1):
		try:
			results.append(step((row_no, row) if numbered else row) or 0)
		except Exception as e:
			message = _strip_html(str(e) or type(e).__name__)
			raise DemoLoadError(_("{0}, row {1}: {2}").format(filename, row_no, message)) from e
	return results


def _read(path: Path) -> str:
	if not path.exists():
		frappe.throw(
			_("{0}: the file is missing from the dataset.").format(path.name),
			exc=DemoLoadError,
			title=_("Invalid Demo Data"),
		)
	return path.read_text(encoding="utf-8")


def _strip_html(text: str) -> str:
	from frappe.utils import strip_html

	return strip_html(text)


def _insert(doc: dict) -> None:
	frappe.get_doc(doc).insert(ignore_permissions=True)


def _user(row, keys) -> int:
	if frappe.db.exists("User", row["email"]):
		user = frappe.get_doc("User", row["email"])
		blocked = other_modules(row["roles"])
		if sorted(b.module for b in user.block_modules) != sorted(blocked):
			user.set("block_modules", [{"module": m} for m in blocked])
			user.save(ignore_permissions=True)
		return 0
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": row["email"],
			"first_name": row["first_name"],
			"last_name": row.get("last_name"),
			"send_welcome_email": 0,
			"user_type": "System User",
			"new_password": DEMO_PASSWORD,
			"roles": [{"role": r} for r in row["roles"]],
			"block_modules": [{"module": m} for m in other_modules(row["roles"])],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return 1


def other_modules(roles: list[str]) -> list[str]:
	"""Modules a demo user does not need in their desk: everything but Technical Assistance
	(the TA Administrator keeps Frappe's own workspaces, e.g. Users). Only the sidebar is
	affected; permissions stay those of the roles."""
	if "TA Administrator" in roles:
		return []
	return frappe.get_all("Module Def", filters={"name": ("!=", "Technical Assistance")}, pluck="name")


def _partner(row, keys) -> int:
	if frappe.db.exists("TA Partner Organisation", row["organisation_name"]):
		return 0
	_insert({**row, "doctype": "TA Partner Organisation", "reviewers": [{"user": u} for u in row.get("reviewers") or []]})
	return 1


def _state(row, keys) -> int:
	if frappe.db.exists("TA Beneficiary State", row["country"]):
		return 0
	_insert({"doctype": "TA Beneficiary State", **row})
	return 1


def _donor(row, keys) -> int:
	if frappe.db.exists("TA Donor", row["donor_name"]):
		return 0
	_insert({**row, "doctype": "TA Donor", "users": [{"user": u} for u in row.get("users") or []]})
	return 1


def _trainer(row, keys) -> int:
	existing = frappe.db.get_value("TA Trainer", {"email": row["email"]})
	if existing:
		keys["trainers"][row["email"]] = existing
		return 0
	doc = frappe.get_doc(
		{
			**row,
			"doctype": "TA Trainer",
			"expertise": [{"thematic_area": t} for t in row.get("expertise") or []],
			"languages": [{"language": lang} for lang in row.get("languages") or []],
		}
	).insert(ignore_permissions=True)
	keys["trainers"][row["email"]] = doc.name
	return 1


PROGRAMME_ONLY = ("key", "status", "review", "signoffs", "overrides", "suspension_reason")


def _programme(row, keys) -> int:
	"""Created as Draft; its oversight and status follow once its activities are planned."""
	existing = frappe.db.get_value("TA Programme", {"title": row["title"]})
	if existing:
		keys["programmes"][row["key"]] = existing
		return 0
	fields = {k: v for k, v in row.items() if k not in PROGRAMME_ONLY}
	frappe.set_user(row["programme_officer"])
	doc = frappe.get_doc(
		{
			**fields,
			"doctype": "TA Programme",
			"status": "Draft",
			"thematic_areas": [{"thematic_area": t} for t in row["thematic_areas"]],
		}
	).insert(ignore_permissions=True)
	frappe.set_user("Administrator")
	keys["programmes"][row["key"]] = keys["new_programmes"][row["key"]] = doc.name
	return 1


MANAGER = "manager@ta.localhost"


def _set_status(name: str, status: str, user: str, **values) -> None:
	frappe.set_user(user)
	doc = frappe.get_doc("TA Programme", name)
	doc.update({"status": status, **values})
	doc.save(ignore_permissions=True)
	frappe.set_user("Administrator")


def _oversee(name: str, row: dict) -> None:
	"""Review, sign-offs, overrides and approval, each by the person whose job it is."""
	target = row["status"]
	if target in ("Draft", "Cancelled"):
		return
	officer = row["programme_officer"]
	_coordinate(name, officer)
	_set_status(name, "Under Review", officer)
	review = row.get("review")
	if review:
		frappe.set_user(officer)
		frappe.get_doc({"doctype": "TA Human Rights Review", "programme": name, **review}).submit()
	signed = {}
	for s in row.get("signoffs") or []:
		frappe.set_user(s["signer"])
		doc = frappe.get_doc(
			{"doctype": "TA Oversight Sign-off", "programme": name, "coi_declaration": NO_CONFLICT, **s}
		).submit()
		signed[s["signer"]] = doc.name
	for o in row.get("overrides") or []:
		frappe.set_user(MANAGER)
		frappe.get_doc(
			{"doctype": "TA Objection Override", "objection": signed[o["objection_signer"]], "justification": o["justification"]}
		).submit()
	frappe.set_user("Administrator")
	if target == "Under Review":
		return
	_coordinate(name, officer)  # matches that appeared while it was under review
	_set_status(name, "Approved", MANAGER)
	if target in ("Active", "Completed", "Suspended"):
		_set_status(name, "Active", MANAGER)


def _close(name: str, row: dict, results: dict) -> None:
	target = row["status"]
	if target == "Completed":
		review = results.get("impact_review")
		if review:
			frappe.set_user(row["programme_officer"])
			frappe.get_doc(
				{"doctype": "TA Impact Review", "programme": name, "reviewed_on": min(getdate(today()), getdate(frappe.db.get_value("TA Programme", name, "planned_end"))), **review}
			).submit()
			frappe.set_user("Administrator")
		_set_status(name, "Completed", MANAGER)
	elif target == "Suspended":
		_set_status(name, "Suspended", MANAGER, suspension_reason=row["suspension_reason"])
	elif target == "Cancelled":
		_set_status(name, "Cancelled", MANAGER)


# --- concern reports ---------------------------------------------------------------------------------
OHCHR = "ohchr@ta.localhost"


def _concern(row: dict, programmes: dict[str, str]) -> int:
	"""Reported through the public path (as a Guest), then triaged by OHCHR up to its stage, with
	its dates moved back to when it happened (a founded one is assessed now: after the reviews and
	sign-offs the demo has just made, so that its programme's gate shows it)."""
	from frappe.utils import get_datetime

	from ta_programmes import concerns as C
	from ta_programmes.core import concerns as CC

	form = {k: row.get(k) for k in ("subject", "beneficiary_state", "trained_unit", "what_happened", "contact_name", "contact_email")}
	form["programme"] = programmes.get(row["programme"]) if row.get("programme") else None
	form["form_key"] = f"demo-concern-{row['key']}".ljust(24, "0")
	frappe.set_user("Guest")
	case = C.submit(frappe._dict(form), [])
	for text in row.get("added") or []:
		C.add_information(case["link"].split("token=")[1], text, [])
	frappe.set_user("Administrator")
	if case["repeated"]:
		return 0
	name = case["reference"]
	received = get_datetime(f"{row['received']} 10:00:00")
	ack_by, assess_by = CC.deadlines(received.date(), *C.deadline_days())
	frappe.db.set_value(C.REPORT, name, {"received_on": received, "acknowledge_by": ack_by, "assess_by": assess_by}, update_modified=False)
	if row["stage"] != "Received":
		frappe.set_user(OHCHR)
		doc = frappe.get_doc(C.REPORT, name)
		doc.update({"status": row["stage"], "thematic_area": row.get("thematic_area")})
		if row["stage"] == "Assessed":
			doc.update({"outcome": row["outcome"], "outcome_reasons": row["reasons"]})
		doc.save()
		frappe.set_user("Administrator")
		moments = {"acknowledged_on": get_datetime(f"{row['acknowledged']} 11:00:00")} if row.get("acknowledged") else {}
		if row.get("assessed") and row.get("outcome") != "Founded":
			moments["assessed_on"] = get_datetime(f"{row['assessed']} 16:00:00")
		if moments:
			frappe.db.set_value(C.REPORT, name, moments, update_modified=False)
	C.refresh_overdue()
	return 1


# --- monitoring and evaluation ---------------------------------------------------------------------
def _request_file(programme: str, state: str) -> str:
	return frappe.get_doc(
		{
			"doctype": "File", "file_name": f"request-{frappe.scrub(state)}-{programme}.txt", "is_private": 1,
			"content": f"Request for technical assistance from {state} (demo document).",
		}
	).insert(ignore_permissions=True).file_url


def _plan_results(name: str, row: dict) -> None:
	"""The needs assessments (before review) and the results framework of a programme, by its officer."""
	programme = frappe.get_doc("TA Programme", name)
	start = getdate(programme.planned_start)
	latest = add_days(getdate(today()), -3)
	frappe.set_user(programme.programme_officer)
	for need in row.get("needs") or []:
		assessed = min(add_days(start, -need["assessed_days_before"]), latest)
		requested = min(add_days(start, -need["request_days_before"]), add_days(assessed, -14))
		fields = {k: v for k, v in need.items() if k not in ("request_days_before", "assessed_days_before")}
		frappe.get_doc(
			{
				"doctype": "TA Needs Assessment", "programme": name, **fields, "assessed_on": assessed,
				"request_date": requested, "request_document": _request_file(name, need["beneficiary_state"]),
			}
		).insert()
	codes: dict[str, str] = {}
	for result in row.get("framework") or []:
		doc = frappe.get_doc(
			{
				"doctype": "TA Result", "programme": name, "level": result["level"], "code": result["code"],
				"title": result["title"], "parent_result": codes.get(result.get("parent")),
			}
		).insert()
		codes[result["code"]] = doc.name
		for ind in result.get("indicators") or []:
			years = _programme_years(start, getdate(programme.planned_end))
			frappe.get_doc(
				{
					"doctype": "TA Indicator", "result": doc.name, "standard_indicator": ind["standard"], "code": ind["code"],
					"title": ind["title"], "unit": ind["unit"], "direction": ind["direction"], "disaggregation": ind["disaggregation"],
					"baseline_value": ind["baseline_value"], "baseline_date": add_days(start, -30), "baseline_source": ind["baseline_source"],
					"targets": [
						{"period": _("Year {0}").format(t["year"]), "period_start": years[t["year"]][0], "period_end": years[t["year"]][1],
						 "target_value": t["target_value"]}
						for t in ind["targets"] if t["year"] in years
					],
				}
			).insert()
	frappe.set_user("Administrator")


def _programme_years(start, end) -> dict[int, tuple]:
	out, n, cursor = {}, 1, start
	while cursor <= end:
		nxt = add_years(cursor, 1)
		out[n] = (cursor, min(add_days(nxt, -1), end))
		n, cursor = n + 1, nxt
	return out


MNE = "mne@ta.localhost"


def _measure(name: str, row: dict) -> None:
	"""Actuals of ended periods (by the M&E officer) and learning tests of delivered trainings."""
	frappe.set_user(MNE if frappe.db.exists("User", MNE) else "Administrator")
	for result in row.get("framework") or []:
		for ind in result.get("indicators") or []:
			indicator = frappe.db.get_value("TA Indicator", {"programme": name, "code": ind["code"]})
			ended = {
				r.period for r in frappe.get_all(
					"TA Indicator Target", filters={"parent": indicator, "parenttype": "TA Indicator", "period_end": ("<", today())}, fields=["period"]
				)
			}
			for a in ind.get("actuals") or []:
				period = _("Year {0}").format(a["year"])
				if period not in ended:
					continue
				frappe.get_doc(
					{"doctype": "TA Indicator Actual", "indicator": indicator, "period": period, **{k: v for k, v in a.items() if k != "year"}}
				).insert()
	frappe.set_user("Administrator")
	for test in row.get("learning") or []:
		activity = frappe.db.get_value("TA Activity", {"programme": name, "title": test["activity"]})
		if not activity:
			continue
		frappe.get_doc(
			{
				"doctype": "TA Learning Test", "activity": activity, "max_score": test["max_score"],
				"scores": [{"participant_code": c, "sex": s, "pre_score": pre, "post_score": post} for c, s, pre, post in test["scores"]],
			}
		).insert(ignore_permissions=True)


def _follow_ups(programmes: set[str], to_suspend: set[str]) -> None:
	"""The scheduler's follow-up rounds as of today, and answers through one-time links, as trainees
	would give them (a deterministic share of each round answers; a human-rights concern in the
	programmes that are then suspended)."""
	import random

	from ta_programmes import results as M

	M.create_follow_ups()
	rounds = frappe.get_all(
		"TA Follow-up", filters={"programme": ("in", list(programmes) or [""])}, fields=["name", "activity", "programme"], order_by="name"
	)
	for fu in rounds[:60]:
		rng = random.Random(fu.activity)
		people = min(int(frappe.db.get_value("TA Activity", fu.activity, "actual_participants") or 10), 12)
		links = M.issue_links(fu.name, people)
		for n, link in enumerate(links[: int(people * rng.uniform(0.35, 0.75))]):
			applied = rng.choice(["Yes", "Yes", "Yes", "Not yet", "No"])
			concern = fu.programme in to_suspend and n == 0
			frappe.set_user("Guest")
			frappe.get_doc(
				{
					"doctype": "TA Follow-up Response", "token": link.split("token=")[1], "applied_skill": applied,
					"cases": rng.randint(1, 6) if applied == "Yes" else 0, "hr_concern": 1 if concern else 0,
					"concern_details": "A trained officer searched a journalist's phone without a warrant." if concern else None,
				}
			).insert(ignore_permissions=True)
			frappe.set_user("Administrator")


# An activity reaches its status along these steps (it is created Planned).
ACTIVITY_STEPS = {
	"Planned": (),
	"Approved": ("Approved",),
	"Scheduled": ("Scheduled",),
	"Delivered": ("Scheduled", "Delivered"),
	"Postponed": ("Scheduled", "Postponed"),
	"Cancelled": ("Cancelled",),
}
ACTUALS = ("actual_participants", "participants_women", "participants_men", "participants_other")


def _deliver(row: dict) -> None:
	doc = frappe.get_doc("TA Activity", row["_created"])
	for status in ACTIVITY_STEPS[row["status"]]:
		doc.status = status
		if status == "Delivered":
			doc.update({k: row.get(k) for k in ACTUALS})
		doc.save(ignore_permissions=True)


def _activity(row, keys) -> int:
	"""Created Planned (so that reviewers sign off its scope); its status follows in _deliver."""
	programme = keys["programmes"][row["programme"]]
	if frappe.db.exists("TA Activity", {"programme": programme, "title": row["title"]}):
		return 0
	fields = {k: v for k, v in row.items() if k not in ACTUALS}
	doc = frappe.get_doc(
		{
			**fields,
			"doctype": "TA Activity",
			"status": "Planned",
			"programme": programme,
			"trainers": [{**t, "trainer": keys["trainers"][t["trainer"]]} for t in row.get("trainers") or []],
		}
	).insert(ignore_permissions=True)
	row["_created"] = doc.name
	return 1


LOADERS = {
	"users.json": _user,
	"partners.json": _partner,
	"states.json": _state,
	"donors.json": _donor,
	"trainers.json": _trainer,
	"programmes.json": _programme,
	"activities.json": _activity,
	"results.json": lambda row, keys: 0,  # planned with its programme's lifecycle (see load)
	"concerns.json": lambda row, keys: 0,  # reported once the programmes stand (see load)
	"oversight.json": lambda row, keys: 0,  # meetings and applications come last (see load)
}

__all__ = ["load", "DemoLoadError", "InvalidDemoData", "DEMO_PASSWORD"]


# --- deconfliction ---------------------------------------------------------------------------------
# Another publisher's IATI file beside the JSON files (fixtures/make_demo.py writes it with dates
# around the manifest's anchor, shifted here like every other demo date). Programmes going to review
# record a coordination note on each strong match first, as their officers would.
EXTERNAL_FILE = "iati-activities.xml"
COORDINATION = (
	("Coordinated with", "Joint work plan agreed with {0} at the donor coordination meeting: they equip the units, we train the staff."),
	("Complementary", "{0} builds the forensic infrastructure; this programme trains prosecutors and judges to use its evidence."),
	("No overlap", "Checked with {0}: their work is with the national police academy only, ours with the ministry and the courts."),
)


def _external_activities(folder: Path, manifest_text: str, on_date: str | None) -> int:
	"""Import the demo's IATI file of another publisher (dates shifted to the day of loading)."""
	import dataclasses
	import json
	from datetime import timedelta

	from ta_programmes import deconfliction
	from ta_programmes.core import iati_import

	path = folder / EXTERNAL_FILE
	if not path.exists():
		return 0
	with rules():
		parsed = iati_import.parse(path.read_bytes())
	shift = timedelta(days=(getdate(on_date or today()) - getdate(json.loads(manifest_text)["anchor_date"])).days)
	moved = [
		dataclasses.replace(a, start=a.start + shift if a.start else None, end=a.end + shift if a.end else None) for a in parsed
	]
	return deconfliction.upsert(moved)["created"]


def _coordinate(name: str, officer: str) -> None:
	from ta_programmes import deconfliction

	frappe.set_user(officer)
	doc = frappe.get_doc("TA Programme", name)
	noted = {(r.candidate_type, r.candidate) for r in doc.coordination_notes}
	missing = [c for c in deconfliction.candidates_for(doc) if c.strong and c.ref not in noted]
	for i, c in enumerate(missing):
		relation, reason = COORDINATION[(len(noted) + i) % len(COORDINATION)]
		doc.append(
			"coordination_notes",
			{"candidate_type": c.source.kind, "candidate": c.source.key, "relation": relation, "reason": reason.format(c.source.owner)},
		)
	if missing:
		doc.save(ignore_permissions=True)
	frappe.set_user("Administrator")


# --- regional balance and open oversight -----------------------------------------------------------
DEMO_MANAGER = "manager@ta.localhost"


def _oversight(row: dict) -> int:
	"""A meeting recorded and submitted (its decisions published) by the programme manager; an
	application sent as a Guest through the web form's path, then decided when the row says so."""
	return _meeting(row) if row["record"] == "Meeting" else _application(row)


def _meeting(row: dict) -> int:
	if frappe.db.exists("TA Oversight Meeting", {"title": row["title"], "docstatus": ("<", 2)}):
		return 0
	frappe.set_user(DEMO_MANAGER)
	doc = frappe.get_doc(
		{
			"doctype": "TA Oversight Meeting",
			"title": row["title"],
			"meeting_date": row["date"],
			"mode": row["mode"],
			"city": row.get("city"),
			"country": row.get("country"),
			"regional_group": row.get("regional_group"),
			"participants": row["participants"],
			"decisions": row["decisions"],
			"minutes": row.get("minutes"),
		}
	).insert()
	doc.submit()
	frappe.set_user("Administrator")
	return 1


def _application(row: dict) -> int:
	from ta_programmes import oversight_balance

	if frappe.db.exists("TA Accreditation Application", {"organisation_name": row["organisation_name"]}):
		return 0
	fields = (
		"organisation_name", "sector", "regional_group", "country", "website", "contact_name", "contact_email", "mandate",
		"independence_statement",
	)
	frappe.set_user("Guest")
	doc = frappe.get_doc({"doctype": "TA Accreditation Application", **{f: row.get(f) for f in fields}})
	doc.insert(ignore_permissions=True)  # as Frappe's web form inserts it
	if row.get("decision"):
		frappe.set_user(row["decided_by"])
		oversight_balance.decide(doc.name, row["decision"], row["reason"])
	frappe.set_user("Administrator")
	return 1
