"""TA Assistance Delivered: what was delivered, to whom, by whom and under what oversight, per
programme (how the report opens), per programme and beneficiary state (the detail, as the report
always gave it), or per beneficiary state: the "Group by" filter. Aggregated in the database from
the delivery rollup (ta_programmes.rollup; transparency.delivery_per_programme and
delivery_with_budgets): one or two queries give the rows of a grouping; totals and chart are added
up from their unrounded sums, so they are the same whatever the grouping."""

import frappe
from frappe import _
from frappe.utils import flt

from ta_programmes import transparency as T
from ta_programmes.api.args import bad, report_never_raises
from ta_programmes.replica import reads_from_replica

BY_PROGRAMME, DETAIL, BY_STATE = "Programme", "Programme and State", "Beneficiary State"
GROUPINGS = (BY_PROGRAMME, DETAIL, BY_STATE)
# Without "group_by" (the desk sends it) the report is per programme: about 1 700 rows for a
# decade instead of 3 300; the detail is a choice away, and a state or donor filter narrows it.
DEFAULT_GROUPING = BY_PROGRAMME


def grouping_of(filters) -> str:
	value = (filters or {}).get("group_by") if isinstance(filters, dict) else None
	if value in (None, ""):
		return DEFAULT_GROUPING
	if value not in GROUPINGS:
		bad(_("Group by"), value, ", ".join(_(g) for g in GROUPINGS))
	return value


@reads_from_replica
@report_never_raises
def execute(filters=None):
	f = T.Filters.from_dict(filters)
	grouping = grouping_of(filters)
	f.programmes = T.visible_programmes()
	built = T.cached(
		"desk-report", {"filters": f.label(), "visible": f.programmes, "grouping": grouping}, lambda: build(f, grouping)
	)
	return columns(grouping), built["rows"], None, chart(built["chart"]), summary(built["totals"])


def build(f: "T.Filters", grouping: str = DETAIL) -> dict:
	"""The rows for ``grouping``, the totals and the chart's figures (in no language: labels are
	added per request): one query for the rows, grouped in the database, and small ones."""
	overrides = T.overrides_by_programme(None)  # every programme's (a small table)
	groups = dict(frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"], as_list=True))
	if grouping == BY_PROGRAMME:
		delivered, per_state = T.delivery_per_programme(f)
		rows = programme_rows(delivered, overrides)
		figures = chart_figures(per_state, lambda r: groups.get(r["state"]))
		programmes = [d["programme"] for d in delivered]
	else:
		delivered = T.delivery_with_budgets(f, by="state" if grouping == BY_STATE else None)
		rows = state_rows(delivered, groups) if grouping == BY_STATE else detail_rows(delivered, overrides, groups)
		figures = chart_figures(delivered, lambda r: groups.get(r["state"]))
		programmes = T.delivered_programmes(f) if grouping == BY_STATE else [d["programme"] for d in delivered]
	return {
		"rows": rows,
		"totals": totals(delivered, sum(overrides.get(p, 0) for p in set(programmes))),
		"chart": figures,
	}


def build_rows(f: "T.Filters") -> list[dict]:
	"""The detail rows (per programme and state)."""
	return build(f, DETAIL)["rows"]


def _shares(activities: int, hours: float, outside, verified) -> dict:
	return {
		"outside_share": round(100 * float(outside or 0) / hours, 1) if hours else 0,
		"oversight_coverage": round(100 * float(verified or 0) / activities, 1) if activities else 0,
	}


def _counts(d: dict) -> dict:
	return {k: int(d[k] or 0) for k in ("women", "men", "other", "participants")}


def detail_rows(delivered: list[dict], overrides: dict[str, int], groups: dict[str, str]) -> list[dict]:
	"""Per programme and state, as the report has always given them."""
	method = frappe.get_system_settings("rounding_method") or None  # read once, not per figure
	rows = []
	for d in sorted(delivered, key=lambda d: (d["title"] or "", d["state"])):
		trainer_hours = flt(d["trainer_hours"])
		rows.append(
			{
				"programme": d["programme"],
				"title": d["title"],
				"lead_agency": d["lead_agency"],
				"beneficiary_state": d["state"],
				"regional_group": groups.get(d["state"]),
				"activities": d["activities"],
				**_counts(d),
				"trainer_hours": trainer_hours,
				"outside_share": round(100 * flt(d["outside_hours"]) / trainer_hours, 1) if trainer_hours else 0,
				"currency": d["currency"],
				"budget": flt(d["budget"], 2, method),
				"spent": flt(d["fees"], 2, method),
				"oversight_coverage": round(100 * flt(d["verified"]) / d["activities"], 1) if d["activities"] else 0,
				"overrides": overrides.get(d["programme"], 0),
			}
		)
	return rows


def programme_rows(delivered: list[dict], overrides: dict[str, int]) -> list[dict]:
	"""Per programme (its budget: the shares of the states it delivered in)."""
	rows = []
	for d in sorted(delivered, key=lambda d: (d["title"] or "", d["programme"])):
		hours = round(d["trainer_hours"] or 0, 2)
		rows.append(
			{
				"programme": d["programme"],
				"title": d["title"],
				"lead_agency": d["lead_agency"],
				"states": d["states"],
				"activities": d["activities"],
				**_counts(d),
				"trainer_hours": hours,
				**_shares(d["activities"], hours, d["outside_hours"], d["verified"]),
				"currency": d["currency"],
				"budget": round(d["budget"] or 0, 2),
				"spent": round(d["fees"] or 0, 2),
				"overrides": overrides.get(d["programme"], 0),
			}
		)
	return rows


def state_rows(delivered: list[dict], groups: dict[str, str]) -> list[dict]:
	"""Per beneficiary state, over programmes (amounts in several currencies are not added up:
	no budget or fees here)."""
	rows = []
	for d in sorted(delivered, key=lambda d: d["state"]):
		hours = round(d["trainer_hours"] or 0, 2)
		rows.append(
			{
				"beneficiary_state": d["state"],
				"regional_group": groups.get(d["state"]),
				"programmes": d["programmes"],
				"activities": d["activities"],
				**_counts(d),
				"trainer_hours": hours,
				**_shares(d["activities"], hours, d["outside_hours"], d["verified"]),
			}
		)
	return rows


def columns(grouping: str = DETAIL):
	def col(fieldname, label, fieldtype="Data", width=110, options=None):
		c = {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}
		if options:
			c["options"] = options
		return c

	programme = [
		col("programme", _("Programme"), "Link", 140, "TA Programme"),
		col("title", _("Title"), "Data", 240),
	]
	state = [
		col("beneficiary_state", _("Beneficiary State"), "Link", 140, "TA Beneficiary State"),
		col("regional_group", _("Regional Group"), "Data", 150),
	]
	# Names, not links: Frappe refuses the whole report to a reader who may not read a linked
	# doctype (donors do not read partner organisations; no TA role reads Currency).
	lead = [col("lead_agency", _("Lead Agency"), "Data", 160)]
	figures = [
		col("activities", _("Activities Delivered"), "Int", 100),
		col("women", _("Women"), "Int", 80),
		col("men", _("Men"), "Int", 80),
		col("other", _("Other / Undisclosed"), "Int", 90),
		col("participants", _("Participants"), "Int", 100),
		col("trainer_hours", _("Trainer-Hours"), "Float", 100),
		col("outside_share", _("Outside Expertise (% of Hours)"), "Percent", 120),
	]
	money = [
		col("currency", _("Currency"), "Data", 80),
		col("budget", _("Budget (State Share)"), "Currency", 130, "currency"),
		col("spent", _("Spent (Trainer Fees)"), "Currency", 130, "currency"),
	]
	coverage = [col("oversight_coverage", _("Oversight Coverage (%)"), "Percent", 120)]
	overrides = [col("overrides", _("Objection Overrides"), "Int", 100)]
	if grouping == BY_PROGRAMME:
		states = [col("states", _("States"), "Int", 70)]
		return [*programme, *lead, *states, *figures, *money, *coverage, *overrides]
	if grouping == BY_STATE:
		return [*state, col("programmes", _("Programmes"), "Int", 100), *figures, *coverage]
	return [*programme, *state, *lead, *figures, *money, *coverage, *overrides]


def totals(delivered: list[dict], overrides: int) -> dict:
	"""The report's totals from the unrounded sums (the same whatever the grouping)."""
	t = {k: sum(float(d[k] or 0) for d in delivered) for k in ("women", "men", "other", "participants", "trainer_hours", "outside_hours", "verified")}
	activities = sum(d["activities"] for d in delivered)
	hours = round(t["trainer_hours"], 2)
	return {
		"activities": activities,
		**{k: int(t[k]) for k in ("women", "men", "other", "participants")},
		"trainer_hours": hours,
		**_shares(activities, hours, t["outside_hours"], t["verified"]),
		"overrides": overrides,
	}


def summary(t: dict):
	return [
		{"value": t["activities"], "label": _("Activities Delivered"), "datatype": "Int", "indicator": "Blue"},
		{"value": t["participants"], "label": _("Participants"), "datatype": "Int", "indicator": "Green"},
		{"value": t["women"], "label": _("Women"), "datatype": "Int", "indicator": "Purple"},
		{"value": t["trainer_hours"], "label": _("Trainer-Hours"), "datatype": "Float", "indicator": "Blue"},
		{"value": t["outside_share"], "label": _("Outside Expertise (% of Hours)"), "datatype": "Percent", "indicator": "Orange"},
		{"value": t["oversight_coverage"], "label": _("Oversight Coverage"), "datatype": "Percent", "indicator": "Green" if t["oversight_coverage"] == 100 else "Red"},
		{"value": t["overrides"], "label": _("Objection Overrides"), "datatype": "Int", "indicator": "Red" if t["overrides"] else "Gray"},
	]


def chart_figures(rows: list[dict], group_of) -> dict[str, list[int]]:
	"""Women, men and other participants per regional group ("": a state without one)."""
	by_group: dict[str, list[int]] = {}
	for r in rows:
		g = by_group.setdefault(group_of(r) or "", [0, 0, 0])
		g[0] += int(r["women"] or 0)
		g[1] += int(r["men"] or 0)
		g[2] += int(r["other"] or 0)
	return by_group


def chart(figures: dict[str, list[int]]):
	by_group = {(g or _("Unknown")): v for g, v in figures.items()}
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
