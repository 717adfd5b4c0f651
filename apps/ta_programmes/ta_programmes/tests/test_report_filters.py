"""Every script report of the app answers a refused filter with a message, never by raising:
Frappe v15 leaves its 15-second "prepared report" timer running when a script report raises, and
the report then turns into a background-prepared report for everyone."""

import frappe
from frappe.tests.utils import FrappeTestCase

BAD = {
	"group_by": "Nonsense",
	"light": "purple",
	"programme": "' or 1=1 --",
	"from_year": "year one",
	"to_year": "99999",
	"from_date": "2026-13-40",
	"to_date": "not a date",
	"period": {"a": 1},
	"beneficiary_state": ["x"],
}


class TestReportFilters(FrappeTestCase):
	def test_no_script_report_raises_on_bad_filters(self):
		from frappe.desk.query_report import run

		frappe.set_user("Administrator")
		reports = frappe.get_all(
			"Report", filters={"module": "Technical Assistance", "report_type": "Script Report"}, pluck="name"
		)
		self.assertTrue(reports)
		for report in reports:
			for key, value in BAD.items():
				with self.subTest(report=report, filter=key):
					result = run(report, filters={key: value})
					self.assertIsInstance(result.get("result"), list)
			self.assertFalse(frappe.db.get_value("Report", report, "prepared_report"), report)

	def test_report_endpoints_refuse_filters_that_are_not_an_object(self):
		from ta_programmes.tests import factories as f

		auth = f.api_auth(f.user("report-filters@tests.ta.example", "TA Programme Manager"))
		frappe.db.commit()
		# both API versions: Frappe routes v2 method calls through the same overrides
		for path in (
			"/api/method/frappe.desk.query_report.run",
			"/api/v2/method/frappe.desk.query_report.run",
		):
			for filters in ('"x"', "[1, 2]", "not json", "3"):
				with self.subTest(path=path, filters=filters):
					response = f.rest(
						"POST",
						path,
						headers=auth,
						json={"report_name": "TA Oversight Balance", "filters": filters},
					)
					self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:300])
		self.assertFalse(frappe.db.get_value("Report", "TA Oversight Balance", "prepared_report"))
