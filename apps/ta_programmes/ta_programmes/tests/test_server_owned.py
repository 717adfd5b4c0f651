"""Every field the server owns (``core.access.SERVER_OWNED``), written through REST by every role
that may write its document, on an existing record and on a new one: whatever the client sends
is ignored (the stored value stays, or the server's own value is set) or the write is refused.
Also through Data Import."""

from __future__ import annotations

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import get_decrypted_password

from ta_programmes.core import access as A
from ta_programmes.tests import factories as f

BOGUS = {
	"Date": "2099-12-31",
	"Datetime": "2099-12-31 23:59:59",
	"Check": 1,
	"Float": 987654.0,
	"Currency": 987654.0,
	"Percent": 99.5,
	"Int": 987654,
	"Link": "Administrator",
	"Data": "tampered",
	"Small Text": "tampered",
	"Code": '{"tampered": true}',
	"Password": "tampered-token",
	"Select": "tampered",
}


def bogus_for(doctype: str, field: str):
	df = frappe.get_meta(doctype).get_field(field)
	if df.fieldtype == "Table":
		child = frappe.get_meta(df.options)
		return [{c.fieldname: BOGUS[c.fieldtype] for c in child.fields if c.fieldtype in BOGUS and c.fieldtype != "Link"}]
	if df.fieldtype == "Link" and df.options != "User":
		return frappe.db.get_value(df.options, {}, "name") or "tampered"
	return BOGUS[df.fieldtype]


def writers(doctype: str) -> list[str]:
	return sorted(
		{p.role for p in frappe.get_meta(doctype).permissions if p.write and not p.permlevel and p.role.startswith("TA ")}
	)


class TestServerOwnedFields(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cast = f.oversight_cast()
		cls.cast = cast
		cls.users = {role: f.user(f"owned-{role[3:].replace(' ', '').replace('&', '').lower()}@tests.ta.example", role)
					 for role in A.ROLES if role != "Guest"}
		programme = f.approved("Owned fields _test")
		draft = f.under_review("Owned drafts _test")
		with f.as_user(f.officer()):
			review = frappe.get_doc(
				{"doctype": "TA Human Rights Review", "programme": draft, "risk_level": "Low", "rationale": "x"}
			).insert()
		civil, org = cast["civil"][0], cast["orgs"][0]
		with f.as_user(civil):
			signoff = frappe.get_doc(
				{"doctype": "TA Oversight Sign-off", "programme": draft, "kind": "Civil Society", "organisation": org,
				 "decision": "Object", "comments": "Unit implicated.", "coi_declaration": f.NO_CONFLICT}
			).insert()
		objection = f.sign(draft, cast["civil"][1], organisation=cast["orgs"][1], decision="Object", comments="Unit implicated.")
		with f.as_user(f.MANAGER):
			override = frappe.get_doc(
				{"doctype": "TA Objection Override", "objection": objection.name, "justification": "y" * 40}
			).insert()
		activity = f.activity_doc(programme, title="Owned activity _test", status="Planned").insert()
		cls.records = {
			"TA Programme": programme,
			"TA Activity": activity.name,
			"TA Beneficiary State": "Kenya",
			"TA Human Rights Review": review.name,
			"TA Oversight Sign-off": signoff.name,
			"TA Objection Override": override.name,
			"TA Trainer": f.trainer("owned-trainer@tests.ta.example"),
			**{d: n for d, n in f.monitoring_records(programme).items() if d != "TA Follow-up Response"},
			"TA IATI Import": f.deconfliction_records(programme, "owned")["TA IATI Import"],
			**f.concern_records(programme, "owned"),
		}
		# Sign-offs and overrides are written by their signer / recorder only.
		cls.authors = {"TA Oversight Sign-off": civil, "TA Objection Override": f.MANAGER}
		frappe.db.commit()

	def test_every_doctype_with_owned_fields_is_covered(self):
		"""Generated coverage: a record here for every doctype that owns fields and that a role may
		write (answers to follow-ups are written by nobody: Guests create them through the web form)."""
		expected = {d for d in A.SERVER_OWNED if d not in A.CHILDREN and writers(d)}
		self.assertEqual(expected - set(self.records), set())

	def stored(self, doctype: str, name: str) -> dict:
		doc = frappe.get_doc(doctype, name)
		out = {}
		for field in A.SERVER_OWNED[doctype]:
			df = doc.meta.get_field(field)
			if df.fieldtype == "Table":
				out[field] = [tuple(r.get(c.fieldname) for c in r.meta.fields) for r in doc.get(field)]
			elif df.fieldtype == "Password":
				out[field] = get_decrypted_password(doctype, name, field, raise_exception=False)
			else:
				out[field] = doc.get(field)
		return out

	def test_every_owned_field_written_through_rest_by_every_writer_is_ignored_or_refused(self):
		for doctype, name in self.records.items():
			payload = {field: bogus_for(doctype, field) for field in A.SERVER_OWNED[doctype]}
			roles = writers(doctype)
			self.assertTrue(roles, doctype)
			for role in roles:
				user = self.authors.get(doctype) if doctype in self.authors else self.users[role]
				if doctype in self.authors and role not in frappe.get_roles(user):
					continue
				with self.subTest(doctype=doctype, role=role):
					before = self.stored(doctype, name)
					headers = f.api_auth(user)
					frappe.db.commit()
					response = f.rest("PUT", f"/api/resource/{doctype}/{name}", headers=headers, json=payload)
					self.assertIn(response.status_code, (200, 403, 417), response.get_data(as_text=True)[:300])
					frappe.db.rollback()
					self.assertEqual(self.stored(doctype, name), before, f"{role} changed a server-owned field of {doctype}")

	def test_a_new_record_gets_the_servers_values_not_the_clients(self):
		officer = self.users["TA Programme Officer"]
		body = json.loads(frappe.as_json(f.programme_doc(title="Owned on insert _test").as_dict(no_default_fields=True)))
		for key in ("doctype",):
			body.pop(key, None)
		body.update({field: bogus_for("TA Programme", field) for field in A.SERVER_OWNED["TA Programme"]})
		body["funding_lines"] = [{"donor": f.donor(), "amount": 1000, "currency": "USD", "base_amount": 987654}]
		headers = f.api_auth(officer)
		frappe.db.commit()
		response = f.rest("POST", "/api/resource/TA Programme", headers=headers, json=body)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		doc = frappe.get_doc("TA Programme", response.json["data"]["name"])
		self.assertFalse(doc.approved_by or doc.approved_on or doc.gate_alert or doc.suspended_on)
		self.assertEqual(doc.budget, 1000)
		self.assertEqual(doc.funding_lines[0].base_amount, 1000)

	def test_sessions_utc_times_are_computed_not_taken(self):
		activity = frappe.get_doc("TA Activity", self.records["TA Activity"])
		activity.sessions[0].start_utc = "2099-01-01 00:00:00"
		activity.save()
		self.assertNotEqual(str(frappe.db.get_value("TA Activity Session", activity.sessions[0].name, "start_utc"))[:4], "2099")

	def test_data_import_cannot_write_owned_fields(self):
		from frappe.core.doctype.data_import.importer import Importer

		name = self.records["TA Programme"]
		before = self.stored("TA Programme", name)
		csv = "ID,Approved By,Oversight Alert,Last Suspended On\n" + f"{name},Administrator,tampered,2099-12-31 00:00:00\n"
		file = frappe.get_doc(doctype="File", content=csv, file_name="ta_owned_import_test.csv", is_private=1).save(
			ignore_permissions=True
		)
		data_import = frappe.get_doc(
			{"doctype": "Data Import", "import_type": "Update Existing Records", "reference_doctype": "TA Programme",
			 "import_file": file.file_url}
		).insert()
		frappe.db.commit()
		Importer("TA Programme", data_import=data_import).import_data()
		logs = frappe.get_all("Data Import Log", filters={"data_import": data_import.name}, fields=["success", "messages"])
		self.assertTrue(logs and logs[0].success, logs)  # the row was imported ...
		self.assertEqual(self.stored("TA Programme", name), before)  # ... and the owned fields kept
