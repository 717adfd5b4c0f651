"""Public page /oversight-meetings: the decisions of the oversight meetings (OHCHR, civil society,
academia, the private sector and beneficiary states), with the date, the place, and who met as
counts by sector and UN regional group. Never the minutes, a name or an organisation. Guest
access; off with the rest of the public outputs when the transparency page is disabled."""

from collections import Counter

import frappe
from frappe import _

from ta_programmes import i18n
from ta_programmes import oversight_balance as balance
from ta_programmes import transparency as T
from ta_programmes.core.balance import GROUP_ORDER, ONLINE
from ta_programmes.replica import reads_from_replica

no_cache = 1  # the data is cached (transparency.cached) until an app record changes


@reads_from_replica
def get_context(context):
	i18n.page_context(context, "/oversight-meetings")
	if not T.settings().public_page_enabled:
		raise frappe.PageDoesNotExistError
	meetings = balance.public_meetings()
	by_year: dict[int, Counter] = {}
	for m in meetings:
		by_year.setdefault(m["year"], Counter())[ONLINE if m["online"] else m["regional_group"]] += 1
	places = [g for g in GROUP_ORDER if any(g in c for c in by_year.values())]
	context.places = places
	context.where = [
		{"year": year, "total": sum(c.values()), "counts": [c.get(p, 0) for p in places]}
		for year, c in sorted(by_year.items(), reverse=True)
	]
	context.meetings = meetings
	context.title = _("Oversight meetings: decisions")
	context.show_sidebar = 0
	return context
