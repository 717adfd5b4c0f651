"""The public transparency report as a PDF (reportlab).

The report is built from a :class:`ReportData` whose figures are already suppressed (see
:mod:`ta_programmes.core.privacy`): this module lays out what it is given and adds nothing that is
not in it. It never sums a suppressed figure: the charts add up published numbers only and say so.

Contents: a cover page (title, period, filters, generation time), the summary figures, charts
(participants by UN regional group; activities by thematic category), tables by state, donor and
theme, the list of programmes, the overrides of civil-society objections with their published
justification, the methodology and the suppression note. Every page has "Page N of M" and the
generation time in its footer. Long tables split across pages and repeat their header row.

All text from the data is escaped before it reaches reportlab's paragraph markup, so a title
such as ``<script>alert(1)</script>`` is printed as those characters, never interpreted.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
	BaseDocTemplate,
	CondPageBreak,
	Flowable,
	Frame,
	KeepTogether,
	PageBreak,
	PageTemplate,
	Paragraph,
	Spacer,
	Table,
	TableStyle,
)

from .constants import THEME_CATEGORIES
from .i18n import _

Figure = int | float | str | None
Progress = Callable[[int, int], None]

STATE_COLUMNS = (
	("state", _("State"), 2.6),
	("regional_group", _("Regional group"), 2.4),
	("activities", _("Activities"), 1.5),
	("participants_women", _("Women"), 1.3),
	("participants_men", _("Men"), 1.1),
	("participants_other", _("Other"), 1.2),
	("participants_total", _("Participants"), 1.75),
	("trainer_hours", _("Trainer hours"), 1.5),
	("budget", _("Budget"), 1.65),
	("spent", _("Spent"), 1.65),
)
DONOR_COLUMNS = (
	("donor", _("Donor"), 5.0),
	("programmes", _("Programmes"), 1.5),
	("budget", _("Budget"), 2.0),
)
THEME_COLUMNS = (
	("theme", _("Thematic area"), 4.0),
	("category", _("Category"), 1.8),
	("activities", _("Activities"), 1.3),
	("participants_total", _("Participants"), 1.4),
	("trainer_hours", _("Trainer hours"), 1.4),
)
RESULT_COLUMNS = (
	("programme", _("Programme"), 2.6),
	("indicator", _("Indicator"), 3.6),
	("period", _("Period"), 1.0),
	("baseline", _("Baseline"), 1.1),
	("target", _("Target"), 1.0),
	("actual", _("Actual"), 1.0),
	("achievement", _("% of target"), 1.2),
)
PROGRAMME_COLUMNS = (
	("title", _("Programme"), 3.2),
	("states", _("States"), 1.9),
	("themes", _("Themes"), 1.9),
	("donors", _("Donors"), 1.7),
	("dates", _("Dates"), 2.0),
	("budget", _("Budget"), 1.3),
	("oversight_status", _("Oversight"), 1.4),
)
NUMERIC = {
	"activities", "participants_women", "participants_men", "participants_other", "participants_total",
	"trainer_hours", "budget", "spent", "programmes", "baseline", "target", "actual", "achievement",
}  # fmt: skip

PAGE = A4
MARGIN = 16 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
ACCENT = colors.HexColor("#1f4e79")
LIGHT = colors.HexColor("#eef3f8")
SERIES = [colors.HexColor(c) for c in ("#1f4e79", "#2e86ab", "#a23b72", "#f18f01", "#c73e1d", "#3b1f2b")]


@dataclass
class ReportData:
	"""What the report shows, every figure already suppressed (a count may be a string like "<5").

	Row keys: ``by_state`` as in :data:`STATE_COLUMNS` (state, regional_group, activities,
	participants_women, participants_men, participants_other, participants_total, trainer_hours,
	budget, spent); ``by_donor`` (donor, programmes, budget); ``by_theme`` (theme, category,
	activities, participants_total, trainer_hours); ``programmes`` (title, states, themes, donors,
	dates, budget, oversight_status; lists are joined with commas); ``overrides`` (programme,
	organisation, justification, date). A missing key prints as an empty cell.
	"""

	title: str
	period_label: str
	filters: dict[str, str]
	generated: datetime
	totals: dict[str, Figure]  # summary figures, label -> value (already suppressed)
	by_state: list[dict] = field(default_factory=list)
	by_donor: list[dict] = field(default_factory=list)
	by_theme: list[dict] = field(default_factory=list)
	programmes: list[dict] = field(default_factory=list)
	overrides: list[dict] = field(default_factory=list)  # programme, organisation, justification, date
	results: list[dict] = field(default_factory=list)  # as RESULT_COLUMNS, already published
	methodology: str = ""
	suppression_note: str = ""


# --------------------------------------------------------------------------------------------
# Entry point


def build_pdf(data: ReportData, out: BinaryIO, progress: Progress | None = None) -> int:
	"""Write the report to ``out`` and return its number of pages.

	``progress(done, total)`` is called as headings and table rows are laid out (``total`` counts
	the sections and the data rows of every table), and once more with ``done == total`` at the end.
	"""
	styles = _styles()
	story = _story(data, styles)
	total = sum(_work(f) for f in story)
	pages: list[int] = []
	footer = _("Generated {0}").format(data.generated.strftime("%Y-%m-%d %H:%M"))
	doc = _Document(out, progress, total, title=data.title)
	doc.build(story, canvasmaker=_numbered_canvas(footer, styles["font"], pages))
	if progress:
		progress(total, total)
	return pages[0]


# --------------------------------------------------------------------------------------------
# Document, canvas and progress


class _Document(BaseDocTemplate):
	"""One frame per page; reports progress and adds a PDF outline entry per section."""

	def __init__(self, out: BinaryIO, progress: Progress | None, total: int, title: str):
		super().__init__(
			out,
			pagesize=PAGE,
			leftMargin=MARGIN,
			rightMargin=MARGIN,
			topMargin=MARGIN,
			bottomMargin=MARGIN + 6 * mm,
			title=title,
			author="ta_programmes",
			creator="ta_programmes transparency report",
		)
		frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
		self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
		self._progress, self._total, self._done, self._sections = progress, total, 0, 0

	def afterFlowable(self, flowable: Flowable) -> None:
		if _is_section(flowable):
			key = f"section-{self._sections}"
			self._sections += 1
			self.canv.bookmarkPage(key)
			self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0)
		work = _work(flowable)
		if work and self._progress:
			self._done = min(self._total, self._done + work)
			self._progress(self._done, self._total)


class _DataTable(Table):
	"""A table of data rows under one header row. The pieces a page break splits it into are of
	the same class (reportlab splits with ``self.__class__``), so progress counts their rows."""


def _is_section(flowable: Flowable) -> bool:
	return isinstance(flowable, Paragraph) and flowable.style.name == "Section"


def _work(flowable: Flowable) -> int:
	"""Progress units: 1 per section heading, 1 per table data row."""
	if _is_section(flowable):
		return 1
	if isinstance(flowable, _DataTable):
		return max(len(flowable._cellvalues) - 1, 0)
	return 0


def _numbered_canvas(footer: str, font: str, pages: list[int]) -> type[Canvas]:
	"""A canvas that holds every page until the end, then stamps "Page N of M" on each."""

	class NumberedCanvas(Canvas):
		def __init__(self, *args, **kwargs):
			super().__init__(*args, **kwargs)
			self._held: list[dict] = []

		def showPage(self):
			self._held.append(dict(self.__dict__))
			self._startPage()

		def save(self):
			count = len(self._held)
			pages.append(count)
			for number, state in enumerate(self._held, start=1):
				self.__dict__.update(state)
				self.setFont(font, 7.5)
				self.setFillColor(colors.grey)
				self.drawString(MARGIN, MARGIN, footer)
				self.drawRightString(PAGE[0] - MARGIN, MARGIN, _("Page {0} of {1}").format(number, count))
				Canvas.showPage(self)
			Canvas.save(self)

	return NumberedCanvas


# --------------------------------------------------------------------------------------------
# Story


def _story(data: ReportData, styles: dict) -> list[Flowable]:
	story: list[Flowable] = []
	story += _cover(data, styles)
	story += _section(_("Summary"), styles)
	story.append(_summary(data.totals, styles))
	story += _charts(data, styles)
	story += _section(_("Delivery by state"), styles)
	story += _table(data.by_state, STATE_COLUMNS, styles)
	story += _section(_("Funding by donor"), styles)
	story += _table(data.by_donor, DONOR_COLUMNS, styles)
	story += _section(_("Delivery by thematic area"), styles)
	story += _table(data.by_theme, THEME_COLUMNS, styles)
	story += _section(_("Programmes"), styles)
	story += _table(data.programmes, PROGRAMME_COLUMNS, styles)
	story += _section(_("Results: what changed"), styles)
	story += _table(data.results, RESULT_COLUMNS, styles)
	story += _section(_("Overrides of civil-society objections"), styles)
	story += _overrides(data.overrides, styles)
	story += _section(_("Methodology"), styles)
	story += _paragraphs(data.methodology, styles)
	story += _section(_("Suppression of small numbers"), styles)
	story += _paragraphs(data.suppression_note, styles)
	return story


def _cover(data: ReportData, styles: dict) -> list[Flowable]:
	rows = [
		[_p(label, styles["cell_bold"]), _p(value, styles["cell"])] for label, value in data.filters.items()
	]
	if not rows:
		rows = [[_p(_("Filters"), styles["cell_bold"]), _p(_("None: all published data"), styles["cell"])]]
	filters = Table(rows, colWidths=[FRAME_WIDTH * 0.3, FRAME_WIDTH * 0.7], hAlign="LEFT")
	filters.setStyle(
		TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
	)
	return [
		Spacer(1, 50 * mm),
		_p(data.title, styles["Title"]),
		_p(data.period_label, styles["Subtitle"]),
		Spacer(1, 10 * mm),
		_p(_("Filters applied"), styles["Heading3"]),
		filters,
		Spacer(1, 8 * mm),
		_p(_("Generated {0}").format(data.generated.strftime("%Y-%m-%d %H:%M")), styles["Body"]),
		PageBreak(),
	]


def _section(title: str, styles: dict) -> list[Flowable]:
	return [CondPageBreak(40 * mm), _p(title, styles["Section"])]


def _summary(totals: dict[str, Figure], styles: dict) -> Flowable:
	if not totals:
		return _p(_("No summary figures for this selection."), styles["Body"])
	cards = [
		[_p(_format(value), styles["figure"]), _p(label, styles["figure_label"])]
		for label, value in totals.items()
	]
	per_row = 3
	grid = [cards[i : i + per_row] for i in range(0, len(cards), per_row)]
	grid[-1] += [""] * (per_row - len(grid[-1]))
	cells = [[_card(card) if card else "" for card in row] for row in grid]
	table = Table(cells, colWidths=[FRAME_WIDTH / per_row] * per_row, hAlign="LEFT")
	table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
	return table


def _card(card: list[Flowable]) -> Table:
	table = Table([[card[0]], [card[1]]], colWidths=[FRAME_WIDTH / 3 - 8])
	table.setStyle(
		TableStyle([("BACKGROUND", (0, 0), (-1, -1), LIGHT), ("LINEBEFORE", (0, 0), (0, -1), 2, ACCENT)])
	)
	return table


def _table(rows: list[dict], columns: Sequence[tuple[str, str, float]], styles: dict) -> list[Flowable]:
	"""A data table filling the frame width, header row repeated on every page.

	Text cells are paragraphs (they wrap); numbers are plain strings, right-aligned, which lays
	out a long table several times faster.
	"""
	if not rows:
		return [_p(_("No data for this selection."), styles["Body"])]
	weights = sum(w for _key, _label, w in columns)
	widths = [FRAME_WIDTH * w / weights for _key, _label, w in columns]
	header = [_p(label, styles["head_num" if key in NUMERIC else "head"]) for key, label, _w in columns]
	cell = styles["cell"]
	body = [
		[
			_format(row.get(key)) if key in NUMERIC else _lines(_format(row.get(key)), cell, width - 6)
			for (key, _label, _w), width in zip(columns, widths, strict=True)
		]
		for row in rows
	]
	commands = [
		("BACKGROUND", (0, 0), (-1, 0), ACCENT),
		("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
		("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
		("VALIGN", (0, 0), (-1, -1), "TOP"),
		("FONT", (0, 1), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
		("TOPPADDING", (0, 0), (-1, -1), 2),
		("BOTTOMPADDING", (0, 0), (-1, -1), 2),
		("LEFTPADDING", (0, 0), (-1, -1), 3),
		("RIGHTPADDING", (0, 0), (-1, -1), 3),
	]
	commands += [
		("ALIGN", (j, 1), (j, -1), "RIGHT") for j, (key, _l, _w) in enumerate(columns) if key in NUMERIC
	]
	table = _DataTable([header, *body], colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
	table.setStyle(TableStyle(commands))
	return [table]


def _overrides(overrides: list[dict], styles: dict) -> list[Flowable]:
	"""Each override as a block: its justification may be long and must be able to split."""
	if not overrides:
		return [_p(_("No civil-society objection was overridden in this selection."), styles["Body"])]
	story: list[Flowable] = []
	for o in overrides:
		head = " \u00b7 ".join(
			_format(o.get(key)) for key in ("programme", "organisation", "date") if o.get(key)
		)
		story.append(_p(head, styles["Heading4"]))
		story += _paragraphs(_format(o.get("justification")), styles)
	return story


def _paragraphs(text: str, styles: dict) -> list[Flowable]:
	blocks = [b.strip() for b in (text or "").split("\n\n") if b.strip()]
	return [_p(b, styles["Body"], keep_lines=True) for b in blocks] or [_p("\u2014", styles["Body"])]


# --------------------------------------------------------------------------------------------
# Charts


def _charts(data: ReportData, styles: dict) -> list[Flowable]:
	story: list[Flowable] = []
	groups = _published_sums(data.by_state, "regional_group", "participants_total")
	if groups:
		story.append(KeepTogether([
			_p(_("Participants by UN regional group"), styles["Heading3"]),
			_bar_chart(groups, styles["font"]),
			_p(_("Bars add up the published figures by state; figures suppressed as small are left out."), styles["note"]),
		]))  # fmt: skip
	categories = _published_sums(data.by_theme, "category", "activities", order=THEME_CATEGORIES)
	if categories:
		story.append(KeepTogether([
			_p(_("Activities by thematic category"), styles["Heading3"]),
			_pie_chart(categories, styles["font"]),
			_p(_("Enforcement, prevention and human-rights safeguards; suppressed figures are left out."), styles["note"]),
		]))  # fmt: skip
	return story


def _published_sums(
	rows: list[dict], by: str, value: str, order: Sequence[str] = ()
) -> list[tuple[str, float]]:
	"""Sums of the published numbers per group (suppressed strings are skipped, never guessed)."""
	sums: dict[str, float] = {key: 0.0 for key in order}
	for row in rows:
		number = row.get(value)
		key = str(row.get(by) or _("Unspecified"))
		if isinstance(number, (int, float)) and not isinstance(number, bool):
			sums[key] = sums.get(key, 0.0) + number
		else:
			sums.setdefault(key, 0.0)
	items = list(sums.items())
	return items if any(v for _k, v in items) else []


def _bar_chart(items: list[tuple[str, float]], font: str) -> Drawing:
	height = 30 + 22 * len(items)
	drawing = Drawing(FRAME_WIDTH, height)
	chart = HorizontalBarChart()
	chart.x, chart.y = 150, 15
	chart.width, chart.height = FRAME_WIDTH - 200, height - 25
	chart.data = [[v for _k, v in items]]
	chart.categoryAxis.categoryNames = [k for k, _v in items]
	chart.categoryAxis.reverseDirection = 1
	chart.categoryAxis.labels.fontName = font
	chart.categoryAxis.labels.fontSize = 8
	chart.categoryAxis.labels.boxAnchor = "e"
	chart.valueAxis.valueMin = 0
	chart.valueAxis.labels.fontName = font
	chart.valueAxis.labels.fontSize = 7
	chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
	chart.bars[0].fillColor = ACCENT
	chart.barLabelFormat = lambda v: f"{v:,.0f}"
	chart.barLabels.fontName = font
	chart.barLabels.fontSize = 7
	chart.barLabels.boxAnchor = "w"
	chart.barLabels.dx = 3
	drawing.add(chart)
	return drawing


def _pie_chart(items: list[tuple[str, float]], font: str) -> Drawing:
	drawing = Drawing(FRAME_WIDTH, 130)
	shown = [(k, v) for k, v in items if v]
	pie = Pie()
	pie.x, pie.y, pie.width, pie.height = 20, 10, 110, 110
	pie.data = [v for _k, v in shown]
	pie.labels = None
	pie.slices.strokeColor = colors.white
	for i in range(len(shown)):
		pie.slices[i].fillColor = SERIES[i % len(SERIES)]
	total = sum(v for _k, v in shown)
	legend = Legend()
	legend.x, legend.y = 170, 90
	legend.fontName, legend.fontSize = font, 8
	legend.alignment = "right"
	legend.colorNamePairs = [
		(SERIES[i % len(SERIES)], f"{k}: {v:,.0f} ({100 * v / total:.0f}%)") for i, (k, v) in enumerate(shown)
	]
	drawing.add(pie)
	drawing.add(legend)
	drawing.add(String(170, 110, _("Share of published activities"), fontName=font, fontSize=8))
	return drawing


# --------------------------------------------------------------------------------------------
# Text


def _format(value: object) -> str:
	"""A figure or a value as printed: thousands separators, suppressed strings as they are."""
	if value is None:
		return ""
	if isinstance(value, bool):
		return _("Yes") if value else _("No")
	if isinstance(value, int):
		return f"{value:,}"
	if isinstance(value, float):
		return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
	if isinstance(value, datetime):
		return value.strftime("%Y-%m-%d %H:%M")
	if isinstance(value, date):
		return value.isoformat()
	if isinstance(value, (list, tuple, set)):
		return ", ".join(_format(v) for v in value)
	return str(value)


def _lines(text: str, style: ParagraphStyle, width: float) -> str:
	"""Plain text broken into lines that fit ``width``, long words too (a plain table cell is drawn
	as is, without markup, and lays out much faster than a paragraph)."""
	font, size = style.fontName, style.fontSize
	lines: list[str] = []
	for line in simpleSplit(text, font, size, width):
		if stringWidth(line, font, size) <= width:
			lines.append(line)
			continue
		piece = ""
		for char in line:
			if piece and stringWidth(piece + char, font, size) > width:
				lines.append(piece)
				piece = ""
			piece += char
		lines.append(piece)
	return "\n".join(lines)


def _p(text: object, style: ParagraphStyle, keep_lines: bool = False) -> Paragraph:
	"""A paragraph of literal text: markup characters are escaped, never interpreted."""
	markup = escape(_format(text))
	if keep_lines:
		markup = markup.replace("\n", "<br/>")
	return Paragraph(markup, style)


def _styles() -> dict:
	regular, bold = _fonts()
	sheet = getSampleStyleSheet()
	styles: dict = {"font": regular}
	for name in ("Title", "Heading3", "Heading4"):
		styles[name] = ParagraphStyle(name, parent=sheet[name], fontName=bold)
	styles["Subtitle"] = ParagraphStyle(
		"Subtitle", parent=sheet["Heading2"], fontName=regular, textColor=ACCENT
	)
	styles["Section"] = ParagraphStyle(
		"Section", parent=sheet["Heading1"], fontName=bold, textColor=ACCENT, spaceBefore=10
	)
	styles["Body"] = ParagraphStyle(
		"Body", parent=sheet["BodyText"], fontName=regular, fontSize=9.5, leading=13
	)
	styles["note"] = ParagraphStyle(
		"note", parent=styles["Body"], fontSize=7.5, leading=9, textColor=colors.grey
	)
	styles["cell"] = ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9, splitLongWords=1)
	styles["cell_bold"] = ParagraphStyle("cell_bold", parent=styles["cell"], fontName=bold)
	styles["head"] = ParagraphStyle("head", parent=styles["cell_bold"], textColor=colors.white)
	styles["head_num"] = ParagraphStyle("head_num", parent=styles["head"], alignment=TA_RIGHT)
	styles["figure"] = ParagraphStyle("figure", fontName=bold, fontSize=16, leading=19, textColor=ACCENT)
	styles["figure_label"] = ParagraphStyle("figure_label", fontName=regular, fontSize=8, leading=10)
	return styles


_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")


def _fonts() -> tuple[str, str]:
	"""DejaVu Sans (wide Unicode coverage: state and organisation names) when the system has it,
	else the built-in Helvetica (Latin-1 only)."""
	if "TA-Sans" in pdfmetrics.getRegisteredFontNames():
		return "TA-Sans", "TA-Sans-Bold"
	for folder in _FONT_DIRS:
		regular, bold = os.path.join(folder, "DejaVuSans.ttf"), os.path.join(folder, "DejaVuSans-Bold.ttf")
		if os.path.exists(regular) and os.path.exists(bold):
			pdfmetrics.registerFont(TTFont("TA-Sans", regular))
			pdfmetrics.registerFont(TTFont("TA-Sans-Bold", bold))
			pdfmetrics.registerFontFamily("TA-Sans", normal="TA-Sans", bold="TA-Sans-Bold")
			return "TA-Sans", "TA-Sans-Bold"
	return "Helvetica", "Helvetica-Bold"
