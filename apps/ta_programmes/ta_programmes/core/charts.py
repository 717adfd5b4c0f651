"""Charts of the public report as plain geometry, drawn by the page as inline SVG (no script, no
library, nothing fetched). Pure: labels, figures and their written form in; bars, texts and their
coordinates out.

A chart draws only the figures its table publishes. A count of people is drawn only when it is a
number of at least ``k``: a hidden figure ("<5", "x") or a smaller one gets no bar, only its
written form, so a chart never shows more than the table beside it. Shares (percentages of hours
or of activities) are not counts of people and are drawn as they are.

Layout: one row per label, the label on its own line and the bars under it (one per series),
each bar's figure written after its end; narrow enough (``WIDTH``) to stay legible on a phone.
Right to left, every x is mirrored and text is anchored from the other side; the SVG itself is
left to right (``direction``), so that the anchors mean the same on every page."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 400
LABEL_HEIGHT = 18  # the label's line above the bars
BAR_HEIGHT = 14
BAR_GAP = 4
ROW_GAP = 10
VALUE_WIDTH = 64  # room kept after the longest bar for its figure
LEGEND_HEIGHT = 22
TEXT_GAP = 4


@dataclass(frozen=True)
class Row:
	"""One label of a chart and its figures, one per series: ``(value, text)`` where ``value`` is
	the figure as published (a number, or a hidden figure's text) and ``text`` how it is written."""

	label: str
	figures: tuple[tuple[object, str], ...]


@dataclass(frozen=True)
class Rect:
	x: float
	y: float
	width: float
	height: float
	series: int


@dataclass(frozen=True)
class Text:
	x: float
	y: float
	text: str
	anchor: str  # "start": the text begins at x (to its right); "end": it ends at x
	kind: str  # "label", "value", "hidden" (a figure not drawn), "legend"


@dataclass(frozen=True)
class Chart:
	id: str
	title: str
	description: str
	width: int
	height: int
	rects: tuple[Rect, ...]
	texts: tuple[Text, ...]
	swatches: tuple[Rect, ...] = field(default=())


def drawable(value: object, k: int | None) -> float | None:
	"""The length a figure may be drawn with, or None. ``k``: the figure counts people, and is
	drawn only when it is a number of at least ``k``; None: a share, drawn when it is a number."""
	if isinstance(value, bool) or not isinstance(value, int | float):
		return None
	if value < 0 or value != value:  # negative or NaN: nothing to draw
		return None
	if k is not None and value < k:
		return None
	return float(value)


def bar_chart(
	id_: str,
	title: str,
	rows: list[Row],
	*,
	k: int | None,
	series: tuple[str, ...] = (),
	maximum: float | None = None,
	rtl: bool = False,
	width: int = WIDTH,
) -> Chart:
	"""Horizontal bars, one per figure of each row. ``k``: the figures are counts of people (see
	:func:`drawable`); None for shares. ``series``: the names of the figures of a row when there are
	several (drawn as a legend); ``maximum``: the figure a full-width bar stands for (100 for
	percentages; else the largest drawable figure)."""
	n_series = max((len(r.figures) for r in rows), default=0)
	lengths = [[drawable(v, k) for v, _t in r.figures] for r in rows]
	top = maximum if maximum is not None else max((v for row in lengths for v in row if v is not None), default=0)
	span = width - VALUE_WIDTH

	def x_of(x: float, w: float = 0) -> float:
		"""Left to right ``x`` (of a box ``w`` wide) where the page reads right to left."""
		return round(width - x - w, 2) if rtl else round(x, 2)

	start = "end" if rtl else "start"
	rects: list[Rect] = []
	texts: list[Text] = []
	swatches: list[Rect] = []
	y = 0.0
	if len(series) > 1:  # a legend, one series a line (translations may be long)
		for i, name in enumerate(series):
			swatches.append(Rect(x_of(0, BAR_HEIGHT), y + 2, BAR_HEIGHT, BAR_HEIGHT, i))
			texts.append(Text(x_of(BAR_HEIGHT + TEXT_GAP), y + 2 + BAR_HEIGHT - 3, name, start, "legend"))
			y += LEGEND_HEIGHT
		y += ROW_GAP
	for row, row_lengths in zip(rows, lengths, strict=True):
		texts.append(Text(x_of(0), y + LABEL_HEIGHT - 5, row.label, start, "label"))
		y += LABEL_HEIGHT
		for i, ((_value, text), length) in enumerate(zip(row.figures, row_lengths, strict=True)):
			bar = round(span * min(length, top) / top, 2) if length and top else 0.0
			if bar:
				rects.append(Rect(x_of(0, bar), y, bar, BAR_HEIGHT, i))
			kind = "value" if length is not None else "hidden"
			texts.append(Text(x_of(bar + TEXT_GAP if bar else 0), y + BAR_HEIGHT - 3, text, start, kind))
			y += BAR_HEIGHT + BAR_GAP
		y += ROW_GAP - BAR_GAP
	height = int(y) if rows else 0
	description = "; ".join(
		f"{r.label}: " + ", ".join(f"{name} {t}" if name else t for name, (_v, t) in zip(series or ("",) * n_series, r.figures, strict=False))
		for r in rows
	)
	return Chart(id_, title, description, width, height, tuple(rects), tuple(texts), tuple(swatches))


def share(part: object, whole: object) -> float | None:
	"""``part`` as a percentage of ``whole`` (both numbers), or None."""
	if drawable(part, None) is None or not drawable(whole, None):
		return None
	return 100 * float(part) / float(whole)


def percent_of(text: object) -> float | None:
	"""The number of a written percentage (``"12%"``), or None."""
	if isinstance(text, int | float) and not isinstance(text, bool):
		return float(text)
	if isinstance(text, str) and text.endswith("%"):
		try:
			return float(text[:-1])
		except ValueError:
			return None
	return None
