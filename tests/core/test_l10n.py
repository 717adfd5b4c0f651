"""Numbers, dates and money on the public outputs, as each language writes them."""

import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ta_programmes.core import l10n as L

SPACES = re.compile(r"[\s\u202f\u00a0\u200f\u200e]")


def test_the_public_languages_and_their_direction():
	assert L.PUBLIC_LANGUAGES == ("en", "fr", "es", "ar")
	assert [L.direction(x) for x in L.PUBLIC_LANGUAGES] == ["ltr", "ltr", "ltr", "rtl"]
	assert L.public_language("fr-CA") == L.public_language("fr_BE") == "fr"
	assert L.public_language("de") == L.public_language(None) == L.public_language("") == "en"


@pytest.mark.parametrize(
	("lang", "expected"), [("en", "1,234.5"), ("fr", "1 234,5"), ("es", "1.234,5"), ("ar", "1,234.5")]
)
def test_a_number_is_written_as_the_language_writes_it(lang, expected):
	assert SPACES.sub(" ", L.number(1234.5, lang)) == expected


@given(st.integers(min_value=-10**12, max_value=10**12), st.sampled_from(L.PUBLIC_LANGUAGES))
def test_whole_numbers_read_back_whatever_the_language(n, lang):
	written = L.cell(n, lang)
	group = {"en": ",", "ar": ",", "es": ".", "fr": ""}[lang]
	assert int(SPACES.sub("", written).replace(group, "") if group else SPACES.sub("", written)) == n


@pytest.mark.parametrize("lang", L.PUBLIC_LANGUAGES)
def test_cells_localise_figures_and_leave_text_alone(lang):
	assert L.cell("<5", lang) == "<5"
	assert L.cell("x", lang) == "x"
	assert L.cell("Kenya", lang) == "Kenya"
	assert L.cell("2025", lang) == "2025"  # a year is text: never "2,025"
	assert L.cell(None, lang) is None
	assert "45" in L.cell("45%", lang) and "%" in L.cell("45%", lang)


def test_percent_spacing_follows_the_language():
	assert L.cell("45%", "en") == "45%"
	assert SPACES.sub(" ", L.cell("45%", "fr")) == "45 %"
	assert SPACES.sub(" ", L.cell("12.5%", "es")) == "12,5 %"


def test_dates_months_and_money():
	assert L.day("2026-03-01", "fr") == "1 mars 2026"
	assert L.day(date(2026, 3, 1), "es") == "1 de marzo de 2026"
	assert L.day(datetime(2026, 3, 1, 10, 0), "en") == "March 1, 2026"
	assert L.day(None, "en") == ""
	assert L.month("2026-12", "fr") == "décembre 2026"
	assert L.month("2026-12-01", "ar") == "ديسمبر 2026"
	assert L.period("2026-01-01", "2026-06-30", "es") == "1 de enero de 2026 – 30 de junio de 2026"
	assert SPACES.sub(" ", L.money(1234.5, "EUR", "fr")) == "1 234,50 €"
	assert L.money(1234.5, "usd", "en") == "$1,234.50"
	assert L.money(None, None, "en") == "$0.00"
	assert SPACES.sub(" ", L.compact_money(1_250_000, "USD", "fr")) == "1,2 M $US"
	assert L.moment(datetime(2026, 12, 1, 14, 5), "fr") == "1 décembre 2026 14:05"
