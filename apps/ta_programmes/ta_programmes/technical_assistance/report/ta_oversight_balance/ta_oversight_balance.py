"""Who signs off and who meets: sign-offs and meeting participations by year, UN regional group
and sector; each group's share of a year's sign-offs; the meetings hosted in each region (or
online) and in which countries; and the warning when one group dominates a year's sign-offs
(threshold: TA Oversight Policy). Thin: ``core.balance`` counts and decides."""

import frappe
from frappe import _

from ta_programmes import oversight_balance as B
from ta_programmes.core import balance as core
from ta_programmes.core.constants import REGIONAL_GROUPS
from ta_programmes.core.i18n import render
from ta_programmes.replica import reads_from_replica

YEARS = (1990, 2200)


def _year(value, label: str, notes: list[str]) -> int | None:
	"""A year filter; one that is not a year is left out, and the message says so. (The report never
	raises on its filters: Frappe v15 leaves its 15-second "prepared report" timer running when a
	script report raises, and the report then turns into a prepared report for everyone.)"""
	if value in (None, ""):
		return None
	year = frappe.utils.cint(value) if str(value).strip().lstrip("-").isdigit() else 0
	if not YEARS[0] <= year <= YEARS[1]:
		notes.append(_("{0} ignored: enter a year between {1} and {2}.").format(label, *YEARS))
		return None
	return year


@reads_from_replica
def execute(filters=None):
	filters = frappe._dict(filters or {})
	notes: list[str] = []
	data_in = B.gather(
		_year(filters.from_year, _("From Year"), notes), _year(filters.to_year, _("To Year"), notes)
	)
	threshold = B.threshold()
	years = {y.year: y for y in core.yearly(data_in["signoffs"], data_in["meetings"], threshold)}
	rows = core.counts(data_in["signoffs"], data_in["participations"])
	data = []
	for year in sorted(years):
		balance = years[year]
		detail = [r for r in rows if r.year == year]
		groups = [
			g for g in core.GROUP_ORDER if g in {r.regional_group for r in detail} or g in balance.hosted
		]
		for group in groups:
			mine = [r for r in detail if r.regional_group == group]
			countries = data_in["countries"].get((year, group), {})
			data.append(
				{
					"year": year,
					"regional_group": _(group),
					"sector": _("All sectors"),
					"signoffs": sum(r.signoffs for r in mine),
					"share": balance.shares.get(group) if group in REGIONAL_GROUPS else None,
					"participations": sum(r.participations for r in mine),
					"meetings_hosted": balance.hosted.get(group, 0),
					"countries": ", ".join(f"{c} ({n})" for c, n in sorted(countries.items())),
					"warning": render(balance.warning, _)
					if balance.warning and balance.dominant == group
					else "",
					"is_total": 1,
				}
			)
			for r in mine:
				data.append(
					{
						"year": year,
						"regional_group": _(group),
						"sector": _(r.sector),
						"signoffs": r.signoffs,
						"participations": r.participations,
					}
				)
	warnings = [render(y.warning, _) for y in years.values() if y.warning] or [
		_(
			"No UN regional group gives more than {0}% of a year's sign-offs (years with at least {1} sign-offs from the groups)."
		).format(f"{threshold:g}", core.MIN_SIGNOFFS)
	]
	message = "<br>".join(frappe.utils.escape_html(w) for w in notes + warnings)
	return columns(), data, message, chart(years)


def columns() -> list[dict]:
	return [
		{"fieldname": "year", "label": _("Year"), "fieldtype": "Data", "width": 70},
		{"fieldname": "regional_group", "label": _("UN Regional Group"), "fieldtype": "Data", "width": 190},
		{"fieldname": "sector", "label": _("Sector"), "fieldtype": "Data", "width": 130},
		{"fieldname": "signoffs", "label": _("Sign-offs"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "share",
			"label": _("Share of the Year's Sign-offs"),
			"fieldtype": "Percent",
			"width": 120,
		},
		{
			"fieldname": "participations",
			"label": _("Meeting Participations"),
			"fieldtype": "Int",
			"width": 120,
		},
		{"fieldname": "meetings_hosted", "label": _("Meetings Hosted"), "fieldtype": "Int", "width": 110},
		{"fieldname": "countries", "label": _("Where"), "fieldtype": "Data", "width": 200},
		{"fieldname": "warning", "label": _("Warning"), "fieldtype": "Data", "width": 360},
	]


def chart(years: dict) -> dict | None:
	if not years:
		return None
	labels = [str(y) for y in sorted(years)]
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _(g), "values": [years[int(y)].by_group.get(g, 0) for y in labels]}
				for g in (*REGIONAL_GROUPS, core.OHCHR)
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"title": _("Sign-offs by UN regional group, and OHCHR"),
	}
