"""Deconfliction on a site: an IATI file of another publisher imported through the real path (private
File + TA IATI Import + the whitelisted import), re-imported (updates, never duplicates), refused
when malformed (the line named, nothing written); the candidates of a programme; review refused
without coordination notes and accepted with them, in a script and through REST; who reads what.

The programmes here sit in states and years no other test or the demo uses (Uruguay, Mongolia,
2031-2032), and every identifier carries a per-run suffix, so committed records never meet others.
"""

from __future__ import annotations

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes import deconfliction as X
from ta_programmes.api import deconfliction as api
from ta_programmes.exceptions import CoordinationNotesMissingError, IatiFileRefusedError
from ta_programmes.tests import factories as f

OTHER = "Other Agency _test"
REASON = "We train prosecutors; they equip the police forensic lab."


class TestDeconfliction(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.tag = frappe.generate_hash(length=6)
		cls.uy = f.state("Uruguay", "Latin American & Caribbean")
		cls.mn = f.state("Mongolia", "Asia-Pacific")
		f.partner(OTHER, "UN entity")
		cls.cast = f.oversight_cast()
		cls.ext = {k: f"XM-TEST-{cls.tag}-{k}" for k in ("strong", "category", "elsewhere", "short")}
		cls.file = f.iati_xml(cls.activities(cls))
		cls.first_import = f.iati_import(cls.file, f"other-{cls.tag}.xml")
		with f.as_user(f.officer()):
			cls.summary = api.import_iati(cls.first_import)
		# another lead agency's programme, under review, in the same state and area
		cls.other = f.under_review(
			"Other agency UY _test",
			lead_agency=OTHER,
			planned_start="2031-03-01",
			planned_end="2032-06-30",
			beneficiary_states=[{"beneficiary_state": cls.uy, "share": 100}],
			thematic_areas=[{"thematic_area": "Digital Forensics"}],
		)
		# the same lead agency as the programme below: its own portfolio, never a duplicate
		cls.own = f.under_review(
			"Own agency UY _test",
			planned_start="2031-01-01",
			planned_end="2031-12-31",
			beneficiary_states=[{"beneficiary_state": cls.uy, "share": 100}],
			thematic_areas=[{"thematic_area": "Digital Forensics"}],
		)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		"""The REST tests commit: leave nothing that later runs would meet as a candidate (their
		programmes are cancelled, which no check counts, and their external activities deleted)."""
		frappe.db.rollback()
		frappe.set_user("Administrator")
		clear_committed()
		super().tearDownClass()

	def activities(self) -> list[dict]:
		return [
			{
				"id": self.ext["strong"],
				"title": f"Forensic lab UY {self.tag}",
				"countries": ["UY"],
				"sectors": [("15210", "1")],
				"start": "2031-01-01",
				"end": "2031-12-31",
				"budget": 250000,
			},
			{
				"id": self.ext["category"],
				"title": f"Security sector UY {self.tag}",
				"countries": ["UY"],
				"sectors": [("152", "2")],
				"start": "2031-06-01",
				"end": "2032-05-31",
				"budget": 90000,
			},
			{
				"id": self.ext["elsewhere"],
				"title": f"Awareness MN {self.tag}",
				"countries": ["MN"],
				"sectors": [("22040", "1")],
				"start": "2031-01-01",
				"end": "2031-12-31",
			},
			{
				"id": self.ext["short"],
				"title": f"Short UY {self.tag}",
				"countries": ["UY"],
				"sectors": [("15210", "1")],
				"start": "2030-06-01",
				"end": "2031-01-10",
			},
		]

	def programme(self, **kw):
		values = {
			"title": f"Deconfliction _test {frappe.generate_hash(length=6)}",
			"planned_start": "2031-01-01",
			"planned_end": "2032-12-31",
			"beneficiary_states": [
				{"beneficiary_state": self.uy, "share": 60},
				{"beneficiary_state": self.mn, "share": 40},
			],
			"thematic_areas": [{"thematic_area": "Digital Forensics"}],
		}
		values.update(kw)
		name = f.programme(**values)
		f.assess_needs(name)
		return name

	def notes_for(self, name, which):
		return [
			{"candidate_type": kind, "candidate": key, "relation": "Coordinated with", "reason": REASON}
			for kind, key in which
		]

	def strong_refs(self, name):
		return [c.ref for c in X.candidates_for(frappe.get_doc("TA Programme", name)) if c.strong]

	# --- the import ------------------------------------------------------------------------------
	def test_the_import_keeps_what_the_file_says(self):
		self.assertEqual(
			self.summary,
			{
				"activities": 4,
				"created": 4,
				"updated": 0,
				"unchanged": 0,
				"undated": 0,
				"publishers": "Other Publisher _test",
			},
		)
		doc = frappe.get_doc("TA External Activity", self.ext["strong"])
		self.assertEqual(
			(
				doc.reporting_org_ref,
				doc.reporting_org_name,
				str(doc.start),
				str(doc.end),
				doc.budget,
				doc.currency,
			),
			("XM-TEST-OTHER", "Other Publisher _test", "2031-01-01", "2031-12-31", 250000, "USD"),
		)
		self.assertEqual([r.country for r in doc.countries], ["UY"])
		self.assertEqual([(r.code, r.vocabulary) for r in doc.sectors], [("15210", "1")])
		record = frappe.get_doc("TA IATI Import", self.first_import)
		self.assertEqual((record.status, record.created, record.imported_by), ("Imported", 4, f.officer()))

	def test_reimporting_updates_and_never_duplicates(self):
		again = f.iati_import(self.file, f"again-{self.tag}.xml")
		with f.as_user(f.officer()):
			self.assertEqual(api.import_iati(again)["unchanged"], 4)
		changed = self.activities()
		changed[0]["title"] = f"Forensic lab UY, phase 2 {self.tag}"
		changed[1]["countries"] = ["UY", "MN"]
		third = f.iati_import(f.iati_xml(changed), f"changed-{self.tag}.xml")
		# Changing activities already imported can remove a strong match: not an officer's import.
		with f.as_user(f.officer()), self.assertRaises(frappe.PermissionError):
			api.import_iati(third)
		self.assertNotEqual(
			frappe.db.get_value("TA External Activity", self.ext["strong"], "title"), changed[0]["title"]
		)
		with f.as_user(f.MANAGER):
			summary = api.import_iati(third)
		self.assertEqual((summary["created"], summary["updated"], summary["unchanged"]), (0, 2, 2))
		self.assertEqual(
			frappe.db.count("TA External Activity", {"name": ("like", f"XM-TEST-{self.tag}-%")}), 4
		)
		self.assertEqual(
			frappe.db.get_value("TA External Activity", self.ext["strong"], "title"),
			f"Forensic lab UY, phase 2 {self.tag}",
		)
		self.assertEqual(
			sorted(
				frappe.get_all(
					"TA External Country", filters={"parent": self.ext["category"]}, pluck="country"
				)
			),
			["MN", "UY"],
		)

	def test_a_malformed_file_is_refused_naming_the_line_and_nothing_is_written(self):
		good = f.iati_xml(
			[
				{
					"id": f"XM-TEST-{self.tag}-bad-1",
					"countries": ["UY"],
					"sectors": [("15210", "1")],
					"start": "2031-01-01",
				}
			]
		)
		broken = good.replace(
			b"</iati-activities>", b"<iati-activity><iati-identifier>x</iati-identifier>\n</iati-activities>"
		)
		bad_date = f.iati_xml(
			[
				{"id": f"XM-TEST-{self.tag}-bad-2", "countries": ["UY"], "start": "2031-01-01"},
				{"id": f"XM-TEST-{self.tag}-bad-3", "countries": ["UY"], "start": "31/01/2031"},
			]
		)
		for content, line in ((broken, "Line 12"), (bad_date, "Line 14")):
			name = f.iati_import(content, f"bad-{frappe.generate_hash(length=4)}.xml")
			with f.as_user(f.officer()), self.assertRaises(IatiFileRefusedError) as e:
				api.import_iati(name)
			self.assertIn(line, str(e.exception))
			self.assertEqual(frappe.db.get_value("TA IATI Import", name, "status"), "Pending")
		self.assertFalse(
			frappe.db.exists("TA External Activity", {"name": ("like", f"XM-TEST-{self.tag}-bad-%")})
		)

	def test_only_an_xml_file_is_accepted(self):
		with f.as_user(f.officer()):
			file = frappe.get_doc(
				{"doctype": "File", "file_name": f"notes-{self.tag}.txt", "is_private": 1, "content": "x"}
			).insert()
			with self.assertRaises(frappe.ValidationError):
				frappe.get_doc({"doctype": "TA IATI Import", "import_file": file.file_url}).insert()

	def test_reviewers_cannot_import(self):
		with f.as_user(self.cast["ohchr"]), self.assertRaises(frappe.PermissionError):
			api.import_iati(self.first_import)

	# --- candidates ------------------------------------------------------------------------------
	def test_candidates_are_other_agencies_and_publishers_ranked_with_reasons(self):
		name = self.programme()
		found = {c.source.key: c for c in X.candidates_for(frappe.get_doc("TA Programme", name))}
		self.assertNotIn(self.own, found, "the lead agency's own programme is its portfolio")
		self.assertNotIn(self.ext["elsewhere"], found, "Mongolia, but another DAC code")
		self.assertTrue(found[self.other].strong and found[self.ext["strong"]].strong)
		self.assertFalse(found[self.ext["category"]].strong, "a 3-digit category match is weak")
		self.assertFalse(found[self.ext["short"]].strong, "10 days in common")
		reasons = [t.format(*a) for t, a in found[self.other].reasons]
		self.assertIn("Same beneficiary state(s): UY.", reasons)
		self.assertIn("Same thematic area(s): Digital Forensics.", reasons)
		with f.as_user(f.officer()):
			panel = api.programme_candidates(name)
		keys = [r["name"] for r in panel["candidates"]]
		self.assertLess(keys.index(self.ext["strong"]), keys.index(self.ext["category"]))
		self.assertEqual(set(panel["missing"]), {k for _kind, k in self.strong_refs(name)})

	# --- the review gate -------------------------------------------------------------------------
	def test_review_is_refused_without_notes_and_accepted_with_them(self):
		name = self.programme()
		strong = self.strong_refs(name)
		self.assertIn(("TA External Activity", self.ext["strong"]), strong)
		with f.as_user(f.officer()):
			doc = frappe.get_doc("TA Programme", name)
			doc.status = "Under Review"
			with self.assertRaises(CoordinationNotesMissingError) as e:
				doc.save()
			self.assertIn(self.ext["strong"], str(e.exception))
			doc = frappe.get_doc("TA Programme", name)
			doc.status = "Under Review"
			doc.set("coordination_notes", self.notes_for(name, strong[:1]))
			if len(strong) > 1:
				with self.assertRaises(CoordinationNotesMissingError):
					doc.save()
				doc = frappe.get_doc("TA Programme", name)
				doc.status = "Under Review"
			doc.set("coordination_notes", self.notes_for(name, strong))
			doc.save()
		doc = frappe.get_doc("TA Programme", name)
		self.assertEqual(doc.status, "Under Review")
		self.assertTrue(all(r.recorded_by == f.officer() and r.recorded_on for r in doc.coordination_notes))
		self.assertEqual(len(doc.coordination_notes), len(strong), "weak candidates need no note")
		# Under review, the notes stay as the reviewers read them: none removed, none rewritten.
		with f.as_user(f.officer()):
			for change in (
				lambda d: d.set("coordination_notes", []),
				lambda d: setattr(d.coordination_notes[0], "relation", "Complementary"),
			):
				doc = frappe.get_doc("TA Programme", name)
				change(doc)
				with self.assertRaisesRegex(frappe.ValidationError, "stay as the reviewers read them"):
					doc.save()

	def test_an_import_never_gives_an_activity_another_publisher(self):
		moved = self.activities()
		content = f.iati_xml(moved, org=("XM-TEST-ELSE", "Someone else _test"))
		name = f.iati_import(content, f"moved-{self.tag}.xml", as_=f.MANAGER)
		with f.as_user(f.MANAGER), self.assertRaisesRegex(frappe.ValidationError, "another publisher"):
			api.import_iati(name)

	def test_a_note_needs_a_reason_and_a_known_relation(self):
		name = self.programme()
		with f.as_user(f.officer()):
			doc = frappe.get_doc("TA Programme", name)
			doc.append(
				"coordination_notes",
				{
					"candidate_type": "TA External Activity",
					"candidate": self.ext["strong"],
					"relation": "No overlap",
					"reason": "ok",
				},
			)
			with self.assertRaises(frappe.ValidationError):
				doc.save()

	def test_review_through_rest_is_refused_without_notes_and_the_recorder_is_the_servers(self):
		name = self.programme()
		strong = self.strong_refs(name)
		headers = f.api_auth(f.officer())
		frappe.db.commit()
		refused = f.rest(
			"PUT", f"/api/resource/TA Programme/{name}", headers=headers, json={"status": "Under Review"}
		)
		self.assertEqual(refused.status_code, 417, refused.get_data(as_text=True)[:300])
		self.assertEqual(refused.json["exc_type"], "CoordinationNotesMissingError")
		notes = [
			{**n, "recorded_by": "Administrator", "recorded_on": "2099-01-01 00:00:00"}
			for n in self.notes_for(name, strong)
		]
		accepted = f.rest(
			"PUT",
			f"/api/resource/TA Programme/{name}",
			headers=headers,
			json={"status": "Under Review", "coordination_notes": notes},
		)
		self.assertEqual(accepted.status_code, 200, accepted.get_data(as_text=True)[:500])
		frappe.db.rollback()
		doc = frappe.get_doc("TA Programme", name)
		self.assertEqual(doc.status, "Under Review")
		self.assertEqual({r.recorded_by for r in doc.coordination_notes}, {f.officer()})
		self.assertNotIn("2099", {str(r.recorded_on)[:4] for r in doc.coordination_notes})

	# --- who reads what --------------------------------------------------------------------------
	def test_donors_read_neither_notes_nor_external_activities_and_reviewers_read_both(self):
		donor_user = f.user(f"dec-donor-{self.tag}@tests.ta.example", "TA Donor")
		donor = f.donor(f"Dec Donor {self.tag} _test", users=[donor_user])
		name = self.programme(funding_lines=[{"donor": donor, "amount": 1000, "currency": "USD"}])
		strong = self.strong_refs(name)
		f.set_status(name, "Under Review", f.officer())  # the factory records the notes
		self.assertTrue(frappe.get_doc("TA Programme", name).coordination_notes)
		headers = {u: f.api_auth(u) for u in (donor_user, self.cast["ohchr"])}
		frappe.db.commit()
		read = f.rest("GET", f"/api/resource/TA Programme/{name}", headers=headers[donor_user])
		self.assertEqual(read.status_code, 200)
		self.assertFalse(read.json["data"].get("coordination_notes"))
		read = f.rest("GET", f"/api/resource/TA Programme/{name}", headers=headers[self.cast["ohchr"]])
		self.assertEqual(len(read.json["data"]["coordination_notes"]), len(strong))
		with f.as_user(donor_user):
			self.assertTrue(frappe.has_permission("TA Programme", "read", doc=name))
			for doctype in ("TA External Activity", "TA IATI Import"):
				with self.assertRaises(frappe.PermissionError):
					frappe.get_list(doctype)
			self.assertEqual(
				frappe.get_list(
					"TA Coordination Note", filters={"parent": name}, parent_doctype="TA Programme"
				),
				[],
			)
			with self.assertRaises(frappe.PermissionError):
				api.programme_candidates(name)
		with f.as_user(self.cast["ohchr"]):
			self.assertEqual(len(frappe.get_doc("TA Programme", name).coordination_notes), len(strong))
			self.assertTrue(frappe.get_list("TA External Activity", filters={"name": self.ext["strong"]}))
			self.assertTrue(api.programme_candidates(name)["candidates"])


def clear_committed() -> None:
	states = frappe.get_all(
		"TA Programme State",
		filters={"parenttype": "TA Programme", "beneficiary_state": ("in", ["Uruguay", "Mongolia"])},
		pluck="parent",
	)
	for name in frappe.get_all(
		"TA Programme", filters={"name": ("in", states or [""]), "title": ("like", "%_test%")}, pluck="name"
	):
		frappe.db.set_value("TA Programme", name, "status", "Cancelled", update_modified=False)
	for name in frappe.get_all("TA External Activity", filters={"name": ("like", "XM-TEST-%")}, pluck="name"):
		if not name.startswith("XM-TEST-MATRIX"):
			frappe.delete_doc("TA External Activity", name, force=True, ignore_permissions=True)
	frappe.db.commit()
