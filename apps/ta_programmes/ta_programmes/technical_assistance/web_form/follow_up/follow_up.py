"""The follow-up web form (/follow-up/new?token=…): a trainee answers without logging in. A link
that cannot be answered (altered, used or expired) leads to a page saying so, and nothing else."""

import frappe

from ta_programmes import results


def get_context(context):
	problem = results.link_problem(frappe.form_dict.get("token"))
	if problem:
		frappe.redirect(f"/follow-up-link?reason={problem}")
	context.no_cache = 1
