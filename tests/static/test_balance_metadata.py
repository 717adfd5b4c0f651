"""The doctypes of regional balance and open oversight agree with core/constants.py, and their
public pieces are wired: the page's route, the web form, the report's roles."""

import json

import pytest
from ta_programmes.core import access as A
from ta_programmes.core import constants as C

from tests.static.test_metadata import APP, DOCTYPES


def options(doctype: str, field: str) -> tuple[str, ...]:
	f = next(f for f in DOCTYPES[doctype][1]["fields"] if f["fieldname"] == field)
	return tuple(o for o in f["options"].split("\n") if o)


@pytest.mark.parametrize(
	"doctype, field, values",
	[
		("TA Meeting Participant", "sector", C.MEETING_SECTORS),
		("TA Meeting Participant", "regional_group", C.REGIONAL_GROUPS),
		("TA Oversight Meeting", "mode", C.MEETING_MODES),
		("TA Oversight Meeting", "regional_group", C.REGIONAL_GROUPS),
		("TA Accreditation Application", "sector", C.OVERSIGHT_SECTORS),
		("TA Accreditation Application", "regional_group", C.REGIONAL_GROUPS),
		("TA Accreditation Application", "status", C.ACCREDITATION_STATUSES),
	],
)
def test_select_options_agree_with_the_constants(doctype, field, values):
	assert options(doctype, field) == tuple(values)


def test_the_accreditation_form_sends_no_decision_field_and_no_role_writes_applications():
	form = json.loads((APP / "technical_assistance/web_form/accreditation/accreditation.json").read_text())
	assert form["doc_type"] == "TA Accreditation Application" and form["anonymous"] and not form["allow_edit"]
	sent = {f["fieldname"] for f in form["web_form_fields"]}
	assert not sent & set(A.SERVER_OWNED["TA Accreditation Application"])
	assert not any(p.get("write") for p in DOCTYPES["TA Accreditation Application"][1]["permissions"])


def test_the_balance_report_is_for_the_readers_of_sign_offs():
	report = json.loads(
		(APP / "technical_assistance/report/ta_oversight_balance/ta_oversight_balance.json").read_text()
	)
	roles = {r["role"] for r in report["roles"]} - {"System Manager"}
	readers = {r for r in A.ROLES if A.VISIBILITY["TA Oversight Sign-off"][r] != "none"}
	assert roles == readers
	assert report["ref_doctype"] == "TA Oversight Sign-off"
