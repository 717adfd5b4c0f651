"""The transparency PDF in Arabic: laid out right to left, letters shaped, and read back with
pypdf in logical order (pypdf reverses runs of right-to-left letters, as a PDF reader does)."""

import io
import re
import unicodedata
from datetime import date

import pytest

pytest.importorskip("reportlab")
pypdf = pytest.importorskip("pypdf")
pytest.importorskip("arabic_reshaper")
bidi = pytest.importorskip("bidi")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from ta_programmes.core import l10n  # noqa: E402
from ta_programmes.core import pdf_rtl as B  # noqa: E402
from ta_programmes.core import report_pdf as R  # noqa: E402

from .test_report_pdf import GENERATED, dataset, squash  # noqa: E402

AR = {
	"Summary": "الموجز",
	"Delivery by state": "المساعدة المقدَّمة حسب الدولة",
	"Funding by donor": "التمويل حسب الجهة المانحة",
	"Programmes": "البرامج",
	"Methodology": "المنهجية",
	"Suppression of small numbers": "حجب الأعداد الصغيرة",
	"State": "الدولة",
	"Regional group": "المجموعة الإقليمية",
	"Activities": "الأنشطة",
	"Women": "النساء",
	"Men": "الرجال",
	"Other": "أخرى",
	"Participants": "المشاركون",
	"Trainer hours": "ساعات المدرِّبين",
	"Budget": "الميزانية",
	"Spent": "المبلغ المنفَق",
	"Donor": "الجهة المانحة",
	"Programme": "البرنامج",
	"Oversight": "الرقابة",
	"Page {0} of {1}": "الصفحة {0} من {1}",
	"Generated {0}": "أُنشئ في {0}",
	"Filters applied": "عوامل التصفية المطبَّقة",
	"Participants by UN regional group": "المشاركون حسب مجموعة الأمم المتحدة الإقليمية",
	"Share of published activities": "النسبة من الأنشطة المنشورة",
	"No data for this selection.": "لا توجد بيانات لهذه المجموعة المختارة.",
	"None: all published data": "لا شيء: جميع البيانات المنشورة",
	"Filters": "عوامل التصفية",
}
TITLE = "المساعدة التقنية المقدَّمة"
MIXED = "برنامج IATI 2025"  # Arabic, a Latin word and a number on one line
SENTENCE = "يُحسب كل مشارك مرة واحدة (في {0} حالات) وفق المعيار [IATI 2.03]."
MARKUP = "فقرة <b>ليست غامقة</b> & <script>alert(1)</script>."


def arabic(n_programmes: int = 12) -> R.ReportData:
	def state(name, group, *figures):
		keys = (
			"activities",
			"participants_women",
			"participants_men",
			"participants_other",
			"participants_total",
		)
		return {
			"state": name,
			"regional_group": group,
			**dict(zip(keys, figures, strict=True)),
			"budget": 250_000.0,
		}

	africa = "مجموعة الدول الأفريقية"
	return R.ReportData(
		title=TITLE,
		period_label="يناير 2026 إلى مايو 2026",
		filters={"الجهة المانحة": "الاتحاد الأوروبي"},
		generated=GENERATED,
		totals={"البرامج": 14, "المشاركون": 1234, "الدول المستفيدة": "<5"},
		by_state=[
			state("كينيا", africa, 12, 140, 160, 3, 303),
			state("غانا", africa, 4, "<5", 22, "<5", 30),
			state("Côte d'Ivoire", africa, 5, 20, 25, 0, 45),
		],
		by_donor=[{"donor": "الاتحاد الأوروبي", "programmes": 9, "budget": 120_500.25}],
		by_theme=[
			{"theme": "الأدلة الإلكترونية", "category": "الإنفاذ", "activities": 5, "participants_total": 40},
			{"theme": "حماية البيانات", "category": "الضمانات", "activities": 2, "participants_total": "<5"},
		],
		programmes=[
			{
				"title": f"{MIXED} رقم {i}",
				"states": ["كينيا", "غانا"],
				"themes": "الأدلة الإلكترونية",
				"donors": "الاتحاد الأوروبي",
				"dates": "2026-01-01 – 2027-06-30",
				"budget": 125_000,
				"oversight_status": "تمت الموافقة",
			}
			for i in range(n_programmes)
		],
		overrides=[
			{
				"programme": "برنامج 00001",
				"organisation": "Digital Rights Watch Africa",
				"justification": "تعلق الاعتراض بفحص الوحدات؛ وقد اكتمل الفحص.",
				"date": date(2026, 3, 2),
			}
		],
		methodology=SENTENCE.format(5) + "\n\n" + MARKUP,
		suppression_note="تظهر الأعداد من 1 إلى 4 على أنها <5.",
	)


def build(data: R.ReportData) -> tuple[int, bytes]:
	out = io.BytesIO()
	pages = R.build_pdf(data, out, translate=lambda s: AR.get(s, s), lang="ar")
	return pages, out.getvalue()


def nfkc(text: str) -> str:
	"""Arabic presentation forms (the shaped letters) back to letters, spaces squashed."""
	return squash(unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def report():
	pages, pdf = build(arabic())
	reader = pypdf.PdfReader(io.BytesIO(pdf))
	return pages, pdf, reader, nfkc("\n".join(page.extract_text() for page in reader.pages))


def test_page_count_and_outline(report):
	pages, _pdf, reader, _text = report
	assert pages == len(reader.pages) >= 2
	titles = [item.title for item in reader.outline]
	assert titles[0] == AR["Summary"]
	assert AR["Delivery by state"] in titles and AR["Methodology"] in titles


def test_title_headings_and_headers_read_in_logical_order(report):
	text = report[3]
	assert nfkc(TITLE) in text
	for key in (
		"Summary",
		"Delivery by state",
		"Funding by donor",
		"Programmes",
		"Methodology",
		"Filters applied",
	):
		assert nfkc(AR[key]) in text, key
	for key in (
		"State",
		"Regional group",
		"Women",
		"Trainer hours",
		"Spent",
		"Donor",
		"Programme",
		"Oversight",
	):
		assert nfkc(AR[key]) in text, key
	assert nfkc("مجموعة الدول الأفريقية") in text


def test_lines_mixing_arabic_numbers_and_latin_read_in_logical_order(report):
	pages, _pdf, _reader, text = report
	assert nfkc(f"{MIXED} رقم 3") in text
	assert nfkc(SENTENCE.format(5)) in text  # brackets too: drawn mirrored, read as written
	assert nfkc(AR["Page {0} of {1}"].format(1, pages)) in text
	assert nfkc(AR["Generated {0}"].format(l10n.moment(GENERATED, "ar"))) in text
	assert nfkc("برنامج 00001 · Digital Rights Watch Africa · 2 مارس 2026") in text
	assert nfkc("كينيا، غانا") in text  # a list, with the Arabic comma


def test_figures_stay_left_to_right(report):
	text = report[3]
	for figure in ("1,234", "120,500.25", "125,000", "250,000", "303", "<5"):
		assert figure in text, figure


def test_markup_in_right_to_left_text_is_printed_literally(report):
	assert nfkc(MARKUP) in report[3]
	data = arabic(1)
	data.title = "تقرير <b>غامق</b> <script>alert(1)</script> &amp;"
	_pages, pdf = build(data)
	assert nfkc(data.title) in nfkc(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def positions(page) -> list[tuple[str, float, float]]:
	"""(text, x, y) of every piece of text on the page, as pypdf reads it."""
	found = []

	def visit(text, cm, tm, _font, _size):
		if text.strip():
			x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
			y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
			found.append((nfkc(text), round(x, 1), round(y, 1)))

	page.extract_text(visitor_text=visit)
	return found


def header_xs(reader, labels: list[str]) -> list[float]:
	for page in reader.pages:
		found = positions(page)
		row = [(x, y) for text, x, y in found if text == labels[0]]
		if not row:
			continue
		y = row[0][1]
		xs = {text: x for text, x, y2 in found if abs(y2 - y) < 1}
		if all(label in xs for label in labels):
			return [xs[label] for label in labels]
	raise AssertionError(f"no row with {labels}")


def test_table_columns_are_mirrored(report):
	keys = ["State", "Activities", "Women", "Men", "Other", "Participants", "Budget"]
	xs = header_xs(report[2], [nfkc(AR[key]) for key in keys])
	assert xs == sorted(xs, reverse=True)  # the first column on the right
	english = pypdf.PdfReader(io.BytesIO(_english()))
	assert header_xs(english, keys) == sorted(header_xs(english, keys))


def _english() -> bytes:
	out = io.BytesIO()
	R.build_pdf(dataset(2), out)
	return out.getvalue()


def test_text_is_right_aligned(report):
	reader = report[2]
	width = float(reader.pages[1].mediabox.width)
	found = positions(reader.pages[1])
	heading = next(x for text, x, _y in found if text == nfkc(AR["Summary"]))
	assert heading > width / 2  # a heading starts (and ends) on the right


def test_long_table_and_long_text_split_across_pages():
	data = arabic(400)
	data.methodology = " ".join([SENTENCE.format(n) for n in range(150)])  # a paragraph of pages
	pages, pdf = build(data)
	reader = pypdf.PdfReader(io.BytesIO(pdf))
	assert pages == len(reader.pages) >= 10
	middle = nfkc(reader.pages[pages // 2].extract_text())
	assert nfkc(AR["Programme"]) in middle and nfkc(AR["Oversight"]) in middle  # the header, repeated
	assert nfkc(AR["Page {0} of {1}"].format(pages // 2 + 1, pages)) in middle
	text = nfkc(" ".join(page.extract_text() for page in reader.pages[-4:]))
	assert nfkc(SENTENCE.format(149)) in text and nfkc(AR["Suppression of small numbers"]) in text


# --------------------------------------------------------------------------------------------
# Glyphs: every shaped character is in the font (no .notdef box)


def faces() -> list:
	regular, bold = R._fonts()
	if regular == "Helvetica":
		pytest.skip("DejaVu Sans is not installed")
	return [pdfmetrics.getFont(regular).face, pdfmetrics.getFont(bold).face]


ARABIC_LETTERS = [chr(c) for c in [*range(0x0621, 0x063B), *range(0x0641, 0x064B)]]  # hamza to yeh


@pytest.mark.parametrize("text", [*AR.values(), TITLE, MIXED, SENTENCE, "لا لأ لإ لآ الله"])
def test_the_font_has_every_shaped_character(text):
	for face in faces():
		missing = {c for c in B._shape(text) if c not in B._CONTROLS and ord(c) not in face.charToGlyph}
		assert not missing, [f"U+{ord(c):04X}" for c in missing]


@pytest.mark.parametrize("letter", ARABIC_LETTERS)
def test_every_joining_form_of_every_letter_is_in_the_font(letter):
	for word in (letter, "ب" + letter, letter + "ب", "ب" + letter + "ب", "ل" + letter):
		for face in faces():
			assert all(ord(c) in face.charToGlyph for c in B._shape(word)), (letter, word)


def test_the_regular_font_is_dejavu():
	font = pdfmetrics.getFont(R._fonts()[0])
	assert isinstance(font, TTFont) and "DejaVuSans" in font.face.name.decode()


# --------------------------------------------------------------------------------------------
# The layout of one line: the Unicode bidirectional algorithm, and what an extractor reads

ALPHABET = list("ابتثجحخدرسشصعفقلمنهوي") + list("abcXYZ") + list("0123456789") + list(" ().,:%<>-/[]+$#،")
HARAKAT = re.compile("(?<![\u0621-\u064a])[\u064b-\u0652]+")  # a mark belongs on a letter


def visual(text: str, base: str) -> str:
	"""The glyphs of a laid-out line from left to right (brackets as their characters)."""
	line = B._layout(text, "TA-Sans", 10, base)
	return "".join(p for p, _x, _kind in sorted(line.pieces, key=lambda piece: piece[1]))


@settings(max_examples=400, deadline=None)
@given(
	st.lists(st.sampled_from([*ALPHABET, "ً", "ّ"]), min_size=1, max_size=16), st.sampled_from(["rtl", "auto"])
)
def test_the_layout_is_the_unicode_bidirectional_algorithm(chars, base):
	"""The visual order is python-bidi's (the unicode-bidi crate, which does not mirror)."""
	faces()
	text = HARAKAT.sub("", "".join(chars))
	if not text:
		return
	if base == "auto" and not B._RTL_TEXT.search(text):
		expected = text  # Latin and figures only: left to right as written
	else:
		rtl = base == "rtl" or B._first_strong_is_rtl(text)
		expected = bidi.get_display(B._shape(text), base_dir="R" if rtl else "L")
	assert visual(text, base) == expected


WORDS = [
	"برنامج",
	"الدولة",
	"المقدَّمة",
	"لا",
	"IATI",
	"Kenya",
	"2025",
	"1,234",
	"45%",
	"<5",
	"(5)",
	"[EU]",
	"،",
	".",
]


def draw_and_read(lines: list[str]) -> list[str]:
	out = io.BytesIO()
	canv = Canvas(out)
	font = R._fonts()[0]
	canv.setFont(font, 10)
	for i, text in enumerate(lines):
		B._draw_line(canv, B._layout(text, font, 10, "rtl"), 40, 780 - 20 * i, font, 10)
	canv.save()
	text = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
	return [nfkc(line) for line in text.splitlines() if line.strip()]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
def test_a_line_reads_back_in_logical_order(words):
	faces()
	text = " ".join(words)
	assert draw_and_read([text]) == [nfkc(text)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
def test_a_left_to_right_line_with_arabic_reads_back_in_order(words):
	"""Data that starts with a Latin word is laid out left to right (right-aligned); its Arabic
	reads back in logical order too. (pypdf may add a space where it jumps over an Arabic run
	drawn in several pieces: it guesses spaces from gaps.)"""
	faces()
	text = " ".join(["Kenya", *words])
	out = io.BytesIO()
	canv = Canvas(out)
	font = R._fonts()[0]
	canv.setFont(font, 10)
	B._draw_line(canv, B._layout(text, font, 10, "auto"), 40, 780, font, 10)
	canv.save()
	read = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
	assert nfkc(read).replace(" ", "") == nfkc(text).replace(" ", "")


def test_a_line_over_two_font_subsets_reads_back_in_logical_order():
	"""reportlab switches font subset every 256 glyphs, within a string; the line is still read
	in logical order."""
	faces()
	filler = "".join(chr(c) for c in range(0x0410, 0x0450)) + "".join(chr(c) for c in range(0x03B1, 0x03CA))
	filler += "".join(chr(c) for c in range(0x0100, 0x017F))
	line = "الدولة المقدَّمة برنامج IATI 2025 ثجحخ شصضطظعغ فقكلمنهوي"
	out = io.BytesIO()
	canv = Canvas(out)
	font = R._fonts()[0]
	canv.setFont(font, 10)
	canv.drawString(10, 800, filler)  # fills the first subset
	laid = B._layout(line, font, 10, "rtl")
	rtl = [glyphs for glyphs, _x, kind in laid.pieces if kind == B._RTL and len(glyphs) > 1]
	assert any(len(pdfmetrics.getFont(font).splitString(glyphs, canv._doc)) > 1 for glyphs in rtl)
	B._draw_line(canv, laid, 40, 700, font, 10)
	canv.save()
	text = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
	assert nfkc(text.splitlines()[-1]) == nfkc(line)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, "المساعدة التقنية المقدَّمة حسب الدولة", "x" * 40]), max_size=20))
def test_wrapped_lines_fit_and_keep_every_word(words):
	faces()
	text, width = " ".join(words), 90
	lines = B._wrap(text, "TA-Sans", 7.5, width)
	assert "".join(lines).replace(" ", "") == text.replace(" ", "")
	for line in lines:
		assert B._layout(line, "TA-Sans", 7.5).width <= width + 0.01 or len(line) == 1
