"""The delivery rollup (TA Delivery Rollup): delivered activities summed per programme,
beneficiary state, thematic area and period, kept in step with TA Activity inside the
transaction that changes an activity, so that the transparency aggregates (desk report, public
page, CSV, PDF) read a few thousand summed rows instead of every activity.

**Grain.** One row per (programme, beneficiary state, thematic area, period), at three levels of
``period``: ``0`` all time, ``YYYY`` a year, ``YYYYMM`` a month (by the date the activity ended;
an activity without an end date counts in all time and in the year ``-1``, read as no year).
Each delivered activity is counted once at each level. A report without dates reads the
all-time rows; a range of whole months reads the whole years inside it from the year rows and
the months at its ends from the month rows (:func:`period_ranges`); a range that does not fall
on month boundaries (the desk allows any day) is counted from the activities themselves.

On the decade dataset (71 500 delivered activities): 7 100 all-time rows, 16 700 year rows,
51 700 month rows. The month rows alone would save little (a programme delivers about one
activity a month in a state and theme), hence the coarser levels.

**What it sums** (:data:`MEASURES`): activities, participants (women, men, other, total),
activities approved through the gate, trainer-hours, outside experts' hours and trainer fees:
the figures ``transparency.delivery_by`` adds up. Programme status, lead agency, regional group,
category and donors are not stored: the queries join them (small tables), so a change to a
programme or a state needs no rollup change.

**Kept in step** by the TA Activity controller on every path that goes through a document
(desk, REST, Data Import, scripts, ``frappe.delete_doc``): ``before_save`` reads the stored row
before the change (:func:`remember`), ``on_update`` the row after it (:func:`record`), and the
difference is added to the rollup rows in one ``INSERT … ON DUPLICATE KEY UPDATE`` (rows whose
count falls to zero are deleted); ``on_trash`` takes a deleted activity out (:func:`forget`).
The values are read from the database as exact decimals, so sums stay exact. The activity row
is locked by Frappe for the save (``load_doc_before_save`` reads it ``FOR UPDATE``) and the
rollup rows by the upsert, so concurrent saves add up. Writes that bypass documents (the bulk
generator's SQL, a patch) end with :func:`rebuild`; the migrate that creates the table fills it
(``after_doctype_insert`` of the doctype); until then the reports count from the activities::

    bench --site SITE execute ta_programmes.rollup.rebuild
    bench --site SITE execute ta_programmes.rollup.check --kwargs "{'quiet': False}"
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import date
from decimal import Decimal

import frappe

DOCTYPE = "TA Delivery Rollup"
TABLE = "`tabTA Delivery Rollup`"
ACTIVITY_TABLE = "`tabTA Activity`"
INDEX = "rollup_cover"

# rollup column -> the TA Activity column it sums (None: the activities are counted)
MEASURES: dict[str, str | None] = {
	"activities": None,
	"women": "participants_women",
	"men": "participants_men",
	"other": "participants_other",
	"participants": "actual_participants",
	"verified": "oversight_verified",
	"trainer_hours": "trainer_hours",
	"outside_hours": "outside_hours",
	"fees": "trainer_fees",
}
DECIMALS = ("trainer_hours", "outside_hours", "fees")
KEY = ("programme", "beneficiary_state", "thematic_area", "period")
INDEX_COLUMNS = ("period", "programme", "beneficiary_state", "thematic_area", *MEASURES)

ALL_TIME = 0
NO_YEAR = -1
LAST_YEAR = 9999
NAME_LENGTH = 20
SEPARATOR = "\x1f"


_READY: set[str] = set()


def ready() -> bool:
	"""The rollup's table exists on this site. Code can run before ``bench migrate`` has created it
	(a deploy, a site not migrated yet): the reports then count from the activities and activity
	saves leave the rollup alone. The table is filled when migrate creates it
	(``after_doctype_insert`` of TA Delivery Rollup)."""
	site = getattr(frappe.local, "site", None)
	if site in _READY:
		return True
	if frappe.db.sql("show tables like 'tabTA Delivery Rollup'"):  # nosemgrep: frappe-using-db-sql -- not cached: the table appears with migrate
		_READY.add(site)
		return True
	return False


# --- periods -------------------------------------------------------------------------------------


def periods_of(end) -> tuple[int, ...]:
	"""The periods a delivered activity that ended on ``end`` counts in."""
	if not end:
		return (ALL_TIME, NO_YEAR)
	day = end if isinstance(end, date) else frappe.utils.getdate(end)
	return (ALL_TIME, day.year, day.year * 100 + day.month)


def year_of(period: int) -> int | None:
	"""The year of a year or month period (None for the rows of activities without an end)."""
	if period == NO_YEAR:
		return None
	return period // 100 if period >= 10000 else period


def period_ranges(from_date=None, to_date=None, by_year: bool = False) -> list[tuple[int, int]] | None:
	"""The ``period`` ranges (inclusive) whose rows add up to the activities that ended from
	``from_date`` to ``to_date`` (whole days, both inclusive), using the coarsest rows: all time,
	else whole years, else months. ``by_year``: never the all-time row (the caller groups by
	year). None when a date is not a month boundary (``from_date`` not a first day, ``to_date``
	not a last day): the rollup cannot answer, the activities must be read. An empty list: no
	period (the range is empty)."""
	if not from_date and not to_date:
		return [(NO_YEAR, NO_YEAR), (1, LAST_YEAR)] if by_year else [(ALL_TIME, ALL_TIME)]
	start = frappe.utils.getdate(from_date) if from_date else date(1, 1, 1)
	end = frappe.utils.getdate(to_date) if to_date else date(LAST_YEAR, 12, 31)
	if start.day != 1 or end.day != calendar.monthrange(end.year, end.month)[1]:
		return None
	(y1, m1), (y2, m2) = (start.year, start.month), (end.year, end.month)
	if (y1, m1) > (y2, m2):
		return []
	if y1 == y2:
		return [(y1, y1)] if (m1, m2) == (1, 12) else [(y1 * 100 + m1, y1 * 100 + m2)]
	ranges = []
	if m1 != 1:
		ranges.append((y1 * 100 + m1, y1 * 100 + 12))
	first, last = (y1 if m1 == 1 else y1 + 1), (y2 if m2 == 12 else y2 - 1)
	if first <= last:
		ranges.append((first, last))
	if m2 != 12:
		ranges.append((y2 * 100 + 1, y2 * 100 + m2))
	return ranges


def row_name(programme: str, beneficiary_state: str, thematic_area: str, period: int) -> str:
	"""The name of a rollup row: a digest of its key, the same as :func:`rebuild` computes in SQL."""
	text = SEPARATOR.join((programme, beneficiary_state, thematic_area, str(period)))
	return hashlib.sha1(text.encode("utf-8")).hexdigest()[:NAME_LENGTH]


def _name_sql(programme: str, state: str, theme: str, period: str) -> str:
	return f"left(sha1(concat_ws(char(31), {programme}, {state}, {theme}, {period})), {NAME_LENGTH})"


# --- kept in step with TA Activity -----------------------------------------------------------------


def _stored(name: str | None) -> frappe._dict | None:
	"""The stored activity's contribution (exact decimals), or None when it is not delivered."""
	if not name:
		return None
	columns = ", ".join(
		f"cast(`{source}` as char) as `{measure}`" if measure in DECIMALS else f"`{source}` as `{measure}`"
		for measure, source in MEASURES.items()
		if source
	)
	rows = frappe.db.sql(
		f"""select `programme`, `beneficiary_state`, `thematic_area`, `end`, {columns}
		from {ACTIVITY_TABLE} where `name` = %s and `status` = 'Delivered'""",  # nosemgrep: frappe-using-db-sql -- exact decimals of one row (cast as text: Frappe reads DECIMAL as float)
		name,
		as_dict=True,
	)
	if not rows or not (rows[0].programme and rows[0].beneficiary_state and rows[0].thematic_area):
		return None  # without them the activity is in no aggregate (the reports join all three)
	row = rows[0]
	row.activities = 1
	for measure in MEASURES:
		row[measure] = Decimal(row[measure] or 0) if measure in DECIMALS else int(row[measure] or 0)
	return row


def remember(doc, method=None) -> None:
	"""``before_save`` of TA Activity: what the activity counted for before this save."""
	if not ready():
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	doc.flags.rollup_before = _stored(doc.name) if before and before.status == "Delivered" else None


def record(doc, method=None) -> None:
	"""``on_update`` of TA Activity: move the activity's figures from what it counted for before
	the save to what it counts for now."""
	if not ready():
		return
	before = doc.flags.pop("rollup_before", None)
	apply(before, _stored(doc.name) if doc.status == "Delivered" else None)


def forget(doc, method=None) -> None:
	"""``on_trash`` of TA Activity: a deleted activity counts no more."""
	if ready():
		apply(_stored(doc.name), None)


def apply(before: dict | None, after: dict | None) -> None:
	"""Add ``after``'s contribution and take away ``before``'s, at every period level."""
	deltas: dict[tuple, list] = {}
	for sign, row in ((-1, before), (1, after)):
		if not row:
			continue
		for period in periods_of(row["end"]):
			key = (row["programme"], row["beneficiary_state"], row["thematic_area"], period)
			delta = deltas.setdefault(key, [0] * len(MEASURES))
			for i, measure in enumerate(MEASURES):
				delta[i] += sign * row[measure]
	changes = sorted((row_name(*key), key, delta) for key, delta in deltas.items() if any(delta))
	if not changes:
		return
	now, user = frappe.utils.now_datetime(), frappe.session.user if frappe.session else "Administrator"
	columns = ("name", "creation", "modified", "modified_by", "owner", *KEY, *MEASURES)
	values = [value for name, key, delta in changes for value in (name, now, now, user, user, *key, *delta)]
	row = "(" + ", ".join(["%s"] * len(columns)) + ")"
	# In the order of the names, so that two transactions lock shared rows in the same order.
	frappe.db.sql(
		f"""insert into {TABLE} ({", ".join(f"`{c}`" for c in columns)}) values {", ".join([row] * len(changes))}
		on duplicate key update {", ".join(f"`{m}` = `{m}` + values(`{m}`)" for m in MEASURES)},
		`modified` = values(`modified`), `modified_by` = values(`modified_by`)""",  # nosemgrep: frappe-using-db-sql -- one multi-row upsert adding the deltas (the query builder has no "column + VALUES(column)")
		values,
	)
	emptied = [name for name, _key, delta in changes if delta[0] < 0]
	if emptied:
		frappe.db.delete(DOCTYPE, {"name": ("in", emptied), "activities": ("<=", 0)})


# --- rebuilt, checked ------------------------------------------------------------------------------


def _level_sql(level: str) -> str:
	"""The rows one level of the rollup should hold, computed from TA Activity: ``all``, ``year``
	(with the activities without an end as the year -1), ``month``, or ``no_year`` (those alone)."""
	sums = ", ".join(
		"count(*) as `activities`" if not source else f"sum(a.`{source}`) as `{measure}`" for measure, source in MEASURES.items()
	)
	period, where = {
		"all": (str(ALL_TIME), ""),
		"year": (f"ifnull(year(a.`end`), {NO_YEAR})", ""),
		"month": ("year(a.`end`) * 100 + month(a.`end`)", " and a.`end` is not null"),
		"no_year": (str(NO_YEAR), " and a.`end` is null"),
	}[level]
	by = f", {period}" if level in ("year", "month") else ""
	return f"""select {_name_sql("a.`programme`", "a.`beneficiary_state`", "a.`thematic_area`", period)} as `name`,
		a.`programme`, a.`beneficiary_state`, a.`thematic_area`, {period} as `period`, {sums}
		from {ACTIVITY_TABLE} a where a.`status` = 'Delivered' and a.`programme` is not null
		and a.`beneficiary_state` is not null and a.`thematic_area` is not null{where}
		group by a.`programme`, a.`beneficiary_state`, a.`thematic_area`{by}"""


def _expected_sql() -> str:
	"""Every row the rollup should hold, computed from TA Activity (the three levels)."""
	return " union all ".join(_level_sql(level) for level in ("all", "year", "month"))


def rebuild(commit: bool = False, quiet: bool = False) -> dict:
	"""Recompute the whole rollup from TA Activity in the current transaction (``bench execute``
	commits it; concurrent activity saves wait for it): one pass over the activities (their
	delivery_cover index) grouped per month WITH ROLLUP, which adds the year and all-time rows;
	the rare activities without an end date are added to the year -1 and to all time."""
	import time

	started = time.perf_counter()
	values = {"user": frappe.session.user if frappe.session else "Administrator"}
	keys = ("programme", "beneficiary_state", "thematic_area")
	data = ", ".join(f"`{c}`" for c in (*KEY, *MEASURES))
	columns = f"`name`, {data}"
	into = f"insert into {TABLE} ({columns}, `creation`, `modified`, `modified_by`, `owner`)"
	stamp = "now(6), now(6), %(user)s, %(user)s"
	sums = ", ".join(
		"count(*) as `activities`" if not source else f"sum(a.`{source}`) as `{measure}`" for measure, source in MEASURES.items()
	)
	key_columns = ", ".join(f"a.`{k}`" for k in keys)
	period = "case when `y` is null then 0 when `m` is null then `y` else `y` * 100 + `m` end"
	levels = f"""select {", ".join(f"`{k}`" for k in keys)}, {period} as `period`, {", ".join(f"`{m}`" for m in MEASURES)}
		from (select {key_columns}, year(a.`end`) as `y`, month(a.`end`) as `m`, {sums}
			from {ACTIVITY_TABLE} a where a.`status` = 'Delivered' and a.`programme` is not null
			and a.`beneficiary_state` is not null and a.`thematic_area` is not null and a.`end` is not null
			group by {key_columns}, year(a.`end`), month(a.`end`) with rollup) grouped
		where `thematic_area` is not null"""  # the rollup's lines above (programme, state, theme) are not kept
	name = _name_sql("`programme`", "`beneficiary_state`", "`thematic_area`", "`period`")
	frappe.db.sql(f"delete from {TABLE}")  # nosemgrep: frappe-using-db-sql -- emptied and refilled in one transaction (TRUNCATE would commit)
	frappe.db.sql(f"{into} select {name}, {data}, {stamp} from ({levels}) src", values)  # nosemgrep: frappe-using-db-sql -- the rollup is rebuilt in INSERT ... SELECT statements
	no_year = _level_sql("no_year")  # found through the end index
	frappe.db.sql(f"{into} select {columns}, {stamp} from ({no_year}) src", values)  # nosemgrep: frappe-using-db-sql -- the rollup is rebuilt in INSERT ... SELECT statements
	frappe.db.sql(  # nosemgrep: frappe-using-db-sql -- the rollup is rebuilt in INSERT ... SELECT statements
		f"""{into} select {_name_sql("`programme`", "`beneficiary_state`", "`thematic_area`", str(ALL_TIME))},
		{", ".join(f"`{k}`" for k in keys)}, {ALL_TIME}, {", ".join(f"`{m}`" for m in MEASURES)}, {stamp} from ({no_year}) src
		on duplicate key update {", ".join(f"{TABLE}.`{m}` = {TABLE}.`{m}` + values(`{m}`)" for m in MEASURES)}""",
		values,
	)
	result = {"rows": frappe.db.count(DOCTYPE), "seconds": round(time.perf_counter() - started, 2)}
	if commit:
		frappe.db.commit()
	if not quiet:
		print(f"TA Delivery Rollup rebuilt: {result['rows']} rows in {result['seconds']} s.")
	return result


def _exact(rows) -> dict[str, tuple]:
	"""Rows keyed by name, numbers written exactly (``3.500000000`` and ``3.5`` alike)."""
	return {
		r[0]: tuple(str(Decimal(str(v)).normalize() + 0) if i >= len(KEY) else v for i, v in enumerate(r[1:]))
		for r in rows
	}


def check(limit: int = 20, quiet: bool = True) -> list[str]:
	"""The differences between the rollup and what the activities add up to (empty: equal);
	``bench execute ta_programmes.rollup.check --kwargs "{'quiet': False}"`` says so."""
	columns = ", ".join(f"cast(`{c}` as char)" if c in DECIMALS else f"`{c}`" for c in (*KEY, *MEASURES))
	expected = _exact(
		frappe.db.sql(f"select `name`, {columns} from ({_expected_sql()}) expected")  # nosemgrep: frappe-using-db-sql -- compared with the stored rollup, exactly
	)
	stored = _exact(frappe.db.sql(f"select `name`, {columns} from {TABLE}"))  # nosemgrep: frappe-using-db-sql -- the whole rollup, exactly
	problems = []
	for name in sorted(expected.keys() | stored.keys()):
		if expected.get(name) != stored.get(name):
			problems.append(f"{name}: stored {stored.get(name)} != activities {expected.get(name)}")
			if len(problems) >= limit:
				break
	if not quiet:
		print(f"TA Delivery Rollup: {len(stored)} rows, " + ("equal to the activities." if not problems else f"{len(problems)}+ differences."))
	return problems
