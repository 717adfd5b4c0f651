"""Counts, straight from the demo dataset's JSON files, what the transparency outputs must show
once the demo is loaded — independently of the app's queries. Writes demo_figures.json here.

    python3 reports/golden/count_demo.py

Counted: activities with status Delivered under programmes that went through approval
(Approved, Active, Suspended, Completed).
"""

import json
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "fixtures" / "demo"
REPORTED = {"Approved", "Active", "Suspended", "Completed"}


def count() -> dict:
	programmes = {p["key"]: p for p in json.loads((DEMO / "programmes.json").read_text())}
	states = {s["country"]: s["regional_group"] for s in json.loads((DEMO / "states.json").read_text())}
	trainers = {t["email"]: t for t in json.loads((DEMO / "trainers.json").read_text())}
	partners = {p["organisation_name"]: p["sector"] for p in json.loads((DEMO / "partners.json").read_text())}
	categories = {
		"Legislative Drafting": "Enforcement", "Electronic Evidence & Mutual Legal Assistance": "Enforcement",
		"Digital Forensics": "Enforcement", "Judicial Training": "Enforcement", "Law-Enforcement Investigation": "Enforcement",
		"CERT / Incident Response": "Prevention", "Prevention & Awareness": "Prevention", "Victim Support": "Prevention",
		"Human-Rights & Data-Protection Safeguards": "Safeguards",
	}
	totals = defaultdict(float)
	by_state = defaultdict(lambda: defaultdict(int))
	by_group = defaultdict(lambda: defaultdict(int))
	by_category = defaultdict(lambda: defaultdict(int))
	for a in json.loads((DEMO / "activities.json").read_text()):
		if a["status"] != "Delivered" or programmes[a["programme"]]["status"] not in REPORTED:
			continue
		figures = {
			"activities": 1,
			"participants": a.get("actual_participants", 0),
			"women": a.get("participants_women", 0),
			"men": a.get("participants_men", 0),
			"other": a.get("participants_other", 0),
		}
		hours = sum(t["hours"] for t in a["trainers"])
		outside = sum(
			t["hours"] for t in a["trainers"]
			if partners.get(trainers[t["trainer"]]["organisation"]) in ("Academia", "Civil Society", "Private Sector")
		)
		for key, value in figures.items():
			totals[key] += value
			by_state[a["beneficiary_state"]][key] += value
			by_group[states[a["beneficiary_state"]]][key] += value
			by_category[categories[a["thematic_area"]]][key] += value
		totals["trainer_hours"] += hours
		totals["outside_hours"] += outside
	return {
		"programmes_reported": sum(1 for p in programmes.values() if p["status"] in REPORTED),
		"overrides": sum(len(p.get("overrides") or []) for p in programmes.values() if p["status"] in REPORTED),
		"totals": {k: int(v) for k, v in totals.items()},
		"by_state": {k: dict(v) for k, v in sorted(by_state.items())},
		"by_regional_group": {k: dict(v) for k, v in sorted(by_group.items())},
		"by_category": {k: dict(v) for k, v in sorted(by_category.items())},
	}


if __name__ == "__main__":
	(HERE / "demo_figures.json").write_text(json.dumps(count(), indent=1) + "\n")
	print((HERE / "demo_figures.json").read_text()[:400])
