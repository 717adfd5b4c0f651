"""The one bridge from core rules to Frappe errors.

Controllers, API methods and loaders wrap core calls in ``with rules():``; a violation becomes
``frappe.throw`` with the translated message, its Frappe exception class and a title.
"""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

from ta_programmes.core.errors import RuleViolation
from ta_programmes.exceptions import for_violation


@contextmanager
def rules() -> Iterator[None]:
	try:
		yield
		return
	except RuleViolation as caught:
		violation = caught
	# Raised outside the except block so that the error is not chained to the core violation.
	frappe.throw(violation.render(_), exc=for_violation(violation), title=_(violation.title))


def as_date(value) -> date | None:
	"""``getdate`` without its habit of turning an empty value into today."""
	return getdate(value) if value else None


def as_datetime(value):
	return get_datetime(value) if value else None


def numbers(doc, fields: dict[str, str], integers: tuple[str, ...] = ()) -> None:
	"""Turn what a client sent for numeric fields into numbers before any rule compares them
	(Frappe converts types only after ``validate``): empty stays empty, anything that is not a
	finite number is refused with a clear message. ``fields``: fieldname -> label."""
	for field, label in fields.items():
		doc.set(field, as_number(doc.get(field), label, field in integers))


def as_number(value, label: str, integer: bool = False):
	if value is None or (isinstance(value, str) and not value.strip()):
		return None
	try:
		number = float(value)  # True/False count as 1/0, as Frappe stores a Check
	except (TypeError, ValueError, OverflowError):
		number = None
	if number is None or not math.isfinite(number) or (integer and number != int(number)):
		frappe.throw(
			_("{0}: “{1}” is not {2}.").format(label, str(value)[:40], _("a whole number") if integer else _("a number")),
			frappe.ValidationError,
			title=_("Invalid Value"),
		)
	return int(number) if integer else number
