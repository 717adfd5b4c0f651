"""Monitoring and evaluation on a site: the queries and jobs around ``core.results``.

- readiness: a programme goes to review with its needs assessed, and is completed with an
  impact review (called by the programme controller);
- the indicator tracking table of a programme (form, reports, impact review, public outputs);
- follow-ups: created by the scheduler after delivery, one-time links, answers, response rate;
- rosters: deleted once their retention ends;
- lessons of earlier programmes for the same states.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import secrets
from collections import defaultdict
from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, get_url, getdate, now_datetime, nowdate

from ta_programmes import i18n
from ta_programmes.core import results as R
from ta_programmes.core.errors import DuplicateRow
from ta_programmes.enforce import rules
from ta_programmes.exceptions import FollowUpLinkError

# A programme in these states went to review: its states keep their needs assessments.
REVIEWED_STATES = ("Under Review", "Approved", "Active", "Suspended")


def settings():
	return frappe.get_cached_doc("TA Monitoring Settings")


def intervals() -> tuple[int, ...]:
	with rules():
		return R.parse_intervals(settings().follow_up_months)


def claim_key(doc, field: str, parts: tuple, what: str) -> None:
	"""Set a unique key (``field`` carries a unique index, so two saves at once cannot both
	pass) and refuse a second record for the same key with a clear message."""
	key = "|".join(str(p or "") for p in parts)
	doc.set(field, key)
	other = frappe.db.get_value(doc.doctype, {field: key, "name": ("!=", doc.name or "")}, "name")
	if other:
		with rules():
			raise DuplicateRow(_("{0} is already recorded in {1}."), what, other)


# --- readiness -----------------------------------------------------------------------------------
def check_ready_for_review(programme) -> None:
	states = [r.beneficiary_state for r in programme.beneficiary_states]
	assessed = {
		a.beneficiary_state: bool(a.request_document and frappe.db.exists("File", {"file_url": a.request_document}))
		for a in frappe.get_all(
			"TA Needs Assessment", filters={"programme": programme.name}, fields=["beneficiary_state", "request_document"]
		)
	}
	with rules():
		R.check_needs_assessed(states, assessed)


def check_ready_for_completion(programme) -> None:
	# A locking read: a review cancelled at the same moment (which locks the programme first, see
	# TAImpactReview.cancel) is seen, never a stale snapshot.
	reviewed = frappe.db.sql(
		"select name from `tabTA Impact Review` where programme = %s and docstatus = 1 for update", programme.name
	)
	with rules():
		R.check_impact_reviewed(bool(reviewed))


# --- indicator tracking ----------------------------------------------------------------------------
def tracking(programmes: list[str]) -> list[dict]:
	"""One row per indicator and reporting period of these programmes: baseline, target, actual
	(the period's total, else the sum of its categories for a count), % of the way to target and
	its traffic light.

	One query per table (indicators, results, targets, actuals), each answered by the database
	as one JSON text (see :func:`_json_rows`): at a decade of data the report has some 30 000 rows
	from 80 000 records, and reading them value by value through the driver took most of its
	time. For a large part of the site's programmes (indicators), the tables are read whole and
	the rows kept for these (a scan costs less than looking up each one's rows)."""
	if not programmes:
		return []
	with collector_paused():
		return _tracking(list(dict.fromkeys(programmes)))


@contextlib.contextmanager
def collector_paused():
	"""Python's cycle collector off while some 100 000 lists, tuples and dicts without cycles are
	built (they are freed by reference counting either way; the collector's passes over them
	took a fifth of the time)."""
	was_on = gc.isenabled()
	gc.disable()
	try:
		yield
	finally:
		if was_on:
			gc.enable()


def _tracking(programmes: list[str]) -> list[dict]:
	# the programmes as the site names them (a read of whole tables keeps exact names)
	chosen = set(programmes)
	totals = _totals() if len(programmes) >= SCAN_FROM else None
	whole = bool(totals) and len(programmes) * 3 >= totals[0]
	indicators = _json_rows(_INDICATORS, programmes, scan=whole)
	if whole:
		indicators = [i for i in indicators if i[0] in chosen]
	if not indicators:
		return []
	results = {r[0]: r for r in _json_rows(_RESULTS, programmes, scan=whole) if not whole or r[4] in chosen}
	wanted = {i[1] for i in indicators}
	names = list(wanted)
	whole = len(wanted) >= SCAN_FROM and len(wanted) * 3 >= (totals or _totals())[1]
	# Targets by start (the order the form and the reports show them), per indicator.
	targets: dict[str, list] = {}
	rows = _json_rows(_TARGETS, names, scan=whole)
	rows.sort(key=_start)
	days = _Days()
	for row in rows:  # [parent, period, start, end, target], its dates made dates in place
		periods = targets.get(row[0])
		if periods is None:
			if row[0] not in wanted:
				continue
			periods = targets[row[0]] = []
		row[2], row[3] = days[row[2]], days[row[3]]
		periods.append(row)
	actuals: dict[str, dict] = {}
	for indicator, period, category, value, sample in _json_rows(_ACTUALS, names, scan=whole):
		cells = actuals.get(indicator)
		if cells is None:
			if indicator not in wanted:
				continue
			cells = actuals[indicator] = {}
		cell = cells.get(period)
		if cell is None:
			cell = cells[period] = [None, None, None]  # total, categories (when any), sample
		if category:
			if cell[1] is None:
				cell[1] = {}
			cell[1][category] = value
		else:
			cell[0], cell[2] = value, sample
	headline, achievement, light = R.headline, R.achievement, R.traffic_light
	no_light = light(None)
	no_targets = ((None, None, None, None, None),)
	no_result = (None, None, None, None, None)
	no_actuals: dict = {}
	_dict = frappe._dict
	out = []
	append = out.append
	for programme, name, code, title, unit, direction, result, baseline, standard in indicators:
		r = results.get(result, no_result)
		# what every period of the indicator shows (the keys in the order of a row)
		head = {
			"programme": programme, "indicator": name, "code": code, "title": title, "unit": unit, "direction": direction,
			"result": result, "result_code": r[1], "result_title": r[2], "level": r[3], "baseline": baseline,
		}
		cells = actuals.get(name, no_actuals)
		for _parent, period, start, end, target in targets.get(name) or no_targets:
			cell = cells.get(period) if period else None
			if cell:
				categories = dict(cell[1]) if cell[1] else {}
				actual = headline(unit, cell[0], categories)
				pct = achievement(baseline, target, actual, direction)
				append(
					_dict(
						head, period=period, period_start=start, period_end=end, target=target, actual=actual, achievement=pct,
						light=light(pct), categories=categories, sample=cell[2], standard_indicator=standard,
					)
				)
			else:
				append(
					_dict(
						head, period=period, period_start=start, period_end=end, target=target, actual=None, achievement=None,
						light=no_light, categories={}, sample=None, standard_indicator=standard,
					)
				)
	return out


def _q(column: str) -> str:
	"""A column as JSON text: a quoted string, or null."""
	return f"ifnull(json_quote({column}), 'null')"


def _n(column: str) -> str:
	"""A number column as JSON text (DECIMAL and INT print as JSON numbers, the digits the driver
	would have read)."""
	return f"ifnull({column}, 'null')"


def _d(column: str) -> str:
	"""A date as its day number (TO_DAYS), or null."""
	return f"ifnull(to_days({column}), 'null')"


class _Query:
	"""One of tracking's queries: each row a JSON array, from one table, filtered by a list of
	keys (``key in (...)``) or, for a scan, by ``where`` alone."""

	def __init__(self, values: tuple[str, ...], table: str, key: str, where: str = "", order: str = "", ordered_by: str = ""):
		self.row = "concat('[', " + ", ',', ".join(values) + ", ']')"
		self.table, self.key, self.where, self.order = table, key, where, order
		# the doctype whose names are the keys, when rows must keep the keys' order across parts
		self.ordered_by = ordered_by

	def source(self, filtered: bool) -> str:
		conditions = [c for c in (self.where, f"{self.key} in %(keys)s" if filtered else "") if c]
		return f"from {self.table}" + (" where " + " and ".join(conditions) if conditions else "")

	def as_text(self, filtered: bool) -> str:
		"""All rows as one text: JSON arrays separated by commas, in their order."""
		order = f" order by {self.order}" if self.order else ""
		return f"select count(*), group_concat({self.row}{order} separator ',') {self.source(filtered)}"

	def as_rows(self) -> str:
		"""One JSON array per row (for what one text cannot hold)."""
		return f"select {self.row} {self.source(True)}" + (f" order by {self.order}" if self.order else "")


# Indicators in the order the report lists them: by programme and code in the database's collation,
# compared by their collation weights (the same order; GROUP_CONCAT sorts these bytes about twice
# as fast as it compares the strings).
_INDICATORS = _Query(
	(
		_q("i.programme"), _q("i.name"), _q("i.code"), _q("i.title"), _q("i.unit"), _q("i.direction"), _q("i.result"),
		_n("i.baseline_value"), _q("i.standard_indicator"),
	),
	"`tabTA Indicator` i", "i.programme", order="weight_string(i.programme), weight_string(i.code)", ordered_by="TA Programme",
)
_RESULTS = _Query((_q("r.name"), _q("r.code"), _q("r.title"), _q("r.level"), _q("r.programme")), "`tabTA Result` r", "r.programme")
_TARGETS = _Query(
	(_q("t.parent"), _q("t.period"), _d("t.period_start"), _d("t.period_end"), _n("t.target_value")),
	"`tabTA Indicator Target` t", "t.parent", where="t.parenttype = 'TA Indicator'",
)
_ACTUALS = _Query(
	(_q("a.indicator"), _q("a.period"), _q("a.category"), _n("a.value"), _n("a.sample_size")),
	"`tabTA Indicator Actual` a", "a.indicator",
)
# Below this many programmes (indicators) their indicators and results (targets and actuals)
# are looked up by index; from it, and from a third of the site's, the tables are read whole and
# the rows kept for them.
SCAN_FROM = 500
# The longest text asked for (MariaDB's default max_allowed_packet): beyond it the keys are
# asked for in parts.
JSON_TEXT_LIMIT = 16 * 1024 * 1024


def _totals() -> tuple[int, int]:
	"""How many programmes and indicators the site holds."""
	return frappe.db.sql("select (select count(*) from `tabTA Programme`), (select count(*) from `tabTA Indicator`)")[0]


def _json_rows(query: _Query, keys: list[str], scan: bool = False) -> list[list]:
	"""The rows of a query for these keys (or of the whole table for a scan). A text that would
	be longer than the limit (MariaDB cuts it at group_concat_max_len, and answers NULL beyond the
	server's max_allowed_packet) is asked for by keys, in two halves of them, taken in the
	database's order when the rows follow it; for a single key, row by row."""
	if not keys and not scan:
		return []
	sql = f"SET STATEMENT group_concat_max_len = {int(JSON_TEXT_LIMIT)} FOR {query.as_text(not scan)}"
	count, text = (frappe.db.sql(sql) if scan else frappe.db.sql(sql, {"keys": keys}))[0]
	if not count:
		return []
	if text is not None and (len(text) < JSON_TEXT_LIMIT // 4 or len(text.encode()) < JSON_TEXT_LIMIT - 4):
		return json.loads(f"[{text}]")
	if scan:
		return _json_rows(query, keys)
	if query.ordered_by:
		ordered = frappe.get_all(query.ordered_by, filters={"name": ("in", keys)}, order_by="name", pluck="name")
		keys = ordered + sorted(set(keys) - set(ordered))  # names that are not (or no longer) records: last
	if len(keys) < 2:
		return [json.loads(r[0]) for r in frappe.db.sql(query.as_rows(), {"keys": keys})]
	half = len(keys) // 2
	return _json_rows(query, keys[:half]) + _json_rows(query, keys[half:])


class _Days(dict):
	"""Day numbers (TO_DAYS) as dates, each converted once."""

	def __missing__(self, n: int | None) -> date | None:
		d = self[n] = None if n is None else date.fromordinal(n - 365)
		return d


def _start(row: list) -> int:
	"""A target row's start, for ordering (MariaDB puts NULL first)."""
	return -1 if row[2] is None else row[2]


def latest_by_indicator(rows: list[dict]) -> list[dict]:
	"""Each indicator's latest period with an actual (else its first period)."""
	best: dict[str, dict] = {}
	for r in rows:
		current = best.get(r.indicator)
		if current is None or (r.actual is not None and (current.actual is None or str(r.period_start or "") > str(current.period_start or ""))):
			best[r.indicator] = r
	return list(best.values())


def light_counts(rows: list[dict]) -> dict[str, int]:
	counts = dict.fromkeys(R.LIGHTS, 0)
	for r in latest_by_indicator(rows):
		counts[r.light] += 1
	return counts


def published(programmes: list[str], k: int, rounding: bool) -> list[dict]:
	"""The tracking rows as a public output or the donor view shows them: every figure through
	``core.results.published_value`` (counts suppressed below k and rounded for Guests, averages
	only over k people, categories only where safe), % of target and light from published
	figures only."""
	meta = {
		i.name: i
		for i in frappe.get_all(
			"TA Indicator", filters={"programme": ("in", programmes or [""])}, fields=["name", "baseline_date", "disaggregation"]
		)
	}
	out = []
	for r in tracking(programmes):
		actual, categories = R.published_value(r.unit, r.actual, r.categories, r.sample, k, rounding)
		baseline = R.published_baseline(r.unit, r.baseline, k, rounding)
		pct, light = R.published_achievement(baseline, r.target, actual, r.direction)
		m = meta.get(r.indicator) or frappe._dict()
		out.append(
			frappe._dict(
				r, actual=actual, categories=categories, baseline=baseline, achievement=pct, light=light,
				baseline_date=m.baseline_date, disaggregation=m.disaggregation, sample=None,
			)
		)
	return out


# --- follow-ups ------------------------------------------------------------------------------------
def token_hash(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def create_follow_ups(today=None) -> list[str]:
	"""Daily: a follow-up round for each delivered activity whose round is due; its programme
	officer gets a to-do, and the trainees on the roster their one-time links."""
	today = getdate(today or nowdate())
	months = intervals()
	created = []
	activities = frappe.get_all(
		"TA Activity", filters={"status": "Delivered", "end": ("<=", add_days(today, -28))}, fields=["name", "end", "programme", "title"]
	)
	existing = defaultdict(set)
	for f in frappe.get_all("TA Follow-up", filters={"activity": ("in", [a.name for a in activities] or [""])}, fields=["activity", "round_months"]):
		existing[f.activity].add(f.round_months)
	for a in activities:
		for m, due in R.due_rounds(getdate(a.end), months, existing[a.name], today):
			values = {"activity": a.name, "round_months": m, "due_on": due}
			doc = frappe.get_doc({"doctype": "TA Follow-up", "status": "Open", **values})
			doc.flags.scheduled = values  # the controller refuses a follow-up without it
			doc.insert(ignore_permissions=True)
			created.append(doc.name)
			officer = frappe.db.get_value("TA Programme", a.programme, "programme_officer")
			if officer:
				from frappe.desk.form.assign_to import add as assign

				assign(
					{
						"assign_to": [officer], "doctype": "TA Follow-up", "name": doc.name, "date": due,
						"description": _("{0}-month follow-up of {1}: send the links and watch the response rate.").format(m, a.title),
					},
					ignore_permissions=True,
				)
			if frappe.db.exists("TA Participant Roster", a.name):
				email_links(doc.name)
	return created


def issue_links(follow_up: str, count: int) -> list[str]:
	"""``count`` new one-time links; only their hashes are kept (TA Follow-up Link, read by
	administrators only), none tied to a person."""
	doc = frappe.get_doc("TA Follow-up", follow_up)
	if doc.status != "Open":
		frappe.throw(_("The follow-up is closed: no new links."), frappe.ValidationError, title=_("Follow-up Closed"))
	issued = now_datetime()
	expires = R.link_expiry(issued, int(settings().link_valid_days or R.FOLLOW_UP_LINK_DAYS))
	tokens = [secrets.token_urlsafe(24) for _i in range(count)]
	for token in tokens:
		link = frappe.get_doc(
			{"doctype": "TA Follow-up Link", "follow_up": follow_up, "token_hash": token_hash(token), "issued_on": issued, "expires_on": expires}
		)
		link.flags.issued = True
		link.insert(ignore_permissions=True)
	invited = frappe.db.count("TA Follow-up Link", {"follow_up": follow_up})
	frappe.db.set_value(
		"TA Follow-up", follow_up, {"invited": invited, "response_rate": R.response_rate(invited, doc.responded or 0) or 0}
	)
	return [get_url(f"/follow-up/new?token={t}") for t in tokens]


@frappe.whitelist(methods=["POST"])
def make_links(follow_up: str, count: int | str = 1) -> list[str]:
	"""Links to hand out without a roster (printed, read out, sent by the host institution):
	shown once, never stored."""
	from ta_programmes.api.args import int_arg

	frappe.has_permission("TA Follow-up", "write", doc=follow_up, throw=True)
	n = int_arg(count, _("Number of links"), 1, 500)
	return issue_links(follow_up, n)


@frappe.whitelist(methods=["POST"])
def send_links(follow_up: str) -> int:
	"""E-mail a one-time link to everyone on the activity's roster (once per round). The e-mail
	goes to the person; the stored link is a hash, tied to nobody."""
	frappe.has_permission("TA Follow-up", "write", doc=follow_up, throw=True)
	return email_links(follow_up)


def email_links(follow_up: str) -> int:
	"""``send_links`` without the permission check, for the scheduler."""
	doc = frappe.get_doc("TA Follow-up", follow_up)
	if not frappe.db.exists("TA Participant Roster", doc.activity):
		frappe.throw(
			_("Activity {0} has no participant roster: make links to hand out instead.").format(doc.activity),
			frappe.ValidationError, title=_("No Roster"),
		)
	if not frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		frappe.throw(
			_("No outgoing e-mail account is set up: ask an administrator to set one up, or make links to hand out."),
			frappe.ValidationError, title=_("E-mail Not Set Up"),
		)
	roster = frappe.get_doc("TA Participant Roster", doc.activity)
	emails = list({(r.email or "").strip().lower() for r in roster.entries if r.email})
	secrets.SystemRandom().shuffle(emails)  # the order of the links says nothing about the roster
	if doc.emailed_on:
		frappe.throw(
			_("The links of this round were e-mailed on {0}.").format(frappe.utils.format_datetime(doc.emailed_on)),
			frappe.ValidationError, title=_("Already Sent"),
		)
	links = issue_links(follow_up, len(emails)) if emails else []
	frappe.db.set_value("TA Follow-up", follow_up, "emailed_on", now_datetime())
	# Written in the language the training was given in (participants have no account to say theirs).
	with i18n.speaking(frappe.db.get_value("TA Activity", doc.activity, "language") or frappe.local.lang):
		subject = _("Six questions about the training {0}").format(doc.activity_title)
		invitation = _(
			"Some months ago you took part in {0}. Has it changed your work? Four short questions, no login, "
			"your name is not recorded with your answers:"
		).format(f"<b>{frappe.utils.escape_html(doc.activity_title)}</b>")
		expiry = _("The link works once and expires in {0} days.").format(int(settings().link_valid_days or R.FOLLOW_UP_LINK_DAYS))
	for email, link in zip(emails, links, strict=True):
		frappe.sendmail(
			recipients=[email],
			subject=subject,
			message=f'<p>{invitation}</p><p><a href="{link}">{link}</a></p><p>{expiry}</p>',
			# no reference to the follow-up: the queued e-mail would tie a link to a person in its timeline
		)
	return len(links)


def refresh_counts(follow_up: str) -> None:
	answers = frappe.get_all(
		"TA Follow-up Response", filters={"follow_up": follow_up}, fields=["applied_skill", "cases", "hr_concern"]
	)
	invited = frappe.db.count("TA Follow-up Link", {"follow_up": follow_up})
	frappe.db.set_value(
		"TA Follow-up", follow_up,
		{
			"invited": invited,
			"responded": len(answers),
			"response_rate": R.response_rate(invited, len(answers)) or 0,
			"applied": sum(1 for a in answers if a.applied_skill == "Yes"),
			"cases": sum(int(a.cases or 0) for a in answers),
			"concerns": sum(1 for a in answers if a.hr_concern),
		},
		update_modified=False,  # the moment of an answer is not recorded on the follow-up
	)


def _invitation(token: str | None, lock: bool):
	if not isinstance(token, str) or not token or len(token) > 200:
		return None
	rows = frappe.db.sql(
		"""select i.name, i.used, i.expires_on, f.name as follow_up, f.status, f.activity, f.programme, f.round_months
		from `tabTA Follow-up Link` i join `tabTA Follow-up` f on f.name = i.follow_up
		where i.token_hash = %s""" + (" for update" if lock else ""),
		token_hash(token),
		as_dict=True,
	)
	return rows[0] if rows else None


def _problem(found) -> str | None:
	return R.link_problem(
		bool(found), bool(found and found.used), found.expires_on if found else None, bool(found and found.status == "Open"), now_datetime()
	)


def claim_link(token: str | None) -> dict:
	"""The open follow-up a link answers, its invitation row locked until the answer's transaction
	ends (a link sent twice at once is used once); refused with a message naming nobody."""
	found = _invitation(token, lock=True)
	problem = _problem(found)
	if problem:
		frappe.throw(_(R.LINK_MESSAGES[problem]), FollowUpLinkError, title=_("Link Not Valid"))
	return found


def use_link(invitation: str) -> None:
	frappe.db.set_value("TA Follow-up Link", invitation, "used", 1, update_modified=False)


def link_problem(token: str | None) -> str | None:
	"""For the follow-up page: None when the link can be answered, else "invalid", "used" or
	"expired" (a plain read; the answer's insert checks again under a lock)."""
	return _problem(_invitation(token, lock=False))


# --- rosters -------------------------------------------------------------------------------------
def purge_rosters(today=None) -> list[str]:
	"""Daily: participant rosters past their retention date are deleted (names and contacts)."""
	gone = frappe.get_all("TA Participant Roster", filters={"retention_until": ("<", getdate(today or nowdate()))}, pluck="name")
	for name in gone:
		frappe.delete_doc("TA Participant Roster", name, ignore_permissions=True, delete_permanently=True)
		frappe.get_doc(
			{"doctype": "Comment", "comment_type": "Info", "reference_doctype": "TA Activity", "reference_name": name,
			 "content": _("Participant roster deleted: its retention period ended.")}
		).insert(ignore_permissions=True)
	return gone


# --- daily job -------------------------------------------------------------------------------------
def daily() -> None:
	create_follow_ups()
	purge_rosters()


# --- lessons -------------------------------------------------------------------------------------
def earlier_lessons(programme: str) -> list[dict]:
	"""Submitted impact reviews of other programmes sharing a beneficiary state with this one."""
	states = frappe.get_all(
		"TA Programme State", filters={"parent": programme, "parenttype": "TA Programme"}, pluck="beneficiary_state"
	)
	if not states:
		return []
	others = set(
		frappe.get_all(
			"TA Programme State",
			filters={"beneficiary_state": ("in", states), "parenttype": "TA Programme", "parent": ("!=", programme)},
			pluck="parent",
		)
	)
	if not others:
		return []
	return frappe.get_all(
		"TA Impact Review",
		filters={"programme": ("in", list(others)), "docstatus": 1},
		fields=["name", "programme", "programme_title", "reviewed_on", "what_worked", "lessons", "concerns_observed", "on_track", "missed", "indicators"],
		order_by="reviewed_on desc",
	)


def theme_categories(programme: str) -> list[str]:
	themes = frappe.get_all("TA Programme Theme", filters={"parent": programme, "parenttype": "TA Programme"}, pluck="thematic_area")
	return frappe.get_all("TA Thematic Area", filters={"name": ("in", themes or [""])}, pluck="category")


def balance_of(programmes: list[str]) -> R.Balance:
	rows = frappe.get_all(
		"TA Activity",
		filters={"programme": ("in", programmes or [""]), "status": ("!=", "Cancelled")},
		fields=["category", "institution_type"],
	)
	from ta_programmes.core.constants import THEME_CATEGORIES

	return R.balance(((r.category, r.institution_type, 1) for r in rows), THEME_CATEGORIES)  # each activity once


def warnings_for(programme: str) -> list[str]:
	shares = balance_of([programme]).categories
	target = settings().min_prevention_share
	from ta_programmes.core.i18n import render

	return [render(w, _) for w in R.balance_warnings(theme_categories(programme), shares if any(shares.values()) else None, target)]

