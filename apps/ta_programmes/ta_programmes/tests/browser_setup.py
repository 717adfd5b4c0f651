"""Data for the browser test (tests/browser): run with
``bench --site SITE execute ta_programmes.tests.browser_setup.prepare``.

Creates (and commits) a programme under review with its human-rights review and an OHCHR
endorsement, so that one civil-society endorsement is all it lacks. Prints the logins.
"""

import json

import frappe

from ta_programmes.tests import factories as f


def prepare() -> str:
	frappe.set_user("Administrator")
	cast = f.oversight_cast()
	name = f.under_review("Browser flow _test")
	f.submit_review(name, "Medium")
	f.sign(name, cast["ohchr"], kind="OHCHR")
	frappe.db.commit()
	data = {
		"programme": name,
		"title": frappe.db.get_value("TA Programme", name, "title"),
		"reviewer": cast["civil"][0],
		"organisation": cast["orgs"][0],
		"manager": f.MANAGER,
		"password": f.PASSWORD,
	}
	print(json.dumps(data))
	return name


def prepare_scheduling() -> str:
	"""An approved programme, a free expert trainer and a trainer already booked on a Tuesday of
	the coming fortnight; prints the dates the browser test uses."""
	from datetime import timedelta

	from frappe.utils import add_days, getdate, today

	frappe.set_user("Administrator")
	f.oversight_cast()
	programme = f.approved("Browser scheduling _test", planned_start=add_days(today(), -30), planned_end=add_days(today(), 365))
	first = getdate(add_days(today(), 14))
	first = first + timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday
	suffix = frappe.generate_hash(length=5)
	free = f.trainer(f"free{suffix}@tests.ta.example", full_name=f"Grace Free {suffix}", expertise=[{"thematic_area": "Digital Forensics"}])
	busy = f.trainer(f"busy{suffix}@tests.ta.example", full_name=f"Booked Busy {suffix}")
	f.activity_doc(
		programme, title=f"Already there {suffix}", status="Scheduled",
		start=f"{first} 10:00:00", end=f"{first} 11:00:00", trainers=[{"trainer": busy, "hours": 1}],
	).insert()
	frappe.db.commit()
	data = {
		"programme": programme,
		"first_day": str(first),
		"until": str(first + timedelta(days=13)),
		"free": free,
		"free_name": f"Grace Free {suffix}",
		"busy": busy,
		"busy_name": f"Booked Busy {suffix}",
		"officer": f.officer(),
		"password": f.PASSWORD,
		"suffix": suffix,
	}
	print(json.dumps(data))
	return programme


def prepare_results() -> str:
	"""An approved programme with a results framework, an M&E officer, and a delivered training
	whose 3-month follow-up has one unused link; prints what the browser test needs."""
	from ta_programmes import results as M

	frappe.set_user("Administrator")
	f.oversight_cast()
	programme = f.approved("Browser results _test")
	framework = f.results_framework(programme)
	activity = f.delivered_activity(programme, title="Browser follow-up _test")
	M.create_follow_ups(today="2026-11-30")
	follow_up = frappe.get_value("TA Follow-up", {"activity": activity, "round_months": 3}, "name")
	link = M.issue_links(follow_up, 1)[0]
	mne = f.user("mne-browser@tests.ta.example", "TA M&E Officer")
	frappe.db.commit()
	data = {
		"programme": programme,
		"indicator": framework["indicator"],
		"indicator_code": frappe.db.get_value("TA Indicator", framework["indicator"], "code"),
		"follow_up": follow_up,
		"path": link[link.index("/follow-up/"):],
		"mne": mne,
		"password": f.PASSWORD,
	}
	print(json.dumps(data))
	return programme


def prepare_concerns() -> str:
	"""An approved programme (in a state of its own, which its founded concern will hold), its
	OHCHR reviewer and manager; prints what the concern journey needs."""
	frappe.set_user("Administrator")
	cast = f.oversight_cast()
	state = f.state("Botswana", "African", time_zone="Africa/Gaborone")
	programme = f.approved("Browser concern _test", beneficiary_states=[{"beneficiary_state": state, "share": 100}])
	frappe.cache.delete_keys("rl:")  # the bench tests posted from this address too
	frappe.db.commit()
	data = {
		"programme": programme,
		"title": frappe.db.get_value("TA Programme", programme, "title"),
		"state": state,
		"ohchr": cast["ohchr"],
		"manager": cast["manager"],
		"password": f.PASSWORD,
	}
	print(json.dumps(data))
	return programme


def prepare_languages() -> str:
	"""A French-speaking officer, a draft programme of theirs, a trainer already booked, and an
	approved programme whose title and summary are written in French, Spanish and Arabic (for the
	public page in each language); prints what the browser test needs."""
	from datetime import timedelta

	from frappe.utils import add_days, getdate, today

	frappe.set_user("Administrator")
	f.oversight_cast()
	suffix = frappe.generate_hash(length=5)
	officer = f.user(f"agent.fr.{suffix}@tests.ta.example", "TA Programme Officer")
	frappe.db.set_value("User", officer, {"language": "fr", "first_name": "Camille"})
	draft = f.programme(title=f"Cybercrime prevention {suffix}", programme_officer=officer)
	approved = f.approved(f"Digital evidence {suffix}", planned_start=add_days(today(), -30), planned_end=add_days(today(), 365))
	frappe.db.set_value(
		"TA Programme", approved,
		{
			"summary": "Prosecutors and judges learn to handle electronic evidence lawfully.",
			"title_fr": f"Preuves numériques {suffix}",
			"summary_fr": "Les procureurs et les juges apprennent à traiter les preuves électroniques dans le respect du droit.",
			"title_es": f"Pruebas digitales {suffix}",
			"summary_es": "Fiscales y jueces aprenden a tratar las pruebas electrónicas conforme a la ley.",
			"title_ar": f"الأدلة الرقمية {suffix}",
			"summary_ar": "يتعلم أعضاء النيابة العامة والقضاة التعامل مع الأدلة الإلكترونية وفقاً للقانون.",
		},
	)
	day = getdate(add_days(today(), 21))
	day = day + timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
	busy = f.trainer(f"occupe{suffix}@tests.ta.example", full_name=f"Awa Occupée {suffix}")
	f.activity_doc(
		approved, title=f"Atelier {suffix}", status="Scheduled",
		start=f"{day} 09:00:00", end=f"{day} 12:00:00", trainers=[{"trainer": busy, "hours": 3}],
	).insert()
	frappe.db.set_single_value("TA Transparency Settings", "public_page_enabled", 1)
	frappe.db.commit()
	from ta_programmes import transparency as T

	T.clear_public_cache()
	print(
		json.dumps(
			{
				"officer": officer, "password": f.PASSWORD, "draft": draft, "approved": approved, "suffix": suffix,
				"day": str(day), "busy": busy, "busy_name": f"Awa Occupée {suffix}",
			}
		)
	)
	return approved


def prepare_accessibility() -> str:
	"""Every public page and web form with something on it, for the accessibility test: a donor
	user whose donor funds an approved programme with a delivered training and a results framework,
	a published oversight meeting, a concern's secret link and an unused follow-up link; the public
	page on. Prints the logins and links."""
	from datetime import date

	from ta_programmes import results as M
	from ta_programmes import transparency as T

	frappe.set_user("Administrator")
	f.oversight_cast()
	suffix = frappe.generate_hash(length=5)
	donor_user = f.user(f"donor.{suffix}@tests.ta.example", "TA Donor")
	donor = f.donor(f"Donor {suffix} _test", users=[donor_user])
	programme = f.approved(
		f"Accessible programme {suffix}", planned_start=date(2019, 1, 1),
		funding_lines=[{"donor": donor, "amount": 250000, "currency": "USD"}],
	)
	f.results_framework(programme)
	activity = f.delivered_activity(programme, title=f"Accessible training {suffix}")
	f.delivered_activity(programme, title=f"Earlier training {suffix}", end="2025-04-08 12:00:00")
	# A year with fewer participants than k: its figure is hidden, in the table and in the chart.
	small = frappe.get_doc("TA Activity", f.delivered_activity(programme, title=f"Small workshop {suffix}", end="2019-05-10 12:00:00"))
	small.update({"actual_participants": 3, "participants_women": 1, "participants_men": 2})
	small.save()
	f.meeting(f"Accessible meeting {suffix} _test")
	concern = f.report_concern(programme)
	M.create_follow_ups(today="2026-11-30")
	follow_up = frappe.get_value("TA Follow-up", {"activity": activity, "round_months": 3}, "name")
	link = M.issue_links(follow_up, 1)[0]
	frappe.db.set_single_value("TA Transparency Settings", "public_page_enabled", 1)
	frappe.db.commit()
	T.clear_public_cache()
	data = {
		"donor_user": donor_user,
		"password": f.PASSWORD,
		"programme": programme,
		"concern_link": concern["link"][concern["link"].index("/concern-status"):],
		"follow_up_path": link[link.index("/follow-up/"):],
		"k": int(T.settings().suppression_k or 5),
	}
	print(json.dumps(data))
	return programme
