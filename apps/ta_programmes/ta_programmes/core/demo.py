"""Checks and prepares the demo dataset before anything is written.

The dataset is a folder of JSON files named in ``manifest.json``. :func:`prepare` parses every
file, checks every record's fields, vocabularies and cross-file references, and shifts dates
so that the dataset's anchor date falls on the loading day. Any problem raises
:class:`InvalidDemoData` naming the file and the record (row, counted from 1), so that nothing
is loaded from a malformed dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import constants as C
from .errors import InvalidDemoData
from .i18n import _

ORDER = (
	"users.json",
	"partners.json",
	"states.json",
	"donors.json",
	"trainers.json",
	"programmes.json",
	"activities.json",
	"results.json",
	"concerns.json",
	"oversight.json",
)
# Files a dataset may leave out (read as empty).
OPTIONAL_FILES = ("results.json", "concerns.json", "oversight.json")


@dataclass(frozen=True)
class Spec:
	required: dict[str, type | tuple[type, ...]]
	optional: dict[str, type | tuple[type, ...]] = field(default_factory=dict)
	choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
	dates: tuple[str, ...] = ()
	datetimes: tuple[str, ...] = ()
	# List fields whose items carry date-times of their own (e.g. an activity's sessions).
	nested_datetimes: dict[str, tuple[str, ...]] = field(default_factory=dict)


NUM = (int, float)
OPT_STR = (str, type(None))

SPECS: dict[str, Spec] = {
	"users.json": Spec({"email": str, "first_name": str, "roles": list}, {"last_name": OPT_STR}),
	"partners.json": Spec(
		{"organisation_name": str, "sector": str},
		{"short_name": OPT_STR, "regional_group": OPT_STR, "country": OPT_STR, "accredited_for_oversight": bool,
		 "accredited_on": OPT_STR, "reviewers": list},
		{"sector": C.SECTORS, "regional_group": C.REGIONAL_GROUPS},
		dates=("accredited_on",),
	),
	"states.json": Spec(
		{"country": str, "regional_group": str},
		{"time_zone": OPT_STR, "status": str, "hr_risk_rating": OPT_STR, "risk_rated_on": OPT_STR,
		 "risk_source": OPT_STR, "institutions": list},
		{"regional_group": C.REGIONAL_GROUPS, "status": C.STATE_STATUSES, "hr_risk_rating": C.RISK_LEVELS},
		dates=("risk_rated_on",),
	),
	"donors.json": Spec(
		{"donor_name": str, "donor_type": str},
		{"country": OPT_STR, "iati_org_id": OPT_STR, "users": list},
		{"donor_type": C.DONOR_TYPES},
	),
	"trainers.json": Spec(
		{"email": str, "full_name": str, "vetting_status": str},
		{"organisation": OPT_STR, "expertise": list, "languages": list, "home_time_zone": OPT_STR,
		 "vetting_date": OPT_STR, "daily_rate": NUM, "rate_currency": OPT_STR, "consent_public_profile": bool,
		 "public_bio": OPT_STR, "active": bool, "conflict_declarations": list},
		{"vetting_status": C.VETTING_STATUSES},
		dates=("vetting_date",),
	),
	"programmes.json": Spec(
		{"key": str, "title": str, "lead_agency": str, "programme_officer": str, "status": str, "planned_start": str,
		 "planned_end": str, "objectives": str, "beneficiary_states": list, "thematic_areas": list},
		{"currency": OPT_STR, "description": OPT_STR, "partners": list, "funding_lines": list, "review": dict,
		 "signoffs": list, "overrides": list, "suspension_reason": OPT_STR, "summary": OPT_STR,
		 "title_fr": OPT_STR, "title_es": OPT_STR, "title_ar": OPT_STR,
		 "summary_fr": OPT_STR, "summary_es": OPT_STR, "summary_ar": OPT_STR},
		{"status": C.PROGRAMME_STATUSES},
		dates=("planned_start", "planned_end"),
	),
	"activities.json": Spec(
		{"programme": str, "title": str, "activity_type": str, "thematic_area": str, "beneficiary_state": str,
		 "delivery_mode": str, "start": str, "end": str, "status": str},
		{"institution_type": OPT_STR, "venue": OPT_STR, "city": OPT_STR, "online_link": OPT_STR, "language": OPT_STR,
		 "includes_hr_module": bool, "trainers": list, "planned_participants": int, "actual_participants": int,
		 "participants_women": int, "participants_men": int, "participants_other": int, "time_zone": OPT_STR,
		 "sessions": list},
		{"activity_type": C.ACTIVITY_TYPES, "delivery_mode": C.DELIVERY_MODES, "status": C.ACTIVITY_STATUSES,
		 "institution_type": C.INSTITUTION_TYPES},
		datetimes=("start", "end"),
		nested_datetimes={"sessions": ("start", "end")},
	),
	# Monitoring and evaluation, per programme. Dates are days relative to the programme's planned
	# start and indicator periods are programme years, so that shifting the dataset keeps them whole.
	"results.json": Spec({"programme": str}, {"needs": list, "framework": list, "learning": list, "impact_review": dict}),
	# Concern reports at each stage of their triage.
	"concerns.json": Spec(
		{"key": str, "stage": str, "received": str, "subject": str, "what_happened": str},
		{
			"programme": OPT_STR, "beneficiary_state": OPT_STR, "trained_unit": OPT_STR, "thematic_area": OPT_STR,
			"contact_name": OPT_STR, "contact_email": OPT_STR, "added": list, "outcome": OPT_STR, "reasons": OPT_STR,
			"acknowledged": OPT_STR, "assessed": OPT_STR,
		},
		{"stage": ("Received", "Acknowledged", "Assessed"), "outcome": ("Unfounded", "Founded", "Inconclusive")},
		dates=("received", "acknowledged", "assessed"),
	),
	# Regional balance and open oversight: oversight meetings (record "Meeting") and accreditation
	# applications (record "Application"), pending or decided by a programme manager.
	"oversight.json": Spec(
		{"key": str, "record": str},
		{
			"title": OPT_STR, "date": OPT_STR, "mode": OPT_STR, "city": OPT_STR, "country": OPT_STR, "regional_group": OPT_STR,
			"participants": list, "decisions": OPT_STR, "minutes": OPT_STR, "organisation_name": OPT_STR, "sector": OPT_STR,
			"website": OPT_STR, "contact_name": OPT_STR, "contact_email": OPT_STR, "mandate": OPT_STR,
			"independence_statement": OPT_STR, "decision": OPT_STR, "reason": OPT_STR, "decided_by": OPT_STR,
		},
		{
			"record": ("Meeting", "Application"), "mode": C.MEETING_MODES, "regional_group": C.REGIONAL_GROUPS,
			"sector": C.OVERSIGHT_SECTORS, "decision": C.ACCREDITATION_STATUSES[1:],
		},
		dates=("date",),
	),
}

# Cross-file references: (file, field, target file, target key); for list fields every item counts.
REFERENCES = (
	("donors.json", "users", "users.json", "email"),
	("partners.json", "reviewers", "users.json", "email"),
	("trainers.json", "organisation", "partners.json", "organisation_name"),
	("programmes.json", "lead_agency", "partners.json", "organisation_name"),
	("programmes.json", "programme_officer", "users.json", "email"),
	("activities.json", "programme", "programmes.json", "key"),
	("results.json", "programme", "programmes.json", "key"),
	("concerns.json", "programme", "programmes.json", "key"),
	("concerns.json", "beneficiary_state", "states.json", "country"),
	("oversight.json", "decided_by", "users.json", "email"),
)

# Natural keys that must be unique within their file.
KEYS = {
	"users.json": "email",
	"partners.json": "organisation_name",
	"states.json": "country",
	"donors.json": "donor_name",
	"trainers.json": "email",
	"programmes.json": "key",
	"results.json": "programme",
	"concerns.json": "key",
	"oversight.json": "key",
}


def prepare(manifest_text: str, files: dict[str, str], today: date) -> dict[str, list[dict]]:
	"""Parse, check and date-shift the dataset; returns records per file in load order."""
	manifest = _parse("manifest.json", manifest_text)
	if not isinstance(manifest, dict) or "anchor_date" not in manifest:
		raise InvalidDemoData(_("{0}: expected an object with anchor_date and files."), "manifest.json") from None
	try:
		anchor = date.fromisoformat(manifest["anchor_date"])
	except (TypeError, ValueError):
		raise InvalidDemoData(_("{0}: anchor_date {1} is not a date (YYYY-MM-DD)."), "manifest.json", manifest["anchor_date"]) from None
	listed = manifest.get("files") or []
	unknown = [f for f in listed if f not in SPECS]
	if unknown:
		raise InvalidDemoData(_("{0}: unknown file {1}; known files are {2}."), "manifest.json", unknown[0], ", ".join(ORDER)) from None
	files = {**{f: "[]" for f in OPTIONAL_FILES}, **files}
	missing = [f for f in ORDER if f not in files]
	if missing:
		raise InvalidDemoData(_("{0}: the file is missing from the dataset."), missing[0]) from None

	shift = timedelta(days=(today - anchor).days)
	data: dict[str, list[dict]] = {}
	for name in ORDER:
		rows = _parse(name, files[name])
		if not isinstance(rows, list):
			raise InvalidDemoData(_("{0}: expected a list of records."), name) from None
		for row_no, row in enumerate(rows, start=1):
			_check_record(name, row_no, row)
			_shift(name, row_no, row, SPECS[name], shift)
		_check_unique(name, rows)
		data[name] = rows
	for source, fieldname, target, key in REFERENCES:
		known = {r.get(key) for r in data[target]}
		for row_no, row in enumerate(data[source], start=1):
			values = row.get(fieldname)
			for value in values if isinstance(values, list) else [values]:
				if value and value not in known:
					raise InvalidDemoData(
						_("{0}, row {1}: {2} {3} is not in {4}."), source, row_no, fieldname, value, target
					)
	return data


def _parse(name: str, text: str):
	try:
		return json.loads(text)
	except json.JSONDecodeError as e:
		raise InvalidDemoData(_("{0}, line {1}: not valid JSON ({2})."), name, e.lineno, e.msg) from None


def _check_record(name: str, row_no: int, row: object) -> None:
	spec = SPECS[name]
	if not isinstance(row, dict):
		raise InvalidDemoData(_("{0}, row {1}: expected an object."), name, row_no) from None
	for key, kind in spec.required.items():
		if row.get(key) in (None, "", []):
			raise InvalidDemoData(_("{0}, row {1}: {2} is required."), name, row_no, key) from None
		_check_type(name, row_no, key, row[key], kind)
	for key, value in row.items():
		if key in spec.required:
			continue
		if key not in spec.optional:
			raise InvalidDemoData(_("{0}, row {1}: unknown field {2}."), name, row_no, key) from None
		_check_type(name, row_no, key, value, spec.optional[key])
	for key, allowed in spec.choices.items():
		value = row.get(key)
		if value not in (None, "") and value not in allowed:
			raise InvalidDemoData(
				_("{0}, row {1}: {2} must be one of {3}, not {4}."), name, row_no, key, ", ".join(allowed), value
			)


def _check_type(name: str, row_no: int, key: str, value: object, kind) -> None:
	if value is None and (kind is OPT_STR or (isinstance(kind, tuple) and type(None) in kind)):
		return
	if value is None:
		return
	if isinstance(value, bool) and kind in (int, NUM):
		raise InvalidDemoData(_("{0}, row {1}: {2} must be a number."), name, row_no, key) from None
	if not isinstance(value, kind):
		raise InvalidDemoData(_("{0}, row {1}: {2} has the wrong type ({3})."), name, row_no, key, type(value).__name__) from None


def _shift(name: str, row_no: int, row: dict, spec: Spec, shift: timedelta) -> None:
	for key in spec.dates:
		if row.get(key):
			try:
				row[key] = (date.fromisoformat(row[key]) + shift).isoformat()
			except ValueError:
				raise InvalidDemoData(_("{0}, row {1}: {2} {3} is not a date (YYYY-MM-DD)."), name, row_no, key, row[key]) from None
	for key in spec.datetimes:
		if row.get(key):
			row[key] = _shift_datetime(name, row_no, key, row[key], shift)
	for key, fields in spec.nested_datetimes.items():
		for item_no, item in enumerate(row.get(key) or [], start=1):
			if not isinstance(item, dict):
				raise InvalidDemoData(_("{0}, row {1}: {2} {3} must be an object."), name, row_no, key, item_no) from None
			for f in fields:
				if not item.get(f):
					raise InvalidDemoData(_("{0}, row {1}: {2} {3} needs {4}."), name, row_no, key, item_no, f) from None
				item[f] = _shift_datetime(name, row_no, f"{key} {item_no} {f}", item[f], shift)


def _shift_datetime(name: str, row_no: int, label: str, value, shift: timedelta) -> str:
	try:
		return (datetime.fromisoformat(value) + shift).isoformat(sep=" ")
	except (TypeError, ValueError):
		raise InvalidDemoData(
			_("{0}, row {1}: {2} {3} is not a date and time (YYYY-MM-DD HH:MM)."), name, row_no, label, value
		) from None


def _check_unique(name: str, rows: list[dict]) -> None:
	key = KEYS.get(name)
	if not key:
		return
	seen: dict[str, int] = {}
	for row_no, row in enumerate(rows, start=1):
		value = row.get(key)
		if value in seen:
			raise InvalidDemoData(_("{0}, row {1}: {2} {3} repeats row {4}."), name, row_no, key, value, seen[value]) from None
		seen[value] = row_no
