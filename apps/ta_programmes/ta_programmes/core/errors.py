"""Violations raised by the core rules.

A violation carries an English message template with ``{0}``-style placeholders and its
arguments, so that the Frappe layer can translate the template first and format it after.
Each subclass maps to one Frappe exception class (see ``ta_programmes.exceptions``).
"""

from __future__ import annotations

from collections.abc import Callable

from .i18n import _


class RuleViolation(Exception):
	title = _("Invalid Data")

	def __init__(self, message: str, *args: object, title: str | None = None, row: int | None = None):
		self.template = message
		self.args_ = args
		self.row = row
		if title:
			self.title = title
		super().__init__(self.render())

	def render(self, translate: Callable[[str], str] = lambda s: s) -> str:
		"""The message in the language of ``translate``. Text arguments that are words of the app
		(a field label, a status) are translated too; anything else is left as it is."""
		args = [translate(a) if isinstance(a, str) else a for a in self.args_]
		where = translate(_("Row {0}:")).format(self.row) + " " if self.row else ""
		return where + translate(self.template).format(*args)


class InvalidDateRange(RuleViolation):
	title = _("Invalid Dates")


class InvalidShares(RuleViolation):
	title = _("Invalid Shares")


class NotInProgramme(RuleViolation):
	title = _("Not Part of the Programme")


class NegativeValue(RuleViolation):
	title = _("Invalid Amount")


class InvalidParticipants(RuleViolation):
	title = _("Invalid Participant Figures")


class DuplicateRow(RuleViolation):
	title = _("Duplicate Row")


class MissingValue(RuleViolation):
	title = _("Missing Value")


class InvalidValue(RuleViolation):
	title = _("Invalid Value")


class InvalidDemoData(RuleViolation):
	title = _("Invalid Demo Data")
