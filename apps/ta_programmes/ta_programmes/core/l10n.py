"""Numbers, dates and money as each language writes them, for the public outputs and the PDF.

The public outputs speak English, French, Spanish and Arabic (the UN languages the app ships
translations for). Figures are formatted with CLDR's rules through Babel: ``1,234.5`` in English,
``1 234,5`` in French, ``1.234,5`` in Spanish; Arabic uses the Latin digits, as United Nations
documents in Arabic do, and is written right to left.

A public table cell is an ``int``/``float`` or a string that the privacy rules produced: ``"<5"``
(a suppressed count), ``"x"`` (a hidden cell), ``"45%"`` (a share), or text. :func:`cell` formats
the first three and leaves text alone, so that the tables are built once and shown in any
language.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date, format_time
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent

# The languages of the public outputs, English first (the language of the source texts).
PUBLIC_LANGUAGES = ("en", "fr", "es", "ar")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar"})

_LESS_THAN = re.compile(r"^<\s*(\d+)$")
_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*%$")


def public_language(lang: str | None) -> str:
	"""The public language for a Frappe language code: ``fr-CA`` → ``fr``; anything else → ``en``."""
	base = (lang or "").replace("_", "-").split("-")[0].lower()
	return base if base in PUBLIC_LANGUAGES else "en"


def is_rtl(lang: str | None) -> bool:
	return public_language(lang) in RTL_LANGUAGES


def direction(lang: str | None) -> str:
	return "rtl" if is_rtl(lang) else "ltr"


def number(value: float | int | None, lang: str | None, decimals: int | None = None) -> str:
	"""``value`` grouped by thousands in the language; whole numbers without decimals, others
	with at most ``decimals`` (default 1)."""
	if value is None:
		return ""
	lang = public_language(lang)
	if isinstance(value, int) or float(value).is_integer() and decimals is None:
		return format_decimal(int(value), format="#,##0", locale=lang)
	places = 1 if decimals is None else decimals
	pattern = "#,##0" + ("." + "#" * places if places else "")
	return format_decimal(value, format=pattern, locale=lang)


def percent(value: float | int, lang: str | None) -> str:
	"""``45`` (a percentage, not a fraction) → ``45%``, ``45 %`` (fr, es)…"""
	return format_percent(float(value) / 100, locale=public_language(lang), decimal_quantization=False)


def money(amount: float | int | None, currency: str | None, lang: str | None) -> str:
	return format_currency(float(amount or 0), (currency or "USD").upper(), locale=public_language(lang))


def compact_money(amount: float | int | None, currency: str | None, lang: str | None) -> str:
	"""A large amount in short: ``$1.2M``, ``1,2 M $US``."""
	return format_compact_currency(float(amount or 0), (currency or "USD").upper(), locale=public_language(lang), fraction_digits=1)


def day(value: date | datetime | str | None, lang: str | None) -> str:
	"""A date as the language writes it in full (``1 December 2026``, ``1 décembre 2026``)."""
	if not value:
		return ""
	if isinstance(value, str):
		value = date.fromisoformat(value[:10])
	if isinstance(value, datetime):
		value = value.date()
	return format_date(value, "long", locale=public_language(lang))


def moment(value: datetime, lang: str | None) -> str:
	"""A date and time to the minute, as the language writes them."""
	lang = public_language(lang)
	return f"{format_date(value.date(), 'long', locale=lang)} {format_time(value, 'short', locale=lang)}"


def month(value: str | date | None, lang: str | None) -> str:
	"""``2026-03`` (or a date in it) → ``March 2026``, ``mars 2026``…"""
	if not value:
		return ""
	if isinstance(value, str):
		value = date.fromisoformat(value[:7] + "-01")
	return format_date(value, "LLLL y", locale=public_language(lang))


def period(start, end, lang: str | None) -> str:
	"""Two dates as ``1 March 2026 – 30 June 2026`` in the language."""
	return f"{day(start, lang)} – {day(end, lang)}"


# Characters that change the direction of the text after them until they are closed (embeddings,
# overrides, isolates): typed into a title, one could reverse what follows it on a line it is shown
# in. The marks U+200E/U+200F, which affect only their neighbours, stay.
_DIRECTION_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def without_direction_controls(text: str | None) -> str | None:
	"""``text`` without bidirectional embedding, override and isolate characters."""
	return text.translate(_DIRECTION_CONTROLS) if isinstance(text, str) else text


def cell(value, lang: str | None):
	"""A public table cell in the language: numbers grouped, ``<5`` and ``45%`` localised, text as is."""
	if isinstance(value, bool) or value is None:
		return value
	if isinstance(value, int | float):
		return number(value, lang)
	if isinstance(value, str):
		if m := _LESS_THAN.match(value):
			return "<" + number(int(m[1]), lang)
		if m := _PERCENT.match(value):
			return percent(float(m[1]), lang)
	return value
