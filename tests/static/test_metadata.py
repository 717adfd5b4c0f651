"""Static checks of the app's metadata, needing no framework.

Every doctype JSON parses and names its module; every Link/Table target exists in the app or in
Frappe core; every doctype has its controller class; Select options agree with core constants;
roles named in permissions are shipped; hooks point at functions that exist; fixtures parse.
"""

import ast
import json
from pathlib import Path

import pytest
from ta_programmes.core import constants as C

APP = Path(__file__).resolve().parents[2] / "apps" / "ta_programmes" / "ta_programmes"
MODULE = "Technical Assistance"
# Frappe core doctypes the app may point at.
FRAPPE_DOCTYPES = {"User", "Country", "Currency", "Language", "Role", "DocType", "File"}


def doctype_files():
	return sorted(APP.glob("*/doctype/*/*.json"))


DOCTYPES = {json.loads(p.read_text())["name"]: (p, json.loads(p.read_text())) for p in doctype_files()}


def scrub(name: str) -> str:
	return name.lower().replace(" ", "_").replace("-", "_")


def test_there_are_doctypes_and_all_carry_the_prefix():
	assert len(DOCTYPES) >= 17
	assert all(name.startswith("TA ") for name in DOCTYPES)


@pytest.mark.parametrize("name", sorted(DOCTYPES))
def test_doctype_is_well_formed(name):
	path, meta = DOCTYPES[name]
	assert meta["doctype"] == "DocType"
	assert meta["module"] == MODULE
	assert path.stem == scrub(name) == path.parent.name
	assert [f["fieldname"] for f in meta["fields"]] == meta["field_order"]
	assert len(set(meta["field_order"])) == len(meta["field_order"]), "duplicate fieldname"
	for f in meta["fields"]:
		if f["fieldtype"] in ("Link", "Table", "Table MultiSelect"):
			target = f.get("options")
			assert target in DOCTYPES or target in FRAPPE_DOCTYPES, f"{name}.{f['fieldname']} -> {target}"
			if f["fieldtype"] != "Link":
				assert DOCTYPES[target][1].get("istable"), f"{target} must be a child table"
		if f["fieldtype"] == "Table MultiSelect":
			links = [c for c in DOCTYPES[f["options"]][1]["fields"] if c["fieldtype"] == "Link"]
			assert len(links) == 1, f"{f['options']} needs exactly one Link for Table MultiSelect"
		if f.get("fetch_from"):
			link, _, remote = f["fetch_from"].partition(".")
			link_field = next(x for x in meta["fields"] if x["fieldname"] == link)
			target = link_field["options"]
			if target in DOCTYPES:
				assert remote in DOCTYPES[target][1]["field_order"], f"{name}.{f['fieldname']} fetches {target}.{remote}"
	if not meta.get("istable"):
		assert meta["permissions"], f"{name} has no permissions"
	if meta.get("title_field"):
		assert meta["title_field"] in meta["field_order"]


@pytest.mark.parametrize("name", sorted(DOCTYPES))
def test_doctype_has_its_controller(name):
	path, _ = DOCTYPES[name]
	controller = path.with_suffix(".py")
	assert controller.exists(), f"{controller} missing"
	tree = ast.parse(controller.read_text())
	classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
	assert name.replace(" ", "").replace("-", "") in classes
	assert (path.parent / "__init__.py").exists()


SELECTS = [
	("TA Beneficiary State", "regional_group", C.REGIONAL_GROUPS),
	("TA Beneficiary State", "hr_risk_rating", C.RISK_LEVELS),
	("TA Beneficiary State", "status", C.STATE_STATUSES),
	("TA Donor", "donor_type", C.DONOR_TYPES),
	("TA Partner Organisation", "sector", C.SECTORS),
	("TA Thematic Area", "category", C.THEME_CATEGORIES),
	("TA Trainer", "vetting_status", C.VETTING_STATUSES),
	("TA Programme", "status", C.PROGRAMME_STATUSES),
	("TA Activity", "activity_type", C.ACTIVITY_TYPES),
	("TA Activity", "institution_type", C.INSTITUTION_TYPES),
	("TA Activity", "delivery_mode", C.DELIVERY_MODES),
	("TA Activity", "status", C.ACTIVITY_STATUSES),
	("TA Activity Trainer", "role", C.TRAINER_ROLES),
	("TA Donor", "iati_org_type", tuple(C.IATI_ORGANISATION_TYPES)),
]


@pytest.mark.parametrize("doctype, fieldname, values", SELECTS)
def test_select_options_agree_with_core(doctype, fieldname, values):
	field = next(f for f in DOCTYPES[doctype][1]["fields"] if f["fieldname"] == fieldname)
	options = [o for o in field["options"].split("\n") if o]
	assert tuple(options) == tuple(values)


def test_roles_in_permissions_are_shipped_as_fixtures():
	shipped = {r["name"] for r in json.loads((APP / "fixtures" / "role.json").read_text())}
	assert shipped == {
		"TA Programme Officer", "TA Programme Manager", "TA OHCHR Reviewer", "TA Civil Society Reviewer",
		"TA M&E Officer", "TA Donor", "TA Administrator",
	}
	used = {p["role"] for _, meta in DOCTYPES.values() for p in meta.get("permissions", [])}
	assert used - {"System Manager"} <= shipped


def test_reviewers_and_donors_cannot_write_programmes_or_activities():
	for doctype in ("TA Programme", "TA Activity"):
		perms = {p["role"]: p for p in DOCTYPES[doctype][1]["permissions"]}
		for role in ("TA OHCHR Reviewer", "TA Civil Society Reviewer", "TA M&E Officer", "TA Donor"):
			assert not any(perms[role].get(k) for k in ("write", "create", "delete", "submit")), (doctype, role)


def test_donors_cannot_see_trainers_or_partners():
	for doctype in ("TA Trainer", "TA Partner Organisation"):
		assert "TA Donor" not in {p["role"] for p in DOCTYPES[doctype][1]["permissions"]}


def _hook_targets():
	tree = ast.parse((APP / "hooks.py").read_text())
	for node in tree.body:
		if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Dict, ast.Constant)):
			values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
			for v in values:
				if isinstance(v, ast.Constant) and isinstance(v.value, str) and v.value.startswith("ta_programmes."):
					yield v.value


@pytest.mark.parametrize("target", sorted(set(_hook_targets())))
def test_hook_targets_exist(target):
	module, _, func = target.rpartition(".")
	source = APP.parent / (module.replace(".", "/") + ".py")
	assert source.exists(), source
	names = {n.name for n in ast.parse(source.read_text()).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
	assert func in names


# Frappe's own doctypes that the workspace shows to System Managers (the scheduler's health, logs).
DESK_DOCTYPES = {"Scheduled Job Type", "Scheduled Job Log", "Error Log", "Log Settings", "System Health Report"}


def test_fixtures_and_dashboards_parse_and_refer_to_real_things():
	for path in APP.glob("fixtures/*.json"):
		json.loads(path.read_text())
	cards = {}
	for path in APP.glob("*/number_card/*/*.json"):
		card = json.loads(path.read_text())
		cards[card["name"]] = card
		if card["type"] == "Document Type":
			assert card["document_type"] in DOCTYPES
		if card["type"] == "Custom":
			# Frappe shows a card only to users who may read its document type, Custom cards too:
			# without one, nobody but a System Manager sees it.
			assert card["document_type"] in DOCTYPES.keys() | DESK_DOCTYPES, f"{card['name']} needs a document_type"
			module, _, func = card["method"].rpartition(".")
			src = APP.parent / (module.replace(".", "/") + ".py")
			assert func in src.read_text()
	for ws_path in APP.glob("technical_assistance/workspace/*/*.json"):
		check_workspace(json.loads(ws_path.read_text()), cards)


def check_workspace(ws: dict, cards: dict) -> None:
	for row in ws["number_cards"]:
		assert row["number_card_name"] in cards
	reports = {json.loads(p.read_text())["name"] for p in APP.glob("*/report/*/*.json")}
	for link in ws["links"]:
		if link["type"] == "Link" and link["link_type"] == "DocType":
			assert link["link_to"] in DOCTYPES.keys() | DESK_DOCTYPES
		if link["type"] == "Link" and link["link_type"] == "Report":
			assert link["link_to"] in reports
	for shortcut in ws["shortcuts"]:
		assert shortcut["link_to"] in (DOCTYPES.keys() | reports), shortcut
	for block in json.loads(ws["content"]):
		if block["type"] == "number_card":
			assert block["data"]["number_card_name"] in {r["label"] for r in ws["number_cards"]}
		if block["type"] == "shortcut":
			assert block["data"]["shortcut_name"] in {s["label"] for s in ws["shortcuts"]}


def test_modules_txt_names_the_module():
	assert (APP / "modules.txt").read_text().split("\n")[0].strip() == MODULE
	assert (APP / scrub(MODULE) / "__init__.py").exists()


def test_core_never_imports_frappe():
	for path in (APP / "core").rglob("*.py"):
		tree = ast.parse(path.read_text())
		for node in ast.walk(tree):
			if isinstance(node, ast.Import):
				assert not any(a.name.split(".")[0] == "frappe" for a in node.names), path
			if isinstance(node, ast.ImportFrom):
				assert (node.module or "").split(".")[0] != "frappe", path


@pytest.mark.parametrize("name", sorted(DOCTYPES))
def test_controller_methods_belong_to_the_class(name):
	"""A method (first parameter ``self``) outside the controller class is a misplaced method."""
	tree = ast.parse(DOCTYPES[name][0].with_suffix(".py").read_text())
	for node in tree.body:
		if isinstance(node, ast.FunctionDef):
			for inner in ast.walk(node):
				if isinstance(inner, ast.FunctionDef) and inner.args.args and inner.args.args[0].arg == "self":
					raise AssertionError(f"{name}: {inner.name}(self, ...) is outside the controller class")


def test_the_tracked_bench_config_is_written_as_frappe_writes_it():
	"""`.ci/setup` makes the repository a bench, and bench/Frappe rewrite sites/common_site_config.json
	(json.dumps, indent 1, sorted keys, no final newline) whenever a setting is set: the tracked file is
	in exactly that form, so the checkout stays clean after the setup."""
	path = APP.parents[2] / "sites" / "common_site_config.json"
	text = path.read_text()
	assert text == json.dumps(json.loads(text), indent=1, sort_keys=True)
