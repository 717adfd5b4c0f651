"""The declared tables of ``core.access`` agree with the doctypes: every doctype has a row, every
child table is named with its parent and field, the role permissions in the JSON grant read
exactly to the roles the table says may see something, and server-owned fields exist."""

from pathlib import Path

import pytest
from ta_programmes.core import access as A

from tests.static.test_metadata import DOCTYPES


def test_every_doctype_has_a_visibility_row_for_every_role():
	assert set(A.VISIBILITY) == set(DOCTYPES)
	for doctype, row in A.VISIBILITY.items():
		assert set(row) == set(A.ROLES), doctype
		assert row["Guest"] == "none", doctype
		assert set(row.values()) <= {"all", "funded", "own", "overseen", "none"}, doctype
		# "funded" and "own" are the donors' rules, "overseen" the civil-society reviewers'
		assert {r for r, v in row.items() if v in ("funded", "own")} <= {A.DONOR}, doctype
		assert {r for r, v in row.items() if v == "overseen"} <= {"TA Civil Society Reviewer"}, doctype


def test_overseen_records_name_their_programme():
	for doctype, row in A.VISIBILITY.items():
		if "overseen" in row.values():
			parent = A.CHILDREN.get(doctype, (doctype,))[0]
			fields = {f["fieldname"]: f for f in DOCTYPES[parent][1]["fields"]}
			assert fields["programme"]["options"] == "TA Programme", doctype


def test_child_tables_are_declared_with_their_parent_field():
	children = {name for name, (_p, meta) in DOCTYPES.items() if meta.get("istable")}
	assert set(A.CHILDREN) == children
	for child, (parent, field) in A.CHILDREN.items():
		fields = {f["fieldname"]: f for f in DOCTYPES[parent][1]["fields"]}
		assert fields[field]["fieldtype"] in ("Table", "Table MultiSelect") and fields[field]["options"] == child, (child, parent, field)


@pytest.mark.parametrize("doctype", sorted(d for d, (_p, m) in DOCTYPES.items() if not m.get("istable")))
def test_role_permissions_grant_read_exactly_where_the_table_says(doctype):
	meta = DOCTYPES[doctype][1]
	readers = {p["role"] for p in meta.get("permissions", []) if p.get("read") and not p.get("permlevel")}
	for role in A.ROLES:
		if role == "Guest":
			assert role not in readers
			continue
		assert (role in readers) == (A.VISIBILITY[doctype][role] != "none"), (doctype, role)


def test_a_child_never_shows_more_than_its_parent():
	order = {"none": 0, "own": 1, "funded": 1, "overseen": 1, "all": 2}
	for child, (parent, _field) in A.CHILDREN.items():
		for role in A.ROLES:
			assert order[A.VISIBILITY[child][role]] <= order[A.VISIBILITY[parent][role]], (child, role)


def test_server_owned_fields_exist():
	for doctype, fields in A.SERVER_OWNED.items():
		names = {f["fieldname"] for f in DOCTYPES[doctype][1]["fields"]}
		assert set(fields) <= names, (doctype, set(fields) - names)


SHORT = {
	"TA Administrator": "Admin",
	"TA Programme Manager": "Manager",
	"TA Programme Officer": "Officer",
	"TA OHCHR Reviewer": "OHCHR",
	"TA Civil Society Reviewer": "Civil society",
	"TA M&E Officer": "M&E",
	"TA Donor": "Donor",
	"Guest": "Guest",
}


def visibility_markdown() -> str:
	"""The declared table as README shows it (rows: doctypes; child tables indented under their parent)."""
	lines = ["| doctype | " + " | ".join(SHORT[r] for r in A.ROLES) + " |", "|---" * (len(A.ROLES) + 1) + "|"]
	parents = [d for d in A.VISIBILITY if d not in A.CHILDREN]
	for parent in parents:
		for doctype in [parent, *[c for c, (p, _f) in A.CHILDREN.items() if p == parent]]:
			label = f"↳ {doctype}" if doctype in A.CHILDREN else doctype
			lines.append(f"| {label} | " + " | ".join(A.VISIBILITY[doctype][r] for r in A.ROLES) + " |")
	return "\n".join(lines)


def test_readme_shows_the_declared_table():
	readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
	assert visibility_markdown() in readme, "README 'Security' must show core.access.VISIBILITY (tests/static/test_access.py)"


def test_no_role_may_share_a_record_of_the_app():
	"""Sharing would hand out read or write rights the declared tables forbid."""
	for doctype, (_p, meta) in DOCTYPES.items():
		assert not any(p.get("share") for p in meta.get("permissions", [])), doctype


@pytest.mark.parametrize("doctype", ["TA Follow-up Link", "TA Concern Key"])
def test_secret_link_hashes_are_written_by_no_role_and_read_by_administrators_only(doctype):
	meta = DOCTYPES[doctype][1]
	assert {p["role"] for p in meta["permissions"] if p.get("read")} <= {"TA Administrator", "System Manager"}
	assert not any(p.get(k) for p in meta["permissions"] for k in ("write", "create", "import", "export", "report"))
	assert not meta.get("track_changes"), "a version history would record when a link was used"


def test_the_delivery_rollup_is_read_by_system_managers_only_and_written_by_no_role():
	"""The delivery rollup (the sums behind the transparency reports) is read through the reports,
	which apply each reader's rule; as a table no TA role reads it (a donor would see the figures
	of programmes it does not fund), and no role writes it: the server keeps it (ta_programmes.rollup)."""
	meta = DOCTYPES["TA Delivery Rollup"][1]
	assert {p["role"] for p in meta["permissions"] if p.get("read")} == {"System Manager"}
	assert not any(
		p.get(k) for p in meta["permissions"] for k in ("write", "create", "delete", "import", "export", "report", "submit")
	)
	assert set(A.VISIBILITY["TA Delivery Rollup"].values()) == {"none"}
	assert set(A.SERVER_OWNED["TA Delivery Rollup"]) == set(meta["field_order"])
	assert not meta.get("track_changes") and not meta.get("allow_import")
