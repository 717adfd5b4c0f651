"""Money is never added across currencies: the public report gives budgets and commitments per
currency, and a trainer paid in another currency than the programme's is converted at a funding
line's exchange rate or refused with a clear message."""

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes import transparency as T
from ta_programmes.exceptions import InvalidValueError
from ta_programmes.tests import factories as f


class TestMoney(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.donor = f.donor("Money Donor _test")
		cls.eur = f.approved(
			"Money in EUR _test", currency="EUR",
			funding_lines=[{"donor": cls.donor, "amount": 200000, "currency": "EUR"}],
		)
		cls.usd = f.approved(
			"Money in USD _test", funding_lines=[
				{"donor": cls.donor, "amount": 100000, "currency": "USD"},
				{"donor": f.donor("Money Donor NOK _test"), "amount": 1000000, "currency": "NOK", "exchange_rate": 0.1},
			],
		)

	def test_budgets_and_commitments_are_per_currency(self):
		report = T.public_report(T.Filters(programmes=[self.eur, self.usd]))
		budget = next(c["value"] for c in report["cards"] if c["label"] == "Budget of approved programmes")
		self.assertEqual(budget, "€200K; $200K")  # per currency, in short, as the reader's language writes it
		donors = next(t for t in report["tables"] if t["id"] == "by-donor")
		mine = [row for row in donors["rows"] if row[0] == self.donor]
		self.assertEqual(len(mine), 2, mine)  # one line per currency, not one sum
		self.assertTrue(any("€" in row[2] or "EUR" in row[2] for row in mine), mine)

	def test_a_trainer_paid_in_another_currency_is_converted_or_refused(self):
		nok = f.trainer("money-nok@tests.ta.example", daily_rate=8000, rate_currency="NOK")
		activity = f.activity_doc(
			self.usd, title="Paid in NOK _test", start="2026-06-01 09:00:00", end="2026-06-01 17:00:00",
			trainers=[{"trainer": nok, "hours": 8}],
		).insert()
		self.assertEqual(activity.trainer_fees, 800.0)  # 8000 NOK × 0.1, in the programme's USD
		chf = f.trainer("money-chf@tests.ta.example", daily_rate=1000, rate_currency="CHF")
		with self.assertRaisesRegex(InvalidValueError, "paid in CHF"):
			f.activity_doc(
				self.usd, title="Paid in CHF _test", start="2026-06-03 09:00:00", end="2026-06-03 17:00:00",
				trainers=[{"trainer": chf, "hours": 8}],
			).insert()
		self.assertFalse(frappe.db.exists("TA Activity", {"title": "Paid in CHF _test"}))
