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
	frappe.flags.ta_demo_load = True
	try:
		keys: dict[str, dict[str, str]] = {"programmes": {}, "trainers": {}}
		for name in core_demo.ORDER:
			count = 0
			for row_no, row in enumerate(data[name], start=1):
				try:
					count += LOADERS[name](row, keys)
				except Exception as e:
					message = _strip_html(getattr(e, "message", None) or str(e) or type(e).__name__)
					raise DemoLoadError(
						_("{0}, row {1}: {2}").format(name, row_no, message)
					) from e
			created[name] = count
	except Exception:
		frappe.db.rollback()
		raise
	finally:
		frappe.flags.ta_demo_load = False
	frappe.db.commit()
	return created


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
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return 1


def _partner(row, keys) -> int:
	if frappe.db.exists("TA Partner Organisation", row["organisation_name"]):
		return 0
	_insert({"doctype": "TA Partner Organisation", **row})
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


def _programme(row, keys) -> int:
	existing = frappe.db.get_value("TA Programme", {"title": row["title"]})
	if existing:
		keys["programmes"][row["key"]] = existing
		return 0
	fields = {k: v for k, v in row.items() if k != "key"}
	doc = frappe.get_doc(
		{
			**fields,
			"doctype": "TA Programme",
			"thematic_areas": [{"thematic_area": t} for t in row["thematic_areas"]],
		}
	).insert(ignore_permissions=True)
	keys["programmes"][row["key"]] = doc.name
	return 1


def _activity(row, keys) -> int:
	programme = keys["programmes"][row["programme"]]
	if frappe.db.exists("TA Activity", {"programme": programme, "title": row["title"]}):
		return 0
	_insert(
		{
			**row,
			"doctype": "TA Activity",
			"programme": programme,
			"trainers": [{**t, "trainer": keys["trainers"][t["trainer"]]} for t in row.get("trainers") or []],
		}
	)
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
