"""Helper of tests/ops/run (backup and restore), run with the bench's Python from its sites folder:

    env/bin/python tests/ops/compare.py --sites-path sites attach SITE     add a private and a public File
    env/bin/python tests/ops/compare.py --sites-path sites compare A B     every record and file of A equal in B?
    env/bin/python tests/ops/compare.py --sites-path sites spoil SITE      change SITE so that compare must fail

``compare`` reads, on each site, every record of every doctype of the app (module Technical
Assistance: all columns, child tables and single doctypes included), the values of their Password
fields (decrypted: a restore without the original encryption key loses them), the users and their
roles, and every File record with the SHA-256 of its content on disk; then prints each difference
and a last line ``PASS: …`` (exit 0) or ``FAIL: …`` (exit 1).
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import hashlib
import json
import os
import sys
from pathlib import Path

import frappe

MODULE = "Technical Assistance"
# Frappe's own records that the app's data depends on: the people and their roles.
ALSO = ("User", "Has Role")


def _plain(value):
	if isinstance(value, datetime.datetime | datetime.date | datetime.time):
		return value.isoformat()
	if isinstance(value, datetime.timedelta):
		return str(value)
	if isinstance(value, decimal.Decimal):
		return str(value.normalize()) if value == value.to_integral() else str(value)
	if isinstance(value, bytes):
		return hashlib.sha256(value).hexdigest()
	return value


def _rows(doctype: str) -> dict[str, dict]:
	# nosemgrep: frappe-using-db-sql -- every column of every row, as stored, is what a restore must keep
	rows = frappe.db.sql(f"select * from `tab{doctype}`", as_dict=True)
	return {r["name"]: {k: _plain(v) for k, v in r.items()} for r in rows}


def _sha256(path: str) -> str:
	h = hashlib.sha256()
	with open(path, "rb") as f:
		for chunk in iter(lambda: f.read(1 << 20), b""):
			h.update(chunk)
	return h.hexdigest()


def dump(site: str, sites: Path) -> dict[str, dict]:
	"""{table: {key: {field: value}}} of everything compared, read from ``site``."""
	from frappe.utils.file_manager import get_file_path
	from frappe.utils.password import get_decrypted_password

	frappe.init(site=site, sites_path=str(sites))
	frappe.connect()
	try:
		out: dict[str, dict] = {}
		doctypes = frappe.get_all(
			"DocType", filters={"module": MODULE}, fields=["name", "issingle", "is_virtual"], order_by="name asc"
		)
		if not doctypes:
			raise SystemExit(f"{site} has no doctype of module {MODULE}: is the app installed?")
		passwords: dict[str, dict] = {}
		for dt in doctypes:
			if dt.is_virtual:
				continue
			if dt.issingle:
				values = frappe.db.sql("select field, value from `tabSingles` where doctype = %s", dt.name)
				out[dt.name] = {dt.name: {field: value for field, value in values}}
			else:
				out[dt.name] = _rows(dt.name)
			for df in frappe.get_meta(dt.name).get("fields", {"fieldtype": "Password"}):
				for name in out[dt.name]:
					try:
						value = get_decrypted_password(dt.name, name, df.fieldname, raise_exception=False)
					except Exception as e:  # a wrong encryption key raises
						value = f"<cannot decrypt: {type(e).__name__}>"
					if value is not None:
						digest = hashlib.sha256(value.encode()).hexdigest() if not value.startswith("<cannot") else value
						passwords[f"{dt.name} {name} {df.fieldname}"] = {"sha256": digest}
		out["(passwords)"] = passwords
		for dt in ALSO:
			out[dt] = _rows(dt)
		files = _rows("File")
		for row in files.values():
			if row.get("is_folder") or not row.get("file_url") or not str(row["file_url"]).startswith(("/files/", "/private/files/")):
				continue
			path = get_file_path(row["file_url"])
			row["(content sha256)"] = _sha256(path) if os.path.exists(path) else "<missing on disk>"
		out["File"] = files
		return out
	finally:
		frappe.destroy()


def differences(a: dict[str, dict], b: dict[str, dict], limit: int = 5) -> list[str]:
	"""What ``b`` lacks, adds or holds differently from ``a``, one line each (at most ``limit`` per table)."""
	lines = []
	for table in sorted(set(a) | set(b)):
		ra, rb = a.get(table, {}), b.get(table, {})
		found = []
		for key in sorted(set(ra) - set(rb)):
			found.append(f"{table} {key}: missing in the restored site")
		for key in sorted(set(rb) - set(ra)):
			found.append(f"{table} {key}: only in the restored site")
		for key in sorted(set(ra) & set(rb)):
			if ra[key] != rb[key]:
				fields = sorted(f for f in set(ra[key]) | set(rb[key]) if ra[key].get(f, "<absent>") != rb[key].get(f, "<absent>"))
				shown = ", ".join(f"{f}: {ra[key].get(f, '<absent>')!r} -> {rb[key].get(f, '<absent>')!r}"[:200] for f in fields[:4])
				found.append(f"{table} {key}: {shown}")
		lines += found[:limit] + ([f"{table}: … and {len(found) - limit} more"] if len(found) > limit else [])
	return lines


def compare(site_a: str, site_b: str, sites: Path) -> int:
	a, b = dump(site_a, sites), dump(site_b, sites)
	diff = differences(a, b)
	records = sum(len(v) for k, v in a.items() if k not in ("File", "(passwords)"))
	files = sum(1 for r in a["File"].values() if "(content sha256)" in r)
	tables = sum(1 for k in a if k not in ("File", "(passwords)"))
	if diff:
		print("\n".join("  " + line for line in diff))
		print(f"FAIL: {site_b} differs from {site_a} ({len(diff)} differences shown above)")
		return 1
	print(
		f"PASS: {site_b} equals {site_a}: {records} records in {tables} doctypes (all fields), "
		f"{len(a['(passwords)'])} passwords, {len(a['File'])} File records, {files} file contents"
	)
	return 0


def attach(site: str, sites: Path) -> None:
	"""A private and a public file attached to the first programme (as a user's upload would be)."""
	frappe.init(site=site, sites_path=str(sites))
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		programme = frappe.get_all("TA Programme", pluck="name", order_by="name asc", limit=1)
		if not programme:
			raise SystemExit(f"{site} has no programme to attach files to (demo data not loaded?)")
		for private, name, content in (
			(1, "ops-private-minutes.txt", b"Confidential minutes kept as a private file.\n" * 50),
			(0, "ops-public-brief.txt", "Programme brief (public) \u2014 r\u00e9sum\u00e9.\n".encode() * 50),
		):
			doc = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": name,
					"is_private": private,
					"content": content,
					"attached_to_doctype": "TA Programme",
					"attached_to_name": programme[0],
				}
			).insert()
			print(f"  attached {doc.file_url} to {programme[0]}")
		frappe.db.commit()
	finally:
		frappe.destroy()


def spoil(site: str, sites: Path) -> None:
	"""The negative control: one activity deleted (rows only, as a lost row would be) and one private
	file's bytes changed; ``compare`` must then fail."""
	from frappe.utils.file_manager import get_file_path

	frappe.init(site=site, sites_path=str(sites))
	frappe.connect()
	try:
		name = frappe.get_all("TA Activity", pluck="name", order_by="name desc", limit=1)[0]
		frappe.db.delete("TA Activity", {"name": name})
		frappe.db.commit()
		url = frappe.get_all("File", filters={"is_private": 1, "is_folder": 0}, pluck="file_url", order_by="name asc", limit=1)[0]
		with open(get_file_path(url), "ab") as f:
			f.write(b"changed")
		print(f"  spoiled {site}: deleted TA Activity {name}, appended to {url}")
	finally:
		frappe.destroy()


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("command", choices=("attach", "compare", "spoil", "dump"))
	parser.add_argument("sites", nargs="+")
	args = parser.parse_args(argv)
	sites = Path(args.sites_path).resolve()
	os.chdir(sites)
	if args.command == "compare":
		if len(args.sites) != 2:
			parser.error("compare takes two sites: the original and the restored one")
		return compare(args.sites[0], args.sites[1], sites)
	for site in args.sites:
		if args.command == "attach":
			attach(site, sites)
		elif args.command == "spoil":
			spoil(site, sites)
		else:
			json.dump(dump(site, sites), sys.stdout, indent=1, sort_keys=True, default=str)
	return 0


if __name__ == "__main__":
	sys.exit(main())
