"""Operations: is the scheduler running the app's jobs, and how long are the app's logs kept.

Pure Python (no Frappe): ``ta_programmes/operations.py`` gathers the scheduled jobs and Log
Settings of a site and calls these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

# How long the logs the app writes to are kept, in days (Log Settings; Frappe clears older rows daily).
# Scheduled Job Log: a month of the daily jobs' runs (Frappe keeps 7 days), so that a failure is
# still there when someone looks; Error Log: what those failures raised (Frappe: 14); Email Queue:
# reminders and the gate's notifications (Frappe: 30); Notification Log: the alerts in the desk
# (Frappe never clears them); Access Log: who exported a report, kept a year for audit.
LOG_RETENTION: dict[str, int] = {
	"Scheduled Job Log": 30,
	"Error Log": 30,
	"Email Queue": 30,
	"Notification Log": 180,
	"Access Log": 365,
}

# Frappe's job frequencies and the time between two runs.
PERIODS: dict[str, timedelta] = {
	"All": timedelta(minutes=4),
	"Hourly": timedelta(hours=1),
	"Hourly Long": timedelta(hours=1),
	"Hourly Maintenance": timedelta(hours=1),
	"Daily": timedelta(days=1),
	"Daily Long": timedelta(days=1),
	"Daily Maintenance": timedelta(days=1),
	"Weekly": timedelta(weeks=1),
	"Weekly Long": timedelta(weeks=1),
	"Monthly": timedelta(days=31),
	"Monthly Long": timedelta(days=31),
	"Yearly": timedelta(days=366),
	"Annual": timedelta(days=366),
}
# A cron job's period is not known here: it is held to a day, the app's slowest rhythm.
CRON_PERIOD = timedelta(days=1)


@dataclass(frozen=True)
class Job:
	method: str
	frequency: str
	last_execution: datetime | None
	created: datetime
	stopped: bool = False


def log_retention(current: Mapping[str, int], wanted: Mapping[str, int] = LOG_RETENTION, lengthen: bool = True) -> dict[str, int]:
	"""The Log Settings rows to write: each log the app wants kept that has no row, and (``lengthen``)
	each kept for fewer days than the app wants. A longer retention, or 0 (kept for ever), is never
	shortened."""
	changes = {}
	for doctype, days in wanted.items():
		if doctype not in current:
			changes[doctype] = days
		elif lengthen and 0 < int(current[doctype] or 0) < days:
			changes[doctype] = days
	return changes


def overdue(job: Job, now: datetime) -> bool:
	"""A job is overdue when two of its periods passed since it last ran (or was created, if it never
	ran): one missed run is allowed for, since a daily job runs at some time of its day."""
	period = PERIODS.get(job.frequency, CRON_PERIOD)
	return now - (job.last_execution or job.created) > 2 * period


def not_running(scheduler_active: bool, jobs: Iterable[Job], now: datetime) -> list[tuple[str, str]]:
	"""The app's jobs that do not run as they should, each with why: all of them while the scheduler
	is off (disabled, paused or in maintenance mode), else those stopped or overdue."""
	out = []
	for job in sorted(jobs, key=lambda j: j.method):
		if not scheduler_active:
			out.append((job.method, "scheduler off"))
		elif job.stopped:
			out.append((job.method, "stopped"))
		elif overdue(job, now):
			out.append((job.method, "overdue"))
	return out
