"""Arguments of the app's endpoints, checked in one place: a value that cannot be what the
endpoint needs is refused with a clear, translated message (HTTP 417), never a 500."""

from __future__ import annotations

from datetime import date, datetime, time

import frappe
from frappe import _

YEARS = (1900, 2200)


def bad(label: str, value: object, expected: str):
	frappe.throw(
		_("{0}: “{1}” is not {2}.").format(label, str(value)[:60], expected),
		frappe.ValidationError,
		title=_("Invalid Value"),
	)


def json_arg(value, types: tuple[type, ...], label: str, default=None):
	"""A JSON argument (or the value itself when the client sent structured data) of one of ``types``."""
	if value in (None, ""):
		return default
	if isinstance(value, str):
		try:
			value = frappe.parse_json(value)
		except ValueError:
			bad(label, value, _("valid JSON"))
	if not isinstance(value, types):
		bad(label, value, _("a list or an object") if dict in types else _("a list"))
	return value


def filters_arg(value, label: str = "filters", doctype: str | None = None):
	"""Frappe filters: an object of field: value, or a list of [field, operator, value] /
	[doctype, field, operator, value] lists. With ``doctype``, every field must be one of its
	own (or of one of its child tables), so that a typo is a clear message, not a database error."""
	value = json_arg(value, (dict, list), label, default=[])
	if isinstance(value, dict):
		if not all(isinstance(k, str) for k in value):
			bad(label, value, _("a list of filters"))
		for field, operand in value.items():
			_check_field(doctype, doctype, field, label)
			if isinstance(operand, list | tuple):
				if len(operand) != 2:
					bad(label, operand, _("an [operator, value] pair"))
				_check_condition(operand[0], operand[1], label)
			else:
				_check_condition("=", operand, label)
		return value
	for f in value:
		if not isinstance(f, list | tuple) or not 3 <= len(f) <= 4 or not all(isinstance(x, str) for x in f[:-1]):
			bad(label, f, _("a filter [field, operator, value] or [doctype, field, operator, value]"))
		_check_field(doctype, f[0] if len(f) == 4 else doctype, f[-3], label)
		_check_condition(f[-2], f[-1], label)
	return value


OPERATORS = {"=", "!=", ">", "<", ">=", "<=", "like", "not like", "in", "not in", "is", "between", "timespan"}
SCALARS = (str, int, float, type(None), date, datetime)


def _check_condition(operator, operand, label: str) -> None:
	"""An operator Frappe knows, with a value of the kind it takes: a plain value; a list of plain
	values for in, not in and between; "set" or "not set" for is."""
	op = operator.strip().lower() if isinstance(operator, str) else None
	if op not in OPERATORS:
		bad(label, operator, _("an operator ({0})").format(", ".join(sorted(OPERATORS))))
	if op == "is" and operand not in ("set", "not set"):
		bad(label, operand, _("“set” or “not set”"))
	if op in ("in", "not in", "between"):
		items = operand.split(",") if isinstance(operand, str) else operand
		if not isinstance(items, list | tuple) or not all(isinstance(v, SCALARS) for v in items):
			bad(label, operand, _("a list of values"))
		if op == "between" and len(items) != 2:
			bad(label, operand, _("two values"))
	elif not isinstance(operand, SCALARS):
		bad(label, operand, _("a value"))


def _check_field(doctype: str | None, table: str | None, field: str, label: str) -> None:
	if not doctype:
		return
	from frappe.model import default_fields, optional_fields

	children = {df.options for df in frappe.get_meta(doctype).get_table_fields()}
	if table != doctype and table not in children:
		bad(label, table, _("{0} or one of its tables").format(doctype))
	meta = frappe.get_meta(table)
	if field not in default_fields and field not in optional_fields and not meta.has_field(field):
		bad(label, field, _("a field of {0}").format(table))


def _within_years(value, label: str, parse, expected: str):
	try:
		parsed = parse(value) if value else None
	except Exception:
		parsed = None
	if not parsed or not (YEARS[0] <= parsed.year <= YEARS[1]):
		bad(label, value, expected.format(*YEARS))
	return parsed


def date_arg(value, label: str) -> date:
	return _within_years(value, label, frappe.utils.getdate, _("a date between {0} and {1}"))


def datetime_arg(value, label: str) -> datetime:
	return _within_years(value, label, frappe.utils.get_datetime, _("a date and time between {0} and {1}"))


def time_arg(value, label: str) -> time:
	try:
		return frappe.utils.get_datetime(f"2000-01-01 {value}").time()
	except Exception:
		bad(label, value, _("a time such as 09:30"))


def int_arg(value, label: str, low: int, high: int) -> int:
	try:
		number = int(value)
	except (TypeError, ValueError):
		number = None
	if number is None or not low <= number <= high:
		bad(label, value, _("a whole number from {0} to {1}").format(low, high))
	return number


def check_choice(value, choices, label: str) -> str:
	if not isinstance(value, str) or value not in choices:
		bad(label, value, _("one of: {0}").format(", ".join(str(c) for c in choices)))
	return value


def report_never_raises(execute):
	"""For a script report's ``execute``: a refused filter is answered with an empty report and
	the message. Frappe v15 starts a 15-second timer that turns a slow report into a prepared
	report (for everyone), and leaves it running when ``execute`` raises: a single bad filter would
	switch the report to background preparation."""
	import functools

	@functools.wraps(execute)
	def wrapper(filters=None):
		try:
			return execute(filters)
		except frappe.ValidationError as e:
			frappe.clear_messages()
			return [], [], frappe.utils.escape_html(frappe.utils.strip_html(str(e)))

	return wrapper
