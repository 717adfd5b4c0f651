"""Scheduling on a real site: double booking refused through doc.save() and REST, unavailability
and the travel buffer, two concurrent connections booking one trainer (exactly one wins), the
iCalendar feed and its token, sessions in host time zones, find trainers, reminders, delivery."""

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase

from ta_programmes.exceptions import GateRefusedError, InvalidValueError, TrainerConflictError
from ta_programmes.tests import factories as f


def scheduled(programme, trainer, start, end, title, **kw):
	return f.activity_doc(
		programme, title=f"{title} {frappe.generate_hash(length=5)}", status="Scheduled", start=start, end=end,
		trainers=[{"trainer": trainer, "hours": 7}], **kw,
	).insert()


class TestScheduling(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.state("Kenya", "African")
		f.state("Ghana", "African")
		cls.programme = f.approved("Scheduling _test")

	def trainer(self, **kw):
		return f.trainer(f"t{frappe.generate_hash(length=6)}@tests.ta.example", **kw)

	def test_double_booking_refused_with_a_readable_message(self):
		t = self.trainer(full_name="Ada Lovelace")
		first = scheduled(self.programme, t, "2026-05-05 09:00", "2026-05-05 12:00", "First")
		with self.assertRaises(TrainerConflictError) as e:
			scheduled(self.programme, t, "2026-05-05 11:00", "2026-05-05 15:00", "Second")
		message = str(e.exception)
		self.assertIn("Ada Lovelace", message)
		self.assertIn(first.name, message)
		zone = frappe.db.get_value("User", frappe.session.user, "time_zone") or frappe.utils.get_system_timezone()
		self.assertIn(zone, message)  # times in the viewer's zone

	def test_touching_sessions_and_other_trainers_are_fine(self):
		t = self.trainer()
		scheduled(self.programme, t, "2026-05-12 09:00", "2026-05-12 12:00", "Morning")
		scheduled(self.programme, t, "2026-05-12 12:00", "2026-05-12 15:00", "Afternoon")
		scheduled(self.programme, self.trainer(), "2026-05-12 10:00", "2026-05-12 11:00", "Other trainer")

	def test_cancelled_activity_frees_the_trainer(self):
		t = self.trainer()
		a = scheduled(self.programme, t, "2026-05-19 09:00", "2026-05-19 12:00", "To cancel")
		a.status = "Cancelled"
		a.save()
		scheduled(self.programme, t, "2026-05-19 09:00", "2026-05-19 12:00", "Replacement")

	def test_unavailability_refused_both_ways(self):
		t = self.trainer(home_time_zone="Europe/Paris")
		doc = frappe.get_doc("TA Trainer", t)
		doc.append("unavailability", {"from_datetime": "2026-06-01 00:00", "to_datetime": "2026-06-03 00:00", "reason": "Leave"})
		doc.save()
		with self.assertRaisesRegex(TrainerConflictError, "unavailable"):
			scheduled(self.programme, t, "2026-06-02 09:00", "2026-06-02 12:00", "During leave")
		scheduled(self.programme, t, "2026-06-10 09:00", "2026-06-10 12:00", "Booked")
		doc = frappe.get_doc("TA Trainer", t)
		doc.append("unavailability", {"from_datetime": "2026-06-10 00:00", "to_datetime": "2026-06-11 00:00"})
		with self.assertRaises(TrainerConflictError):
			doc.save()

	def test_travel_buffer_between_in_person_sessions_in_different_countries(self):
		t = self.trainer()
		scheduled(self.programme, t, "2026-07-01 09:00", "2026-07-01 17:00", "Nairobi")
		with self.assertRaisesRegex(TrainerConflictError, "Ghana"):
			scheduled(self.programme, t, "2026-07-02 09:00", "2026-07-02 12:00", "Accra next morning", beneficiary_state="Ghana", city="Accra")
		scheduled(
			self.programme, t, "2026-07-02 09:00", "2026-07-02 12:00", "Online next morning", beneficiary_state="Ghana",
			delivery_mode="Online", venue=None, city=None, online_link="https://meet.example.org/x",
		)

	def test_sessions_in_the_host_zone_are_stored_in_utc_across_dst(self):
		f.state("France", "Western European & Others")
		programme = f.approved(
			"DST _test",
			beneficiary_states=[{"beneficiary_state": "Kenya", "share": 50}, {"beneficiary_state": "France", "share": 50}],
		)
		from ta_programmes.api.schedule import generate_sessions

		rows = generate_sessions(None, "Europe/Paris", "2026-03-17", "2026-04-07", "TU", "09:00", "12:30")
		self.assertEqual([r["start"][11:16] for r in rows], ["09:00"] * 4)
		doc = f.activity_doc(
			programme, title="Weekly in Paris _test", beneficiary_state="France", city="Paris", sessions=rows,
		).insert()
		self.assertEqual(doc.time_zone, "Europe/Paris")
		utc_hours = [str(s.start_utc)[11:16] for s in doc.sessions]
		self.assertEqual(utc_hours, ["08:00", "08:00", "07:00", "07:00"])  # CET, then CEST from 29 March
		self.assertEqual(str(doc.start)[:16], "2026-03-17 09:00")
		self.assertEqual(str(doc.end)[:16], "2026-04-07 12:30")
		with self.assertRaisesRegex(InvalidValueError, "does not exist"):
			f.activity_doc(programme, title="Gap _test", beneficiary_state="France", city="Paris",
						   start="2026-03-29 02:30", end="2026-03-29 04:00").insert()

	def test_find_trainers_ranks_free_qualified_trainers_with_reasons(self):
		from ta_programmes.api.schedule import find_trainers

		busy = self.trainer(full_name="Busy Expert", expertise=[{"thematic_area": "Digital Forensics"}])
		free = self.trainer(full_name="Free Expert", expertise=[{"thematic_area": "Digital Forensics"}])
		scheduled(self.programme, busy, "2026-08-04 09:00", "2026-08-04 17:00", "Occupied")
		activity = f.activity_doc(self.programme, title="Needs a trainer _test", start="2026-08-04 10:00", end="2026-08-04 12:00").insert()
		result = find_trainers(activity.name)
		ranked = {t["name"]: t for t in result["ranked"]}
		excluded = {t["name"]: t for t in result["excluded"]}
		self.assertIn(free, ranked)
		self.assertIn("Expert in Digital Forensics", ranked[free]["reasons"])
		self.assertIn(busy, excluded)
		self.assertNotIn(busy, ranked)

	def test_delivery_only_after_the_end_and_postponement_keeps_history(self):
		future = f.activity_doc(self.programme, title="Future _test", status="Scheduled", start="2027-06-01 09:00", end="2027-06-01 12:00").insert()
		future.status = "Delivered"
		with self.assertRaisesRegex(GateRefusedError, "after that"):
			future.save()
		future = frappe.get_doc("TA Activity", future.name)
		future.status = "Postponed"
		future.save()
		self.assertEqual(str(future.postponements[0].old_start)[:16], "2027-06-01 09:00")
		self.assertFalse(frappe.db.exists("TA Trainer Booking", {"activity": future.name}))

	def test_reminders_go_n_days_before_the_first_session(self):
		from ta_programmes.scheduling import send_reminders, utc_now

		start = (utc_now() + timedelta(days=7)).replace(hour=9, minute=0, second=0)
		doc = f.activity_doc(
			self.programme, title="Soon _test", status="Scheduled", start=start, end=start + timedelta(hours=3)
		)
		doc.programme = f.approved("Reminder _test", planned_start="2026-01-01", planned_end="2028-12-31")
		doc.insert()
		frappe.db.set_single_value("TA Scheduling Settings", "reminder_days_before", 7)
		reminded = send_reminders(utc_now().date())
		self.assertIn(doc.name, reminded)
		self.assertNotIn(doc.name, send_reminders((utc_now() + timedelta(days=1)).date()))


class TestConcurrentBooking(FrappeTestCase):
	"""Two officers book the same trainer at the same moment: exactly one succeeds."""

	def test_two_connections_one_trainer_one_wins(self):
		f.state("Kenya", "African")
		programme = f.approved("Concurrency _test")
		trainer = f.trainer(f"race{frappe.generate_hash(length=6)}@tests.ta.example")
		frappe.db.commit()

		def book(key):
			doc = f.activity_doc(
				programme, title=f"Race {key} _test", status="Scheduled", start="2026-09-08 09:00", end="2026-09-08 12:00",
				trainers=[{"trainer": trainer, "hours": 3}],
			)
			return doc.insert

		results = f.race({"a": lambda: book("a"), "b": lambda: book("b")}, TrainerConflictError)
		self.assertEqual(sorted(results.values()), ["done", "refused"], results)
		self.assertEqual(frappe.db.count("TA Trainer Booking", {"trainer": trainer}), 1)


class TestCalendarFeed(FrappeTestCase):
	def test_ics_feed_parses_holds_the_sessions_and_refuses_bad_tokens(self):
		import icalendar

		f.state("Kenya", "African")
		programme = f.approved("Feed _test")
		trainer = f.trainer(f"feed{frappe.generate_hash(length=6)}@tests.ta.example")
		a = scheduled(programme, trainer, "2026-10-06 09:00", "2026-10-06 12:00", "Feed session")
		from ta_programmes.api.schedule import calendar_link

		url = calendar_link(trainer)
		token = url.split("token=")[1]
		frappe.db.commit()
		path = f"/api/method/ta_programmes.api.schedule.ics?trainer={trainer}&token="
		ok = f.rest("GET", path + token)
		self.assertEqual(ok.status_code, 200)
		cal = icalendar.Calendar.from_ical(ok.data)
		events = [c for c in cal.walk("VEVENT")]
		self.assertEqual(len(events), 1)
		self.assertIn(a.title, str(events[0]["SUMMARY"]))
		self.assertEqual(events[0].decoded("DTSTART").strftime("%H:%M"), "06:00")  # 09:00 Nairobi = 06:00 UTC
		self.assertEqual(f.rest("GET", path + "wrong").status_code, 403)
		calendar_link(trainer, regenerate=True)
		frappe.db.commit()
		self.assertEqual(f.rest("GET", path + token).status_code, 403)
