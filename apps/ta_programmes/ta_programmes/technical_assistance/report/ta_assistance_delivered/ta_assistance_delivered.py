"""TA Assistance Delivered: what was delivered, to whom, by whom and under what oversight,
per programme and beneficiary state. Aggregated in the database (see ta_programmes.transparency)."""

import frappe
from frappe import _
from frappe.utils import flt

from ta_programmes import transparency as T
from ta_programmes.api.args import report_never_raises
from ta_programmes.replica import reads_from_replica


@reads_from_replica
@report_never_raises
def execute(filters=None):
	f = T.Filters.from_dict(filters)
	f.programmes = T.visible_programmes()
	rows = T.cached("desk-report", {"filters": f.label(), "visible": f.programmes}, lambda: build_rows(f))
	return columns(), rows, None, chart(rows), summary(rows)


def build_rows(f: "T.Filters") -> list[dict]:
	delivered = {(r.programme, r.state): r for r in T.delivery_by(f, "programme", "state")}
	programmes = sorted({p for p, _s in delivered})
	budgets = T.state_budgets(programmes)
	overrides = T.overrides_by_programme(programmes)
	meta = {
		p.name: p
		for p in frappe.get_all(
			"TA Programme", filters={"name": ("in", programmes or [""])}, fields=["name", "title", "lead_agency", "currency"]
		)
	}
	groups = dict(frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True))
	rows = []
	for key in sorted(delivered, key=lambda k: (meta[k[0]].title, k[1])):
		d = h = delivered[key]
		trainer_hours = flt(h.trainer_hours)
		rows.append(
			{
				"programme": key[0],
				"title": meta[key[0]].title,
				"lead_agency": meta[key[0]].lead_agency,
				"beneficiary_state": key[1],
				"regional_group": groups.get(key[1]),
				"activities": d.activities,
				"women": int(d.women or 0),
				"men": int(d.men or 0),
				"other": int(d.other or 0),
				"participants": int(d.participants or 0),
				"trainer_hours": trainer_hours,
				"outside_share": round(100 * flt(h.outside_hours) / trainer_hours, 1) if trainer_hours else 0,
				"currency": meta[key[0]].currency,
				"budget": flt(budgets.get(key), 2),
				"spent": flt(h.fees, 2),
				"oversight_coverage": round(100 * flt(d.verified) / d.activities, 1) if d.activities else 0,
				"overrides": overrides.get(key[0], 0),
			}
		)
	return rows


def columns():
	def col(fieldname, label, fieldtype="Data", width=110, options=None):
		c = {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}
		if options:
			c["options"] = options
		return c

	return [
		col("programme", _("Programme"), "Link", 140, "TA Programme"),
		col("title", _("Title"), "Data", 240),
		col("beneficiary_state", _("Beneficiary State"), "Link", 140, "TA Beneficiary State"),
		col("regional_group", _("Regional Group"), "Data", 150),
		col("lead_agency", _("Lead Agency"), "Link", 160, "TA Partner Organisation"),
		col("activities", _("Activities Delivered"), "Int", 100),
		col("women", _("Women"), "Int", 80),
		col("men", _("Men"), "Int", 80),
		col("other", _("Other / Undisclosed"), "Int", 90),
		col("participants", _("Participants"), "Int", 100),
		col("trainer_hours", _("Trainer-Hours"), "Float", 100),
		col("outside_share", _("Outside Expertise (% of Hours)"), "Percent", 120),
		col("currency", _("Currency"), "Link", 80, "Currency"),
		col("budget", _("Budget (State Share)"), "Currency", 130, "currency"),
		col("spent", _("Spent (Trainer Fees)"), "Currency", 130, "currency"),
		col("oversight_coverage", _("Oversight Coverage (%)"), "Percent", 120),
		col("overrides", _("Objection Overrides"), "Int", 100),
	]


def totals(rows: list[dict]) -> dict:
	t = {k: sum(r[k] for r in rows) for k in ("activities", "women", "men", "other", "participants", "trainer_hours")}
	hours = t["trainer_hours"]
	t["outside_share"] = round(100 * sum(r["trainer_hours"] * r["outside_share"] / 100 for r in rows) / hours, 1) if hours else 0
	verified = sum(r["activities"] * r["oversight_coverage"] / 100 for r in rows)
	t["oversight_coverage"] = round(100 * verified / t["activities"], 1) if t["activities"] else 0
	t["overrides"] = sum({r["programme"]: r["overrides"] for r in rows}.values())
	return t


def summary(rows):
	t = totals(rows)
	return [
		{"value": t["activities"], "label": _("Activities Delivered"), "datatype": "Int", "indicator": "Blue"},
		{"value": t["participants"], "label": _("Participants"), "datatype": "Int", "indicator": "Green"},
		{"value": t["women"], "label": _("Women"), "datatype": "Int", "indicator": "Purple"},
		{"value": t["trainer_hours"], "label": _("Trainer-Hours"), "datatype": "Float", "indicator": "Blue"},
		{"value": t["outside_share"], "label": _("Outside Expertise (% of Hours)"), "datatype": "Percent", "indicator": "Orange"},
		{"value": t["oversight_coverage"], "label": _("Oversight Coverage"), "datatype": "Percent", "indicator": "Green" if t["oversight_coverage"] == 100 else "Red"},
		{"value": t["overrides"], "label": _("Objection Overrides"), "datatype": "Int", "indicator": "Red" if t["overrides"] else "Gray"},
	]


def chart(rows):
	by_group: dict[str, list[int]] = {}
	for r in rows:
		g = by_group.setdefault(r["regional_group"] or _("Unknown"), [0, 0, 0])
		g[0] += r["women"]
		g[1] += r["men"]
		g[2] += r["other"]
	labels = sorted(by_group)
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _("Women"), "values": [by_group[g][0] for g in labels]},
				{"name": _("Men"), "values": [by_group[g][1] for g in labels]},
				{"name": _("Other / Undisclosed"), "values": [by_group[g][2] for g in labels]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"title": _("Participants by UN Regional Group"),
	}
