"""The donor statement's pure parts: the pro-rata share, the period, suppression, and the PDF read back."""

import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from ta_programmes.core import donor_statement as D
from ta_programmes.core.errors import InvalidValue

pypdf = pytest.importorskip("pypdf")


def test_the_share_is_the_commitment_over_the_budget_capped_at_the_whole():
	assert D.share(25_000, 100_000) == Decimal("0.25")
	assert D.share(100_000, 100_000) == 1
	assert D.share(150_000, 100_000) == 1  # never more than the whole
	assert D.share(10, 0) == 0 and D.share(0, 100) == 0 and D.share(None, None) == 0


def test_attributable_spending_is_pro_rata_to_the_cent_half_up():
	assert D.attributable(1000, 25_000, 100_000) == 250.0
	assert D.attributable(100, 1, 3) == 33.33
	assert D.attributable(0.05, 1, 2) == 0.03  # 0.025 rounds half up
	assert D.attributable(1234.56, 0, 100) == 0.0
	assert D.attributable(1234.56, 100, 0) == 0.0
	# two donors funding all of a programme get all of its spending, give or take a cent
	spent = 1000.01
	assert abs(D.attributable(spent, 1, 3) + D.attributable(spent, 2, 3) - spent) <= 0.01


def test_used_percent():
	assert D.used_percent(250, 1000) == 25
	assert D.used_percent(1, 3) == 33
	assert D.used_percent(10, 0) is None


def test_the_period_is_whole_months_in_order():
	assert D.month_period("2026-02", "2026-04") == (date(2026, 2, 1), date(2026, 4, 30))
	assert D.month_period("2024-02-15", "2024-02-03") == (date(2024, 2, 1), date(2024, 2, 29))
	for bad in (
		("2026-05", "2026-04"),
		("", "2026-04"),
		("2026-13", "2026-12"),
		("x", "y"),
		("2026-01", "9999-01"),
	):
		with pytest.raises(InvalidValue):
			D.month_period(*bad)


def figures(**kw):
	values = dict(
		name="TAP-1",
		title="Programme one",
		currency="USD",
		commitment=50_000,
		budget=100_000,
		spent=2_000,
		activities=3,
		participants=40,
		oversight="Approved",
	)
	values.update(kw)
	return D.ProgrammeFigures(**values)


def test_rows_suppress_small_participant_counts_across_the_statement():
	rows, totals = D.statement_rows([figures(), figures(name="TAP-2", participants=3)], 5, "en")
	assert rows[1]["participants"] == "<5"
	# one hidden count would be the total minus the other: a second figure is hidden
	assert rows[0]["participants"] == "x" or totals["participants"] == "x"
	assert rows[0]["attributable"] == "$1,000.00" and rows[0]["share"] == "50%"
	rows, totals = D.statement_rows([figures(), figures(name="TAP-2", participants=12)], 5, "en")
	assert (rows[0]["participants"], rows[1]["participants"], totals["participants"]) == ("40", "12", "52")
	assert totals["activities"] == "6"
	rows, _totals = D.statement_rows([figures(participants=0)], 5, "fr")
	assert rows[0]["participants"] == "0"
	assert rows[0]["commitment"].replace("\u202f", " ").replace("\xa0", " ") == "50 000,00 $US"


def statement(lang="en", rows=None):
	rows = (
		rows
		if rows is not None
		else D.statement_rows(
			[figures(title="Cyber <b>evidence</b> & co"), figures(name="TAP-2", participants=2)], 5, lang
		)[0]
	)
	return D.StatementData(
		title="Donor statement",
		donors=["European Union"],
		period_label="January 2026 to June 2026",
		generated=datetime(2026, 7, 1, 9, 30),
		rows=rows,
		totals={"activities": "6", "participants": "x"},
		method_note="Spending is the trainer fees of delivered activities.",
		suppression_note="Counts below 5 are hidden.",
	)


def text_of(data, lang="en"):
	out = io.BytesIO()
	pages = D.build_statement_pdf(data, out, lang=lang)
	reader = pypdf.PdfReader(io.BytesIO(out.getvalue()))
	assert len(reader.pages) == pages >= 1
	text = "\n".join(p.extract_text() for p in reader.pages)
	return " ".join(unicodedata.normalize("NFKC", text).split())  # cells wrap; Arabic letters are shaped


def test_the_pdf_shows_each_programme_and_prints_markup_as_text():
	text = text_of(statement())
	assert "Cyber <b>evidence</b> & co" in text
	assert "European Union" in text and "January 2026 to June 2026" in text
	assert "<5" in text and "$1,000.00" in text and "Page 1 of 1" in text
	assert "40" not in text.replace("2026", "")  # the complement of the hidden count is hidden too


def test_the_pdf_without_programmes_says_so_and_arabic_is_laid_out():
	assert "No programme funded by this donor." in text_of(statement(rows=[]))
	arabic = statement("ar")
	arabic.rows[0]["oversight"] = "معتمد"
	text = text_of(arabic, "ar")
	assert "معتمد" in text
	assert "European Union" in text
