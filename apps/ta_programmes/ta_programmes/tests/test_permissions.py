"""Each role tries what it must not do, through the paths a user has: frappe.get_list,
get_doc().save()/insert()/delete, frappe.client, and the REST API over the real WSGI app.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.tests import factories as f

EMAIL = "{}@tests.ta.example"
ROLES = {
	"reviewer": "TA OHCHR Reviewer",
	"civil": "TA Civil Society Reviewer",
	"mne": "TA M&E Officer",
	"officer": "TA Programme Officer",
	"manager": "TA Programme Manager",
	"taadmin": "TA Administrator",
	"donora": "TA Donor",
	"donorb": "TA Donor",
}


class TestPermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.users = {key: f.user(EMAIL.format(key), role) for key, role in ROLES.items()}
		cls.donor_a = f.donor("Perm Donor A _test", users=[cls.users["donora"]])
		cls.donor_b = f.donor("Perm Donor B _test", users=[cls.users["donorb"]])
		cls.prog_a = f.programme(
			title="Funded by A _test", funding_lines=[{"donor": cls.donor_a, "amount": 1000, "currency": "USD"}]
		)
		cls.prog_b = f.programme(
			title="Funded by B _test", funding_lines=[{"donor": cls.donor_b, "amount": 1000, "currency": "USD"}]
		)
		cls.act_b = frappe.db.get_value("TA Activity", {"programme": cls.prog_b}) or (
			f.activity_doc(cls.prog_b, title="Activity of B _test").insert().name
		)
		cls.trainer = f.trainer()
		frappe.db.commit()  # the REST calls run in their own request and connection

	def tearDown(self):
		frappe.set_user("Administrator")

	def as_user(self, key):
		frappe.set_user(self.users[key])

	# --- read-only roles -------------------------------------------------------------------
	def test_reviewers_and_mne_read_but_cannot_write_create_or_delete_programmes(self):
		for key in ("reviewer", "civil", "mne"):
			with self.subTest(role=ROLES[key]):
				self.as_user(key)
				names = frappe.get_list("TA Programme", pluck="name", limit=0)
				self.assertIn(self.prog_a, names)
				doc = frappe.get_doc("TA Programme", self.prog_a)
				doc.title = "Changed by a reviewer"
				self.assertRaises(frappe.PermissionError, doc.save)
				self.assertRaises(frappe.PermissionError, f.programme_doc(title="New by reviewer").insert)
				self.assertRaises(frappe.PermissionError, frappe.delete_doc, "TA Programme", self.prog_a)
				activity = frappe.get_doc("TA Activity", self.act_b)
				activity.title = "Changed"
				self.assertRaises(frappe.PermissionError, activity.save)

	def test_officer_edits_but_cannot_delete_or_touch_masters(self):
		self.as_user("officer")
		doc = f.programme_doc(title="Officer's own _test").insert()
		doc.objectives = "Updated by the officer"
		doc.save()
		self.assertRaises(frappe.PermissionError, frappe.delete_doc, "TA Programme", doc.name)
		donor = frappe.get_doc("TA Donor", self.donor_a)
		donor.website = "https://example.org"
		self.assertRaises(frappe.PermissionError, donor.save)
		state = frappe.get_doc("TA Beneficiary State", "Kenya")
		state.status = "Suspended"
		state.suspension_reason = "x"
		self.assertRaises(frappe.PermissionError, state.save)

	def test_manager_cannot_delete_but_ta_administrator_can(self):
		self.as_user("manager")
		doc = f.programme_doc(title="To delete _test").insert()
		self.assertRaises(frappe.PermissionError, frappe.delete_doc, "TA Programme", doc.name)
		self.as_user("taadmin")
		frappe.delete_doc("TA Programme", doc.name)
		self.assertFalse(frappe.db.exists("TA Programme", doc.name))

	# --- donors ----------------------------------------------------------------------------
	def test_donor_lists_only_what_it_funds(self):
		self.as_user("donora")
		names = frappe.get_list("TA Programme", pluck="name", limit=0)
		self.assertIn(self.prog_a, names)
		self.assertNotIn(self.prog_b, names)
		self.assertNotIn(self.act_b, frappe.get_list("TA Activity", pluck="name", limit=0))
		self.assertEqual(frappe.get_list("TA Donor", pluck="name", limit=0), [self.donor_a])
		# report view and count paths use the same query conditions
		from frappe.desk.reportview import get_count

		frappe.local.form_dict = frappe._dict(doctype="TA Programme", filters=json.dumps({"name": self.prog_b}))
		self.assertEqual(get_count(), 0)

	def test_donor_cannot_open_another_donors_programme(self):
		from frappe.client import get, get_value

		self.as_user("donora")
		self.assertTrue(frappe.has_permission("TA Programme", "read", self.prog_a))
		self.assertFalse(frappe.has_permission("TA Programme", "read", self.prog_b))
		self.assertRaises(frappe.PermissionError, get, "TA Programme", self.prog_b)
		self.assertRaises(frappe.PermissionError, get, "TA Activity", self.act_b)
		self.assertRaises(frappe.PermissionError, get, "TA Donor", self.donor_b)
		self.assertFalse(get_value("TA Programme", "title", {"name": self.prog_b}))
		self.assertRaises(frappe.PermissionError, get, "TA Trainer", self.trainer)

	def test_donor_cannot_write_its_own_programme(self):
		self.as_user("donora")
		doc = frappe.get_doc("TA Programme", self.prog_a)
		doc.title = "Donor edit"
		self.assertRaises(frappe.PermissionError, doc.save)

	# --- REST API --------------------------------------------------------------------------
	def rest(self, method, path, key=None, body=None):
		headers = f.api_auth(self.users[key]) if key else {}
		frappe.db.commit()
		return f.rest(method, path, headers=headers, json=body)

	def test_rest_donor_sees_own_and_is_refused_others(self):
		ok = self.rest("GET", f"/api/resource/TA Programme/{self.prog_a}", "donora")
		self.assertEqual(ok.status_code, 200, ok.get_data(as_text=True)[:300])
		self.assertEqual(ok.json["data"]["title"], "Funded by A _test")
		self.assertEqual(self.rest("GET", f"/api/resource/TA Programme/{self.prog_b}", "donora").status_code, 403)
		self.assertEqual(self.rest("GET", f"/api/resource/TA Activity/{self.act_b}", "donora").status_code, 403)
		listing = self.rest("GET", "/api/resource/TA Programme?limit_page_length=0", "donora").json["data"]
		self.assertEqual({row["name"] for row in listing} & {self.prog_a, self.prog_b}, {self.prog_a})
		via_client = self.rest(
			"GET", f"/api/method/frappe.client.get?doctype=TA Programme&name={self.prog_b}", "donora"
		)
		self.assertEqual(via_client.status_code, 403)

	def test_rest_reviewer_cannot_write(self):
		put = self.rest("PUT", f"/api/resource/TA Programme/{self.prog_a}", "reviewer", {"title": "Hijacked"})
		self.assertEqual(put.status_code, 403)
		post = self.rest("POST", "/api/resource/TA Programme", "civil", {"title": "Injected"})
		self.assertEqual(post.status_code, 403)
		delete = self.rest("DELETE", f"/api/resource/TA Programme/{self.prog_a}", "mne")
		self.assertEqual(delete.status_code, 403)
		self.assertEqual(frappe.db.get_value("TA Programme", self.prog_a, "title"), "Funded by A _test")

	def test_rest_guest_gets_nothing(self):
		for path in (
			"/api/resource/TA Programme",
			f"/api/resource/TA Programme/{self.prog_a}",
			"/api/resource/TA Trainer",
			f"/api/method/frappe.client.get?doctype=TA Programme&name={self.prog_a}",
		):
			with self.subTest(path=path):
				self.assertEqual(self.rest("GET", path).status_code, 403)

	def test_rest_validation_error_is_a_clear_417_not_a_500(self):
		# As on the demo site (see README): API clients get the message, never a traceback.
		before = frappe.get_system_settings("allow_error_traceback")
		frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)

		def restore():
			frappe.db.set_single_value("System Settings", "allow_error_traceback", before)
			frappe.db.commit()

		self.addCleanup(restore)
		body = {"title": "Bad shares", "objectives": "x", "planned_start": "2026-01-01", "planned_end": "2026-12-31",
				"lead_agency": f.partner(), "programme_officer": self.users["officer"],
				"beneficiary_states": [{"beneficiary_state": "Kenya", "share": 70}],
				"thematic_areas": [{"thematic_area": "Digital Forensics"}]}
		response = self.rest("POST", "/api/resource/TA Programme", "officer", body)
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:500])
		self.assertEqual(response.json["exc_type"], "InvalidSharesError")
		messages = [json.loads(m)["message"] for m in json.loads(response.json["_server_messages"])]
		self.assertIn("add up to 70%", messages[0])
		self.assertNotIn("Traceback (most recent call last)", response.get_data(as_text=True))


class TestDisabledUsers(FrappeTestCase):
	def test_a_disabled_users_api_key_opens_nothing(self):
		email = f.user("disabled-donor@tests.ta.example", "TA Donor")
		frappe.db.set_value("User", email, "enabled", 1)
		auth = f.api_auth(email)
		frappe.db.commit()
		self.assertEqual(f.rest("GET", "/api/method/frappe.auth.get_logged_user", headers=auth).status_code, 200)
		frappe.db.set_value("User", email, "enabled", 0)
		frappe.db.commit()
		frappe.clear_cache(user=email)
		for path in ("/api/method/frappe.auth.get_logged_user", "/api/resource/TA Programme", "/my-programmes"):
			response = f.rest("GET", path, headers=auth)
			self.assertIn(response.status_code, (401, 403), path)
			self.assertNotIn(email, response.get_data(as_text=True))
