"""core/operations.py: which of the app's scheduled jobs do not run, and the app's log retention."""

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from ta_programmes.core import operations as O

NOW = datetime(2026, 12, 1, 6, 0)


def job(method="ta_programmes.oversight.daily_check", frequency="Daily", last=NOW - timedelta(hours=5), created=None,
		stopped=False):
	return O.Job(method, frequency, last, created or NOW - timedelta(days=90), stopped)


def test_a_daily_job_that_ran_today_or_yesterday_runs():
	assert O.not_running(True, [job(last=NOW - timedelta(hours=47))], NOW) == []


def test_a_daily_job_that_missed_two_days_is_overdue():
	assert O.not_running(True, [job(last=NOW - timedelta(hours=49))], NOW) == [("ta_programmes.oversight.daily_check", "overdue")]


def test_a_job_that_never_ran_counts_from_its_creation():
	assert O.not_running(True, [job(last=None, created=NOW - timedelta(hours=3))], NOW) == []
	assert O.not_running(True, [job(last=None, created=NOW - timedelta(days=3))], NOW)[0][1] == "overdue"


def test_every_job_is_reported_while_the_scheduler_is_off_and_a_stopped_one_always():
	jobs = [job("ta_programmes.b.daily"), job("ta_programmes.a.daily")]
	assert O.not_running(False, jobs, NOW) == [("ta_programmes.a.daily", "scheduler off"), ("ta_programmes.b.daily", "scheduler off")]
	assert O.not_running(True, [job(stopped=True)], NOW) == [("ta_programmes.oversight.daily_check", "stopped")]


def test_hourly_weekly_and_cron_periods():
	assert O.overdue(job(frequency="Hourly", last=NOW - timedelta(hours=3)), NOW)
	assert not O.overdue(job(frequency="Weekly", last=NOW - timedelta(days=10)), NOW)
	assert O.overdue(job(frequency="Cron", last=NOW - timedelta(days=3)), NOW)


def test_log_retention_adds_missing_rows_and_lengthens_only_at_install():
	current = {"Scheduled Job Log": 7, "Error Log": 90, "Access Log": 0}
	assert O.log_retention(current) == {"Scheduled Job Log": 30, "Email Queue": 30, "Notification Log": 180}
	assert O.log_retention(current, lengthen=False) == {"Email Queue": 30, "Notification Log": 180}
	assert O.log_retention(dict(O.LOG_RETENTION)) == {}


@given(st.dictionaries(st.sampled_from(sorted(O.LOG_RETENTION) + ["Activity Log"]), st.integers(0, 1000)), st.booleans())
def test_log_retention_never_shortens(current, lengthen):
	changes = O.log_retention(current, lengthen=lengthen)
	after = {**current, **changes}
	for doctype, days in current.items():
		assert after[doctype] == days or (days and after[doctype] > days)
	assert set(O.LOG_RETENTION) <= set(after)
