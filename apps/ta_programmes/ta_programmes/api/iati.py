"""The IATI 2.03 activity file of approved programmes:

    GET /api/method/ta_programmes.api.iati.activities

Public (Guest) by design: it holds only what IATI publishes — no person, no review content.
The reporting organisation comes from TA Transparency Settings. Every programme is checked
against the IATI ruleset first; a failing one stops the export with a message naming it.
"""

from __future__ import annotations

import frappe
from frappe.utils import get_datetime, getdate, now_datetime

from ta_programmes import i18n
from ta_programmes import transparency as T
from ta_programmes.core import iati as I
from ta_programmes.enforce import rules


@frappe.whitelist(allow_guest=True, methods=["GET"])
def activities():
	T.check_published()
	xml = build()
	frappe.response.update(
		type="download", filename="iati-activities.xml", filecontent=xml,
		content_type="application/xml; charset=utf-8", display_content_as="inline",
	)


def build() -> bytes:
	s = T.settings()
	org = I.ReportingOrg(s.reporting_org_ref, s.reporting_org_name, s.reporting_org_type or "40")
	programmes = T.reported_programmes(T.Filters())
	lookups = _lookups()
	items = [iati_activity(p, lookups) for p in programmes]
	with rules():
		I.check_reporting_org(org)
		for item in items:
			I.check_activity(item, today=getdate())
		return I.build_iati_xml(org, items, now_datetime(), marker_uri=s.hrdd_marker_uri)


def _lookups() -> frappe._dict:
	return frappe._dict(
		orgs={o.name: o for o in frappe.get_all("TA Partner Organisation", fields=["name", "iati_org_id", "iati_org_type"])},
		donors={d.name: d for d in frappe.get_all("TA Donor", fields=["name", "iati_org_id", "iati_org_type"])},
		iso=dict(frappe.get_all("TA Beneficiary State", fields=["name", "iso_code"], as_list=True)),
		dac=dict(frappe.get_all("TA Thematic Area", fields=["name", "dac_code"], as_list=True)),
	)


def iati_activity(p, lookups: frappe._dict) -> I.IatiActivity:
	orgs, donors, iso, dac = lookups.orgs, lookups.donors, lookups.iso, lookups.dac
	partners = frappe.get_all(
		"TA Implementing Partner", filters={"parent": p.name, "parenttype": "TA Programme"}, pluck="partner"
	)
	shares = frappe.get_all(
		"TA Programme State", filters={"parent": p.name, "parenttype": "TA Programme"}, fields=["beneficiary_state", "share"]
	)
	delivered = frappe.get_all(
		"TA Activity",
		filters={"programme": p.name, "status": ("in", ["Scheduled", "Delivered"])},
		fields=["min(start) as first_start", "max(end) as last_end"],
	)[0]

	def org(name, table):
		o = table.get(name) or frappe._dict()
		return I.IatiOrg(o.get("iati_org_id") or None, name, o.get("iati_org_type") or None)

	# The public summary where there is one (with its versions in other languages), else the objectives.
	description = T.plain(p.summary or frappe.db.get_value("TA Programme", p.name, "objectives") or p.title)
	actual_start = getdate(delivered.first_start) if delivered.first_start and get_datetime(delivered.first_start) <= now_datetime() else None
	return I.IatiActivity(
		identifier_suffix=p.name,
		title=T.plain(p.title),
		title_versions={lang: T.plain(v) for lang, v in i18n.versions(p, "title").items()},
		description=description,
		description_versions={lang: T.plain(v) for lang, v in i18n.versions(p, "summary").items()} if p.summary else {},
		status=p.status,
		planned_start=getdate(p.planned_start),
		planned_end=getdate(p.planned_end),
		actual_start=actual_start,
		actual_end=getdate(delivered.last_end) if p.status == "Completed" and delivered.last_end else None,
		funders=[org(d, donors) for d in p.donors],
		accountable=org(p.lead_agency, orgs),
		implementers=[org(name, orgs) for name in partners],
		countries=[((iso.get(r.beneficiary_state) or "").upper(), float(r.share)) for r in shares],
		sectors=I.sector_shares([dac[t] for t in p.themes if dac.get(t)]),
		budgets=I.budget_periods(
			getdate(p.planned_start), getdate(p.planned_end), float(p.budget or 0), p.currency or "USD",
			value_date=getdate(p.approved_on) if p.approved_on else getdate(p.planned_start),
		),
		currency=p.currency or "USD",
		hrdd_status=T.oversight_status(p, "en"),
		hrdd_status_versions=i18n.translations_of(T.oversight_status(p, "en")),
		hrdd_significance=0 if p.status == "Suspended" else 1,
		last_updated=get_datetime(p.modified),
		results=iati_results(p.name, int(T.settings().suppression_k or 5)) + concern_results(p.name),
	)


def number(value) -> float | None:
	"""A published figure as IATI carries it; a hidden one ("<5", "x") is left out."""
	return None if value is None or isinstance(value, str) else float(value)


DIMENSION_NAMES = {"Sex": "sex", "Institution type": "institution type", "Beneficiary state": "beneficiary state"}


def concern_results(programme: str) -> list[I.IatiResult]:
	"""How many concerns about the programme were reported, assessed and found founded, per year."""
	from ta_programmes import concerns
	from ta_programmes.core import concerns as core

	result = core.iati_result(concerns.public_counts(programme))
	return [result] if result else []


def iati_results(programme: str, k: int) -> list[I.IatiResult]:
	"""The programme's results framework as IATI ``result`` elements, every value as published to
	Guests (results.published: suppressed below k, rounded, averages over k people only)."""
	from ta_programmes import results as M
	from ta_programmes.core import results as R

	rows = M.published([programme], k, rounding=True)
	by_result: dict[str, dict[str, list]] = {}
	for r in rows:
		by_result.setdefault(r.result, {}).setdefault(r.indicator, []).append(r)
	out = []
	for indicators in by_result.values():
		first = next(iter(indicators.values()))[0]
		items = []
		for periods in indicators.values():
			i = periods[0]
			dimension = DIMENSION_NAMES.get(i.disaggregation)
			items.append(
				I.IatiIndicator(
					title=f"{i.code} {T.plain(i.title)}",
					measure=R.IATI_MEASURE[i.unit],
					ascending=i.direction != "Decrease",
					baseline_year=getdate(i.baseline_date).year if i.baseline_date else None,
					baseline_date=getdate(i.baseline_date) if i.baseline_date else None,
					baseline_value=number(i.baseline),
					periods=[
						I.IatiPeriod(
							getdate(p.period_start), getdate(p.period_end), p.target,
							[I.IatiActual(number(p.actual))]
							+ [I.IatiActual(number(v), (dimension, str(c).lower())) for c, v in sorted(p.categories.items()) if dimension],
						)
						for p in periods
						if p.period_start and p.period_end
					],
				)
			)
		out.append(I.IatiResult(R.IATI_RESULT_TYPE.get(first.level, "2"), f"{first.result_code} {T.plain(first.result_title)}", items))
	return out
