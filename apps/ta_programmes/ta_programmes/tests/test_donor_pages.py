"""The donor's programme pages (/my-programmes/<programme>) and the donor statement PDF
(ta_programmes.api.donor.statement): every donor sees only what it funds, other roles and Guest
are refused (no data in the refusal), and the figures equal an independent count of the activities.

Two donors: A funds P1 (70%, with B 30%) and P2 (alone); B funds P1 and P3 (alone). P1 has
activities delivered in 2025 and 2026 with trainer fees, one with fewer than k participants,
and one still scheduled."""

from __future__ import annotations

import io
import json
import unicodedata
from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.tests import factories as f

EMAIL = "donorpage-{}@tests.ta.example"
STATEMENT = "/api/method/ta_programmes.api.donor.statement"


def pdf_text(data: bytes) -> str:
	from pypdf import PdfReader

	text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
	return " ".join(unicodedata.normalize("NFKC", text).split())


def make_records(key: str = "") -> dict:
	"""The two donors, their users and the three programmes (committed); returns their names."""
	frappe.set_user("Administrator")
	f.oversight_cast()
	users = {d: f.user(EMAIL.format(f"{d}{key}"), "TA Donor") for d in ("a", "b")}
	donors = {d: f.donor(f"Donor page {d.upper()}{key} _test", users=[users[d]]) for d in ("a", "b")}
	trainer = f.trainer(
		f"donorpage-trainer{key}@tests.ta.example", daily_rate=800, rate_currency="USD", sector="Academia"
	)
	lines = {
		"p1": [
			{"donor": donors["a"], "amount": 70000, "currency": "USD"},
			{"donor": donors["b"], "amount": 30000, "currency": "USD"},
		],
		"p2": [{"donor": donors["a"], "amount": 50000, "currency": "USD"}],
		"p3": [{"donor": donors["b"], "amount": 40000, "currency": "USD"}],
	}
	programmes = {
		p: f.approved(f"Donor page {p.upper()} _test", funding_lines=lines[p], planned_start=date(2025, 1, 1))
		for p in lines
	}
	p1, p3 = programmes["p1"], programmes["p3"]
	# P1: delivered in Nov 2025 (8 h: 800), Feb 2026 (4 h: 400, 3 participants) and Mar 2026 in
	# Ghana (12 h: 1200); one scheduled. P3: one delivered (B's only).
	for end, hours, participants, state in (
		("2025-11-14 12:00:00", 8, 20, "Kenya"),
		("2026-02-13 12:00:00", 4, 3, "Kenya"),
		("2026-03-13 12:00:00", 12, 16, "Ghana"),
	):
		name = f.delivered_activity(
			p1, end=end, beneficiary_state=state, trainers=[{"trainer": trainer, "hours": hours}]
		)
		doc = frappe.get_doc("TA Activity", name)
		doc.actual_participants, doc.participants_women, doc.participants_men = participants, participants, 0
		doc.save()  # through the controller: the rollup follows
	f.activity_doc(
		p1,
		title="Scheduled _test",
		status="Scheduled",
		start="2026-11-10 09:00:00",
		end="2026-11-10 12:00:00",
	).insert()
	f.delivered_activity(p3, title="Other donor's _test", end="2026-04-10 12:00:00")
	frappe.db.commit()
	return {"users": users, "donors": donors, "programmes": programmes, "trainer": trainer}


def browser_data() -> str:
	"""For tests/browser/test_donor_flow.py (``bench execute``): the records, printed as JSON."""
	records = make_records(f"-b{frappe.generate_hash(length=4)}")
	data = {
		"donor_user": records["users"]["a"],
		"password": f.PASSWORD,
		"programme": records["programmes"]["p1"],
		"title": frappe.db.get_value("TA Programme", records["programmes"]["p1"], "title"),
		"other_title": frappe.db.get_value("TA Programme", records["programmes"]["p3"], "title"),
	}
	print(json.dumps(data))
	return data["programme"]


class TestDonorPages(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.set_single_value("TA Transparency Settings", "suppression_k", 5)
		records = make_records(f"-{frappe.generate_hash(length=4)}")  # new donors and trainer each run
		cls.users, cls.donors, cls.programmes = records["users"], records["donors"], records["programmes"]
		cls.titles = {p: frappe.db.get_value("TA Programme", n, "title") for p, n in cls.programmes.items()}

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "en"

	def get(self, path: str, user: str | None = None, **query):
		from urllib.parse import urlencode

		headers = f.api_auth(user) if user else {}
		frappe.db.commit()
		return f.rest("GET", path + ("?" + urlencode(query) if query else ""), headers=headers)

	# --- independent counts -------------------------------------------------------------------------
	def delivered(self, programme: str, start: str | None = None, end: str | None = None) -> list:
		filters = {"programme": programme, "status": "Delivered"}
		if start:
			filters["end"] = ("between", [start + " 00:00:00", end + " 23:59:59"])
		return frappe.get_all(
			"TA Activity",
			filters=filters,
			fields=["name", "end", "trainer_fees", "actual_participants", "beneficiary_state"],
		)

	def test_the_programme_page_figures_equal_an_independent_count(self):
		from ta_programmes.transparency.donor import donor_programme

		p1 = self.programmes["p1"]
		acts = self.delivered(p1)
		self.assertEqual(len(acts), 3)
		spent = sum(float(a.trainer_fees) for a in acts)
		self.assertEqual(spent, 2400.0)  # (8 + 4 + 12) h x 800 / 8
		frappe.set_user(self.users["a"])
		page = donor_programme([self.donors["a"]], p1)
		self.assertEqual(page["commitment"], "$70,000.00")
		self.assertEqual(page["budget"], "$100,000.00")
		self.assertEqual(page["spent"], "$2,400.00")
		self.assertEqual(page["ours"], "$1,680.00")  # 70% of the spending
		self.assertEqual(page["share"], "70%")
		self.assertEqual(page["used"], "2%")  # 1 680 of 70 000
		years = {r["label"]: r for r in page["by_year"]}
		self.assertEqual(years["2025"]["activities"], "1")
		self.assertEqual(years["2026"]["activities"], "2")
		self.assertEqual(years["2025"]["participants"], "20")
		self.assertEqual(years["2026"]["participants"], "19")  # 3 + 16: the small count is inside a year
		self.assertEqual(years["Total"]["activities"], "3")
		states = {r["label"]: r for r in page["by_state"]}
		self.assertEqual((states["Kenya"]["activities"], states["Ghana"]["activities"]), ("2", "1"))
		self.assertEqual((states["Kenya"]["participants"], states["Ghana"]["participants"]), ("23", "16"))
		spending = {r["year"]: r for r in page["spending"]}
		self.assertEqual((spending["2025"]["spent"], spending["2025"]["ours"]), ("$800.00", "$560.00"))
		self.assertEqual((spending["2026"]["spent"], spending["2026"]["ours"]), ("$1,600.00", "$1,120.00"))
		self.assertEqual(
			{r["status"]: r["count"] for r in page["progress"]}, {"Delivered": "3", "Scheduled": "1"}
		)
		self.assertIn("sign-off", page["oversight"])
		# B's view of the same programme: its 30%
		self.assertEqual(donor_programme([self.donors["b"]], p1)["ours"], "$720.00")

	def test_a_small_count_is_suppressed_and_cannot_be_worked_out(self):
		from ta_programmes.transparency.donor import _breakdown

		rows = [
			frappe._dict(year=2025, activities=1, participants=20),
			frappe._dict(year=2026, activities=1, participants=3),
		]
		out = _breakdown(rows, "year", 5, "en", str)
		self.assertEqual(out[1]["participants"], "<5")
		self.assertIn("x", (out[0]["participants"], out[2]["participants"]))

	def test_a_donor_gets_nothing_of_a_programme_it_does_not_fund(self):
		from ta_programmes.transparency.donor import donor_programme

		self.assertIsNone(donor_programme([self.donors["a"]], self.programmes["p3"]))
		self.assertIsNone(donor_programme([self.donors["a"]], "TAP-NO-SUCH"))
		self.assertIsNone(donor_programme([], self.programmes["p1"]))

	# --- the pages over HTTP -----------------------------------------------------------------------------
	def test_every_donor_sees_only_what_it_funds(self):
		funded = {"a": ("p1", "p2"), "b": ("p1", "p3")}
		for d, mine in funded.items():
			listing = self.get("/my-programmes", self.users[d]).get_data(as_text=True)
			for p, name in self.programmes.items():
				page = self.get(f"/my-programmes/{name}", self.users[d])
				body = page.get_data(as_text=True)
				if p in mine:
					self.assertEqual(page.status_code, 200, body[:300])
					self.assertIn(self.titles[p], body)
					self.assertIn(f'href="/my-programmes/{name}"', listing)
				else:
					self.assertEqual(page.status_code, 403, (d, p))
					self.assertNotIn(self.titles[p], body)
					self.assertIn("does not fund this one", body)
					self.assertNotIn(f"/my-programmes/{name}", listing)

	def test_guest_staff_and_unknown_programmes_are_refused_without_data(self):
		p1 = self.programmes["p1"]
		staff = f.user(EMAIL.format("manager"), "TA Programme Manager")
		for user, path in (
			(None, f"/my-programmes/{p1}"),
			(staff, f"/my-programmes/{p1}"),
			(self.users["a"], "/my-programmes/TAP-NO-SUCH"),
			(self.users["a"], "/my-programmes/%3Cscript%3E"),
		):
			response = self.get(path, user)
			body = response.get_data(as_text=True)
			self.assertEqual(response.status_code, 403, (user, path, body[:200]))
			self.assertNotIn(self.titles["p1"], body)
			self.assertNotIn("$70,000", body)

	def test_the_page_is_translated(self):
		body = self.get(f"/my-programmes/{self.programmes['p1']}", self.users["a"], _lang="fr").get_data(
			as_text=True
		)
		self.assertIn("Dépenses par rapport à notre engagement", body)
		self.assertIn("70\u202f000,00", body.replace("\xa0", "\u202f"))

	# --- the statement -----------------------------------------------------------------------------------
	def test_the_statement_figures_equal_an_independent_count(self):
		from ta_programmes.transparency.donor import statement_figures

		frappe.set_user(self.users["a"])
		figures = {
			p.name: p for p in statement_figures([self.donors["a"]], date(2026, 1, 1), date(2026, 12, 31))
		}
		self.assertEqual(set(figures), {self.programmes["p1"], self.programmes["p2"]})
		acts = self.delivered(self.programmes["p1"], "2026-01-01", "2026-12-31")
		p1 = figures[self.programmes["p1"]]
		self.assertEqual(p1.activities, len(acts))
		self.assertEqual(p1.spent, sum(float(a.trainer_fees) for a in acts))
		self.assertEqual(p1.participants, sum(a.actual_participants for a in acts))
		self.assertEqual((p1.commitment, p1.budget), (70000.0, 100000.0))
		self.assertEqual(figures[self.programmes["p2"]].activities, 0)
		# the months bound the period: February alone holds the small activity
		feb = {p.name: p for p in statement_figures([self.donors["a"]], date(2026, 2, 1), date(2026, 2, 28))}
		self.assertEqual(
			(feb[self.programmes["p1"]].activities, feb[self.programmes["p1"]].spent), (1, 400.0)
		)

	def test_a_donor_downloads_its_statement_and_only_its_own(self):
		response = self.get(STATEMENT, self.users["a"], from_month="2026-01", to_month="2026-12")
		self.assertEqual(response.status_code, 200, response.data[:300])
		self.assertEqual(response.headers["Content-Type"].split(";")[0], "application/pdf")
		text = pdf_text(response.data)
		self.assertIn(self.titles["p1"], text)
		self.assertIn(self.titles["p2"], text)
		self.assertNotIn(self.titles["p3"], text)
		self.assertIn("$1,120.00", text)  # 70% of the 1 600 spent in 2026
		self.assertIn(self.donors["a"], text)
		refused = self.get(
			STATEMENT, self.users["a"], from_month="2026-01", to_month="2026-12", donor=self.donors["b"]
		)
		self.assertEqual(refused.status_code, 403)
		self.assertNotIn(b"%PDF", refused.data[:10])

	def test_staff_name_the_donor_guest_and_bad_periods_are_refused(self):
		staff = f.user(EMAIL.format("manager"), "TA Programme Manager")
		response = self.get(
			STATEMENT, staff, from_month="2026-01", to_month="2026-12", donor=self.donors["b"]
		)
		self.assertEqual(response.status_code, 200, response.data[:300])
		text = pdf_text(response.data)
		self.assertIn(self.titles["p3"], text)
		self.assertNotIn(self.titles["p2"], text)
		self.assertEqual(
			self.get(STATEMENT, staff, from_month="2026-01", to_month="2026-12").status_code, 417
		)
		self.assertEqual(
			self.get(
				STATEMENT, staff, from_month="2026-01", to_month="2026-12", donor="No such donor"
			).status_code,
			404,
		)
		guest = self.get(STATEMENT, None, from_month="2026-01", to_month="2026-12", donor=self.donors["a"])
		self.assertEqual(guest.status_code, 403)
		nobody = f.user(EMAIL.format("nobody"))
		self.assertEqual(
			self.get(
				STATEMENT, nobody, from_month="2026-01", to_month="2026-12", donor=self.donors["a"]
			).status_code,
			403,
		)
		for bad in ({"from_month": "2026-05", "to_month": "2026-04"}, {"from_month": "x"}, {}):
			response = self.get(STATEMENT, self.users["a"], **bad)
			self.assertEqual(response.status_code, 417, (bad, response.get_data(as_text=True)[:300]))

	def test_the_statement_in_arabic(self):
		response = self.get(STATEMENT, self.users["a"], from_month="2026-01", to_month="2026-12", _lang="ar")
		self.assertEqual(response.status_code, 200, response.data[:300])
		text = pdf_text(response.data)
		self.assertIn(unicodedata.normalize("NFKC", "كشف الجهة المانحة"), text)
		self.assertIn(self.titles["p1"], text)
