"""Operations on a site: the scheduler's health for the workspace, and the app's log retention.

The two number cards (TA Scheduled Jobs Not Running, TA Scheduled Jobs Failed) are shown to those
who may read the scheduler's records (System Managers); the rules are in core/operations.py.
"""

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, now_datetime

from ta_programmes.core import operations as core

APP_JOBS = "ta_programmes.%"


def app_jobs() -> list[core.Job]:
	rows = frappe.get_all(
		"Scheduled Job Type",
		filters={"method": ("like", APP_JOBS)},
		fields=["method", "frequency", "last_execution", "creation", "stopped"],
		order_by="method asc",
	)
	return [
		core.Job(
			method=r.method,
			frequency=r.frequency,
			last_execution=get_datetime(r.last_execution) if r.last_execution else None,
			created=get_datetime(r.creation),
			stopped=bool(r.stopped),
		)
		for r in rows
	]


def scheduler_active() -> bool:
	from frappe.utils.scheduler import is_scheduler_inactive

	return not is_scheduler_inactive(verbose=False)


def jobs_not_running() -> list[tuple[str, str]]:
	return core.not_running(scheduler_active(), app_jobs(), now_datetime())


def app_job_names() -> list[str]:
	return frappe.get_all("Scheduled Job Type", filters={"method": ("like", APP_JOBS)}, pluck="name", order_by="name asc")


def failed_runs(days: int = 7) -> int:
	jobs = app_job_names()
	if not jobs:
		return 0
	return frappe.db.count(
		"Scheduled Job Log",
		{"scheduled_job_type": ("in", jobs), "status": "Failed", "creation": (">=", add_days(now_datetime(), -days))},
	)


def _only_scheduler_readers(doctype: str) -> None:
	if not frappe.has_permission(doctype, "read"):
		frappe.throw(
			_("Only those who may read the scheduler's records see its health."),
			exc=frappe.PermissionError,
			title=_("Not permitted"),
		)


@frappe.whitelist()
def scheduled_jobs_not_running(filters: str | dict | None = None) -> dict:
	"""Number card: the app's scheduled jobs that do not run (all of them while the scheduler is off)."""
	_only_scheduler_readers("Scheduled Job Type")
	return {
		"value": len(jobs_not_running()),
		"fieldtype": "Int",
		"route": ["List", "Scheduled Job Type"],
		"route_options": {"method": ["like", APP_JOBS]},
	}


@frappe.whitelist()
def scheduled_jobs_failed(filters: str | dict | None = None) -> dict:
	"""Number card: failed runs of the app's scheduled jobs in the last 7 days."""
	_only_scheduler_readers("Scheduled Job Log")
	return {
		"value": failed_runs(7),
		"fieldtype": "Int",
		"route": ["List", "Scheduled Job Log"],
		"route_options": {"status": "Failed", "scheduled_job_type": ["in", app_job_names()]},
	}


def set_log_retention(lengthen: bool = True) -> dict[str, int]:
	"""Write the app's retention (core.operations.LOG_RETENTION) into Log Settings: rows missing are
	added; with ``lengthen`` (at install) shorter ones are lengthened. Returns what changed."""
	settings = frappe.get_single("Log Settings")
	current = {row.ref_doctype: row.days for row in settings.logs_to_clear}
	wanted = {dt: days for dt, days in core.LOG_RETENTION.items() if frappe.db.exists("DocType", dt)}
	changes = core.log_retention(current, wanted, lengthen=lengthen)
	if not changes:
		return {}
	for doctype, days in changes.items():
		row = next((r for r in settings.logs_to_clear if r.ref_doctype == doctype), None)
		if row:
			row.days = days
		else:
			settings.append("logs_to_clear", {"ref_doctype": doctype, "days": days})
	settings.save(ignore_permissions=True)
	return changes
