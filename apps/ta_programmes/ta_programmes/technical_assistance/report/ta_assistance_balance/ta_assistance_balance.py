"""The balance the source text asks for: enforcement vs prevention vs safeguards, and law
enforcement vs prosecution vs judiciary, per programme, beneficiary state or year (activities
not cancelled, counted once each), with the enforcement-only and policy-target warnings."""

from collections import defaultdict

import frappe
from frappe import _

from ta_programmes import results as M
from ta_programmes.api.args import check_choice, report_never_raises
from ta_programmes.core import results as R
from ta_programmes.core.constants import THEME_CATEGORIES
from ta_programmes.core.i18n import render
from ta_programmes.replica import reads_from_replica

GROUPS = {"Programme": "programme", "Beneficiary State": "beneficiary_state", "Year": "year"}


@reads_from_replica
@report_never_raises
def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.group_by or "Programme"
	check_choice(group_by, tuple(GROUPS), _("Group by"))
	activities = frappe.get_list(
		"TA Activity",
		filters={"status": ("!=", "Cancelled")},
		fields=["programme", "beneficiary_state", "category", "institution_type", "start"],
		limit=0,
	)
	groups = defaultdict(list)
	for a in activities:
		key = a.start.year if group_by == "Year" and a.start else a.get(GROUPS[group_by])
		groups[key].append((a.category, a.institution_type, 1))
	target = M.settings().min_prevention_share
	data = []
	for key in sorted(groups, key=lambda k: str(k)):
		b = R.balance(groups[key], THEME_CATEGORIES)
		cats = M.theme_categories(key) if group_by == "Programme" else [c for c, _i, _w in groups[key] if c]
		warnings = R.balance_warnings(cats, b.categories, target)
		data.append(
			{
				"group": key, "activities": int(b.total),
				**{f"cat_{c.lower()}": b.categories[c] for c in THEME_CATEGORIES},
				**{f"chain_{i}": b.justice[g] for i, g in enumerate(R.JUSTICE_GROUPS)},
				"warning": "; ".join(render(w, _) for w in warnings),
			}
		)
	link = {"Programme": ("Link", "TA Programme"), "Beneficiary State": ("Link", "TA Beneficiary State"), "Year": ("Data", None)}[group_by]
	columns = [
		{"fieldname": "group", "label": _(group_by), "fieldtype": link[0], "options": link[1], "width": 160},
		{"fieldname": "activities", "label": _("Activities"), "fieldtype": "Int", "width": 90},
		*[{"fieldname": f"cat_{c.lower()}", "label": _(c) + " %", "fieldtype": "Percent", "width": 110} for c in THEME_CATEGORIES],
		*[{"fieldname": f"chain_{i}", "label": _(g) + " %", "fieldtype": "Percent", "width": 120} for i, g in enumerate(R.JUSTICE_GROUPS)],
		{"fieldname": "warning", "label": _("Warning"), "fieldtype": "Data", "width": 360},
	]
	chart = {
		"data": {
			"labels": [str(r["group"]) for r in data],
			"datasets": [{"name": _(c), "values": [r[f"cat_{c.lower()}"] for r in data]} for c in THEME_CATEGORIES],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"title": _("Enforcement, prevention and safeguards (% of activities)"),
	} if data else None
	return columns, data, None, chart
