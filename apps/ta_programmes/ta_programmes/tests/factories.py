"""Idempotent factories for bench tests: each returns an existing record when there is one.

Natural keys carry a ``_test`` marker so tests never collide with demo data.
"""

from __future__ import annotations

import threading
from datetime import date

import frappe
from frappe.utils import add_days, getdate

PASSWORD = "ta-test-Pass-2026"


def user(email: str, *roles: str) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
				"new_password": PASSWORD,
				"roles": [{"role": r} for r in roles],
			}
		).insert(ignore_permissions=True)
	else:
		doc = frappe.get_doc("User", email)
		missing = [r for r in roles if r not in {x.role for x in doc.roles}]
		if missing:
			doc.add_roles(*missing)
	return email


def api_auth(email: str) -> dict[str, str]:
	"""An Authorization header with a fresh API key/secret for ``email``."""
	from frappe.core.doctype.user.user import generate_keys

	secret = generate_keys(email)["api_secret"]
	key = frappe.db.get_value("User", email, "api_key")
	return {"Authorization": f"token {key}:{secret}"}


def partner(name="UNODC _test", sector="UN entity", **kw) -> str:
	if not frappe.db.exists("TA Partner Organisation", name):
		frappe.get_doc({"doctype": "TA Partner Organisation", "organisation_name": name, "sector": sector, **kw}).insert(
			ignore_permissions=True
		)
	return name


def state(country="Kenya", group="African", **kw) -> str:
	if not frappe.db.exists("TA Beneficiary State", country):
		frappe.get_doc(
			{"doctype": "TA Beneficiary State", "country": country, "regional_group": group, **kw}
		).insert(ignore_permissions=True)
	return country


def donor(name="Donor A _test", donor_type="Government", users=()) -> str:
	if not frappe.db.exists("TA Donor", name):
		frappe.get_doc(
			{"doctype": "TA Donor", "donor_name": name, "donor_type": donor_type, "users": [{"user": u} for u in users]}
		).insert(ignore_permissions=True)
	return name


def trainer(email="trainer1@tests.ta.example", **kw) -> str:
	existing = frappe.db.get_value("TA Trainer", {"email": email})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "TA Trainer",
			"full_name": kw.pop("full_name", email.split("@")[0].title()),
			"email": email,
			"vetting_status": kw.pop("vetting_status", "Cleared"),
			"vetting_date": kw.pop("vetting_date", add_days(getdate(), -30)),
			**kw,
		}
	).insert(ignore_permissions=True)
	return doc.name


def officer() -> str:
	return user("officer@tests.ta.example", "TA Programme Officer")


def programme_doc(**kw):
	"""An unsaved, valid programme (Kenya 60 / Ghana 40, two themes, one donor)."""
	start = kw.pop("planned_start", date(2026, 1, 1))
	values = {
		"doctype": "TA Programme",
		"title": "Programme _test",
		"lead_agency": partner(),
		"programme_officer": officer(),
		"planned_start": start,
		"planned_end": kw.pop("planned_end", date(2027, 12, 31)),
		"objectives": "Test objectives",
		"currency": "USD",
		"beneficiary_states": [
			{"beneficiary_state": state("Kenya", "African"), "share": 60},
			{"beneficiary_state": state("Ghana", "African"), "share": 40},
		],
		"thematic_areas": [{"thematic_area": "Digital Forensics"}, {"thematic_area": "Prevention & Awareness"}],
		"funding_lines": [{"donor": donor(), "amount": 100000, "currency": "USD"}],
	}
	values.update(kw)
	return frappe.get_doc(values)


def programme(**kw) -> str:
	title = kw.get("title", "Programme _test")
	existing = frappe.db.get_value("TA Programme", {"title": title})
	if existing:
		return existing
	return programme_doc(**kw).insert(ignore_permissions=True).name


def activity_doc(programme_name: str | None = None, **kw):
	values = {
		"doctype": "TA Activity",
		"title": "Activity _test",
		"programme": programme_name or programme(),
		"activity_type": "Training",
		"thematic_area": "Digital Forensics",
		"beneficiary_state": "Kenya",
		"delivery_mode": "In person",
		"venue": "Training Centre",
		"city": "Nairobi",
		"start": "2026-03-02 09:00:00",
		"end": "2026-03-04 17:00:00",
		"planned_participants": 20,
	}
	values.update(kw)
	return frappe.get_doc(values)


def rest(method: str, path: str, headers: dict | None = None, json: dict | None = None):
	"""Call the site's real WSGI application (REST API) in-process, in its own thread and request.

	The request carries the test site's name as its host, so Frappe resolves the site as it
	would behind a web server. Data the call must see has to be committed first.
	"""
	from frappe.utils import get_test_client

	site = frappe.local.site
	result: dict = {}

	def run():
		client = get_test_client(use_cookies=False)
		result["response"] = client.open(
			path, method=method, base_url=f"http://{site}/", headers=headers or {}, json=json
		)

	thread = threading.Thread(target=run)
	thread.start()
	thread.join()
	return result["response"]
