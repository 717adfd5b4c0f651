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
from frappe.utils import getdate, today

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
		# Through the real lifecycle, as its users would: oversight, then delivery, then closure.
		new = keys["new_programmes"]
		programmes = [(n, row) for n, row in enumerate(data["programmes.json"], start=1) if row["key"] in new]
		_each("programmes.json", programmes, lambda item: _oversee(new[item[1]["key"]], item[1]), numbered=True)
		activities = [
			(n, row) for n, row in enumerate(data["activities.json"], start=1) if row.get("_created")
		]
		_each("activities.json", activities, lambda item: _deliver(item[1]), numbered=True)
		_each("programmes.json", programmes, lambda item: _close(new[item[1]["key"]], item[1]), numbered=True)
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
	_set_status(name, "Approved", MANAGER)
	if target in ("Active", "Completed", "Suspended"):
		_set_status(name, "Active", MANAGER)


def _close(name: str, row: dict) -> None:
	target = row["status"]
	if target == "Completed":
		_set_status(name, "Completed", MANAGER)
	elif target == "Suspended":
		_set_status(name, "Suspended", MANAGER, suspension_reason=row["suspension_reason"])
	elif target == "Cancelled":
		_set_status(name, "Cancelled", MANAGER)


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
}

__all__ = ["load", "DemoLoadError", "InvalidDemoData", "DEMO_PASSWORD"]
