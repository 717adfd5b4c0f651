"""Every translatable string of the app has its French and Spanish translation (and Arabic where
the public reads it), with the same placeholders; the translation files hold nothing else.

The strings are extracted from the source (``messages.py``: doctype JSON, workspaces, number
cards, reports, web forms, Python ``_()``/``N_()``, JavaScript ``__()``, Jinja ``_()``), so a
label or message added without its translations fails here, naming it.
"""

from __future__ import annotations

import ast
import csv
import re
from collections import Counter

import pytest

from . import messages as M

MESSAGES = M.messages()
TRANSLATIONS = {lang: M.read_translations(lang) for lang in M.LANGUAGES}
# Files whose strings the public reads: the public pages, the donor view, the PDF and the
# transparency outputs. Arabic is required for them (the desk falls back to English).
PUBLIC_SOURCES = re.compile(r"^(www/|templates/|transparency\.py|i18n\.py|api/transparency\.py|core/report_pdf\.py|core/l10n\.py)")


def public_messages() -> set[str]:
	return {m for m, files in MESSAGES.items() if any(PUBLIC_SOURCES.match(f) for f in files)}


def required(lang: str) -> set[str]:
	return set(MESSAGES) if lang in M.EVERYWHERE else public_messages()


def test_the_extractor_finds_the_app_strings():
	# One of each kind: a doctype label, a Select option, a core message, a controller message,
	# a JS string, a Jinja string, a workspace label, a report name.
	for message in (
		"Beneficiary States",
		"Under Review",
		"Assistance is demand-driven: the beneficiary state's own request is on file before review.",
		"Technical Assistance Delivered",
		"Report a concern",
		"TA Assistance Delivered",
	):
		assert message in MESSAGES, message
	assert len(MESSAGES) > 1000


def test_no_translation_call_takes_a_computed_string():
	"""``_(f"...")`` or ``_("a" + b)`` cannot be looked up: the message must be a literal (or a
	value that is itself one of the app's strings, such as a status)."""
	bad = []
	for path in M.python_files():
		for node in ast.walk(ast.parse(path.read_text())):
			if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_") and node.args:
				if isinstance(node.args[0], ast.JoinedStr | ast.BinOp) or (
					isinstance(node.args[0], ast.Call) and getattr(node.args[0].func, "attr", "") == "format"
				):
					bad.append(f"{path.relative_to(M.APP)}:{node.lineno}")
	assert not bad, f"translate the template, then format it: {bad}"


@pytest.mark.parametrize("lang", M.LANGUAGES)
def test_every_string_is_translated(lang):
	missing = sorted(required(lang) - {m for m, t in TRANSLATIONS[lang].items() if t.strip()})
	assert not missing, (
		f"{len(missing)} strings have no {lang} translation; add them to translations/{lang}.csv "
		f"(python3 tests/static/messages.py missing {lang} lists them): {missing[:15]}"
	)


@pytest.mark.parametrize("lang", M.LANGUAGES)
def test_translations_keep_their_placeholders(lang):
	wrong = [
		(source, text)
		for source, text in TRANSLATIONS[lang].items()
		if M.placeholders(source) != M.placeholders(text)
	]
	assert not wrong, f"a {lang} translation drops or adds a {{0}} placeholder: {wrong[:10]}"


@pytest.mark.parametrize("lang", M.LANGUAGES)
def test_translations_keep_their_markup(lang):
	tags = re.compile(r"</?[a-zA-Z][^>]*>")
	wrong = [s for s, t in TRANSLATIONS[lang].items() if Counter(tags.findall(s)) != Counter(tags.findall(t))]
	assert not wrong, f"a {lang} translation changes the markup of {wrong[:10]}"


@pytest.mark.parametrize("lang", M.LANGUAGES)
def test_translation_files_hold_only_the_app_strings_once(lang):
	path = M.TRANSLATIONS / f"{lang}.csv"
	with path.open(newline="", encoding="utf-8") as f:
		rows = [row for row in csv.reader(f) if row]
	assert all(len(row) == 2 for row in rows), "two columns: source, translation"
	sources = [row[0] for row in rows]
	assert len(sources) == len(set(sources)), [s for s, n in Counter(sources).items() if n > 1][:10]
	stale = sorted(set(sources) - set(MESSAGES))
	assert not stale, f"translations/{lang}.csv translates strings the app no longer has: {stale[:10]}"
	assert sources == sorted(sources), "sorted by source, so that changes review well"


def test_arabic_texts_are_arabic():
	"""A translation that is still English (copied by mistake) is caught: Arabic translations
	of words contain Arabic letters."""
	arabic = re.compile(r"[\u0600-\u06FF]")
	english = [s for s, t in TRANSLATIONS["ar"].items() if re.search(r"[a-z]{4}", s) and not arabic.search(t)]
	# Names and codes stay as they are (IATI, OECD-DAC, URLs): few.
	assert len(english) < 25, english
