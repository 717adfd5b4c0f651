"""Notifications as e-mail, end to end: a real SMTP server (aiosmtpd) on a free loopback port, the
site's outgoing Email Account set up from site config (``install.setup_outgoing_email``, with a
login the server checks), the real code paths run as the real roles (a programme taken through
review and approval, a sign-off, a concern reported and found founded, the daily reminders), the
Email Queue sent, and the messages the server received read back: who got what, the subject in
each recipient's language, a link only to what the recipient may open, nothing confidential in
any mail, and nothing at all for a donor but what a donor may read.
"""

from __future__ import annotations

import asyncio
import csv
import html
import logging
import socket
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import frappe
from frappe.desk.doctype.notification_settings.notification_settings import create_notification_settings
from frappe.tests.utils import FrappeTestCase

from ta_programmes.tests import factories as f

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


def translations(lang: str) -> dict[str, str]:
	with (TRANSLATIONS / f"{lang}.csv").open(newline="", encoding="utf-8") as fh:
		return {row[0]: row[1] for row in csv.reader(fh) if row}


FR, ES = translations("fr"), translations("es")

LOGIN, PASSWORD = "ta-mailer", "smtp-Pass-2026"
SENDER = "programmes-mail@tests.ta.example"
FRENCH = "reviewer-fr-mail@tests.ta.example"
QUIET = "reviewer-quiet-mail@tests.ta.example"
SPANISH_TRAINER = "trainer-es-mail@tests.ta.example"
DONOR_USER = "donor-mail@tests.ta.example"
FOLLOWER = "follower-mail@tests.ta.example"
DONOR = "Mail Donor _test"
MISLISTED_ORG = "Mail Rights Watch _test"  # lists the donor's user among its reviewers, by mistake
SIGNOFF_SECRET = "SIGNOFF-COMMENT-7f3a: the unit's director was named in two earlier cases"
CONCERN_SECRET = "CONCERN-DETAIL-91c2: officers used the seized phones against a journalist"
# A state no other test or the demo uses: the concern found founded here holds new activities there.
STATE = "Lesotho"
RATIONALE = "Police cybercrime unit; vetting in place."  # the review's rationale (factories.submit_review)
SECRETS = (SIGNOFF_SECRET, CONCERN_SECRET, RATIONALE, "SIGNOFF-COMMENT", "CONCERN-DETAIL")
KEYS = ("ta_smtp_server", "ta_smtp_port", "ta_smtp_use_tls", "ta_smtp_login", "ta_smtp_password", "ta_mail_sender")


class Mailbox:
	"""An aiosmtpd server on a free loopback port that accepts mail only after a login with the
	expected credentials, and keeps every message it received."""

	def __init__(self):
		from aiosmtpd.controller import Controller
		from aiosmtpd.smtp import AuthResult

		self.received: list[dict] = []
		self.logins: list[tuple[str, str]] = []
		box = self

		class Handler:
			async def handle_DATA(self, server, session, envelope):
				if not session.authenticated:
					return "530 5.7.0 Authentication required"
				box.received.append(
					{
						"from": envelope.mail_from,
						"to": [r.lower() for r in envelope.rcpt_tos],
						"message": message_from_bytes(envelope.original_content or envelope.content, policy=policy.default),
					}
				)
				return "250 OK"

		def authenticator(server, session, envelope, mechanism, auth_data):
			login, password = auth_data.login.decode(), auth_data.password.decode()
			box.logins.append((login, password))
			return AuthResult(success=(login, password) == (LOGIN, PASSWORD))

		logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own deprecation notices
		with socket.socket() as s:
			s.bind(("127.0.0.1", 0))
			self.port = s.getsockname()[1]
		self.controller = Controller(
			Handler(), hostname="127.0.0.1", port=self.port, loop=asyncio.new_event_loop(),
			authenticator=authenticator, auth_require_tls=False,
		)
		self.controller.start()

	def stop(self):
		self.controller.stop()

	def take(self) -> list[dict]:
		out, self.received = self.received, []
		return out


def subject(mail: dict) -> str:
	return " ".join(str(mail["message"]["subject"]).split())  # unfolded


def text(mail: dict) -> str:
	"""Every text part of the message, decoded (HTML entities too)."""
	return html.unescape(
		"\n".join(part.get_content() for part in mail["message"].walk() if part.get_content_maintype() == "text")
	)


def to(mails: list[dict], user: str) -> list[dict]:
	return [m for m in mails if user in m["to"]]


class TestNotificationsByEmail(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from ta_programmes.install import setup_outgoing_email

		cls.inbox = Mailbox()
		cls.conf_before = {k: frappe.conf.get(k) for k in KEYS}
		frappe.conf.update(
			{
				"ta_smtp_server": "127.0.0.1", "ta_smtp_port": cls.inbox.port, "ta_smtp_use_tls": 0,
				"ta_smtp_login": LOGIN, "ta_smtp_password": PASSWORD, "ta_mail_sender": SENDER,
			}
		)
		cls.account = setup_outgoing_email()
		cls.testing_email = frappe.flags.testing_email
		frappe.flags.testing_email = True  # Frappe hands the message to the SMTP server in tests too
		cls.since = frappe.utils.now_datetime()

		cls.cast = f.oversight_cast()
		f.user(FRENCH, "TA OHCHR Reviewer")
		frappe.db.set_value("User", FRENCH, "language", "fr")
		f.user(QUIET, "TA OHCHR Reviewer")
		create_notification_settings(QUIET)
		frappe.db.set_value("Notification Settings", QUIET, "enable_email_notifications", 0)
		f.user(SPANISH_TRAINER)
		frappe.db.set_value("User", SPANISH_TRAINER, "language", "es")
		f.user(DONOR_USER, "TA Donor")
		f.donor(DONOR, users=[DONOR_USER])
		if frappe.db.exists("TA Partner Organisation", MISLISTED_ORG):  # an earlier run let go of it
			org = frappe.get_doc("TA Partner Organisation", MISLISTED_ORG)
			org.accredited_for_oversight, org.accredited_on = 1, "2025-01-01"
			org.set("reviewers", [{"user": DONOR_USER}])
			org.save(ignore_permissions=True)
		else:
			frappe.get_doc(
				{
					"doctype": "TA Partner Organisation", "organisation_name": MISLISTED_ORG, "sector": "Civil Society",
					"regional_group": "African", "accredited_for_oversight": 1, "accredited_on": "2025-01-01",
					"reviewers": [{"user": DONOR_USER}],
				}
			).insert(ignore_permissions=True)
		frappe.clear_cache()

		# A programme funded by the donor, taken through review and approval as the real roles; the
		# French reviewer then endorses it too, with a comment for the programme's overseers only.
		cls.programme = f.approved(
			"Mailed _test",
			beneficiary_states=[{"beneficiary_state": f.state(STATE, "African", time_zone="Africa/Maseru"), "share": 100}],
			funding_lines=[{"donor": DONOR, "amount": 50000, "currency": "USD"}],
		)
		cls.title = frappe.db.get_value("TA Programme", cls.programme, "title")
		cls.signoff = f.sign(cls.programme, FRENCH, kind="OHCHR", comments=SIGNOFF_SECRET).name
		# Its first session in a week, given by a Spanish-speaking trainer and by the donor's user.
		from ta_programmes.scheduling import utc_now

		start = (utc_now() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
		for user in (SPANISH_TRAINER, DONOR_USER):  # a trainer of an earlier run lets go of the user
			frappe.db.set_value("TA Trainer", {"user": user}, "user", None)
		trainers = [
			f.trainer(f"es-{frappe.generate_hash(length=6)}@tests.ta.example", user=SPANISH_TRAINER),
			f.trainer(f"dn-{frappe.generate_hash(length=6)}@tests.ta.example", user=DONOR_USER),
		]
		cls.activity = f.activity_doc(
			cls.programme, title=f"Mailed session {frappe.generate_hash(length=5)} _test", status="Scheduled",
			beneficiary_state=STATE, city="Maseru",
			start=start, end=start + timedelta(hours=3), trainers=[{"trainer": t, "hours": 3} for t in trainers],
		).insert()
		cls.concerns = []
		cls.approval = cls.deliver()

	@classmethod
	def tearDownClass(cls):
		frappe.flags.testing_email = cls.testing_email
		cls.inbox.stop()
		for key, value in cls.conf_before.items():
			if value is None:
				frappe.conf.pop(key, None)
			else:
				frappe.conf[key] = value
		# the mislisted organisation would add a reviewer to every programme of later tests
		frappe.db.delete("TA Organisation Reviewer", {"parent": MISLISTED_ORG})
		frappe.db.set_value("TA Partner Organisation", MISLISTED_ORG, "accredited_for_oversight", 0)
		# a founded concern stays for good (the app refuses to delete it) and would hold every new
		# activity in the state, a later run's too: the test's own are removed
		for name in cls.concerns:
			frappe.db.delete("TA Concern Update", {"parent": name})
			frappe.db.delete("TA Concern Key", {"concern": name})
			frappe.db.delete("TA Concern Report", {"name": name})
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def deliver(cls) -> list[dict]:
		"""Send what the Email Queue holds since the test began (as the scheduler's flush does, one
		queued e-mail at a time) and return what the SMTP server received."""
		for name in frappe.get_all(
			"Email Queue", filters={"status": "Not Sent", "creation": (">=", cls.since)}, pluck="name", order_by="creation"
		):
			frappe.get_doc("Email Queue", name).send()
		failed = frappe.get_all(
			"Email Queue", filters={"status": ("in", ["Error", "Partially Sent"]), "creation": (">=", cls.since)}, pluck="error"
		)
		if failed:
			raise AssertionError(f"e-mails not sent: {failed[0][-600:]}")
		return cls.inbox.take()

	# --- the account ----------------------------------------------------------------------------
	def test_the_outgoing_account_comes_from_site_config(self):
		account = frappe.get_doc("Email Account", self.account)
		self.assertEqual(
			(account.smtp_server, int(account.smtp_port), account.email_id, account.login_id),
			("127.0.0.1", self.inbox.port, SENDER, LOGIN),
		)
		self.assertEqual((account.enable_outgoing, account.default_outgoing, account.no_smtp_authentication), (1, 1, 0))
		self.assertEqual(account.get_password(), PASSWORD)
		self.assertIn((LOGIN, PASSWORD), self.inbox.logins)  # the server accepted mail only after this login
		self.assertTrue(self.approval)
		self.assertTrue(all(m["from"] == SENDER for m in self.approval), {m["from"] for m in self.approval})

	# --- review and approval ----------------------------------------------------------------------
	def test_reviewers_get_the_review_request_in_their_language(self):
		french = to(self.approval, FRENCH)
		expected = FR["Programme {0} is under review and awaits your sign-off"].format(self.title)
		self.assertEqual([subject(m) for m in french], [expected])
		body = text(french[0])
		self.assertIn(expected, body)
		self.assertIn(f"/app/ta-programme/{self.programme}", body)  # a reviewer may open the programme
		self.assertIn(FR["Open {0}"].format(self.programme), body)
		self.assertNotIn("awaits your sign-off", body)

		english = to(self.approval, f.OHCHR)
		self.assertIn(f"Programme {self.title} is under review and awaits your sign-off", [subject(m) for m in english])
		for reviewer in f.CIVIL:
			self.assertTrue(to(self.approval, reviewer), reviewer)
		# Each e-mail goes to one person only.
		self.assertTrue(all(len(m["to"]) == 1 for m in self.approval))

	def test_a_reviewer_who_turned_email_off_has_the_desk_alert_only(self):
		self.assertFalse(to(self.approval, QUIET))
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": QUIET, "document_name": self.programme})
		)

	def test_the_officer_is_told_of_each_sign_off(self):
		officer = self.cast["officer"]
		subjects = [subject(m) for m in to(self.approval, officer)]
		self.assertIn(f"OHCHR signed off programme {self.title}: Endorse", subjects)
		self.assertIn(f"{self.cast['orgs'][0]} signed off programme {self.title}: Endorse", subjects)
		# the sign-off's comment stays in the desk
		self.assertTrue(all(SIGNOFF_SECRET not in text(m) for m in to(self.approval, officer)))

	def test_nothing_confidential_and_nothing_for_the_donor(self):
		self.assertFalse(to(self.approval, DONOR_USER), [subject(m) for m in to(self.approval, DONOR_USER)])
		self.assertFalse(
			frappe.db.exists("Notification Log", {"for_user": DONOR_USER, "document_name": self.programme}),
			"nor in the desk",
		)
		for mail in self.approval:
			for secret in SECRETS:
				self.assertNotIn(secret, text(mail) + subject(mail))

	# --- concerns -----------------------------------------------------------------------------------
	def test_a_concern_reaches_its_triagers_and_its_finding_the_managers_without_its_content(self):
		case = f.report_concern(self.programme, what_happened=CONCERN_SECRET)
		concern = case["reference"]
		received = self.deliver()
		expected = FR["New concern report {0}"].format(concern)
		self.assertEqual([subject(m) for m in to(received, FRENCH)], [expected])
		self.assertIn(f"/app/ta-concern-report/{concern}", text(to(received, FRENCH)[0]))
		self.assertIn(f"New concern report {concern}", [subject(m) for m in to(received, f.OHCHR)])
		self.assertFalse(to(received, DONOR_USER))
		self.assertFalse(to(received, self.cast["officer"]), "an officer does not read concern reports")
		# the queued e-mail does not name the concern as its reference
		queued = frappe.get_all(
			"Email Queue", filters={"creation": (">=", self.since), "reference_doctype": "TA Concern Report"}, pluck="name"
		)
		self.assertFalse(queued)

		self.concerns.append(concern)
		f.triage(concern, f.OHCHR, beneficiary_state=STATE, outcome_reasons=f"Confirmed. {CONCERN_SECRET}")
		received += (found := self.deliver())
		founded = f"Concern {concern} was found founded"
		officer = self.cast["officer"]
		self.assertIn(founded, [subject(m) for m in to(found, officer)])
		self.assertIn(founded, [subject(m) for m in to(found, f.MANAGER)])
		officer_mail = next(m for m in to(found, officer) if subject(m) == founded)
		self.assertNotIn("/app/ta-concern-report/", text(officer_mail), "no link to what the officer may not open")
		self.assertFalse(to(found, DONOR_USER))
		for mail in received:
			for secret in SECRETS:
				self.assertNotIn(secret, text(mail) + subject(mail))

	# --- reminders ----------------------------------------------------------------------------------
	def test_trainers_and_the_officer_get_the_reminder_in_their_language(self):
		from ta_programmes.scheduling import send_reminders, utc_now

		before = frappe.db.get_single_value("TA Scheduling Settings", "reminder_days_before")
		frappe.db.set_single_value("TA Scheduling Settings", "reminder_days_before", 7)
		frappe.clear_document_cache("TA Scheduling Settings", "TA Scheduling Settings")
		try:
			self.assertIn(self.activity.name, send_reminders(utc_now().date()))
		finally:
			frappe.db.set_single_value("TA Scheduling Settings", "reminder_days_before", before)
		received = [m for m in self.deliver() if self.activity.title in subject(m)]
		spanish = to(received, SPANISH_TRAINER)
		self.assertEqual(len(spanish), 1, [subject(m) for m in received])
		template = ES["Reminder: {0} starts {1} ({2})"]
		self.assertTrue(subject(spanish[0]).startswith(template.split("{0}")[0] + self.activity.title), subject(spanish[0]))
		self.assertIn(f"Reminder: {self.activity.title} starts", subject(to(received, self.cast["officer"])[0]))
		# a date and a place are not confidential: the donor's user, a trainer of a funded activity, is told
		donor = to(received, DONOR_USER)
		self.assertEqual(len(donor), 1)
		self.assertIn(f"/app/ta-activity/{self.activity.name}", text(donor[0]))

	# --- what else could e-mail a donor ------------------------------------------------------------
	def test_a_donor_gets_no_document_follow_digest(self):
		from frappe.desk.form.document_follow import follow_document, send_hourly_updates

		f.user(FOLLOWER, "TA M&E Officer")
		for user in (DONOR_USER, FOLLOWER):
			with f.as_user(user):
				me = frappe.get_doc("User", user)
				me.document_follow_notify = 1
				me.document_follow_frequency = "Hourly"
				me.save()
		self.assertEqual(frappe.db.get_value("User", DONOR_USER, "document_follow_notify"), 0)
		self.assertEqual(frappe.db.get_value("User", FOLLOWER, "document_follow_notify"), 1)
		self.assertIsNone(follow_document("TA Programme", self.programme, DONOR_USER))
		follow_document("TA Programme", self.programme, FOLLOWER)
		with f.as_user(self.cast["officer"]):
			frappe.get_doc("TA Programme", self.programme).add_comment("Comment", f"Digest check. {SIGNOFF_SECRET}")
		send_hourly_updates()
		received = self.deliver()
		self.assertTrue(to(received, FOLLOWER), "the digest is sent to staff who follow the programme")
		self.assertFalse(to(received, DONOR_USER))
