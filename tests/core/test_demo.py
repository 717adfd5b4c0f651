"""The demo dataset's checks: the shipped dataset passes, and each malformation is named."""

import json
from datetime import date
from pathlib import Path

import pytest
from ta_programmes.core import demo
from ta_programmes.core.errors import InvalidDemoData

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


def shipped() -> tuple[str, dict[str, str]]:
	return (DEMO / "manifest.json").read_text(), {n: (DEMO / n).read_text() for n in demo.ORDER}


def test_shipped_dataset_is_valid_and_has_the_promised_size():
	manifest, files = shipped()
	data = demo.prepare(manifest, files, date(2026, 11, 1))
	assert len(data["states.json"]) == 25
	assert {s["regional_group"] for s in data["states.json"]} == set(demo.C.REGIONAL_GROUPS)
	assert len(data["donors.json"]) == 8
	assert len(data["partners.json"]) == 15
	assert {"Academia", "Civil Society"} <= {p["sector"] for p in data["partners.json"]}
	assert len(data["trainers.json"]) == 40
	assert len(data["programmes.json"]) == 30
	assert {p["status"] for p in data["programmes.json"]} == set(demo.C.PROGRAMME_STATUSES)
	assert 250 <= len(data["activities.json"]) <= 350
	roles = {r for u in data["users.json"] for r in u["roles"]}
	assert {"TA Programme Officer", "TA Programme Manager", "TA OHCHR Reviewer", "TA Civil Society Reviewer",
			"TA M&E Officer", "TA Donor", "TA Administrator"} <= roles


def test_dates_are_shifted_to_the_loading_day():
	manifest, files = shipped()
	anchor = demo.prepare(manifest, files, date(2026, 11, 1))
	later = demo.prepare(manifest, files, date(2026, 11, 11))
	a, b = anchor["programmes.json"][0], later["programmes.json"][0]
	assert (date.fromisoformat(b["planned_start"]) - date.fromisoformat(a["planned_start"])).days == 10
	assert later["activities.json"][0]["start"][11:] == anchor["activities.json"][0]["start"][11:]


def test_shipped_trainers_are_never_double_booked():
	manifest, files = shipped()
	from datetime import datetime, timedelta

	by_trainer: dict[str, list] = {}
	for act in demo.prepare(manifest, files, date(2026, 11, 1))["activities.json"]:
		for t in act["trainers"]:
			by_trainer.setdefault(t["trainer"], []).append(
				(datetime.fromisoformat(act["start"]), datetime.fromisoformat(act["end"]))
			)
	for spans in by_trainer.values():
		spans.sort()
		for (_, e1), (s2, _) in zip(spans, spans[1:]):
			assert s2 >= e1 + timedelta(hours=48)


def test_sessions_shift_with_the_dataset_and_span_their_activity():
	manifest, files = shipped()
	anchor = demo.prepare(manifest, files, date(2026, 11, 1))["activities.json"]
	later = demo.prepare(manifest, files, date(2026, 11, 11))["activities.json"]
	from datetime import datetime, timedelta

	assert all(a.get("sessions") for a in anchor), "every demo activity has its sessions"
	for a, b in zip(anchor, later, strict=True):
		sessions = [(datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])) for s in a["sessions"]]
		assert (sessions[0][0], sessions[-1][1]) == (datetime.fromisoformat(a["start"]), datetime.fromisoformat(a["end"]))
		assert all(s < e for s, e in sessions) and all(e1 <= s2 for (_, e1), (s2, _) in zip(sessions, sessions[1:], strict=False))
		assert len({s["session_label"] for s in a["sessions"]}) == len(a["sessions"])
		moved = [datetime.fromisoformat(s["start"]) for s in b["sessions"]]
		assert [m - s for m, (s, _) in zip(moved, sessions, strict=True)] == [timedelta(days=10)] * len(sessions)


def test_programmes_read_like_real_ones():
	"""Titles name a purpose and the states they serve (no generated numbering), activities go to
	those states, and every reviewed programme explains its risk with a mitigation per theme."""
	import re

	manifest, files = shipped()
	data = demo.prepare(manifest, files, date(2026, 11, 1))
	titles = [p["title"] for p in data["programmes.json"]]
	assert len(set(titles)) == len(titles)
	for p in data["programmes.json"]:
		assert not re.search(r"\(\d+\)", p["title"]), p["title"]
		for s in p["beneficiary_states"]:
			assert s["beneficiary_state"].split(",")[0] in p["title"], (p["key"], s["beneficiary_state"])
		assert all(p.get(f"title_{lang}") for lang in ("fr", "es", "ar")), p["key"]
		# Data fields hold 140 characters; tests add markers such as " _partial" to demo titles
		assert len(p["title"]) <= 125 and all(len(p[f"title_{lang}"]) <= 140 for lang in ("fr", "es", "ar")), p["key"]
		assert len(p["objectives"]) > 100 and p.get("description") and p.get("summary"), p["key"]
		review = p.get("review")
		if review:
			assert len(review["mitigations"]) >= len(p["thematic_areas"]) and review["risks"], p["key"]
	states = {p["key"]: {s["beneficiary_state"] for s in p["beneficiary_states"]} for p in data["programmes.json"]}
	for a in data["activities.json"]:
		assert a["beneficiary_state"] in states[a["programme"]], a["title"]
		assert len(a["title"]) <= 125 and all(len(s["session_label"]) <= 140 for s in a["sessions"]), a["title"]
		assert not re.search(r"\(\w+, \d+\)$", a["title"]), a["title"]


def test_no_demo_activity_where_the_founded_concern_holds_new_ones():
	"""A founded concern holds new activities in its state and theme: the dataset must load again
	beside the one it ships (the loader's rollback test re-creates every activity)."""
	manifest, files = shipped()
	data = demo.prepare(manifest, files, date(2026, 11, 1))
	held = {(c["beneficiary_state"], c.get("thematic_area")) for c in data["concerns.json"] if c.get("outcome") == "Founded"}
	assert held and all(theme for _state, theme in held), "the demo's founded concern names a theme"
	assert not [a["title"] for a in data["activities.json"] if (a["beneficiary_state"], a["thematic_area"]) in held]


def _broken(filename: str, mutate) -> tuple[str, dict[str, str]]:
	manifest, files = shipped()
	rows = json.loads(files[filename])
	mutate(rows)
	files[filename] = json.dumps(rows)
	return manifest, files


@pytest.mark.parametrize(
	"filename, mutate, message",
	[
		("states.json", lambda r: r[2].pop("regional_group"), "states.json, row 3: regional_group is required."),
		("states.json", lambda r: r[0].update(regional_group="Arctic"), "states.json, row 1: regional_group must be one of"),
		("trainers.json", lambda r: r[4].update(daily_rate="lots"), "trainers.json, row 5: daily_rate has the wrong type"),
		("trainers.json", lambda r: r[4].update(nickname="x"), "trainers.json, row 5: unknown field nickname"),
		("programmes.json", lambda r: r[1].update(planned_start="31/12/2026"), "programmes.json, row 2: planned_start"),
		("programmes.json", lambda r: r[3].update(key=r[0]["key"]), "programmes.json, row 4: key P01 repeats row 1."),
		("activities.json", lambda r: r[9].update(programme="P99"), "activities.json, row 10: programme P99 is not in programmes.json."),
		("donors.json", lambda r: r[0].update(users=["ghost@nowhere"]), "donors.json, row 1: users ghost@nowhere"),
		("activities.json", lambda r: r[0].update(planned_participants=True), "activities.json, row 1: planned_participants must be a number"),
		("activities.json", lambda r: r[2]["sessions"].append({"start": "tomorrow", "end": "2026-11-02 17:00"}), "activities.json, row 3: sessions 2 start tomorrow is not a date and time"),
		("activities.json", lambda r: r[2]["sessions"][0].pop("end"), "activities.json, row 3: sessions 1 needs end."),
	],
)
def test_each_malformation_is_named_with_file_and_row(filename, mutate, message):
	manifest, files = _broken(filename, mutate)
	with pytest.raises(InvalidDemoData) as e:
		demo.prepare(manifest, files, date(2026, 11, 1))
	assert message in str(e.value)


def test_invalid_json_names_the_line():
	manifest, files = shipped()
	files["partners.json"] = '[\n {"organisation_name": "X",\n "sector": }\n]'
	with pytest.raises(InvalidDemoData, match=r"partners.json, line 3: not valid JSON"):
		demo.prepare(manifest, files, date(2026, 11, 1))


def test_missing_file_and_bad_manifest():
	manifest, files = shipped()
	del files["donors.json"]
	with pytest.raises(InvalidDemoData, match="donors.json: the file is missing"):
		demo.prepare(manifest, files, date(2026, 11, 1))
	with pytest.raises(InvalidDemoData, match="anchor_date"):
		demo.prepare('{"files": []}', shipped()[1], date(2026, 11, 1))
