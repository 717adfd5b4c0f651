"""Right-to-left text in the PDF: Arabic shaped and laid out as the Unicode bidirectional
algorithm places it, drawn so that text extractors read it back in logical order.

Used by :mod:`report_pdf` for Arabic. Shaping is ``arabic_reshaper`` (the joined forms of the
letters, which DejaVu Sans carries); bracket mirroring comes from ``python-bidi``'s table; the
levels and runs of a line are computed here because the drawing needs them per run (see below).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

# Right to left
#
# A line is cut into directional runs (the Unicode bidirectional algorithm, rules W1-W7, N0-N2,
# I1-I2, L1 and L2, for one line without explicit embeddings): in a right-to-left line, the Arabic
# text and the spaces and punctuation around it are one level, numbers and Latin words another.
# The runs are placed in visual order, right to left; each run is drawn as its own strings, in
# logical order: a left-to-right run as it is, a right-to-left run shaped and reversed (its
# glyphs in visual order), its mirrored characters (brackets) drawn flipped rather than replaced.
#
# pypdf (and other extractors) read a string of right-to-left letters backwards and everything
# else forwards, and take spaces and punctuation in the direction of the letter before them, even
# in another string. So a right-to-left piece always ends (logically) with a letter; spaces and
# punctuation around it, and characters the extractor takes as left-to-right (brackets, "«"),
# are drawn one by one: a single character reads the same both ways.

_LTR, _RTL, _FLIP = 0, 1, 2
# Characters of right-to-left scripts (as pypdf counts them) and the right-to-left marks.
_RTL_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067]")
_ARABIC = re.compile("[\u0600-\u08ff]")
# Formatting characters: they steer the algorithm and are not drawn (DejaVu lacks U+061C).
_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_EXPLICIT = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "BN"})
_NEUTRAL = frozenset({"B", "S", "WS", "ON", "BN"})
# What pypdf takes as neither left-to-right nor right-to-left (it keeps them in the current run).
_PYPDF_NEUTRAL = re.compile("[\x00-\x2f\x3a-\x40\xa0\u0660-\u066d\u06f0-\u06f9\u2000-\u206f\u20a0-\u21ff]")
_PYPDF_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


class _Line(NamedTuple):
	"""A line laid out: its width and its pieces in logical order, each as drawn (glyphs in visual
	order), with its x from the line's left edge and its kind (_LTR, _RTL or _FLIP)."""

	width: float
	pieces: tuple[tuple[str, float, int], ...]


class _BidiParagraph(Flowable):
	"""A paragraph of right-to-left (or mixed) text, right-aligned (or centred, as its style says):
	lines filled greedily with the words in logical order, each drawn by :func:`_draw_line`.
	Plain text, never markup. Splits between lines across pages."""

	_space_before = False  # set by a right-to-left table for a cell that has one on its right

	def __init__(self, text: str, style: ParagraphStyle, base: str = "auto", lines: list[str] | None = None):
		super().__init__()
		self.text, self.style, self.base = text, style, base
		self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
		self._lines, self._wrapped = lines, None

	def getPlainText(self, identify=None) -> str:
		return self.text

	def _wrap_lines(self, width: float) -> list[str]:
		if self._wrapped != width:
			style = self.style
			source = "\n".join(self._lines) if self._lines is not None else self.text
			self._lines, self._wrapped = _wrap(source, style.fontName, style.fontSize, width), width
		return self._lines

	def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
		self.width = availWidth
		self.height = len(self._wrap_lines(availWidth)) * self.style.leading
		return self.width, self.height

	def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
		lines = self._wrap_lines(availWidth)
		fit = int((availHeight + 1e-6) // self.style.leading)
		if fit < 1 or fit >= len(lines):
			return []
		first = _BidiParagraph(" ".join(lines[:fit]), self.style, self.base, lines[:fit])
		rest = _BidiParagraph(" ".join(lines[fit:]), self.style, self.base, lines[fit:])
		first._wrapped = rest._wrapped = availWidth
		first.spaceAfter, rest.spaceBefore = 0, 0
		return [first, rest]

	def draw(self) -> None:
		style, canv = self.style, self.canv
		font, size = style.fontName, style.fontSize
		canv.setFont(font, size, style.leading)
		canv.setFillColor(style.textColor)
		y = self.height - size
		space_before = self._space_before
		for text in self._wrap_lines(self.width):
			line = _layout(text, font, size, self.base)
			x = (self.width - line.width) / 2 if style.alignment == TA_CENTER else self.width - line.width
			_draw_line(canv, line, x, y, font, size, space_before)
			space_before = False
			y -= style.leading


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
	"""``text`` in logical lines that fit ``width`` once shaped: words (between spaces) are added
	while they fit, a word longer than a line is cut between letters, "\\n" starts a new line."""
	space = stringWidth(" ", font, size)
	lines: list[str] = []
	for paragraph in text.split("\n"):
		line: list[str] = []
		used = 0.0
		for word in paragraph.split(" "):
			if not word:
				continue
			w = _width(word, font, size)
			if w > width:
				if line:
					lines.append(" ".join(line))
					line, used = [], 0.0
				*whole, word = _cut(word, font, size, width)
				lines += whole
				w = _width(word, font, size)
			if line and used + space + w > width:
				lines.append(" ".join(line))
				line, used = [], 0.0
			used = used + space + w if line else w
			line.append(word)
		lines.append(" ".join(line))
	return lines


def _cut(word: str, font: str, size: float, width: float) -> list[str]:
	pieces, piece = [], ""
	for char in word:
		if piece and _width(piece + char, font, size) > width:
			pieces.append(piece)
			piece = ""
		piece += char
	return [*pieces, piece]


def _width(text: str, font: str, size: float) -> float:
	return stringWidth(_shape(text) if _ARABIC.search(text) else text, font, size)


@functools.cache
def _reshaper():
	"""Arabic letters in their joined forms. Harakat are kept (DejaVu draws them over the letter
	that follows them in visual order); of the ligatures only lam-alef (DejaVu has no ALLAH)."""
	import arabic_reshaper

	return arabic_reshaper.ArabicReshaper(
		configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False}
	)


@functools.lru_cache(maxsize=65536)
def _shape(text: str) -> str:
	return _reshaper().reshape(text)


def _visual(text: str, font: str, size: float, base: str = "auto") -> str:
	"""``text`` as one string of glyphs in visual order (shaped, reordered, brackets mirrored), for
	the charts' labels: a chart draws one string per label. (The same as python-bidi's
	``get_display`` of the shaped text, which in python-bidi 0.6 no longer mirrors brackets.)"""
	from bidi.mirror import MIRRORED

	pieces = sorted(_layout(text, font, size, base).pieces, key=lambda piece: piece[1])
	return "".join(MIRRORED.get(p, p) if kind == _FLIP else p for p, _x, kind in pieces)


@functools.lru_cache(maxsize=65536)
def _layout(text: str, font: str, size: float, base: str = "auto") -> _Line:
	"""``text`` (one line, logical order) laid out in a right-to-left report. ``base`` "rtl": a
	label of the report, right to left; "auto": the direction of its first letter (a figure,
	which has none, stays left to right)."""
	if not _RTL_TEXT.search(text) and base != "rtl":
		text = "".join(c for c in text if c not in _CONTROLS)
		pieces = _ltr_pieces(text)
		return _Line(stringWidth(text, font, size), tuple(_measured_in_line(pieces, font, size)))
	rtl = base == "rtl" or _first_strong_is_rtl(text)
	runs: list[tuple[int, list[str]]] = []
	for char, level in zip(text, _levels(text, rtl), strict=True):
		if char in _CONTROLS:
			continue
		if runs and runs[-1][0] == level:
			runs[-1][1].append(char)
		else:
			runs.append((level, [char]))
	laid: list[tuple[int, float, list[tuple[str, float, int]]]] = []
	for level, chars in runs:
		run = "".join(chars)
		if level % 2:
			pieces = [(p[::-1] if kind == _RTL else p, kind) for p, kind in _rtl_pieces(_shape(run))]
		else:
			pieces = _ltr_pieces(run)
		measured = [(p, stringWidth(p, font, size), kind) for p, kind in pieces]
		laid.append((level, sum(w for _p, w, _k in measured), measured))
	placed: list[list[tuple[str, float, int]]] = [[] for _run in laid]
	x = 0.0
	for i in _visual_order([level for level, _w, _m in laid]):
		level, width, measured = laid[i]
		if level % 2:  # right to left: the run's first piece at its right edge
			edge = x + width
			for p, w, kind in measured:
				edge -= w
				placed[i].append((p, edge, kind))
		else:
			edge = x
			for p, w, kind in measured:
				placed[i].append((p, edge, kind))
				edge += w
		x += width
	return _Line(x, tuple(piece for run in placed for piece in run))


def _measured_in_line(pieces: list[tuple[str, int]], font: str, size: float) -> list[tuple[str, float, int]]:
	out, x = [], 0.0
	for p, kind in pieces:
		out.append((p, x, kind))
		x += stringWidth(p, font, size)
	return out


def _first_strong_is_rtl(text: str) -> bool:
	for char in text:
		kind = unicodedata.bidirectional(char)
		if kind == "L":
			return False
		if kind in ("R", "AL"):
			return True
	return False


def _levels(text: str, rtl: bool) -> list[int]:
	"""The embedding level of every character of one line whose paragraph level is 1 (``rtl``)
	or 0: the implicit rules of the Unicode bidirectional algorithm (UAX #9 W1-W7, N0-N2, I1-I2,
	L1). Explicit embeddings and isolates are not supported (their characters count as neutral)."""
	e = "R" if rtl else "L"
	types = [unicodedata.bidirectional(c) or "L" for c in text]
	n = len(types)
	types = ["BN" if t in _EXPLICIT else t for t in types]
	previous = e
	for i, t in enumerate(types):  # W1: a combining mark takes the type of its base
		if t == "NSM":
			types[i] = previous
		elif t != "BN":
			previous = t
	strong = e
	for i, t in enumerate(types):  # W2: a number after Arabic letters is an Arabic number; W3
		if t in ("L", "R", "AL"):
			strong = t
		elif t == "EN" and strong == "AL":
			types[i] = "AN"
	types = ["R" if t == "AL" else t for t in types]
	for i in range(1, n - 1):  # W4: one separator between two numbers of a kind
		t, before, after = types[i], types[i - 1], types[i + 1]
		if t == "ES" and before == after == "EN":
			types[i] = "EN"
		elif t == "CS" and before == after and before in ("EN", "AN"):
			types[i] = before
	i = 0
	while i < n:  # W5: terminators next to a European number
		if types[i] != "ET":
			i += 1
			continue
		j = i
		while j < n and types[j] == "ET":
			j += 1
		if (i and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
			types[i:j] = ["EN"] * (j - i)
		i = j
	types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]  # W6
	strong = e
	for i, t in enumerate(types):  # W7: a European number after Latin letters is left to right
		if t in ("L", "R"):
			strong = t
		elif t == "EN" and strong == "L":
			types[i] = "L"
	_paired_brackets(text, types, e)  # N0
	i = 0
	while i < n:  # N1, N2: neutrals between two runs of a direction take it, else the paragraph's
		if types[i] not in _NEUTRAL:
			i += 1
			continue
		j = i
		while j < n and types[j] in _NEUTRAL:
			j += 1
		before = e if i == 0 else ("L" if types[i - 1] == "L" else "R")
		after = e if j == n else ("L" if types[j] == "L" else "R")
		types[i:j] = [before if before == after else e] * (j - i)
		i = j
	if rtl:  # I2
		levels = [1 if t == "R" else 2 for t in types]
	else:  # I1
		levels = [0 if t == "L" else 1 if t == "R" else 2 for t in types]
	base = 1 if rtl else 0
	trailing = True
	for i in range(n - 1, -1, -1):  # L1: spaces at the end of the line and before a tab
		kind = unicodedata.bidirectional(text[i])
		if kind in ("S", "B"):
			levels[i], trailing = base, True
		elif trailing and (kind in ("WS", "BN") or kind in _EXPLICIT):
			levels[i] = base
		else:
			trailing = False
	return levels


_BRACKETS = {"(": ")", "[": "]", "{": "}", "\u2045": "\u2046", "\u27e8": "\u27e9", "\u3008": "\u3009"}
_CLOSING = {close: open_ for open_, close in _BRACKETS.items()}


def _paired_brackets(text: str, types: list[str], e: str) -> None:
	"""UAX #9 N0: a pair of brackets takes the direction of the text it encloses when that is the
	paragraph's, or the other direction when both the enclosed text and the text before are of it
	(so "IATI (2025)" keeps its brackets in an Arabic sentence)."""
	stack: list[tuple[str, int]] = []
	pairs: list[tuple[int, int]] = []
	for i, char in enumerate(text):
		if types[i] != "ON":
			continue
		if char in _BRACKETS:
			if len(stack) == 63:
				break
			stack.append((_BRACKETS[char], i))
		elif char in _CLOSING:
			for depth in range(len(stack) - 1, -1, -1):
				if stack[depth][0] == char:
					pairs.append((stack[depth][1], i))
					del stack[depth:]
					break
	opposite = "L" if e == "R" else "R"
	for start, end in sorted(pairs):
		inside = {"L" if t == "L" else "R" for t in types[start + 1 : end] if t in ("L", "R", "EN", "AN")}
		if e in inside:
			direction = e
		elif opposite in inside:
			before = next(
				("L" if t == "L" else "R" for t in reversed(types[:start]) if t in ("L", "R", "EN", "AN")), e
			)
			direction = opposite if before == opposite else e
		else:
			continue
		types[start] = types[end] = direction


def _visual_order(levels: list[int]) -> list[int]:
	"""The indices of runs in visual order, left to right (UAX #9 L2)."""
	order = list(range(len(levels)))
	odd = [level for level in levels if level % 2]
	if not odd:
		return order
	for level in range(max(levels), min(odd) - 1, -1):
		i = 0
		while i < len(order):
			if levels[order[i]] < level:
				i += 1
				continue
			j = i
			while j < len(order) and levels[order[j]] >= level:
				j += 1
			order[i:j] = order[i:j][::-1]
			i = j
	return order


def _pypdf_kind(char: str) -> str:
	if _PYPDF_NEUTRAL.match(char):
		return "n"
	return "r" if _PYPDF_RTL.match(char) else "l"


def _rtl_pieces(run: str) -> list[tuple[str, int]]:
	"""A right-to-left run (shaped, logical order) in pieces: strings of letters, spaces and
	punctuation that end with a letter; the other characters one by one (mirrored ones flipped)."""
	pieces: list[tuple[str, int]] = []
	current: list[str] = []

	def flush() -> None:
		end = len(current)
		while end and _pypdf_kind(current[end - 1]) != "r":
			end -= 1
		if end:
			pieces.append(("".join(current[:end]), _RTL))
		pieces.extend((char, _LTR) for char in current[end:])
		current.clear()

	for char in run:
		if unicodedata.mirrored(char):
			flush()
			pieces.append((char, _FLIP))
		elif _pypdf_kind(char) == "l":
			flush()
			pieces.append((char, _LTR))
		else:
			current.append(char)
	flush()
	return pieces


def _ltr_pieces(run: str) -> list[tuple[str, int]]:
	"""A left-to-right run as one string, but for the characters an extractor takes as right to
	left (the Arabic comma, a left-to-right character to Unicode), drawn alone, and the spaces and
	punctuation a piece starts with, drawn one by one when there are several (an extractor reads
	them backwards after Arabic)."""
	pieces: list[tuple[str, int]] = []
	start = 0
	for i, char in enumerate(run):
		if _pypdf_kind(char) == "r":
			pieces += _ltr_piece(run[start:i])
			pieces.append((char, _LTR))
			start = i + 1
	return pieces + _ltr_piece(run[start:])


def _ltr_piece(text: str) -> list[tuple[str, int]]:
	start = 0
	while start < len(text) and _pypdf_kind(text[start]) == "n":
		start += 1
	if start <= 1 and start < len(text):
		return [(text, _LTR)]
	return [(char, _LTR) for char in text[:start]] + ([(text[start:], _LTR)] if text[start:] else [])


def _draw_line(
	canv: Canvas, line: _Line, x: float, y: float, font: str, size: float, space_before: bool = False
) -> None:
	"""Draw a laid-out line with its left edge at ``x``, baseline ``y``, in the canvas's font.

	``space_before``: the line follows other text on its baseline (the cell on its right), so an
	extractor is given a space before it (it adds one only for a gap to the right, never to the
	left): an invisible space glyph at the logical start of its first piece."""
	for glyphs, dx, kind in line.pieces:
		left = x + dx
		if space_before:
			space_before = False
			if kind == _LTR:
				glyphs, left = " " + glyphs, left - stringWidth(" ", font, size)
			elif kind == _RTL:
				glyphs += " "  # visual order: the space after the run's last glyph is its logical start
			else:
				_put(canv, left, y, " ")
		if kind == _FLIP:
			canv.saveState()
			canv.translate(left + stringWidth(glyphs, font, size), y)
			canv.scale(-1, 1)
			_put(canv, 0, 0, glyphs)
			canv.restoreState()
		elif kind == _RTL and len(glyphs) > 1:
			_draw_rtl(canv, glyphs, left, y, font, size)
		else:
			_put(canv, left, y, glyphs)


def _put(canv: Canvas, x: float, y: float, glyphs: str) -> None:
	"""One string in a text object of its own (an extractor ends a run at its end), without the
	move to the next line ``drawString`` adds (an extractor would start a new line there)."""
	text = canv.beginText(x, y)
	text.textOut(glyphs)
	canv.drawText(text)


def _draw_rtl(canv: Canvas, glyphs: str, x: float, y: float, font: str, size: float) -> None:
	"""Right-to-left glyphs (visual order) as strings an extractor reads in logical order.

	reportlab writes a TrueType font as subsets of 256 glyphs and switches subset within a string;
	pypdf reverses each part on its own. So a string over several subsets is drawn part by part,
	the rightmost first, each part's leading spaces and punctuation (its logical end) one by one."""
	split = getattr(pdfmetrics.getFont(font), "splitString", None)
	parts = split(glyphs, canv._doc) if split else []
	if len(parts) <= 1:
		_put(canv, x, y, glyphs)
		return
	spans, start = [], 0
	for _subset, chunk in parts:
		spans.append((start, start + len(chunk)))
		start += len(chunk)
	for a, b in reversed(spans):
		part, left = glyphs[a:b], x + stringWidth(glyphs[:a], font, size)
		k = 0
		while k < len(part) and _pypdf_kind(part[k]) != "r":
			k += 1
		if k < len(part):
			_put(canv, left + stringWidth(part[:k], font, size), y, part[k:])
		for i in range(k - 1, -1, -1):
			_put(canv, left + stringWidth(part[:i], font, size), y, part[i])
