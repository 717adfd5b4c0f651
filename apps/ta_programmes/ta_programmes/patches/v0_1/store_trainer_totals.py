"""Store each activity's trainer-hours, outside experts' hours and trainer fees on the activity
(the transparency aggregates read them in one pass). Existing activities get them from their
trainers' rows, as the controller computes them on save (core.rules.trainer_totals)."""

import frappe

from ta_programmes.core.constants import OUTSIDE_EXPERTISE_SECTORS
from ta_programmes.core.rules import HOURS_PER_DAY


def execute():
	frappe.db.sql(  # nosemgrep: frappe-using-db-sql -- one set-based update of every activity, once, at migration
		f"""
		update `tabTA Activity` a
		join (
			select at.parent,
				sum(ifnull(at.hours, 0)) as hours,
				sum(if(t.sector in %(outside)s, ifnull(at.hours, 0), 0)) as outside_hours,
				round(sum(ifnull(at.hours, 0) * ifnull(t.daily_rate, 0) / {HOURS_PER_DAY}), 2) as fees
			from `tabTA Activity Trainer` at
			join `tabTA Trainer` t on t.name = at.trainer
			where at.parenttype = 'TA Activity'
			group by at.parent
		) x on x.parent = a.name
		set a.trainer_hours = x.hours, a.outside_hours = x.outside_hours, a.trainer_fees = x.fees
		""",
		{"outside": OUTSIDE_EXPERTISE_SECTORS},
	)
