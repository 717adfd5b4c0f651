"""Notifications that reach people: the desk's bell and an e-mail through Frappe's Email Queue.

Every alert of the app (a programme awaits a reviewer's sign-off, a sign-off was recorded, a
concern came in or is overdue, a gate no longer holds, a trainer's activity starts soon...) goes
through :func:`notify`. Each recipient gets it in the language they read (``User.language``,
else the site's): a Notification Log in the desk and an e-mail queued with ``frappe.sendmail``,
which the scheduler's ``frappe.email.queue.flush`` sends through the default outgoing Email
Account (see ``install.setup_outgoing_email``; a site with no outgoing account keeps the desk
alert only). Frappe itself e-mails no "Alert" notification, hence the e-mail here.

What an e-mail carries: the one-line subject (names and references, never the text of a review,
a sign-off or a concern) and a link to the record when the recipient may open it. Who gets it:
enabled users other than the one who acted (who gets the desk alert only), minus those who
turned e-mail notifications off in their Notification Settings. A donor (a user whose only TA
role is TA Donor) gets no confidential notification at all — every notification is confidential
unless the caller says otherwise — and a non-confidential one only about a record they may read.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import escape_html, get_url_to_form

from ta_programmes.core.access import DONOR
from ta_programmes.i18n import by_language, render_in, speaking

# Records whose name the queued e-mail does not keep as its reference (whoever reads the Email
# Queue would learn that a concern was reported, or when a trainee answered a follow-up).
UNREFERENCED = {"TA Concern Report", "TA Follow-up Response"}


def notify(users: list[str], subject, doc, confidential: bool = True) -> None:
	"""Tell ``users`` about ``doc``: ``subject`` is a ``core.i18n.reason`` whose template is marked
	with ``N_`` (rendered in each recipient's language). ``confidential``: about the oversight
	(reviews, sign-offs, concerns, the gate), never for donors."""
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	readers = recipients(users, doc, confidential)
	mail = can_email()
	for lang, group in by_language(readers).items():
		text = render_in(subject, lang)
		enqueue_create_notification(
			group,
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": text,
				"from_user": frappe.session.user,
			},
		)
		for user in group:
			if mail and user != frappe.session.user and wants_email(user):
				email(user, text, doc, lang)


def recipients(users: list[str], doc, confidential: bool = True) -> list[str]:
	"""The enabled users among ``users`` who may be told about ``doc``."""
	from ta_programmes.permissions import is_restricted_donor

	users = sorted({u for u in users if u and u not in ("Administrator", "Guest")})
	enabled = set(frappe.get_all("User", filters={"name": ("in", users or [""]), "enabled": 1}, pluck="name"))
	out = []
	for user in users:
		if user not in enabled:
			continue
		if is_restricted_donor(user) and (confidential or not may_read(user, doc)):
			continue
		out.append(user)
	return out


def can_email() -> bool:
	"""The site has an outgoing e-mail account (without one, Frappe refuses to queue an e-mail and
	the notification stays in the desk)."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_outgoing())


def may_read(user: str, doc) -> bool:
	return bool(frappe.has_permission(doc.doctype, "read", doc=doc, user=user))


def wants_email(user: str) -> bool:
	"""The user's Notification Settings allow e-mails (Frappe's default: yes)."""
	from frappe.desk.doctype.notification_settings.notification_settings import (
		is_email_notifications_enabled,
		is_notifications_enabled,
	)

	return bool(is_notifications_enabled(user) and is_email_notifications_enabled(user))


def email(user: str, text: str, doc, lang: str) -> None:
	"""Queue the e-mail of one notification for ``user``, written in ``lang``."""
	address = frappe.db.get_value("User", user, "email")
	if not address:
		return
	link = get_url_to_form(doc.doctype, doc.name) if may_read(user, doc) else None
	referenced = doc.doctype not in UNREFERENCED
	with speaking(lang):
		parts = [f"<p>{escape_html(text)}</p>"]
		if link:
			parts.append(f'<p><a href="{escape_html(link)}">{escape_html(_("Open {0}").format(doc.name))}</a></p>')
		parts.append(
			'<p style="color: #8d99a6; font-size: 12px;">'
			+ escape_html(
				_(
					"You receive this e-mail because of your part in the technical-assistance programmes. "
					"To stop these e-mails, turn off e-mail notifications in your Notification Settings."
				)
			)
			+ "</p>"
		)
		frappe.sendmail(
			recipients=[address],
			subject=text,
			message="".join(parts),
			reference_doctype=doc.doctype if referenced else None,
			reference_name=doc.name if referenced else None,
		)


# --- what else could e-mail a donor ------------------------------------------------------------


def no_digests_for_donors(doc, method=None) -> None:
	"""User ``validate``: a donor does not get Frappe's "Document Follow" digests. They send every
	comment and field change of the followed record (the timeline, which donors do not see: the
	sign-offs, a suspension's reason, the gate's alert) with no permission check."""
	from ta_programmes.permissions import UNRESTRICTED_ROLES

	roles = {r.role for r in doc.get("roles") or []}
	if DONOR in roles and not roles & UNRESTRICTED_ROLES:
		doc.document_follow_notify = 0
		# nor offered in @mentions: Frappe mails a mention's comment text without asking whether
		# the mentioned user may read the record
		doc.allowed_in_mentions = 0


def nothing_a_donor_may_not_read(doc, method=None) -> None:
	"""Notification Log ``before_insert``: a notification to a donor about a record the donor may
	not read (an @mention in a sign-off's comments, an assignment, a share) keeps neither the
	comment's text nor the record's title, in the desk or in the e-mail Frappe sends from it."""
	from ta_programmes.permissions import is_restricted_donor

	user = doc.get("for_user")
	if not (user and doc.get("document_type") and doc.get("document_name")) or not is_restricted_donor(user):
		return
	if frappe.has_permission(doc.document_type, "read", doc=doc.document_name, user=user):
		return
	from ta_programmes.i18n import language_of

	doc.subject = _("You were named on a record that your account cannot open.", lang=language_of(user))
	doc.email_content = None
