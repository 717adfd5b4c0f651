"""The IATI 2.03 activity file of approved programmes:

    GET /api/method/ta_programmes.api.iati.activities

Public (Guest) by design: it holds only what IATI publishes — no person, no review content.
The reporting organisation comes from TA Transparency Settings. Every programme is checked
against the IATI ruleset first; a failing one stops the export with a message naming it (417),
and nothing of the file is sent.

At a decade of data (2 000 programmes) the file is written in chunks of :data:`CHUNK`
programmes: six queries per chunk, each for the whole chunk (the programmes, their states,
themes, donors and partners, concern reports), one call of ``results.published`` for their
results frameworks, and one pass over TA Activity for every programme's delivered dates — never
a query per programme. Each activity is checked, written as XML (``core.iati.iati_xml_parts``)
and dropped before the next chunk is read. The bytes go to a spooled temporary file (in memory
up to :data:`SPOOL_BYTES`, on disk beyond) that is streamed to the client once the last activity
has passed its checks — so a failing programme is refused before the first byte, and memory
does not grow with the number of programmes beyond their names and two dates each (~0.3 KB a
programme).

The file is not sent while it is being written: Frappe rolls back the request's transaction
(``frappe.app.sync_database``) before the server reads the response body, so a body reading the
database would see a later snapshot than the one checked, outside the request (and its read
replica, if any) — and the test client reads it in another thread.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import IO

import frappe
from frappe.utils import get_datetime, getdate, now_datetime

from ta_programmes import i18n
from ta_programmes import transparency as T
from ta_programmes.core import iati as I
from ta_programmes.enforce import rules
from ta_programmes.replica import reads_from_replica

CHUNK = 200  # programmes read, checked and written at a time
SPOOL_BYTES = 1 << 20  # the file stays in memory up to 1 MB, then goes to a temporary file
FILENAME = "iati-activities.xml"
CONTENT_TYPE = "application/xml; charset=utf-8"

# The fields of TA Programme an activity is made of (the objectives for a programme without a
# public summary).
PROGRAMME_FIELDS = (
	"name", "title", "status", "planned_start", "planned_end", "budget", "currency", "lead_agency", "approved_on",
	"modified", "gate_alert", "summary", "objectives", *T.PUBLIC_VERSIONS,
)


@frappe.whitelist(allow_guest=True, methods=["GET"])
@reads_from_replica
def activities():
	from werkzeug.wrappers import Response
	from werkzeug.wsgi import wrap_file

	T.check_published()
	body, size = spool()
	response = Response(wrap_file(frappe.request.environ, body), direct_passthrough=True)
	response.mimetype = CONTENT_TYPE
	response.headers.add("Content-Disposition", "inline", filename=FILENAME)
	response.content_length = size
	return response


def build(generated: datetime | None = None, limit: int | None = None) -> bytes:
	"""The whole file in memory (tests, scripts); the endpoint streams it from :func:`spool`."""
	return b"".join(parts(generated, limit))


def spool(generated: datetime | None = None, limit: int | None = None) -> tuple[IO[bytes], int]:
	"""The file, checked to its last activity, in a temporary file at its start, and its size."""
	body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
	try:
		for part in parts(generated, limit):
			body.write(part)
		size = body.tell()
		body.seek(0)
	except BaseException:
		body.close()
		raise
	return body, size


def parts(generated: datetime | None = None, limit: int | None = None) -> Iterator[bytes]:
	"""The file as ``core.iati.iati_xml_parts`` writes it, the programmes read :data:`CHUNK` at a
	time. A violation is raised (as a Frappe error) at the activity that breaks a rule, after the
	parts before it: consume it all before sending any of it. ``limit``: only the first programmes
	(measurements)."""
	s = T.settings()
	org = I.ReportingOrg(s.reporting_org_ref, s.reporting_org_name, s.reporting_org_type or "40")
	generated = site_time(generated) if generated else now_datetime()
	names = frappe.get_all(
		"TA Programme",
		filters={"status": ("in", T.REPORTED_STATUSES)},
		order_by="planned_start desc, name asc",
		pluck="name",
		limit_page_length=limit or 0,
	)
	with rules():
		yield from I.iati_xml_parts(org, iati_activities(names, generated), in_site_zone(generated), marker_uri=s.hrdd_marker_uri)


def site_time(value: datetime) -> datetime:
	"""A time as the database holds it: in the site's zone, without the zone (an aware time is
	converted first)."""
	from zoneinfo import ZoneInfo

	return value.astimezone(ZoneInfo(frappe.utils.get_system_timezone())).replace(tzinfo=None) if value.tzinfo else value


def in_site_zone(value: datetime) -> datetime:
	"""A time as the database holds it (the site's local time, no zone) with the site's zone, so
	that the file says which moment it is (``generated-datetime``, ``last-updated-datetime``)."""
	from zoneinfo import ZoneInfo

	return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(frappe.utils.get_system_timezone()))


def iati_activities(names: list[str], generated: datetime, chunk: int | None = None) -> Iterator[I.IatiActivity]:
	"""The IATI activities of these programmes, in this order, read ``chunk`` (:data:`CHUNK`)
	programmes at a time."""
	chunk = chunk or CHUNK
	lookups = _lookups()
	for start in range(0, len(names), chunk):
		yield from _chunk(names[start : start + chunk], lookups, generated)


def _lookups() -> frappe._dict:
	"""The small tables every chunk refers to, read once."""
	return frappe._dict(
		orgs={o.name: o for o in frappe.get_all("TA Partner Organisation", fields=["name", "iati_org_id", "iati_org_type"])},
		donors={d.name: d for d in frappe.get_all("TA Donor", fields=["name", "iati_org_id", "iati_org_type"])},
		iso=dict(frappe.get_all("TA Beneficiary State", fields=["name", "iso_code"], as_list=True)),
		dac=dict(frappe.get_all("TA Thematic Area", fields=["name", "dac_code"], as_list=True)),
		k=int(T.settings().suppression_k or 5),
		hrdd={},  # oversight wording -> its translations, computed once per wording
		delivered=delivered_dates(),
	)


def delivered_dates() -> dict[str, tuple]:
	"""Each programme's first start and last end of its scheduled or delivered activities, for
	every programme in one pass over TA Activity (~0.2 KB a programme). Read in chunks instead,
	the same figures cost a range read of the programme index and a row lookup per activity (about
	110-130 ms per 200 programmes at a decade of data, against one scan of the table in 70-170 ms);
	the optimiser picks the programme index for this query too (0.6-0.8 s), hence ``USE INDEX ()``."""
	return {
		programme: (first_start, last_end)
		for programme, first_start, last_end in frappe.db.sql(
			"""select programme, min(start), max(`end`) from `tabTA Activity` use index ()
			where status in ('Scheduled', 'Delivered') group by programme order by null"""
		)
	}


def _by_parent(doctype: str, names: list[str], fields: list[str], order_by: str) -> dict[str, list]:
	"""A child table's rows of these programmes, by programme, in ``order_by`` within each."""
	out: dict[str, list] = defaultdict(list)
	rows = frappe.get_all(
		doctype, filters={"parent": ("in", names), "parenttype": "TA Programme"}, fields=["parent", *fields], order_by=order_by
	)
	for r in rows:
		out[r.parent].append(r)
	return out


def _chunk(names: list[str], lookups: frappe._dict, generated: datetime) -> Iterator[I.IatiActivity]:
	"""One chunk of programmes: six queries whatever its size (programmes, four child tables,
	concern reports) and one call of ``results.published``."""
	programmes = {
		p.name: p for p in frappe.get_all("TA Programme", filters={"name": ("in", names)}, fields=list(PROGRAMME_FIELDS), order_by=None)
	}
	# Child rows in the order the per-programme queries of Frappe's get_all gave them (its default
	# for these tables, modified desc; a programme's rows share their modified, then by name).
	states = _by_parent("TA Programme State", names, ["beneficiary_state", "share"], "modified desc, name asc")
	partners = _by_parent("TA Implementing Partner", names, ["partner"], "modified desc, name asc")
	themes = _by_parent("TA Programme Theme", names, ["thematic_area"], "idx asc")
	donors = _by_parent("TA Funding Line", names, ["donor"], "idx asc")
	results = iati_results(names, lookups.k)
	concerns = concern_results(names, lookups.k)
	for name in names:
		p = programmes.get(name)
		if p is None:  # deleted since the list was read (only outside a transaction)
			continue
		p.themes = [r.thematic_area for r in themes.get(name, [])]
		p.donors = sorted({r.donor for r in donors.get(name, [])})
		yield iati_activity(
			p, lookups, generated, states=states.get(name, []), partners=[r.partner for r in partners.get(name, [])],
			delivered=lookups.delivered.get(name) or (None, None), results=results.get(name, []) + concerns.get(name, []),
		)


def iati_activity(p, lookups: frappe._dict, generated: datetime, states, partners, delivered, results) -> I.IatiActivity:
	"""One programme as an IATI activity, from its rows (see :func:`_chunk`)."""
	orgs, donors, iso, dac = lookups.orgs, lookups.donors, lookups.iso, lookups.dac

	def org(name, table):
		o = table.get(name) or frappe._dict()
		return I.IatiOrg(o.get("iati_org_id") or None, name, o.get("iati_org_type") or None)

	# The public summary where there is one (with its versions in other languages), else the objectives.
	title = T.plain(p.title)
	description = T.plain(p.summary or p.objectives or p.title)
	hrdd = T.oversight_status(p, "en")
	if hrdd not in lookups.hrdd:
		lookups.hrdd[hrdd] = i18n.translations_of(hrdd)
	first_start, last_end = delivered
	actual_start = getdate(first_start) if first_start and get_datetime(first_start) <= generated else None
	planned_start, planned_end = getdate(p.planned_start), getdate(p.planned_end)
	return I.IatiActivity(
		identifier_suffix=p.name,
		title=title,
		title_versions={lang: T.plain(v) for lang, v in i18n.versions(p, "title").items()},
		description=description,
		description_versions={lang: T.plain(v) for lang, v in i18n.versions(p, "summary").items()} if p.summary else {},
		status=p.status,
		planned_start=planned_start,
		planned_end=planned_end,
		actual_start=actual_start,
		actual_end=getdate(last_end) if p.status == "Completed" and last_end else None,
		funders=[org(d, donors) for d in p.donors],
		accountable=org(p.lead_agency, orgs),
		implementers=[org(name, orgs) for name in partners],
		countries=[((iso.get(r.beneficiary_state) or "").upper(), float(r.share)) for r in states],
		sectors=I.sector_shares([dac[t] for t in p.themes if dac.get(t)]),
		budgets=I.activity_budgets(
			f"{p.name} ({title})" if title else p.name, planned_start, planned_end, float(p.budget or 0), p.currency or "USD",
			value_date=getdate(p.approved_on) if p.approved_on else planned_start,
		),
		currency=p.currency or "USD",
		hrdd_status=hrdd,
		hrdd_status_versions=dict(lookups.hrdd[hrdd]),
		hrdd_significance=0 if p.status == "Suspended" else 1,
		last_updated=in_site_zone(get_datetime(p.modified)),
		results=results,
	)


def number(value) -> float | None:
	"""A published figure as IATI carries it; a hidden one ("<5", "x") is left out."""
	return None if value is None or isinstance(value, str) else float(value)


DIMENSION_NAMES = {"Sex": "sex", "Institution type": "institution type", "Beneficiary state": "beneficiary state"}


def concern_results(programmes: list[str], k: int) -> dict[str, list[I.IatiResult]]:
	"""Per programme: how many concerns about it were reported, assessed and found founded, per
	year (as ``concerns.public_counts`` counts them), in one query; small counts left out and the
	others rounded to base ``k`` (``core.concerns.iati_result``)."""
	from ta_programmes import concerns
	from ta_programmes.core import concerns as core

	rows: dict[str, list] = defaultdict(list)
	for r in frappe.get_all(
		concerns.REPORT,
		filters={"programme": ("in", programmes)},
		fields=["programme", "received_on", "creation", "status", "outcome"],
		order_by=None,
	):
		rows[r.programme].append((get_datetime(r.received_on or r.creation), r.status, r.outcome))
	out = {}
	for programme, counted in rows.items():
		result = core.iati_result(core.counts_by_year(counted), k)
		if result:
			out[programme] = [result]
	return out


def iati_results(programmes: list[str], k: int) -> dict[str, list[I.IatiResult]]:
	"""Per programme, its results framework as IATI ``result`` elements, every value as published
	to Guests (results.published: suppressed below k, rounded, averages over k people only).
	Cached per list of programmes (a chunk of the file) until a results framework changes
	(``transparency.cache.RESULTS_GENERATION_KEY``): an activity's or a programme's edit leaves
	them as they are, and reading a chunk's results took most of the file's time."""
	from ta_programmes.transparency.cache import RESULTS_GENERATION_KEY

	return T.cached("iati-results", {"programmes": programmes, "k": k}, lambda: _iati_results(programmes, k), RESULTS_GENERATION_KEY)


def _iati_results(programmes: list[str], k: int) -> dict[str, list[I.IatiResult]]:
	from ta_programmes import results as M

	by_programme: dict[str, list] = defaultdict(list)
	for r in M.published(programmes, k, rounding=True):
		by_programme[r.programme].append(r)
	return {programme: _results(rows) for programme, rows in by_programme.items()}


def _results(rows: list) -> list[I.IatiResult]:
	"""One programme's tracking rows (in ``results.tracking`` order) as IATI results."""
	from ta_programmes.core import results as R

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
