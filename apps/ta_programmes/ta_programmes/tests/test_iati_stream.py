"""The IATI file written in chunks and streamed (issue 13): the same bytes as the straightforward
way (every programme read with its own queries, one ElementTree for the whole file), a number of
queries that does not depend on the number of programmes, a failing programme refused (417) before
any byte of the file, and the endpoint sending the file it wrote with its headers.

Timings are not asserted here: tests/benchmark/run.py measures them.
"""

import json
import re
import xml.etree.ElementTree as ET
from unittest import mock
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime, getdate, now_datetime

from ta_programmes import i18n
from ta_programmes import transparency as T
from ta_programmes.transparency import cache as TC
from ta_programmes.api import iati as A
from ta_programmes.core import iati as I
from ta_programmes.tests import factories as f
from ta_programmes.tests.test_transparency import TransparencyCase

ENDPOINT = "/api/method/ta_programmes.api.iati.activities"


# --- the straightforward way: the file as it was written before it was streamed --------------------
def with_offset(value) -> str:
	"""The site's local time written with its zone's offset, as IATI wants it."""
	return value.replace(tzinfo=ZoneInfo(frappe.utils.get_system_timezone()), microsecond=0).isoformat()


def reference_build(generated) -> bytes:
	"""Every reported programme read with its own queries (themes, donors, partners, shares,
	delivered dates, objectives, results, concerns), then one ElementTree holding every activity,
	indented and serialised at once. Independent of transparency.reported_programmes, whose fields
	serve the public report."""
	s = T.settings()
	org = I.ReportingOrg(s.reporting_org_ref, s.reporting_org_name, s.reporting_org_type or "40")
	lookups = frappe._dict(
		orgs={o.name: o for o in frappe.get_all("TA Partner Organisation", fields=["name", "iati_org_id", "iati_org_type"])},
		donors={d.name: d for d in frappe.get_all("TA Donor", fields=["name", "iati_org_id", "iati_org_type"])},
		iso=dict(frappe.get_all("TA Beneficiary State", fields=["name", "iso_code"], as_list=True)),
		dac=dict(frappe.get_all("TA Thematic Area", fields=["name", "dac_code"], as_list=True)),
	)
	programmes = frappe.get_all(
		"TA Programme",
		filters={"status": ("in", T.REPORTED_STATUSES)},
		fields=[
			"name", "title", "status", "planned_start", "planned_end", "budget", "currency", "lead_agency", "approved_on",
			"modified", "gate_alert", "summary", *T.PUBLIC_VERSIONS,
		],
		order_by="planned_start desc",
	)
	for p in programmes:
		child = {"parent": p.name, "parenttype": "TA Programme"}
		p.themes = frappe.get_all("TA Programme Theme", filters=child, pluck="thematic_area", order_by="idx")
		p.donors = sorted(set(frappe.get_all("TA Funding Line", filters=child, pluck="donor")))
	items = [_reference_activity(p, lookups, generated) for p in programmes]
	for item in items:
		I.check_activity(item, today=generated.date())
	root = ET.Element("iati-activities", {"version": I.IATI_VERSION, "generated-datetime": with_offset(generated)})
	for a in items:
		root.append(I.activity_element(org, a, s.hrdd_marker_uri))
	ET.indent(root)
	for el in root.iter():
		el.text = (I.xml_text(el.text) or None) if el.text else el.text
		el.attrib.update({k: I.xml_text(v) for k, v in el.attrib.items()})
	return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _reference_activity(p, lookups, generated) -> I.IatiActivity:
	from ta_programmes import concerns
	from ta_programmes.core import concerns as core

	orgs, donors, iso, dac = lookups.orgs, lookups.donors, lookups.iso, lookups.dac
	partners = frappe.get_all("TA Implementing Partner", filters={"parent": p.name, "parenttype": "TA Programme"}, pluck="partner")
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

	description = T.plain(p.summary or frappe.db.get_value("TA Programme", p.name, "objectives") or p.title)
	first = delivered.first_start
	concern = core.iati_result(concerns.public_counts(p.name), int(T.settings().suppression_k or 5))
	return I.IatiActivity(
		identifier_suffix=p.name,
		title=T.plain(p.title),
		title_versions={lang: T.plain(v) for lang, v in i18n.versions(p, "title").items()},
		description=description,
		description_versions={lang: T.plain(v) for lang, v in i18n.versions(p, "summary").items()} if p.summary else {},
		status=p.status,
		planned_start=getdate(p.planned_start),
		planned_end=getdate(p.planned_end),
		actual_start=getdate(first) if first and get_datetime(first) <= generated else None,
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
		last_updated=get_datetime(p.modified).replace(tzinfo=ZoneInfo(frappe.utils.get_system_timezone())),
		results=A.iati_results([p.name], int(T.settings().suppression_k or 5)).get(p.name, []) + ([concern] if concern else []),
	)


def _messages(response) -> str:
	body = response.json or {}
	return " ".join(json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]"))


class TestIatiStream(TransparencyCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.set_single_value("TA Transparency Settings", "public_page_enabled", 1)
		frappe.db.commit()
		cls.reported = frappe.get_all("TA Programme", filters={"status": ("in", T.REPORTED_STATUSES)}, pluck="name")

	def test_the_file_is_byte_for_byte_the_one_the_per_programme_way_wrote(self):
		generated = now_datetime().replace(microsecond=0)
		expected = reference_build(generated)
		self.assertGreater(expected.count(b"<iati-activity "), 10)
		self.assertIn(b"<result ", expected, "the demo's results frameworks and concern counts are in the comparison")
		self.assertIn(b'xml:lang="fr"', expected)
		self.assertEqual(A.build(generated), expected)
		with mock.patch.object(A, "CHUNK", 3):  # chunk boundaries everywhere, a last chunk cut short
			self.assertEqual(A.build(generated), expected)

	def test_the_number_of_queries_does_not_grow_with_the_programmes(self):
		"""A few queries to start, then the same number per chunk of programmes however many the
		chunk holds, and the results frameworks read once per chunk (the per-programme way made
		eight queries or more per programme)."""
		from ta_programmes import results as M

		def queries(limit=None, results_cached=False) -> tuple[int, int]:
			"""(queries outside results.published, calls of results.published), the results
			frameworks read afresh (their cache moved on, as a saved actual does) unless
			``results_cached``"""
			if not results_cached:
				frappe.cache.set_value(TC.RESULTS_GENERATION_KEY, frappe.generate_hash(length=8))
			counts, inside = [0, 0], [False]
			sql, published = frappe.db.sql, M.published

			def counted_sql(*args, **kwargs):
				counts[0] += not inside[0]
				return sql(*args, **kwargs)

			def counted_published(*args, **kwargs):
				counts[1] += 1
				inside[0] = True
				try:
					return published(*args, **kwargs)
				finally:
					inside[0] = False

			with mock.patch.object(frappe.db, "sql", counted_sql), mock.patch.object(M, "published", counted_published):
				A.build(limit=limit)
			return tuple(counts)

		reported = frappe.db.count("TA Programme", {"status": ("in", T.REPORTED_STATUSES)})
		self.assertGreater(reported, 10)
		queries()  # settings and translations cached, as on a running site
		self.assertEqual(queries(), queries(1), "one chunk: the same queries for all the programmes as for one")
		self.assertEqual(queries()[1], 1)
		queries()
		self.assertEqual(queries(results_cached=True)[1], 0, "the chunk's results are kept until a framework changes")
		with mock.patch.object(A, "CHUNK", 5):
			(five, _), (ten, _) = queries(5), queries(10)
			per_chunk, chunks = ten - five, -(-reported // 5)
			self.assertEqual(per_chunk, 6, "programmes, four child tables, concern reports")
			self.assertEqual(queries(), (five + (chunks - 1) * per_chunk, chunks))

	def test_the_endpoint_sends_the_file_it_wrote(self):
		frappe.db.commit()
		response = f.rest("GET", ENDPOINT)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertEqual(response.headers["Content-Type"], "application/xml; charset=utf-8")
		self.assertEqual(response.headers["Content-Disposition"], "inline; filename=iati-activities.xml")
		body = response.get_data()
		self.assertEqual(int(response.headers["Content-Length"]), len(body))
		generated = get_datetime(re.search(rb'generated-datetime="([^"]+)"', body).group(1).decode())
		self.assertEqual(body, A.build(generated))

	def test_a_programme_breaking_a_rule_stops_the_file_before_its_first_byte(self):
		"""With a 417 naming it, whichever chunk it is in: a recipient-country share that no longer
		adds up, and a programme that ends the day it starts (its budget cannot be split into
		periods: before, an error 500)."""
		last = frappe.get_all(
			"TA Programme", filters={"status": ("in", T.REPORTED_STATUSES)}, order_by="planned_start asc, name desc", limit=1, pluck="name"
		)[0]
		row = frappe.get_all("TA Programme State", filters={"parent": last, "parenttype": "TA Programme"}, fields=["name", "share"], limit=1)[0]
		planned = frappe.db.get_value("TA Programme", last, ["planned_start", "planned_end"], as_dict=True)
		cases = (
			("TA Programme State", row.name, {"share": float(row.share) - 7}, "percentages must add up to 100"),
			("TA Programme", last, {"planned_end": planned.planned_start}, "must end after it starts"),
		)
		for doctype, name, values, message in cases:
			try:
				frappe.db.set_value(doctype, name, values, update_modified=False)
				frappe.db.commit()
				with mock.patch.object(A, "CHUNK", 4):  # the programme is in the last chunk
					response = f.rest("GET", ENDPOINT)
				self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:300])
				self.assertEqual(response.json.get("exc_type"), "IatiRuleError")
				text = _messages(response)
				self.assertIn(f"IATI activity {last}", text)
				self.assertIn(message, text)
				self.assertNotIn(b"<iati-activit", response.get_data())
			finally:
				frappe.db.rollback()
				frappe.db.set_value("TA Programme State", row.name, "share", row.share, update_modified=False)
				frappe.db.set_value("TA Programme", last, "planned_end", planned.planned_end, update_modified=False)
				frappe.db.commit()
		self.assertEqual(f.rest("GET", ENDPOINT).status_code, 200)
