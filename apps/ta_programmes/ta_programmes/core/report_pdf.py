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

Languages: the labels of this module are English templates marked with ``_``; ``build_pdf``
translates them with the ``translate`` it is given and writes figures and dates as ``lang``
writes them (:mod:`ta_programmes.core.l10n`). Text from the data is printed as given.

Arabic is laid out right to left: pages and tables are mirrored (first column on the right), text
is right-aligned, Arabic letters are shaped (``arabic_reshaper``: the joined forms of the letters)
and every line is drawn by :func:`_draw_line` as its directional runs in visual positions, each
run a string of its own, in logical order. A text extractor that reverses runs of right-to-left
letters (it expects the glyphs of such a run in visual order, as here), such as pypdf, then reads
the text in logical order, numbers and Latin words included. Numbers stay left to right, in Latin
digits. Text is drawn as plain strings, never parsed as markup.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
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

from . import l10n
from .constants import THEME_CATEGORIES
from .i18n import _
from .pdf_rtl import _BidiParagraph, _draw_line, _layout, _visual, _width, _wrap

Figure = int | float | str | None
Progress = Callable[[int, int], None]
Translate = Callable[[str], str]

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

	The text (title, filters, labels of the summary figures, names, methodology) is printed as
	given, in the reader's language already; figures, dates and times are formatted by the report.
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


def build_pdf(
	data: ReportData,
	out: BinaryIO,
	progress: Progress | None = None,
	translate: Translate | None = None,
	lang: str = "en",
) -> int:
	"""Write the report to ``out`` and return its number of pages.

	``progress(done, total)`` is called as headings and table rows are laid out (``total`` counts
	the sections and the data rows of every table), and once more with ``done == total`` at the end.

	``translate(template)`` gives an English label of this module (column header, section title,
	``"Page {0} of {1}"``...) in the reader's language, before its ``{0}`` are filled (Frappe's
	``_``; by default the English is kept). ``lang`` (``en``, ``fr``, ``es``, ``ar``) is how figures,
	dates and times are written; Arabic is laid out right to left.
	"""
	ctx = _Context(_styles(), translate or _identity, l10n.public_language(lang))
	story = _story(data, ctx)
	total = sum(_work(f) for f in story)
	pages: list[int] = []
	footer = ctx.tr(_("Generated {0}"), ctx.moment(data.generated))
	doc = _Document(out, progress, total, title=data.title)
	doc.build(story, canvasmaker=_numbered_canvas(footer, ctx, pages))
	if progress:
		progress(total, total)
	return pages[0]


def _identity(text: str) -> str:
	return text


@dataclass
class _Context:
	"""What every part of the report needs: the styles, the reader's language and its direction."""

	styles: dict
	translate: Translate
	lang: str
	rtl: bool = False

	def __post_init__(self) -> None:
		self.rtl = l10n.is_rtl(self.lang)

	def tr(self, template: str, *args: object) -> str:
		"""A label of this module in the reader's language, its ``{0}``, ``{1}``... filled with ``args``."""
		text = self.translate(template) or template
		if not args:
			return text
		try:
			return text.format(*args)
		except (IndexError, KeyError, ValueError):  # a translation with broken placeholders
			return template.format(*args)

	def text(self, value: object) -> str:
		return _format(value, self.lang, self.translate)

	def number(self, value: float) -> str:
		return l10n.number(round(value), self.lang)

	def moment(self, value: datetime) -> str:
		return _format(value, self.lang, self.translate)

	def p(
		self, text: object, style: ParagraphStyle, keep_lines: bool = False, label: bool = False
	) -> Flowable:
		"""A paragraph of literal text. Right to left, a label of this module (``label``) is laid out
		right to left whatever its first letter; text from the data takes the direction of its
		first letter (a programme title in English stays left to right, right-aligned)."""
		if self.rtl:
			return _BidiParagraph(self.text(text), style, "rtl" if label else "auto")
		return _p(self.text(text), style, keep_lines)


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


class _RightToLeft:
	"""Table cells drawn right to left (each row from its rightmost cell: the reading order a text
	extractor follows), and string cells laid out as bidirectional lines (:func:`_draw_line`).

	Mixed into a :class:`Table`: the cells are queued while reportlab draws the table (background,
	then cells, then rules), then drawn row by row, right to left."""

	_queue: list | None = None

	def draw(self) -> None:
		self._queue = []
		super().draw()
		queue, self._queue = self._queue, None
		canv = self.canv
		canv.saveState()
		self._curcellstyle = None
		for _row, _col, cell in sorted(queue, key=lambda q: (-q[0], -q[1])):
			self._draw_cell(*cell)
		canv.restoreState()

	def _drawCell(self, cellval, cellstyle, pos, size) -> None:
		if self._queue is None:
			self._draw_cell(cellval, cellstyle, pos, size)
		else:
			self._queue.append((pos[1] + size[1], pos[0] + size[0], (cellval, cellstyle, pos, size)))

	def _draw_cell(self, cellval, cellstyle, pos, size) -> None:
		if not isinstance(cellval, str):
			if pos[0] + size[0] < self._colpositions[-1] - 1:
				for flowable in cellval if isinstance(cellval, (list, tuple)) else [cellval]:
					flowable._space_before = True
			Table._drawCell(self, cellval, cellstyle, pos, size)
			return
		canv = self.canv
		if self._curcellstyle is not cellstyle:
			canv.setFillColor(cellstyle.color)
			canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
			self._curcellstyle = cellstyle
		(colpos, rowpos), (colwidth, rowheight) = pos, size
		font, fontsize, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
		lines = cellval.split("\n")
		if cellstyle.valign == "BOTTOM":
			y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
		elif cellstyle.valign == "MIDDLE":
			y = (
				rowpos
				+ (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + len(lines) * leading) / 2
				- fontsize
			)
		else:
			y = rowpos + rowheight - cellstyle.topPadding - fontsize
		space_before = colpos + colwidth < self._colpositions[-1] - 1  # a cell on its right
		for text in lines:
			line = _layout(text, font, fontsize)
			if cellstyle.alignment == "LEFT":
				x = colpos + cellstyle.leftPadding
			elif cellstyle.alignment in ("CENTRE", "CENTER"):
				x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding - line.width) / 2
			else:
				x = colpos + colwidth - cellstyle.rightPadding - line.width
			_draw_line(canv, line, x, y, font, fontsize, space_before)
			space_before = False
			y -= leading


class _RtlTable(_RightToLeft, Table):
	pass


class _RtlDataTable(_RightToLeft, _DataTable):
	pass


def _is_section(flowable: Flowable) -> bool:
	return isinstance(flowable, (Paragraph, _BidiParagraph)) and flowable.style.name == "Section"


def _work(flowable: Flowable) -> int:
	"""Progress units: 1 per section heading, 1 per table data row."""
	if _is_section(flowable):
		return 1
	if isinstance(flowable, _DataTable):
		return max(len(flowable._cellvalues) - 1, 0)
	return 0


def _numbered_canvas(footer: str, ctx: _Context, pages: list[int]) -> type[Canvas]:
	"""A canvas that holds every page until the end, then stamps "Page N of M" on each (the
	generation time at the start of the line, the page number at its end: mirrored right to left)."""
	font, size = ctx.styles["font"], 7.5

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
				self.setFont(font, size)
				self.setFillColor(colors.grey)
				label = ctx.tr(_("Page {0} of {1}"), ctx.text(number), ctx.text(count))
				if ctx.rtl:
					line = _layout(footer, font, size, "rtl")
					_draw_line(self, line, PAGE[0] - MARGIN - line.width, MARGIN, font, size)
					_draw_line(self, _layout(label, font, size, "rtl"), MARGIN, MARGIN, font, size, True)
				else:
					self.drawString(MARGIN, MARGIN, footer)
					self.drawRightString(PAGE[0] - MARGIN, MARGIN, label)
				Canvas.showPage(self)
			Canvas.save(self)

	return NumberedCanvas


# --------------------------------------------------------------------------------------------
# Story


def _story(data: ReportData, ctx: _Context) -> list[Flowable]:
	story: list[Flowable] = []
	story += _cover(data, ctx)
	story += _section(_("Summary"), ctx)
	story.append(_summary(data.totals, ctx))
	story += _charts(data, ctx)
	story += _section(_("Delivery by state"), ctx)
	story += _table(data.by_state, STATE_COLUMNS, ctx)
	story += _section(_("Funding by donor"), ctx)
	story += _table(data.by_donor, DONOR_COLUMNS, ctx)
	story += _section(_("Delivery by thematic area"), ctx)
	story += _table(data.by_theme, THEME_COLUMNS, ctx)
	story += _section(_("Programmes"), ctx)
	story += _table(data.programmes, PROGRAMME_COLUMNS, ctx)
	story += _section(_("Results: what changed"), ctx)
	story += _table(data.results, RESULT_COLUMNS, ctx)
	story += _section(_("Overrides of civil-society objections"), ctx)
	story += _overrides(data.overrides, ctx)
	story += _section(_("Methodology"), ctx)
	story += _paragraphs(data.methodology, ctx)
	story += _section(_("Suppression of small numbers"), ctx)
	story += _paragraphs(data.suppression_note, ctx)
	return story


def _cover(data: ReportData, ctx: _Context) -> list[Flowable]:
	styles = ctx.styles
	rows = [
		[ctx.p(label, styles["cell_bold"]), ctx.p(value, styles["cell"])]
		for label, value in data.filters.items()
	]
	if not rows:
		rows = [
			[
				ctx.p(ctx.tr(_("Filters")), styles["cell_bold"], label=True),
				ctx.p(ctx.tr(_("None: all published data")), styles["cell"], label=True),
			]
		]
	widths = [FRAME_WIDTH * 0.3, FRAME_WIDTH * 0.7]
	if ctx.rtl:
		filters = _RtlTable([row[::-1] for row in rows], colWidths=widths[::-1], hAlign="RIGHT")
	else:
		filters = Table(rows, colWidths=widths, hAlign="LEFT")
	filters.setStyle(
		TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
	)
	return [
		Spacer(1, 50 * mm),
		ctx.p(data.title, styles["Title"]),
		ctx.p(data.period_label, styles["Subtitle"]),
		Spacer(1, 10 * mm),
		ctx.p(ctx.tr(_("Filters applied")), styles["Heading3"], label=True),
		filters,
		Spacer(1, 8 * mm),
		ctx.p(ctx.tr(_("Generated {0}"), ctx.moment(data.generated)), styles["Body"], label=True),
		PageBreak(),
	]


def _section(title: str, ctx: _Context) -> list[Flowable]:
	return [CondPageBreak(40 * mm), ctx.p(ctx.tr(title), ctx.styles["Section"], label=True)]


def _summary(totals: dict[str, Figure], ctx: _Context) -> Flowable:
	styles = ctx.styles
	if not totals:
		return ctx.p(ctx.tr(_("No summary figures for this selection.")), styles["Body"], label=True)
	cards = [
		[ctx.p(value, styles["figure"]), ctx.p(label, styles["figure_label"])]
		for label, value in totals.items()
	]
	per_row = 3
	grid = [cards[i : i + per_row] for i in range(0, len(cards), per_row)]
	grid[-1] += [""] * (per_row - len(grid[-1]))
	cells = [[_card(card, ctx.rtl) if card else "" for card in row] for row in grid]
	widths = [FRAME_WIDTH / per_row] * per_row
	if ctx.rtl:
		table = _RtlTable([row[::-1] for row in cells], colWidths=widths, hAlign="RIGHT")
	else:
		table = Table(cells, colWidths=widths, hAlign="LEFT")
	table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
	return table


def _card(card: list[Flowable], rtl: bool = False) -> Table:
	table = Table([[card[0]], [card[1]]], colWidths=[FRAME_WIDTH / 3 - 8])
	rule = "LINEAFTER" if rtl else "LINEBEFORE"
	table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), LIGHT), (rule, (0, 0), (0, -1), 2, ACCENT)]))
	return table


def _table(rows: list[dict], columns: Sequence[tuple[str, str, float]], ctx: _Context) -> list[Flowable]:
	"""A data table filling the frame width, header row repeated on every page.

	Text cells are paragraphs (they wrap); numbers are plain strings, right-aligned, which lays
	out a long table several times faster. Right to left, the columns are mirrored and every cell
	is a plain string (lines broken by :func:`_wrap`, drawn by :class:`_RightToLeft`).
	"""
	styles = ctx.styles
	if not rows:
		return [ctx.p(ctx.tr(_("No data for this selection.")), styles["Body"], label=True)]
	if ctx.rtl:
		return [_rtl_table(rows, columns, ctx)]
	weights = sum(w for _key, _label, w in columns)
	widths = [FRAME_WIDTH * w / weights for _key, _label, w in columns]
	header = [
		_p(ctx.tr(label), _fitted(styles["head_num" if key in NUMERIC else "head"], ctx.tr(label), width - 6))
		for (key, label, _w), width in zip(columns, widths, strict=True)
	]
	cell = styles["cell"]
	body = [
		[
			ctx.text(row.get(key)) if key in NUMERIC else _lines(ctx.text(row.get(key)), cell, width - 6)
			for (key, _label, _w), width in zip(columns, widths, strict=True)
		]
		for row in rows
	]
	commands = _table_commands(cell)
	commands += [
		("ALIGN", (j, 1), (j, -1), "RIGHT") for j, (key, _l, _w) in enumerate(columns) if key in NUMERIC
	]
	table = _DataTable([header, *body], colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
	table.setStyle(TableStyle(commands))
	return [table]


def _rtl_table(rows: list[dict], columns: Sequence[tuple[str, str, float]], ctx: _Context) -> Table:
	"""The data table mirrored: first column on the right, every cell right-aligned (numbers too,
	so that their digits line up)."""
	columns = list(columns)[::-1]
	weights = sum(w for _key, _label, w in columns)
	widths = [FRAME_WIDTH * w / weights for _key, _label, w in columns]
	cell, head = ctx.styles["cell"], ctx.styles["head"]
	heads = [
		_fitted(head, ctx.tr(label), width - 6)
		for (_key, label, _w), width in zip(columns, widths, strict=True)
	]
	header = [
		"\n".join(_wrap(ctx.tr(label), style.fontName, style.fontSize, width - 6))
		for (_key, label, _w), width, style in zip(columns, widths, heads, strict=True)
	]
	body = [
		[
			ctx.text(row.get(key))
			if key in NUMERIC
			else "\n".join(_wrap(ctx.text(row.get(key)), cell.fontName, cell.fontSize, width - 6))
			for (key, _label, _w), width in zip(columns, widths, strict=True)
		]
		for row in rows
	]
	commands = _table_commands(cell)
	commands += [
		("FONT", (j, 0), (j, 0), style.fontName, style.fontSize, style.leading)
		for j, style in enumerate(heads)
	]
	commands += [("TEXTCOLOR", (0, 0), (-1, 0), head.textColor), ("ALIGN", (0, 0), (-1, -1), "RIGHT")]
	table = _RtlDataTable([header, *body], colWidths=widths, repeatRows=1, splitInRow=1, hAlign="RIGHT")
	table.setStyle(TableStyle(commands))
	return table


def _fitted(style: ParagraphStyle, label: str, width: float) -> ParagraphStyle:
	"""``style``, or a smaller size of it (down to 5.5 points) that fits the longest word of a
	column header into its column: a translation may be longer than the English ("Hommes")."""
	longest = max((_width(word, style.fontName, style.fontSize) for word in label.split()), default=0)
	if longest <= width:
		return style
	size = max(5.5, int(10 * style.fontSize * width / longest) / 10)
	return ParagraphStyle(
		f"{style.name}-{size}", parent=style, fontSize=size, leading=max(size * 1.2, size + 1)
	)


def _table_commands(cell: ParagraphStyle) -> list[tuple]:
	return [
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


def _overrides(overrides: list[dict], ctx: _Context) -> list[Flowable]:
	"""Each override as a block: its justification may be long and must be able to split."""
	styles = ctx.styles
	if not overrides:
		return [
			ctx.p(
				ctx.tr(_("No civil-society objection was overridden in this selection.")),
				styles["Body"],
				label=True,
			)
		]
	story: list[Flowable] = []
	for o in overrides:
		head = " \u00b7 ".join(
			ctx.text(o.get(key)) for key in ("programme", "organisation", "date") if o.get(key)
		)
		story.append(ctx.p(head, styles["Heading4"], label=True))
		story += _paragraphs(ctx.text(o.get("justification")), ctx)
	return story


def _paragraphs(text: str, ctx: _Context) -> list[Flowable]:
	blocks = [b.strip() for b in (text or "").split("\n\n") if b.strip()]
	return [ctx.p(b, ctx.styles["Body"], keep_lines=True) for b in blocks] or [
		ctx.p("\u2014", ctx.styles["Body"])
	]


# --------------------------------------------------------------------------------------------
# Charts


def _charts(data: ReportData, ctx: _Context) -> list[Flowable]:
	styles = ctx.styles
	story: list[Flowable] = []
	unspecified = ctx.tr(_("Unspecified"))
	groups = _published_sums(data.by_state, "regional_group", "participants_total", unspecified=unspecified)
	if groups:
		story.append(KeepTogether([
			ctx.p(ctx.tr(_("Participants by UN regional group")), styles["Heading3"], label=True),
			_bar_chart(groups, ctx),
			ctx.p(ctx.tr(_("Bars add up the published figures by state; figures suppressed as small are left out.")), styles["note"], label=True),
		]))  # fmt: skip
	order = [ctx.tr(category) for category in THEME_CATEGORIES]
	categories = _published_sums(
		data.by_theme, "category", "activities", order=order, unspecified=unspecified
	)
	if categories:
		story.append(KeepTogether([
			ctx.p(ctx.tr(_("Activities by thematic category")), styles["Heading3"], label=True),
			_pie_chart(categories, ctx),
			ctx.p(ctx.tr(_("Enforcement, prevention and human-rights safeguards; suppressed figures are left out.")), styles["note"], label=True),
		]))  # fmt: skip
	return story


def _published_sums(
	rows: list[dict], by: str, value: str, order: Sequence[str] = (), unspecified: str = "Unspecified"
) -> list[tuple[str, float]]:
	"""Sums of the published numbers per group (suppressed strings are skipped, never guessed)."""
	sums: dict[str, float] = {key: 0.0 for key in order}
	for row in rows:
		number = row.get(value)
		key = str(row.get(by) or unspecified)
		if isinstance(number, (int, float)) and not isinstance(number, bool):
			sums[key] = sums.get(key, 0.0) + number
		else:
			sums.setdefault(key, 0.0)
	items = list(sums.items())
	return items if any(v for _k, v in items) else []


def _bar_chart(items: list[tuple[str, float]], ctx: _Context) -> Drawing:
	"""Horizontal bars, the group names beside them (as wide as the longest name, up to 40% of the
	width); right to left, the names are on the right and the bars grow leftwards."""
	font = ctx.styles["font"]
	names = [_visual(k, font, 8) if ctx.rtl else k for k, _v in items]
	label_width = min(max(stringWidth(name, font, 8) for name in names) + 12, FRAME_WIDTH * 0.4)
	label_width = max(label_width, 60)
	height = 30 + 22 * len(items)
	drawing = Drawing(FRAME_WIDTH, height)
	chart = HorizontalBarChart()
	chart.y, chart.width, chart.height = 15, FRAME_WIDTH - label_width - 40, height - 25
	chart.data = [[v for _k, v in items]]
	chart.categoryAxis.categoryNames = names
	chart.categoryAxis.reverseDirection = 1
	chart.categoryAxis.labels.fontName = font
	chart.categoryAxis.labels.fontSize = 8
	chart.valueAxis.valueMin = 0
	chart.valueAxis.labels.fontName = font
	chart.valueAxis.labels.fontSize = 7
	chart.valueAxis.labelTextFormat = ctx.number
	chart.bars[0].fillColor = ACCENT
	chart.barLabelFormat = ctx.number
	chart.barLabels.fontName = font
	chart.barLabels.fontSize = 7
	chart.barLabels.boxAnchor = "w"
	chart.barLabels.dx = 3
	if ctx.rtl:
		chart.x = 30
		chart.valueAxis.reverseDirection = 1
		chart.categoryAxis.joinAxisMode = "right"
		chart.categoryAxis.labels.boxAnchor = "w"
		chart.categoryAxis.labels.dx = 16
	else:
		chart.x = label_width
		chart.categoryAxis.labels.boxAnchor = "e"
	drawing.add(chart)
	return drawing


def _pie_chart(items: list[tuple[str, float]], ctx: _Context) -> Drawing:
	"""A pie and its legend; right to left, the pie is on the right and the legend on its left,
	each name on the left of its colour."""
	font = ctx.styles["font"]
	drawing = Drawing(FRAME_WIDTH, 130)
	shown = [(k, v) for k, v in items if v]
	pie = Pie()
	pie.y, pie.width, pie.height = 10, 110, 110
	pie.data = [v for _k, v in shown]
	pie.labels = None
	pie.slices.strokeColor = colors.white
	for i in range(len(shown)):
		pie.slices[i].fillColor = SERIES[i % len(SERIES)]
	total = sum(v for _k, v in shown)
	names = [f"{k}: {ctx.number(v)} ({l10n.percent(round(100 * v / total), ctx.lang)})" for k, v in shown]
	title = ctx.tr(_("Share of published activities"))
	drawing.add(pie)
	if ctx.rtl:
		pie.x = FRAME_WIDTH - 130
		right = FRAME_WIDTH - 160
		drawing.add(
			String(right, 110, _visual(title, font, 8, "rtl"), fontName=font, fontSize=8, textAnchor="end")
		)
		for i, name in enumerate(names):
			y = 88 - 18 * i
			drawing.add(
				Rect(
					right - 10,
					y - 1,
					10,
					10,
					fillColor=SERIES[i % len(SERIES)],
					strokeColor=colors.black,
					strokeWidth=0.5,
				)
			)
			drawing.add(
				String(right - 16, y, _visual(name, font, 8), fontName=font, fontSize=8, textAnchor="end")
			)
		return drawing
	pie.x = 20
	legend = Legend()
	legend.x, legend.y, legend.alignment = 170, 90, "right"
	legend.fontName, legend.fontSize = font, 8
	legend.colorNamePairs = [(SERIES[i % len(SERIES)], name) for i, name in enumerate(names)]
	drawing.add(legend)
	drawing.add(String(170, 110, title, fontName=font, fontSize=8))
	return drawing


# --------------------------------------------------------------------------------------------
# Text


def _format(value: object, lang: str = "en", translate: Translate = _identity) -> str:
	"""A figure or a value as printed in ``lang`` (:func:`l10n.cell`): thousands separators,
	suppressed strings as they are ("<5"), shares ("45%") as the language writes them, text as is.
	An amount with cents keeps two decimals. English keeps ISO dates and times (2026-06-01 14:05);
	the other languages write them in words (1 juin 2026 14:05). A list is joined with commas."""
	if value is None:
		return ""
	if isinstance(value, bool):
		return translate(_("Yes") if value else _("No"))
	if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
		if not value.is_integer():
			return format_decimal(value, format="#,##0.00", locale=lang)
	if isinstance(value, (int, float, str)):
		return str(l10n.cell(value, lang))
	if isinstance(value, datetime):
		return value.strftime("%Y-%m-%d %H:%M") if lang == "en" else l10n.moment(value, lang)
	if isinstance(value, date):
		return value.isoformat() if lang == "en" else l10n.day(value, lang)
	if isinstance(value, (list, tuple, set)):
		separator = "\u060c " if l10n.is_rtl(lang) else ", "  # the Arabic comma
		return separator.join(_format(v, lang, translate) for v in value)
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


def _p(text: str, style: ParagraphStyle, keep_lines: bool = False) -> Paragraph:
	"""A paragraph of literal text (already formatted): markup characters are escaped, never
	interpreted."""
	markup = escape(text)
	if keep_lines:
		markup = markup.replace("\n", "<br/>")
	return Paragraph(markup, style)


# --------------------------------------------------------------------------------------------
# Styles and fonts


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
	"""DejaVu Sans (wide Unicode coverage: state and organisation names, Arabic and its joined
	forms) when the system has it, else the built-in Helvetica (Latin-1 only)."""
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
