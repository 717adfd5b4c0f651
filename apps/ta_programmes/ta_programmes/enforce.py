"""The one bridge from core rules to Frappe errors.

Controllers, API methods and loaders wrap core calls in ``with rules():``; a violation becomes
``frappe.throw`` with the translated message, its Frappe exception class and a title.
"""

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
