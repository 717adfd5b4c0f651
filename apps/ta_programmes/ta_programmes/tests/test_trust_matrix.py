"""The permission matrix, generated from the declared table ``core.access.VISIBILITY``: every
doctype of the app (child tables included) x every TA role and Guest x every read path —
``frappe.get_list`` (with ``parent`` for child tables), ``frappe.client.get_list``, ``get``,
``get_value``, ``get_count`` (the overridden ``frappe.client.get_count`` too), ``reportview.get``
and ``get_count``, report export, ``search_link``, REST ``/api/resource`` — returns exactly the
records the table allows, or a permission error when it allows none.

The records are made once with every child table filled, for two programmes funded by two
different donors, so that "funded" and "own" have something to leave out.
"""

from __future__ import annotations

import csv
import io
import itertools
import json

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.core import access as A
from ta_programmes.tests import factories as f

EMAIL = "matrix-{}@tests.ta.example"


def past_permission(call, *args):
	"""Call, counting a validation error (no roster, no e-mail account) as having passed the
	permission check; a permission error propagates."""
	try:
		call(*args)
	except frappe.PermissionError:
		raise
	except frappe.ValidationError:
		frappe.local.message_log = []


def role_key(role: str) -> str:
	return role.replace("TA ", "").replace("&", "").replace(" ", "").lower()


class TestTrustMatrix(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.users = {role: f.user(EMAIL.format(role_key(role)), role) for role in A.ROLES if role != "Guest"}
		cls.users["Guest"] = "Guest"
		donor_user = cls.users[A.DONOR]
		cls.donor_a = f.donor("Matrix Donor A _test", users=[donor_user])
		cls.donor_b = (
			f.donor("Matrix Donor B _test", users=["matrix-other@tests.ta.example"])
			if frappe.db.exists("User", "matrix-other@tests.ta.example")
			else f.donor("Matrix Donor B _test", users=[f.user("matrix-other@tests.ta.example", A.DONOR)])
		)
		cls.programmes = {}
		f.outgoing_email_account()  # the follow-ups of monitoring_records are e-mailed
		cast = f.oversight_cast()
		for key, donor in (("a", cls.donor_a), ("b", cls.donor_b)):
			name = f.under_review(
				f"Matrix {key} _test",
				funding_lines=[{"donor": donor, "amount": 50000, "currency": "USD"}],
				partners=[{"partner": f.partner()}],
			)
			with f.as_user(f.officer()):
				frappe.get_doc(
					{
						"doctype": "TA Human Rights Review",
						"programme": name,
						"risk_level": "Medium",
						"rationale": "Matrix",
						"risks": [
							{
								"category": "Surveillance misuse",
								"description": "Risk _test",
								"likelihood": "Low",
								"impact": "Low",
							}
						],
						"mitigations": [{"measure": "Vetting _test", "status": "In place"}],
					}
				).submit()
			f.sign(name, cast["ohchr"], kind="OHCHR")
			f.sign(
				name,
				cast["civil"][0],
				organisation=cast["orgs"][0],
				decision="Endorse with conditions",
				conditions=[{"condition": "Condition _test", "status": "In place"}],
			)
			f.set_status(name, "Approved", f.MANAGER)
			cls.programmes[key] = name
			cls.fill_activity(name, key)
			f.monitoring_records(name, key)
			f.deconfliction_records(name, key)
			f.oversight_balance_records(key)
		cls.oversee(cls.programmes["a"])
		for key, name in cls.programmes.items():  # after the matrix's reviewer signed a (not b) off
			f.concern_records(name, key)
		cls.fill_masters()
		frappe.db.commit()
		cls.expected = {doctype: cls.expected_names(doctype) for doctype in A.VISIBILITY}
		cls.every = {doctype: cls.all_names(doctype) for doctype in A.VISIBILITY}
		# A doctype with no record would pass every read path without being tested.
		empty = sorted(d for d, names in cls.every.items() if not names)
		assert not empty, f"the matrix has no record of {empty}: add one to its factory"

	# --- data ----------------------------------------------------------------------------------
	@classmethod
	def fill_activity(cls, programme, key):
		trainer = f.trainer(f"matrix-trainer-{key}@tests.ta.example")
		activity = f.activity_doc(
			programme,
			title=f"Matrix activity {key} _test",
			status="Approved",
			start="2026-04-0{} 09:00:00".format(6 if key == "a" else 8),
			end="2026-04-0{} 12:00:00".format(6 if key == "a" else 8),
			trainers=[{"trainer": trainer, "hours": 3}],
		).insert()
		activity.status = "Postponed"
		activity.save()

	@classmethod
	def oversee(cls, programme):
		"""The matrix's civil-society reviewer speaks for an accredited organisation that signed
		programme a (and not b): it sees the concern reports about a alone."""
		org = "Matrix Oversight Org _test"
		if not frappe.db.exists("TA Partner Organisation", org):
			frappe.get_doc(
				{
					"doctype": "TA Partner Organisation",
					"organisation_name": org,
					"sector": "Civil Society",
					"regional_group": "Eastern European",
					"accredited_for_oversight": 1,
					"accredited_on": "2025-01-01",
					"reviewers": [{"user": cls.users["TA Civil Society Reviewer"]}],
				}
			).insert(ignore_permissions=True)
		f.sign(programme, cls.users["TA Civil Society Reviewer"], organisation=org)

	@classmethod
	def fill_masters(cls):
		state = frappe.get_doc("TA Beneficiary State", "Kenya")
		if not state.institutions:
			state.append(
				"institutions", {"institution_name": "Matrix Police _test", "institution_type": "Police"}
			)
			state.save()
		trainer = frappe.get_doc("TA Trainer", f.trainer("matrix-trainer-a@tests.ta.example"))
		if not trainer.expertise:
			trainer.append("expertise", {"thematic_area": "Digital Forensics"})
			trainer.append("languages", {"language": "en"})
			trainer.append(
				"unavailability",
				{"from_datetime": "2030-01-01 00:00:00", "to_datetime": "2030-01-02 00:00:00"},
			)
			trainer.append(
				"conflict_declarations", {"declared_on": "2026-01-01", "description": "None _test"}
			)
			trainer.save()

	@classmethod
	def funded(cls) -> set[str]:
		return set(
			frappe.get_all(
				"TA Funding Line",
				filters={"donor": cls.donor_a, "parenttype": "TA Programme"},
				pluck="parent",
			)
		)

	@classmethod
	def all_names(cls, doctype: str) -> set[str]:
		parent = A.CHILDREN.get(doctype, (None, None))[0]
		if frappe.get_meta(doctype).issingle:
			return {doctype}
		return set(frappe.get_all(doctype, filters={"parenttype": parent} if parent else {}, pluck="name"))

	@classmethod
	def expected_names(cls, doctype: str) -> dict[str, set[str] | None]:
		"""role -> the names it must see (None: refused outright)."""
		parent = A.CHILDREN.get(doctype, (None, None))[0]
		meta = frappe.get_meta(doctype)
		if meta.issingle:
			every = {doctype}
		elif parent:
			every = set(frappe.get_all(doctype, filters={"parenttype": parent}, pluck="name"))
		else:
			every = set(frappe.get_all(doctype, pluck="name"))
		funded = cls.funded()
		out: dict[str, set[str] | None] = {}
		for role in A.ROLES:
			rule = A.VISIBILITY[doctype][role]
			if rule == "all":
				out[role] = every
			elif rule == "none":
				out[role] = (
					None
					if A.VISIBILITY.get(parent or doctype, {}).get(role) == "none" or not parent
					else set()
				)
			elif rule == "own":
				column = "parent" if parent else "name"
				out[role] = (
					set(frappe.get_all(doctype, filters={column: cls.donor_a}, pluck="name"))
					if parent
					else {cls.donor_a}
				)
			elif rule == "overseen":
				# Concerns about programmes the reviewer's organisation signed off before they came in.
				signed = frappe.get_all(
					"TA Oversight Sign-off",
					filters={"signer": cls.users[role], "docstatus": 1, "kind": "Civil Society"},
					fields=["programme", "signed_on"],
				)
				concerns = {
					c.name
					for c in frappe.get_all("TA Concern Report", fields=["name", "programme", "received_on"])
					if any(s.programme == c.programme and s.signed_on <= c.received_on for s in signed)
				}
				out[role] = (
					set(frappe.get_all(doctype, filters={"parent": ("in", list(concerns) or [""]), "parenttype": parent}, pluck="name"))
					if parent
					else concerns
				)
				assert out[role], f"the matrix has no {doctype} the civil-society reviewer oversees"
			elif doctype == "TA Programme":
				out[role] = funded
			elif doctype == "TA Activity":
				out[role] = set(
					frappe.get_all("TA Activity", filters={"programme": ("in", list(funded))}, pluck="name")
				)
			elif parent == "TA Programme":
				out[role] = set(
					frappe.get_all(
						doctype, filters={"parent": ("in", list(funded)), "parenttype": parent}, pluck="name"
					)
				)
			elif parent == "TA Activity":
				acts = frappe.get_all(
					"TA Activity", filters={"programme": ("in", list(funded))}, pluck="name"
				)
				out[role] = set(
					frappe.get_all(
						doctype, filters={"parent": ("in", acts or [""]), "parenttype": parent}, pluck="name"
					)
				)
		return out

	def tearDown(self):
		frappe.set_user("Administrator")

	# --- helpers -------------------------------------------------------------------------------
	def cases(self):
		for doctype in sorted(A.VISIBILITY):
			if frappe.get_meta(doctype).issingle:
				continue
			for role in A.ROLES:
				yield doctype, role, self.expected[doctype][role]

	def check_listing(self, path: str, doctype: str, role: str, expected, call):
		with self.subTest(path=path, doctype=doctype, role=role):
			frappe.set_user(self.users[role])
			frappe.local.message_log = []
			try:
				got = call()
			except frappe.PermissionError:
				self.assertFalse(
					expected,
					f"{role} was refused {doctype} through {path}, but may see {len(expected or ())} rows",
				)
				return
			finally:
				frappe.set_user("Administrator")
			self.assertIsNotNone(
				expected, f"{role} must be refused {doctype} through {path}; got {len(got)} rows"
			)
			leaked = set(got) - expected
			self.assertFalse(
				leaked, f"{role} saw {doctype} rows it must not through {path}: {sorted(leaked)[:5]}"
			)
			self.assertEqual(set(got), expected, f"{role} missed {doctype} rows through {path}")

	# --- list paths ----------------------------------------------------------------------------
	def test_get_list_and_client_get_list_with_and_without_parent(self):
		from frappe.client import get_list

		for doctype, role, expected in self.cases():
			parent = A.CHILDREN.get(doctype, (None, None))[0]
			if parent:
				self.check_listing(
					"frappe.client.get_list(parent=…)",
					doctype,
					role,
					expected,
					lambda: [
						r.name for r in get_list(doctype, fields=["name"], parent=parent, limit_page_length=0)
					],
				)
				self.check_listing(
					"frappe.get_list(parent_doctype=…)",
					doctype,
					role,
					expected,
					lambda: frappe.get_list(doctype, parent_doctype=parent, pluck="name", limit=0),
				)
				# without a parent a child table is refused to everyone but Administrator
				self.check_listing(
					"frappe.client.get_list(no parent)",
					doctype,
					role,
					None,
					lambda: [r.name for r in get_list(doctype, fields=["name"], limit_page_length=0)],
				)
			else:
				self.check_listing(
					"frappe.get_list",
					doctype,
					role,
					expected,
					lambda: frappe.get_list(doctype, pluck="name", limit=0),
				)
				self.check_listing(
					"frappe.client.get_list",
					doctype,
					role,
					expected,
					lambda: [r.name for r in get_list(doctype, fields=["name"], limit_page_length=0)],
				)

	def test_reportview_get_count_and_export(self):
		from frappe.desk import reportview

		for doctype, role, expected in self.cases():
			if doctype in A.CHILDREN:
				continue

			def view():
				frappe.local.form_dict = frappe._dict(
					doctype=doctype, fields=json.dumps(["name"]), page_length=0
				)
				out = reportview.get()
				return [row[0] for row in out.get("values", [])] if out else []

			def count():
				frappe.local.form_dict = frappe._dict(doctype=doctype, filters=json.dumps([]))
				n = reportview.get_count()
				return [f"#{i}" for i in range(n)]

			def export():
				frappe.local.form_dict = frappe._dict(
					doctype=doctype,
					fields=json.dumps([f"`tab{doctype}`.`name`"]),
					file_format_type="CSV",
					filters=json.dumps([]),
				)
				frappe.response.pop("filecontent", None)
				reportview.export_query()
				content = frappe.response.get("filecontent") or b""
				content = content.decode("utf-8-sig") if isinstance(content, bytes) else content
				rows = list(csv.reader(io.StringIO(content)))
				column = rows[0].index("ID") if rows else 0
				return [r[column] for r in rows[1:] if r]

			self.check_listing("reportview.get", doctype, role, expected, view)
			exporter = role != "Guest" and any(
				p.role == role and p.export and not p.permlevel for p in frappe.get_meta(doctype).permissions
			)
			self.check_listing(
				"reportview.export_query", doctype, role, expected if exporter else None, export
			)
			numbered = None if expected is None else {f"#{i}" for i in range(len(expected))}
			self.check_listing("reportview.get_count", doctype, role, numbered, count)

	def test_get_count_through_the_api_counts_only_what_may_be_listed(self):
		from ta_programmes.api.guard import get_count

		for doctype, role, expected in self.cases():
			if doctype in A.CHILDREN:
				continue
			numbered = None if expected is None else {f"#{i}" for i in range(len(expected))}
			self.check_listing(
				"frappe.client.get_count",
				doctype,
				role,
				numbered,
				lambda: [f"#{i}" for i in range(get_count(doctype))],
			)
		self.assertEqual(
			frappe.get_hooks("override_whitelisted_methods")["frappe.client.get_count"][-1],
			"ta_programmes.api.guard.get_count",
		)

	def test_search_link_offers_only_what_may_be_seen(self):
		from frappe.desk.search import search_link

		for doctype, role, expected in self.cases():
			if doctype in A.CHILDREN:
				continue

			def search():
				return [r["value"] for r in search_link(doctype, "", page_length=10_000)]

			self.check_listing("search_link", doctype, role, expected, search)

	# --- single-record paths -----------------------------------------------------------------------
	def test_get_and_get_value_of_every_record_by_name(self):
		from frappe.client import get, get_value

		for doctype, role, expected in self.cases():
			parent = A.CHILDREN.get(doctype, (None, None))[0]
			every = self.every[doctype]
			for name in sorted(every)[:40]:
				allowed = expected is not None and name in expected

				def one():
					doc = get(doctype, name, parent=parent) if parent else get(doctype, name)
					return [doc["name"]]

				def value():
					row = get_value(doctype, "name", {"name": name}, parent=parent)
					return [row["name"]] if row else []

				self.check_listing("frappe.client.get", doctype, role, {name} if allowed else None, one)
				self.check_listing(
					"frappe.client.get_value",
					doctype,
					role,
					({name} if allowed else (set() if expected is not None else None)),
					value,
				)

	def test_documents_returned_to_donors_leave_out_the_tables_they_may_not_read(self):
		from frappe.client import get

		frappe.set_user(self.users[A.DONOR])
		for parent, field in A.PERMLEVEL_1_TABLES:
			visible = self.expected[parent][A.DONOR]
			for name in sorted(visible):
				with self.subTest(parent=parent, name=name):
					self.assertNotIn(field, {k for k, v in get(parent, name).items() if v})
		frappe.set_user(self.users["TA M&E Officer"])
		activity = sorted(self.expected["TA Activity"][A.DONOR])[0]
		self.assertTrue(
			get("TA Activity", activity)["trainers"], "staff still read the trainers of an activity"
		)

	# --- REST --------------------------------------------------------------------------------------
	def test_rest_resource_list_and_read(self):
		headers = {role: (f.api_auth(user) if user != "Guest" else {}) for role, user in self.users.items()}
		frappe.db.commit()
		for doctype, role, expected in self.cases():
			if doctype in A.CHILDREN:
				continue
			with self.subTest(path="REST list", doctype=doctype, role=role):
				response = f.rest(
					"GET", f"/api/resource/{doctype}?limit_page_length=0", headers=headers[role]
				)
				if expected is None:
					self.assertIn(response.status_code, (401, 403), response.get_data(as_text=True)[:200])
				else:
					self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
					self.assertEqual({r["name"] for r in response.json["data"]}, expected)
			hidden = sorted(self.every[doctype] - (expected or set()))[:2]
			shown = sorted(expected or set())[:1]
			for name in hidden + shown:
				with self.subTest(path="REST read", doctype=doctype, role=role, name=name):
					response = f.rest("GET", f"/api/resource/{doctype}/{name}", headers=headers[role])
					self.assertEqual(
						response.status_code,
						200 if name in shown else 403,
						response.get_data(as_text=True)[:200],
					)

	# --- the app's reports and whitelisted methods --------------------------------------------------
	def test_query_reports_refuse_guests_and_keep_donors_to_what_they_fund(self):
		from frappe.desk.query_report import run

		# each report as each role, with each of its groupings: a role the report names runs it
		# (a column that links to a doctype the role cannot read must not stop it), others are refused
		variants = {"TA Assistance Delivered": [{}, *({"group_by": g} for g in ("Programme", "Programme and State", "Beneficiary State"))]}
		for report in frappe.get_all("Report", filters={"module": "Technical Assistance"}, pluck="name"):
			named = set(frappe.get_all("Has Role", filters={"parent": report, "parenttype": "Report"}, pluck="role"))
			for role, filters in itertools.product(A.ROLES, variants.get(report, [{}])):
				with self.subTest(report=report, role=role, filters=filters):
					may_run = role != "Guest" and bool(named & set(frappe.get_roles(self.users[role])))
					frappe.set_user(self.users[role])
					try:
						result = run(report, filters=dict(filters))
					except frappe.PermissionError:
						self.assertFalse(may_run, f"{role} is named by {report} but was refused")
						continue
					finally:
						frappe.set_user("Administrator")
					self.assertNotEqual(role, "Guest", f"Guest ran {report}")
					self.assertTrue(may_run, f"{role} ran {report}, which does not name it")
					if role == A.DONOR:
						names = {
							r.get("programme") or r.get("name")
							for r in result["result"]
							if isinstance(r, dict)
						}
						self.assertLessEqual(
							names - {None, ""}, self.expected["TA Programme"][A.DONOR], report
						)

	def test_whitelisted_methods_follow_the_table(self):
		from ta_programmes import oversight
		from ta_programmes import results as M
		from ta_programmes.api import calendar, schedule
		from ta_programmes.api import donor as donor_api
		from ta_programmes.api import results as results_api

		programme = self.programmes["a"]
		activity = sorted(self.expected["TA Activity"][A.DONOR])[0]
		follow_up = frappe.get_value("TA Follow-up", {"programme": programme}, "name")
		calls = {
			# method: (call, the doctype whose visibility decides, the permission it needs)
			"oversight.get_checklist": (
				lambda: oversight.get_checklist(programme),
				"TA Oversight Sign-off",
				"read",
			),
			"schedule.schedule_in_my_zone": (
				lambda: schedule.schedule_in_my_zone(activity),
				"TA Activity",
				"read",
			),
			"schedule.find_trainers": (lambda: schedule.find_trainers(activity), "TA Activity", "write"),
			"donor.statement": (
				lambda: donor_api.statement("2026-01", "2026-12", donor=self.donor_a),
				"TA Donor",  # and TA Programme: a reviewer, who reads programmes but no donor, is refused
				"read",
			),
			"calendar.get_events": (
				lambda: calendar.get_events("2026-01-01", "2027-01-01"),
				"TA Activity",
				"read",
			),
			"results.programme_panel": (
				lambda: results_api.programme_panel(programme),
				"TA Indicator",
				"read",
			),
			"results.make_links": (lambda: M.make_links(follow_up, 1), "TA Follow-up", "write"),
			"results.send_links": (lambda: past_permission(M.send_links, follow_up), "TA Follow-up", "write"),
			"schedule.generate_sessions": (
				lambda: schedule.generate_sessions(
					activity, "Africa/Nairobi", "2026-05-04", "2026-05-15", "MO,WE", "09:00", "12:00"
				),
				"TA Activity",
				"write",
			),
		}
		for method, (call, doctype, ptype) in calls.items():
			for role in A.ROLES:
				if role == "Guest":
					continue
				may = any(
					p.role == role and p.get(ptype) and not p.permlevel
					for p in frappe.get_meta(doctype).permissions
				)
				with self.subTest(method=method, role=role):
					frappe.set_user(self.users[role])
					try:
						call()
						self.assertTrue(may, f"{role} called {method}")
					except frappe.PermissionError:
						self.assertFalse(may, f"{role} was refused {method}")
					finally:
						frappe.set_user("Administrator")

	# --- what the attack on the demo site found, as regressions ----------------------------------------
	def donor_rest(self, method, path, **kw):
		headers = f.api_auth(self.users[A.DONOR])
		frappe.db.commit()
		return f.rest(method, path, headers=headers, **kw)

	def test_a_mention_of_a_donor_on_a_hidden_record_carries_nothing(self):
		"""Frappe mails an @mention's comment to the mentioned user without asking whether they may
		read the record: a donor is not offered for mentions, and a notification about a record it
		may not read keeps neither the text nor the title."""
		donor = self.users[A.DONOR]
		self.assertEqual(frappe.db.get_value("User", donor, "allowed_in_mentions"), 0)
		hidden = frappe.get_all("TA Oversight Sign-off", pluck="name", limit=1)
		funded = sorted(self.expected["TA Programme"][A.DONOR])[0]
		self.assertTrue(hidden)
		for doctype, name, kept in (("TA Oversight Sign-off", hidden[0], False), ("TA Programme", funded, True)):
			log = frappe.get_doc(
				{
					"doctype": "Notification Log", "for_user": donor, "type": "Mention", "document_type": doctype,
					"document_name": name, "subject": "Mentioned on SECRET-TITLE", "email_content": "<p>SECRET-COMMENT</p>",
				}
			).insert(ignore_permissions=True)
			text = f"{log.subject} {log.email_content or ''}"
			self.assertEqual("SECRET-COMMENT" in text, kept, doctype)
			self.assertEqual("SECRET-TITLE" in text, kept, doctype)

	def test_a_donor_cannot_name_hidden_tables_or_fields_in_any_request(self):
		from urllib.parse import quote

		funded = sorted(self.expected["TA Programme"][A.DONOR])[0]
		probes = [
			"/api/resource/TA Programme?fields=" + quote('["name","`tabTA Funding Line`.amount"]'),
			"/api/resource/TA Programme?filters=" + quote('[["TA Funding Line","amount",">",1]]'),
			"/api/resource/TA Activity?fields=" + quote('["name","`tabTA Activity Trainer`.trainer_name"]'),
			"/api/resource/TA Activity?filters="
			+ quote('[["TA Activity Trainer","trainer_name","like","%a%"]]'),
			"/api/resource/TA Activity?fields=" + quote('["`tabTA Activity Postponement`.postponed_by"]'),
			"/api/resource/TA Programme?filters=" + quote('[["gate_alert","like","%objects%"]]'),
			"/api/method/frappe.client.get_value?doctype=TA%20Programme&fieldname="
			+ quote('["name","`tabTA Funding Line`.amount"]'),
			"/api/method/frappe.client.get_count?doctype=TA%20Programme&filters="
			+ quote('[["TA Funding Line","amount",">",1]]'),
			"/api/method/ta_programmes.api.calendar.get_events?start=2026-01-01&end=2027-01-01&filters="
			+ quote('[["TA Activity Trainer","trainer_name","like","%a%"]]'),
			# the table's field name instead of its doctype, and JSON escapes decoded only by the endpoint
			"/api/resource/TA Programme?fields=" + quote('["name","funding_lines.amount"]'),
			"/api/resource/TA Activity?fields=" + quote('["name","trainers.trainer_name"]'),
			"/api/resource/TA Programme?fields=" + quote('["name","`tabTA Funding\\u0020Line`.amount"]'),
			"/api/resource/TA Programme?filters=" + quote('[["gate\\u005falert","like","%a%"]]'),
			"/api/method/frappe.core.doctype.user.user.get_roles?uid="
			+ quote(self.users["TA OHCHR Reviewer"]),
			# a bare child field in a filter: Frappe joins the child table on its own (second attack)
			"/api/method/frappe.desk.listview.get_group_by_count?doctype=TA%20Programme&field=name&current_filters="
			+ quote('{"amount":[">=",1]}'),
			"/api/method/frappe.desk.listview.get_group_by_count?doctype=TA%20Activity&field=name&current_filters="
			+ quote('[["hours",">",0]]'),
			"/api/method/frappe.desk.search.search_link?doctype=TA%20Programme&txt=&filters="
			+ quote('{"donor":["like","E%"]}'),
			"/api/resource/TA Programme?filters=" + quote('[["TA Programme","amount",">",1]]'),
		]
		for path in probes:
			with self.subTest(path=path):
				self.assertEqual(self.donor_rest("GET", path).status_code, 403)
		read = self.donor_rest("GET", f"/api/resource/TA Programme/{funded}")
		self.assertEqual(read.status_code, 200)
		self.assertFalse(read.json["data"].get("gate_alert"))
		self.assertNotIn("funding_lines", {k for k, v in read.json["data"].items() if v})

	def test_a_donor_gets_no_history_timeline_other_users_or_linked_oversight_documents(self):
		funded = sorted(self.expected["TA Programme"][A.DONOR])[0]
		unfunded = sorted(
			self.expected["TA Programme"]["TA Administrator"] - self.expected["TA Programme"][A.DONOR]
		)[0]
		doc = self.donor_rest(
			"GET", f"/api/method/frappe.desk.form.load.getdoc?doctype=TA%20Programme&name={funded}"
		)
		self.assertEqual(doc.status_code, 200, doc.get_data(as_text=True)[:300])
		docinfo = doc.json["docinfo"]
		for key in ("versions", "comments", "info_logs", "attachments"):
			self.assertFalse(docinfo.get(key), key)
		users = self.donor_rest("GET", "/api/resource/User?limit_page_length=0")
		self.assertEqual({u["name"] for u in users.json.get("data", [])}, {self.users[A.DONOR]})
		linked = self.donor_rest(
			"GET",
			f"/api/method/frappe.desk.form.linked_with.get_submitted_linked_docs?doctype=TA%20Programme&name={unfunded}",
		)
		self.assertEqual(linked.status_code, 403)
		# staff keep their timeline
		headers = f.api_auth(self.users["TA M&E Officer"])
		frappe.db.commit()
		staff = f.rest(
			"GET",
			f"/api/method/frappe.desk.form.load.getdoc?doctype=TA%20Programme&name={funded}",
			headers=headers,
		)
		self.assertTrue(staff.json["docinfo"].get("info_logs"), "staff keep the timeline")
