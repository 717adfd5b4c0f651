"""Monitoring and evaluation on a real site: every path of the results framework, needs
assessments, learning tests, rosters, follow-ups (scheduler, links, the Guest web form), impact
reviews and the published results (page, donor view, IATI)."""

from __future__ import annotations

import json
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from ta_programmes import results as M
from ta_programmes.exceptions import (
	DuplicateRowError,
	FollowUpLinkError,
	InvalidDateRangeError,
	InvalidIndicatorValueError,
	InvalidResultLinkError,
	InvalidValueError,
	MissingValueError,
	NegativeValueError,
	NotReadyError,
)
from ta_programmes.tests import factories as f


def iati_schema():
	import importlib.util
	import os

	from lxml import etree

	spec = importlib.util.find_spec("iati")
	xsd = os.path.join(os.path.dirname(spec.origin), "resources/standard/2-03/schemas/iati-activities-schema.xsd")
	return etree.XMLSchema(etree.parse(xsd))


class TestNeedsAssessment(FrappeTestCase):
	def test_review_needs_every_state_assessed_with_its_request(self):
		name = f.programme(title=f"Needs _test {frappe.generate_hash(length=5)}")
		with f.as_user(f.officer()):
			doc = frappe.get_doc("TA Programme", name)
			doc.status = "Under Review"
			with self.assertRaises(NotReadyError) as e:
				doc.save()
		self.assertIn("Kenya", str(e.exception))
		f.assess_needs(name)
		f.set_status(name, "Under Review", f.officer())
		self.assertEqual(frappe.db.get_value("TA Programme", name, "status"), "Under Review")

	def test_a_closed_programme_keeps_its_states_and_a_locked_request_keeps_its_file(self):
		name = f.approved("Closed states _test")
		frappe.db.set_value("TA Programme", name, "status", "Cancelled")
		doc = frappe.get_doc("TA Programme", name)
		doc.beneficiary_states[1].share = 30
		doc.append("beneficiary_states", {"beneficiary_state": f.state("Peru", "Latin American & Caribbean"), "share": 10})
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		request = frappe.db.get_value("TA Needs Assessment", {"programme": name}, "request_document")
		file = frappe.get_doc("File", {"file_url": request})
		file.file_url = f.request_file("Elsewhere")
		with f.as_user(f.officer()), self.assertRaises(frappe.PermissionError):
			file.save(ignore_permissions=True)

	def test_an_assessment_read_by_reviewers_is_locked_and_a_new_state_needs_one(self):
		name = f.under_review("Needs lock _test")
		existing = frappe.get_doc("TA Needs Assessment", {"programme": name, "beneficiary_state": "Kenya"})
		existing.gaps = "rewritten after the reviewers read it"
		with self.assertRaises(frappe.ValidationError):
			existing.save()
		with self.assertRaises(frappe.ValidationError):
			existing.delete()
		# the state's request stays too (as the officer, who could otherwise delete the file)
		frappe.get_doc({"doctype": "File", "file_url": existing.request_document, "file_name": "copy.txt", "is_private": 1}).insert(
			ignore_permissions=True
		)
		with f.as_user(f.officer()), self.assertRaises(frappe.PermissionError):
			frappe.get_doc("File", {"file_url": existing.request_document}).delete(ignore_permissions=True)
		# a state added to a reviewed programme needs its assessment first
		peru = f.state("Peru", "Latin American & Caribbean")

		def add_peru():
			with f.as_user(f.officer()):
				doc = frappe.get_doc("TA Programme", name)
				doc.beneficiary_states[1].share = 20
				doc.append("beneficiary_states", {"beneficiary_state": peru, "share": 20})
				doc.save()

		with self.assertRaises(NotReadyError):
			add_peru()
		f.assess_needs(name, [peru])
		add_peru()
		draft = f.programme(title=f"Needs twice _test {frappe.generate_hash(length=4)}")
		f.assess_needs(draft)
		with self.assertRaises(DuplicateRowError):
			frappe.get_doc(
				{
					"doctype": "TA Needs Assessment", "programme": draft, "beneficiary_state": "Kenya", "assessed_on": "2025-11-01",
					"requested_by": "Ministry", "request_date": "2025-10-01", "request_document": f.request_file("Kenya"),
					"gaps": "g", "priorities": "p",
				}
			).insert()


class TestResultsFramework(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.programme = f.approved("Framework _test")
		cls.framework = f.results_framework(cls.programme)

	def test_an_output_serves_an_outcome_of_the_same_programme(self):
		other = f.approved("Framework other _test")
		with self.assertRaises(InvalidResultLinkError):
			frappe.get_doc(
				{"doctype": "TA Result", "programme": other, "level": "Output", "parent_result": self.framework["outcome"], "code": "9", "title": "x"}
			).insert()
		with self.assertRaises(InvalidResultLinkError):
			frappe.get_doc(
				{"doctype": "TA Result", "programme": self.programme, "level": "Output", "parent_result": self.framework["output"], "code": "9", "title": "x"}
			).insert()
		with self.assertRaises(DuplicateRowError):
			code = frappe.db.get_value("TA Result", self.framework["outcome"], "code")
			frappe.get_doc({"doctype": "TA Result", "programme": self.programme, "level": "Outcome", "code": code, "title": "x"}).insert()

	def test_an_activity_serves_an_output_of_its_programme(self):
		with self.assertRaises(InvalidResultLinkError):
			f.activity_doc(self.programme, title="Serves an outcome _test", result=self.framework["outcome"]).insert()
		name = f.activity_doc(self.programme, title="Serves the output _test", result=self.framework["output"]).insert().name
		self.assertEqual(frappe.db.get_value("TA Activity", name, "result"), self.framework["output"])

	def test_targets_stay_inside_the_programme_and_fit_the_unit(self):
		doc = frappe.get_doc("TA Indicator", self.framework["indicator"])
		doc.append("targets", {"period": "2028", "period_start": "2028-01-01", "period_end": "2028-12-31", "target_value": 5})
		with self.assertRaises(InvalidDateRangeError):
			doc.save()
		with self.assertRaises(InvalidIndicatorValueError):
			f.results_framework(self.programme, unit="Percentage", targets=[
				{"period": "2026", "period_start": "2026-01-01", "period_end": "2026-12-31", "target_value": 120}
			])

	def test_an_actual_is_recorded_once_per_period_with_evidence_and_fits_the_unit(self):
		framework = f.results_framework(self.programme, disaggregation="Sex")
		ind = framework["indicator"]
		first = f.actual(ind, value=14)
		self.assertEqual(first.recorded_by, "Administrator")
		with self.assertRaises(DuplicateRowError):
			f.actual(ind, value=15)
		with self.assertRaises(NegativeValueError):
			f.actual(ind, period="2027", value=-1)
		with self.assertRaises(frappe.ValidationError):
			f.actual(ind, period="2031", value=1)
		with self.assertRaises(MissingValueError):
			f.actual(ind, period="2027", value=3, evidence_link=None)
		f.actual(ind, value=8, category="Women")
		with self.assertRaises(InvalidIndicatorValueError):
			f.actual(ind, value=7, category="Men")  # 8 + 7 > 14
		with self.assertRaises(InvalidIndicatorValueError):
			f.actual(ind, value=1, category="Police")  # not a category of "Sex"
		self.assertEqual(frappe.db.count("TA Indicator Actual", {"indicator": ind}), 2)

	def test_two_categories_saved_at_once_never_exceed_the_total(self):
		ind = f.results_framework(self.programme, disaggregation="Sex")["indicator"]
		f.actual(ind, value=10)
		frappe.db.commit()

		def post(category):
			return lambda: (lambda: f.actual(ind, value=6, category=category))

		results = f.race({"men": post("Men"), "women": post("Women")}, InvalidIndicatorValueError)
		self.assertEqual(sorted(results.values()), ["done", "refused"], results)

	def test_a_percentage_needs_the_number_of_people_it_was_measured_over(self):
		ind = f.results_framework(self.programme, unit="Percentage")["indicator"]
		with self.assertRaises(MissingValueError):
			f.actual(ind, value=40)
		with self.assertRaises(InvalidIndicatorValueError):
			f.actual(ind, value=140, sample_size=20)
		f.actual(ind, value=40, sample_size=20)

	def test_tracking_shows_percent_of_target_and_light(self):
		framework = f.results_framework(self.programme)
		f.actual(framework["indicator"], value=11)  # baseline 2, target 20: half-way
		rows = [r for r in M.tracking([self.programme]) if r.indicator == framework["indicator"]]
		first = next(r for r in rows if r.period == "2026")
		self.assertEqual((first.actual, first.achievement, first.light), (11, 50.0, "red"))
		report = frappe.get_attr("ta_programmes.technical_assistance.report.ta_indicator_progress.ta_indicator_progress.execute")
		_columns, data, _msg, chart = report({"programme": self.programme})
		self.assertTrue(any(r.indicator == framework["indicator"] for r in data))
		self.assertEqual(chart["data"]["labels"], ["2026", "2027"])

	def test_data_import_of_actuals_keeps_every_rule(self):
		from frappe.core.doctype.data_import.importer import Importer

		ind = f.results_framework(self.programme)["indicator"]
		csv = (
			"Indicator,Period,Actual Value,Evidence Link,Recorded By\n"
			f"{ind},2026,9,https://evidence.example.org/a,Guest\n"
			f"{ind},2026,10,https://evidence.example.org/b,\n"  # the same period again
			f"{ind},2027,-3,https://evidence.example.org/c,\n"  # a negative count
			f"{ind},2027,4,,\n"  # no evidence
		)
		file = frappe.get_doc(doctype="File", content=csv, file_name=f"actuals-{ind}.csv", is_private=1).save(ignore_permissions=True)
		data_import = frappe.get_doc(
			{"doctype": "Data Import", "import_type": "Insert New Records", "reference_doctype": "TA Indicator Actual", "import_file": file.file_url}
		).insert()
		Importer("TA Indicator Actual", data_import=data_import).import_data()
		logs = frappe.get_all("Data Import Log", filters={"data_import": data_import.name}, fields=["success", "messages", "row_indexes"], order_by="creation")
		self.assertEqual([bool(log.success) for log in logs], [True, False, False, False], logs)
		messages = " ".join(log.messages or "" for log in logs)
		for text in ("already recorded", "cannot be negative", "evidence"):
			self.assertIn(text, messages)
		stored = frappe.get_all("TA Indicator Actual", filters={"indicator": ind}, fields=["value", "recorded_by"])
		self.assertEqual([(s.value, s.recorded_by) for s in stored], [(9, "Administrator")])

	def test_an_indicator_with_actuals_stays_in_its_programme(self):
		framework = f.results_framework(self.programme)
		f.actual(framework["indicator"])
		other = f.results_framework(f.approved("Framework elsewhere _test"))
		doc = frappe.get_doc("TA Indicator", framework["indicator"])
		doc.result = other["outcome"]
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_what_is_not_a_number_is_refused_clearly_through_rest(self):
		ind = f.results_framework(self.programme)["indicator"]
		headers = f.api_auth(f.user("mne-rest@tests.ta.example", "TA M&E Officer"))
		frappe.db.commit()
		for value in ("abc", "NaN", "Infinity", "1e400", [1], {"a": 1}):
			body = {"indicator": ind, "period": "2027", "value": value, "evidence_link": "https://evidence.example.org/x"}
			response = f.rest("POST", "/api/resource/TA Indicator Actual", headers=headers, json=body)
			self.assertEqual(response.status_code, 417, (value, response.get_data(as_text=True)[:300]))
		response = f.rest("PUT", f"/api/resource/TA Indicator/{ind}", headers=headers, json={"baseline_value": "abc"})
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:300])

	def test_server_owned_figures_cannot_be_sent(self):
		ind = f.results_framework(self.programme)["indicator"]
		doc = frappe.get_doc(
			{
				"doctype": "TA Indicator Actual", "indicator": ind, "period": "2027", "value": 5, "recorded_by": "Guest",
				"recorded_on": "2001-01-01", "evidence_link": "https://evidence.example.org/x",
			}
		).insert()
		self.assertEqual(doc.recorded_by, "Administrator")
		self.assertNotEqual(str(doc.recorded_on)[:4], "2001")


class TestLearning(FrappeTestCase):
	def test_scores_are_pseudonymous_on_the_scale_and_gain_counts_pairs(self):
		activity = f.delivered_activity(f.approved("Learning _test"))
		values = {"doctype": "TA Learning Test", "activity": activity, "max_score": 20}
		with self.assertRaises(InvalidValueError):
			frappe.get_doc({**values, "scores": [{"participant_code": "Amina Diallo", "pre_score": 5, "post_score": 9}]}).insert()
		with self.assertRaises(InvalidIndicatorValueError):
			frappe.get_doc({**values, "scores": [{"participant_code": "P-1", "pre_score": 5, "post_score": 21}]}).insert()
		with self.assertRaises(DuplicateRowError):
			frappe.get_doc({**values, "scores": [{"participant_code": "P-1"}, {"participant_code": "p-1"}]}).insert()
		doc = frappe.get_doc(
			{
				**values, "paired": 99,
				"scores": [
					{"participant_code": "p-1", "pre_score": 8, "post_score": 14},
					{"participant_code": "P-2", "pre_score": 10, "post_score": 20},
					{"participant_code": "P-3", "pre_score": 12},  # left before the post-test
				],
			}
		).insert()
		self.assertEqual((doc.paired, doc.mean_gain, doc.scores[0].participant_code), (2, 8.0, "P-1"))
		self.assertEqual(doc.normalised_gain, 75.0)  # (6/12 + 10/10) / 2


class TestFollowUps(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.programme = f.approved("Follow-up _test")
		cls.activity = f.delivered_activity(cls.programme)

	def follow_up(self, months=3):
		M.create_follow_ups(today="2026-11-30")
		return frappe.get_value("TA Follow-up", {"activity": self.activity, "round_months": months}, "name")

	def test_the_scheduler_creates_the_due_rounds_once_and_tasks_the_officer(self):
		created = M.create_follow_ups(today="2026-11-30")
		rounds = frappe.get_all("TA Follow-up", filters={"activity": self.activity}, pluck="round_months")
		self.assertEqual(sorted(rounds), [3, 6])  # delivered in March: 12 months are not due yet
		self.assertFalse(set(M.create_follow_ups(today="2026-11-30")) & set(created))
		officer = frappe.db.get_value("TA Programme", self.programme, "programme_officer")
		self.assertTrue(frappe.db.exists("ToDo", {"reference_type": "TA Follow-up", "allocated_to": officer, "status": "Open"}))

	def test_follow_ups_are_not_created_by_hand(self):
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": "TA Follow-up", "activity": self.activity, "round_months": 1}).insert()

	def test_a_link_is_answered_once_without_login_and_nothing_ties_the_answer_to_a_person(self):
		fu = self.follow_up()
		token_a, token_b = (link.split("token=")[1] for link in M.issue_links(fu, 2))
		response = f.web_form_answer(token_a, hr_concern=1, concern_details="Unit used the tools on journalists _test")
		self.assertEqual((response.follow_up, response.activity, response.programme), (fu, self.activity, self.programme))
		self.assertEqual(frappe.db.get_value("TA Follow-up", fu, "programme"), self.programme)
		stored = frappe.get_doc("TA Follow-up Response", response.name)
		self.assertFalse(stored.token)
		self.assertEqual(stored.owner, "Guest")
		self.assertNotIn(token_a, json.dumps(stored.as_dict(), default=str))
		self.assertFalse(frappe.db.exists("TA Follow-up Link", {"token_hash": token_a}))
		with self.assertRaises(FollowUpLinkError) as e:
			f.web_form_answer(token_a)
		self.assertIn("already been used", str(e.exception))
		with self.assertRaises(FollowUpLinkError):
			f.web_form_answer(token_b[:-2] + "xx")
		counts = frappe.db.get_value("TA Follow-up", fu, ["invited", "responded", "response_rate", "concerns"], as_dict=True)
		self.assertEqual((counts.invited, counts.responded, counts.response_rate, counts.concerns), (2, 1, 50.0, 1))
		extra = f.web_form_answer(token_b)
		frappe.delete_doc("TA Follow-up Response", extra.name)
		self.assertEqual(frappe.db.get_value("TA Follow-up", fu, "responded"), 1, "counts follow a deleted answer")
		# the concern reaches the oversight reviewers and the programme officer
		told = frappe.get_all(
			"Notification Log", filters={"document_type": "TA Follow-up Response", "document_name": response.name}, pluck="for_user"
		)
		self.assertIn(f.OHCHR, told)
		self.assertIn(frappe.db.get_value("TA Programme", self.programme, "programme_officer"), told)

	def test_not_yet_and_an_empty_number_of_cases_are_answers(self):
		fu = self.follow_up()
		tokens = [link.split("token=")[1] for link in M.issue_links(fu, 3)]
		self.assertEqual(f.web_form_answer(tokens[0], applied_skill="Not yet", cases="").cases, None)
		self.assertEqual(f.web_form_answer(tokens[1], applied_skill="Yes", cases="").applied_skill, "Yes")
		with self.assertRaises(frappe.ValidationError):
			f.web_form_answer(tokens[2], cases="abc")
		with self.assertRaises(frappe.ValidationError):
			f.web_form_answer(tokens[2], hr_concern=1, concern_details="x" * 70_000)
		frappe.db.commit()
		for data in ("not json", '"a string"', "null", "[1]", "[" * 50_000):
			response = f.rest(
				"POST", "/api/method/frappe.website.doctype.web_form.web_form.accept", json={"web_form": "follow-up", "data": data}
			)
			self.assertIn(response.status_code, (417, 429), (data, response.get_data(as_text=True)[:200]))

	def test_staff_cannot_see_which_link_was_answered(self):
		fu = self.follow_up()
		M.issue_links(fu, 2)
		frappe.db.commit()
		from frappe.client import get_list

		officer = frappe.db.get_value("TA Programme", self.programme, "programme_officer")
		for user in (officer, f.MANAGER, f.user("mne-links@tests.ta.example", "TA M&E Officer")):
			with f.as_user(user), self.assertRaises(frappe.PermissionError):
				get_list("TA Follow-up Link", fields=["name", "used"], limit_page_length=0)
			with f.as_user(user):
				doc = frappe.get_doc("TA Follow-up", fu)
				doc.status = "Open"
				doc.save()  # staff still save the follow-up itself
				self.assertNotIn("token_hash", frappe.as_json(doc.as_dict()))
		token = M.issue_links(fu, 1)[0].split("token=")[1]
		stamp = frappe.db.get_value("TA Follow-up", fu, "modified")
		f.web_form_answer(token)
		self.assertEqual(frappe.db.get_value("TA Follow-up", fu, "modified"), stamp, "an answer leaves no time on the follow-up")

	def test_an_expired_or_closed_link_is_refused_and_the_page_says_so(self):
		fu = self.follow_up(months=6)
		token = M.issue_links(fu, 1)[0].split("token=")[1]
		self.assertIsNone(M.link_problem(token))
		with patch("ta_programmes.results.now_datetime", return_value=add_days(now_datetime(), 90)):
			self.assertEqual(M.link_problem(token), "expired")
			with self.assertRaises(FollowUpLinkError):
				f.web_form_answer(token)
		self.assertEqual(M.link_problem("x" * 32), "invalid")
		self.assertEqual(M.link_problem(None), "invalid")
		frappe.db.set_value("TA Follow-up", fu, "status", "Closed")
		self.assertEqual(M.link_problem(token), "expired")

	def test_the_form_page_sends_a_bad_link_to_a_clear_page(self):
		frappe.db.commit()
		page = f.rest("GET", "/follow-up/new?token=not-a-real-token")
		self.assertIn(page.status_code, (301, 302), page.get_data(as_text=True)[:200])
		self.assertIn("/follow-up-link?reason=invalid", page.headers["Location"])
		message = f.rest("GET", "/follow-up-link?reason=used")
		self.assertEqual(message.status_code, 200)
		self.assertIn("already been used", message.get_data(as_text=True))
		for reason in ("", "<script>", "expired&x=1"):
			self.assertEqual(f.rest("GET", f"/follow-up-link?reason={reason}").status_code, 200)

	def test_staff_cannot_forge_links_or_counts(self):
		fu = self.follow_up()
		doc = frappe.get_doc("TA Follow-up", fu)
		doc.responded = 999
		doc.save()
		self.assertNotEqual(frappe.db.get_value("TA Follow-up", fu, "responded"), 999)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "TA Follow-up Link", "follow_up": fu, "token_hash": M.token_hash("forged"), "expires_on": "2099-01-01"}
			).insert(ignore_permissions=True)
		self.assertEqual(M.link_problem("forged"), "invalid")

	def test_links_go_by_e_mail_to_the_roster_and_rosters_are_deleted_after_retention(self):
		activity = f.delivered_activity(self.programme, title="Roster _test")
		f.outgoing_email_account()
		M.create_follow_ups(today="2026-11-30")
		fu = frappe.get_value("TA Follow-up", {"activity": activity, "round_months": 3}, "name")
		frappe.get_doc(
			{
				"doctype": "TA Participant Roster", "activity": activity, "retention_until": "2099-01-01",
				"entries": [{"full_name": "Participant One", "email": "one@tests.ta.example"}, {"full_name": "Participant Two", "email": "TWO@tests.ta.example"}],
			}
		).insert()
		roster = frappe.get_doc("TA Participant Roster", activity)
		self.assertEqual(str(roster.retention_until), "2027-04-06")  # 13 months after delivery, not what was sent
		before = frappe.db.count("Email Queue")
		self.assertEqual(M.send_links(fu), 2)
		self.assertEqual(frappe.db.count("Email Queue") - before, 2)
		with self.assertRaises(frappe.ValidationError):
			M.send_links(fu)
		self.assertIn(activity, M.purge_rosters(today="2027-04-07"))
		self.assertFalse(frappe.db.exists("TA Participant Roster", activity))
		self.assertFalse(frappe.db.exists("TA Roster Entry", {"email": "one@tests.ta.example"}))


class TestImpactReview(FrappeTestCase):
	def test_a_completion_and_a_cancel_of_its_review_at_once_never_both_pass(self):
		name = f.approved("Impact race _test")
		f.set_status(name, "Active", f.MANAGER)
		review = frappe.get_doc(
			{"doctype": "TA Impact Review", "programme": name, "what_worked": "x _test", "lessons": "y _test"}
		).insert()
		review.submit()
		frappe.db.commit()

		def complete():
			doc = frappe.get_doc("TA Programme", name)
			doc.status = "Completed"
			return doc.save

		def cancel():
			return frappe.get_doc("TA Impact Review", review.name).cancel

		results = f.race({"complete": complete, "cancel": cancel}, frappe.ValidationError)
		self.assertEqual(sorted(results.values()), ["done", "refused"], results)
		completed = frappe.db.get_value("TA Programme", name, "status") == "Completed"
		self.assertEqual(completed, frappe.db.get_value("TA Impact Review", review.name, "docstatus") == 1)

	def test_completion_needs_a_submitted_impact_review_whose_lessons_reach_the_next_programme(self):
		name = f.approved("Impact _test")
		framework = f.results_framework(name)
		f.actual(framework["indicator"], value=19)
		f.set_status(name, "Active", f.MANAGER)
		with self.assertRaises(NotReadyError):
			f.set_status(name, "Completed", f.MANAGER)
		review = frappe.get_doc(
			{
				"doctype": "TA Impact Review", "programme": name, "reviewed_on": "2026-11-30", "what_worked": "Mentoring _test",
				"lessons": "Pair prosecutors with judges _test", "on_track": 99,
			}
		).insert()
		self.assertEqual(review.on_track, 1)
		review.submit()
		f.set_status(name, "Completed", f.MANAGER)
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc("TA Impact Review", review.name).cancel()
		later = f.programme(title=f"Next in Kenya _test {frappe.generate_hash(length=4)}")
		from ta_programmes.api.results import programme_panel

		panel = programme_panel(later)
		self.assertIn("Pair prosecutors with judges _test", [lesson.lessons for lesson in panel["lessons"]])

	def test_an_impact_review_waits_for_an_active_programme(self):
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{"doctype": "TA Impact Review", "programme": f.approved("Impact early _test"), "what_worked": "x", "lessons": "y"}
			).insert()


class TestNumberCards(FrappeTestCase):
	def test_m_and_e_cards_count_only_for_those_who_may_read_their_records(self):
		from ta_programmes.api import dashboard

		programme = f.approved("Cards _test")
		framework = f.results_framework(programme)
		f.actual(framework["indicator"], value=3)  # baseline 2, target 20: off track
		cards = (
			dashboard.indicators_off_track, dashboard.follow_ups_overdue, dashboard.follow_up_response_rate,
			dashboard.mean_knowledge_gain,
		)
		with f.as_user(f.user("mne-cards@tests.ta.example", "TA M&E Officer")):
			self.assertGreaterEqual(dashboard.indicators_off_track()["value"], 1)
		donor = f.user("donor-cards@tests.ta.example", "TA Donor")
		reviewer = f.user("cs-cards@tests.ta.example", "TA Civil Society Reviewer")
		for user, hidden in ((donor, cards), (reviewer, cards[1:])):
			with f.as_user(user):
				for card in hidden:
					self.assertEqual(card()["value"], 0, (user, card.__name__))


class TestBalance(FrappeTestCase):
	def test_an_enforcement_only_programme_is_flagged(self):
		name = f.programme(title=f"Enforcement only _test {frappe.generate_hash(length=4)}", thematic_areas=[{"thematic_area": "Digital Forensics"}])
		self.assertTrue(any("Enforcement only" in w for w in M.warnings_for(name)))
		balanced = f.programme(title=f"Balanced _test {frappe.generate_hash(length=4)}")
		self.assertFalse(any("Enforcement only" in w for w in M.warnings_for(balanced)))
		report = frappe.get_attr("ta_programmes.technical_assistance.report.ta_assistance_balance.ta_assistance_balance.execute")
		for group in ("Programme", "Beneficiary State", "Year"):
			columns, _data, _m, _c = report({"group_by": group})
			self.assertEqual(columns[0]["label"], group)
		# A refused filter is answered with a message, not raised (see api.args.report_never_raises).
		columns, data, message = report({"group_by": "Donor; drop table"})
		self.assertEqual((columns, data), ([], []))
		self.assertIn("Group by", message)


class TestPublishedResults(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		settings = frappe.get_single("TA Transparency Settings")
		settings.publish_page = 1
		settings.suppression_k = 5
		settings.save()
		cls.programme = f.approved("Published results _test")
		framework = f.results_framework(cls.programme, disaggregation="Sex")
		cls.indicator = framework["indicator"]
		f.actual(cls.indicator, value=23)
		f.actual(cls.indicator, value=3, category="Women")  # small: hidden, and a complement with it
		f.actual(cls.indicator, value=20, category="Men")

	def test_public_rows_hide_small_counts_and_what_gives_them_away(self):
		rows = [r for r in M.published([self.programme], 5, rounding=True) if r.indicator == self.indicator]
		first = next(r for r in rows if r.period == "2026")
		self.assertEqual(first.categories["Women"], "<5")
		self.assertIsInstance(first.categories["Men"], str, "the other category would give Women away")
		self.assertEqual(first.actual, 25)  # rounded to base 5
		self.assertEqual(first.baseline, "<5")  # a baseline count of 2
		self.assertEqual((first.achievement, first.light), (None, "grey"))

	def test_the_public_results_table_is_kept_across_activity_edits_and_follows_the_framework(self):
		from ta_programmes import transparency as T
		from ta_programmes.transparency.cache import RESULTS_GENERATION_KEY
		from ta_programmes.transparency.public_report import _figure, published_results, results_table

		def straight():  # the table as computed for this programme alone
			rows = M.latest_by_indicator(M.published([self.programme], 5, rounding=True))
			return [
				[self.programme, f"{r.code} {T.plain(r.title)}", r.period or "", _figure(r.baseline), _figure(r.target),
				 _figure(r.actual), "" if r.achievement is None else f"{r.achievement:g}%"]
				for r in sorted(rows, key=lambda x: x.code or "")
			]

		def shown():
			return results_table([self.programme], {self.programme: self.programme}, 5)["rows"]

		T.clear_public_cache()
		frappe.db.commit()  # a clear without a document moves the results generation, again on commit
		self.assertTrue(shown(), "the programme's indicator is in the table")
		self.assertEqual(straight(), shown())
		generation = frappe.cache.get_value(RESULTS_GENERATION_KEY)
		# An edit of a programme or an activity leaves the results generation (and the rows) as they are ...
		T.clear_public_cache(frappe.get_doc("TA Programme", self.programme), "on_update")
		frappe.db.commit()
		self.assertEqual(frappe.cache.get_value(RESULTS_GENERATION_KEY), generation)
		self.assertIn(self.programme, {r[0] for r in published_results(5)})
		# ... a changed actual, saved as a document, moves it: the table shows the new figure.
		total = frappe.get_doc("TA Indicator Actual", {"indicator": self.indicator, "period": "2026", "category": ("is", "not set")})
		total.value = 40
		total.save()
		self.assertNotEqual(frappe.cache.get_value(RESULTS_GENERATION_KEY), generation)
		row = next(r for r in shown() if r[2] == "2026")
		self.assertEqual(row[5], 40)
		self.assertEqual(straight(), shown())

	def test_the_iati_results_are_kept_until_a_results_framework_changes(self):
		from lxml import etree

		from ta_programmes import transparency as T
		from ta_programmes.api.iati import build

		def actuals():
			doc = etree.fromstring(build())
			activity = next(a for a in doc.findall("iati-activity") if a.findtext("iati-identifier").endswith(self.programme))
			return [a.get("value") for a in activity.iter("actual")]

		T.clear_public_cache()
		frappe.db.commit()
		self.assertIn("25", actuals())
		T.clear_public_cache(frappe.get_doc("TA Programme", self.programme), "on_update")  # kept across other edits
		self.assertEqual(actuals(), actuals())
		total = frappe.get_doc("TA Indicator Actual", {"indicator": self.indicator, "period": "2026", "category": ("is", "not set")})
		total.value = 33
		total.save()  # a results framework changes: the file shows it
		try:
			self.assertIn("35", actuals())  # rounded to base 5
			self.assertNotIn("25", actuals())
		finally:
			total.reload()
			total.value = 23
			total.save()

	def test_the_page_shows_the_results_of_the_programmes_it_lists_and_the_csv_all(self):
		from ta_programmes import transparency as T

		def results_of(report):
			table = next(t for t in report["tables"] if t["id"] == "results")
			return {row[0] for row in table["rows"]}

		T.clear_public_cache()
		title = frappe.db.get_value("TA Programme", self.programme, "title")
		everything = T.public_report(T.Filters())
		self.assertIn(title, results_of(everything))
		first = T.public_report(T.Filters(), page=1)
		page = next(n for n in range(1, first["pages"] + 1) if any(p["name"] == self.programme for p in T.public_report(T.Filters(), page=n)["programmes"]))
		listed = T.public_report(T.Filters(), page=page)
		self.assertIn(title, results_of(listed))
		self.assertLessEqual(results_of(listed), {p["title"] for p in listed["programmes"]})
		self.assertEqual(results_of(T.public_report(T.Filters(), page=first["pages"] + 1)), set())

	def test_the_iati_file_carries_results_and_validates(self):
		from lxml import etree

		from ta_programmes.api.iati import build

		doc = etree.fromstring(build())
		self.assertTrue(iati_schema().validate(doc), iati_schema().error_log)
		activity = next(a for a in doc.findall("iati-activity") if a.findtext("iati-identifier").endswith(self.programme))
		values = [a.get("value") for a in activity.iter("actual")]
		self.assertIn("25", values)
		self.assertNotIn("3", values)
		self.assertNotIn("20", values)
