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
