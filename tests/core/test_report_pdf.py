"""The transparency PDF: built from a fixture, read back with pypdf."""

import io
import re
import time
from datetime import datetime

import pytest

pytest.importorskip("reportlab")
pypdf = pytest.importorskip("pypdf")

from ta_programmes.core import report_pdf as R  # noqa: E402
from ta_programmes.core.constants import REGIONAL_GROUPS, THEMATIC_AREAS  # noqa: E402

GENERATED = datetime(2026, 6, 1, 14, 5)
TITLE = "Assistance delivered <script>alert(1)</script> & more"


def programme(i: int) -> dict:
	return {
		"title": f"Programme {i:05d}: electronic evidence and international cooperation",
		"states": ["Kenya", "Ghana"] if i % 2 else ["Peru"],
		"themes": ["Digital Forensics"],
		"donors": "European Union",
		"dates": "2026-01-01 to 2027-06-30",
		"budget": 125_000.5 + i,
		"oversight_status": "Approved",
	}


def dataset(n_programmes: int = 12, title: str = TITLE) -> R.ReportData:
	states = [
		("Kenya", "African", 12, 140, 160, 3, 303, 96.5, 250_000.0, 120_500.25),
		("Ghana", "African", 4, "<5", 22, "<5", 30, 32, 90_000, 45_000),
		("Peru", "Latin American & Caribbean", 7, 41, 38, 0, 79, 56, 110_000, 0),
		("Viet Nam", "Asia-Pacific", 2, "<5", "<5", 0, "<5", 12, 40_000, 10_000),
		("Côte d'Ivoire", "African", 5, 20, 25, 0, 45, 40, 60_000, 30_000),
	]
	keys = (
		"state", "regional_group", "activities", "participants_women", "participants_men", "participants_other",
		"participants_total", "trainer_hours", "budget", "spent",
	)  # fmt: skip
	return R.ReportData(
		title=title,
		period_label="1 January 2026 to 31 May 2026",
		filters={"Donor": "European Union", "Regional group": "African", "Theme": "Digital Forensics"},
		generated=GENERATED,
		totals={
			"Programmes": 14,
			"Activities": 30,
			"Participants": 461,
			"Trainer hours": 236.5,
			"Budget (EUR)": 550_000.0,
			"States reached": "<5",
		},
		by_state=[dict(zip(keys, row, strict=True)) for row in states],
		by_donor=[
			{"donor": "European Union", "programmes": 9, "budget": 400_000.0},
			{"donor": "Government of Norway", "programmes": 5, "budget": 150_000},
		],
		by_theme=[
			{
				"theme": name,
				"category": category,
				"activities": 3 + i,
				"participants_total": 40 + i if i % 3 else "<5",
				"trainer_hours": 10 * i,
			}
			for i, (name, category, _code, _desc) in enumerate(THEMATIC_AREAS)
		],
		programmes=[programme(i) for i in range(n_programmes)],
		overrides=[
			{
				"programme": "Programme 00001",
				"organisation": "Digital Rights Watch Africa",
				"justification": "The objection concerned the vetting of units; vetting was completed and verified by OHCHR.\n\nA second paragraph <b>not bold</b>.",
				"date": datetime(2026, 3, 2).date(),
			}
		],
		methodology="Figures count delivered activities within the period.\n\nParticipants are counted once per activity.",
		suppression_note="Counts from 1 to 4 are shown as <5, and further figures are hidden so that none can be worked out.",
	)


def build(data: R.ReportData, progress=None) -> tuple[int, bytes]:
	out = io.BytesIO()
	pages = R.build_pdf(data, out, progress)
	return pages, out.getvalue()


def text_of(pdf: bytes) -> tuple[int, str]:
	reader = pypdf.PdfReader(io.BytesIO(pdf))
	return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def report():
	calls = []
	pages, pdf = build(dataset(), lambda done, total: calls.append((done, total)))
	count, text = text_of(pdf)
	return pages, count, text, calls, pdf


def squash(text: str) -> str:
	return " ".join(text.split())


def test_page_count_is_returned(report):
	pages, count, *_rest = report
	assert pages == count
	assert pages >= 2


def test_title_with_markup_appears_literally(report):
	text = squash(report[2])
	assert "<script>alert(1)</script> & more" in text
	assert "<b>not bold</b>" in text


def test_cover_filters_period_and_generation_time(report):
	text = squash(report[2])
	for label, value in dataset().filters.items():
		assert label in text and value in text
	assert "1 January 2026 to 31 May 2026" in text
	assert "Generated 2026-06-01 14:05" in text


def test_summary_figures_and_tables(report):
	text = squash(report[2])
	for figure in ("461", "236.50", "550,000", "Programmes", "States reached"):
		assert figure in text
	assert "Côte d'Ivoire" in text or "C\u00f4te" in text
	assert "120,500.25" in text
	assert "Government of Norway" in text
	assert "Human-Rights & Data-Protection Safeguards" in text
	assert "Programme 00011" in text
	assert "Digital Rights Watch Africa" in text
	assert "vetting was completed" in text
	assert "Participants are counted once per activity." in text
	assert "shown as <5" in text


def test_suppressed_figures_are_printed_as_such(report):
	assert "<5" in report[2]


def test_footer_page_numbers(report):
	pages, _count, text, *_rest = report
	assert "Page 1 of" in text
	assert f"Page {pages} of {pages}" in text


def test_charts_are_drawn(report):
	text = squash(report[2])
	assert "Participants by UN regional group" in text
	assert "Activities by thematic category" in text
	for category in ("Enforcement", "Prevention", "Safeguards"):
		assert category in text
	assert any(group in text for group in REGIONAL_GROUPS)


def test_progress_reaches_the_total_and_never_goes_back(report):
	calls = report[3]
	assert calls, "progress was never called"
	totals = {total for _done, total in calls}
	assert len(totals) == 1
	total = totals.pop()
	dones = [done for done, _total in calls]
	assert dones == sorted(dones)
	assert dones[-1] == total
	assert total >= 12 + 5 + 2 + len(THEMATIC_AREAS)


def test_outline_has_the_sections(report):
	reader = pypdf.PdfReader(io.BytesIO(report[4]))
	titles = [item.title for item in reader.outline]
	assert titles[0] == "Summary"
	assert "Programmes" in titles and "Methodology" in titles


def test_empty_report_builds():
	data = R.ReportData(title="Empty", period_label="2026", filters={}, generated=GENERATED, totals={})
	pages, pdf = build(data)
	count, text = text_of(pdf)
	assert pages == count
	assert "No data for this selection." in text
	assert "None: all published data" in text


def test_long_report_splits_tables_with_repeated_headers():
	n = 5200  # enough rows for about 200 pages
	began = time.perf_counter()
	pages, pdf = build(dataset(n))
	print(f"\n{n} programmes: {pages} pages in {time.perf_counter() - began:.1f}s")
	assert pages >= 200
	reader = pypdf.PdfReader(io.BytesIO(pdf))
	assert len(reader.pages) == pages
	middle = reader.pages[pages // 2].extract_text()
	assert "Programme" in middle and "Oversight" in middle  # the header row, repeated
	assert f"Page {pages // 2 + 1} of {pages}" in middle


def test_builds_with_the_built_in_font_when_dejavu_is_missing(monkeypatch):
	monkeypatch.setattr(R, "_fonts", lambda: ("Helvetica", "Helvetica-Bold"))
	pages, pdf = build(dataset(3))
	count, text = text_of(pdf)
	assert pages == count
	assert "<script>alert(1)</script>" in text
	assert "Page 1 of" in text


# --------------------------------------------------------------------------------------------
# Languages: labels through ``translate``, figures and dates as the language writes them

FR = {
	"Summary": "Résumé",
	"Delivery by state": "Assistance fournie par État",
	"State": "État",
	"Women": "Femmes",
	"Men": "Hommes",
	"Page {0} of {1}": "Page {0} sur {1}",
	"Generated {0}": "Généré le {0}",
	"Participants by UN regional group": "Participants par groupe régional de l'ONU",
	"Share of published activities": "Part des activités publiées",
	"No data for this selection.": "Aucune donnée pour cette sélection.",
	"None: all published data": "Aucun : toutes les données publiées",
}
SPACES = re.compile("[\u202f\u00a0]")  # Babel's narrow and no-break spaces


def normalised(text: str) -> str:
	return squash(SPACES.sub(" ", text))


def build_in(lang: str, data: R.ReportData, translations: dict[str, str]) -> bytes:
	out = io.BytesIO()
	R.build_pdf(data, out, translate=lambda s: translations.get(s, s), lang=lang)
	return out.getvalue()


@pytest.fixture(scope="module")
def french():
	pdf = build_in("fr", dataset(), FR)
	return pdf, normalised(text_of(pdf)[1])


def test_french_labels_come_from_translate(french):
	text = french[1]
	for label in ("Résumé", "Assistance fournie par État", "État", "Femmes", "Hommes", "Page 1 sur"):
		assert label in text
	assert "Participants par groupe régional de l'ONU" in text and "Part des activités publiées" in text
	assert "Delivery by state" not in text and "Page 1 of" not in text and "Summary" not in text
	assert "Funding by donor" in text  # no translation given: the English is kept
	assert "<script>alert(1)</script> & more" in text  # data is printed as given


def test_french_figures_dates_and_generation_time(french):
	raw, text = french[0], french[1]
	for figure in ("550 000", "120 500,25", "236,50", "110 000", "125 000,50", "<5"):
		assert figure in text, figure
	assert "550,000" not in text and "120,500.25" not in text
	assert "\u202f" in text_of(raw)[1]  # Babel's narrow no-break space, drawn (DejaVu has it)
	assert "Généré le 1 juin 2026 14:05" in text
	assert "2 mars 2026" in text  # the date of the override


def test_french_outline(french):
	titles = [item.title for item in pypdf.PdfReader(io.BytesIO(french[0])).outline]
	assert titles[0] == "Résumé"
	assert "Assistance fournie par État" in titles


@pytest.mark.parametrize(
	("lang", "figures"),
	[("en", ("550,000", "120,500.25")), ("es", ("550.000", "120.500,25")), ("fr", ("550 000", "120 500,25"))],
)
def test_figures_follow_the_language(lang, figures):
	text = normalised(text_of(build_in(lang, dataset(2), {}))[1])
	for figure in figures:
		assert figure in text


def test_empty_report_in_french():
	data = R.ReportData(title="Vide", period_label="2026", filters={}, generated=GENERATED, totals={})
	text = normalised(text_of(build_in("fr", data, FR))[1])
	assert "Aucune donnée pour cette sélection." in text
	assert "Aucun : toutes les données publiées" in text
	assert "No data for this selection." not in text


def test_every_label_goes_through_translate():
	"""A translation that upper-cases: every label of the module comes out upper-cased."""
	data = dataset(3)
	data.results = [
		{
			"programme": "P1",
			"indicator": "Cases",
			"period": "2026",
			"baseline": 1,
			"target": 9,
			"actual": 7,
			"achievement": "78%",
		}
	]
	pdf = build_in("en", data, _Upper())
	text = squash(text_of(pdf)[1])
	labels = {
		label
		for columns in (
			R.STATE_COLUMNS,
			R.DONOR_COLUMNS,
			R.THEME_COLUMNS,
			R.RESULT_COLUMNS,
			R.PROGRAMME_COLUMNS,
		)
		for _key, label, _w in columns
	}
	for label in sorted(labels):
		assert label.upper() in text, label
	assert "PAGE 1 OF" in text and "GENERATED 2026-06-01 14:05" in text
	assert "PARTICIPANTS BY UN REGIONAL GROUP" in text and "SHARE OF PUBLISHED ACTIVITIES" in text
	assert "RESULTS: WHAT CHANGED" in text and "SUPPRESSION OF SMALL NUMBERS" in text
	titles = [item.title for item in pypdf.PdfReader(io.BytesIO(pdf)).outline]
	assert titles and all(title == title.upper() for title in titles)


class _Upper(dict):
	def get(self, key, default=None):
		return key.upper()
