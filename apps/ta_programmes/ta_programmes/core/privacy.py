"""Small-cell suppression, shared by every public output (reports, PDF, IATI, web pages).

Public outputs never let a reader single out a few participants: a count of 1 to ``k - 1``
(default ``k = 5``) is published as the string ``"<k"`` instead of its value. Zero is published
as 0 (nobody to protect). Suppressing the small counts alone is not enough: a hidden figure that
can be worked out from the published ones is as good as published, so more figures are hidden
("complementary suppression") until none can. Those are not small, so they are published as
``"x"`` (hidden to protect another figure), never as a false ``"<k"``.

One-dimensional breakdown (:func:`suppress_counts`, e.g. participants by state with a total):
the values and the total form one line, total = sum of values. If exactly one figure of the line
is hidden it equals the total minus the others; so a second one is hidden too: the smallest
non-zero published value, or the total when no other value is non-zero.

Two-dimensional table (:func:`suppress_table`): the cells with their row totals, column totals
and grand total form an augmented table in which every row and column (the totals row and column
included) is a line whose last figure is the sum of the others. The rule of thumb "no line with
exactly one hidden figure" is necessary but not sufficient: two blocks of four hidden cells
joined by a fifth hidden cell leave that fifth cell computable (add the two blocks' rows, subtract
their columns). The exact rule is a graph one. Draw a vertex per line of the augmented table and
an edge per hidden figure, between the row and the column it sits in. A hidden figure can be
derived from the published ones exactly when its edge lies on no cycle (a *bridge*); when it lies
on a cycle, adding 1 to the figures around the cycle alternately and subtracting 1 gives another
table with the same published figures, and since only non-zero figures are ever hidden, every
figure stays non-negative. So :func:`suppress_table` hides the small figures, then, while the
graph has a bridge, hides the cheapest published non-zero figures that close a cycle through it:
cells before totals, small values before large ones, figures already hidden for free (which is
how one complement often protects two lines). A line with exactly one hidden figure is the
simplest bridge; its cheapest fix is usually the smallest cell in the same line.

Totals are computed from the true cells. A total of 1 to ``k - 1`` is a small figure like a cell;
a hidden total cannot be recovered from the other totals and the grand total, because the
totals row and column are lines of the augmented table (the grand total is hidden when that is
the cheapest way to close a cycle).

Limitation: the protection holds against a reader who knows that figures are non-negative
integers. A reader who also reasons that a hidden figure is not zero (zeros are published) can
narrow some hidden figures further in tables made almost entirely of ones.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import InvalidValue, NegativeValue
from .i18n import _
from .rules import check_suppression_threshold

SUPPRESSED = "<{k}"
COMPLEMENT = "x"
DEFAULT_K = 5

Figure = int | str
Position = tuple[int, int]  # (row index, column index) in the augmented table


def suppressed_label(k: int = DEFAULT_K) -> str:
	"""How a hidden figure is published: ``"<5"`` for ``k = 5``."""
	return SUPPRESSED.format(k=k)


def hidden_label(value: int, k: int) -> str:
	"""``"<k"`` for a small count, ``"x"`` for a figure hidden only to protect another one."""
	return suppressed_label(k) if is_small(value, k) else COMPLEMENT


def is_small(figure: object, k: int) -> bool:
	"""A figure that must not be published: a count from 1 to ``k - 1``."""
	return isinstance(figure, int) and not isinstance(figure, bool) and 1 <= figure < k


@dataclass(frozen=True)
class Published:
	"""A table as it may be published: each figure is its count, or ``"<k"`` when hidden."""

	cells: dict[tuple[str, str], Figure]
	row_totals: dict[str, Figure]
	col_totals: dict[str, Figure]
	grand_total: Figure


# --------------------------------------------------------------------------------------------
# One dimension


def suppress_counts(values: dict[str, int], k: int = DEFAULT_K) -> tuple[dict[str, Figure], Figure]:
	"""Publish a breakdown and its total so that no count of 1 to ``k - 1`` can be read or derived."""
	check_suppression_threshold(k)
	values = {key: _count(key, value) for key, value in values.items()}
	total = sum(values.values())
	hidden = {key for key, value in values.items() if is_small(value, k)}
	hide_total = is_small(total, k)
	if len(hidden) + hide_total == 1:
		candidates = [key for key, value in values.items() if value and key not in hidden]
		if candidates:
			hidden.add(min(candidates, key=lambda key: values[key]))
		else:
			hide_total = True
	published = {key: hidden_label(value, k) if key in hidden else value for key, value in values.items()}
	return published, hidden_label(total, k) if hide_total else total


# --------------------------------------------------------------------------------------------
# Two dimensions


def suppress_table(cells: dict[tuple[str, str], int], k: int = DEFAULT_K) -> Published:
	"""Publish a table of counts keyed by (row, column) with its row, column and grand totals.

	Rows and columns keep the order in which they first appear in ``cells``. A (row, column) pair
	missing from ``cells`` counts as a published zero and is not added to the output.
	"""
	check_suppression_threshold(k)
	cells = {(row, col): _count(f"{row} / {col}", value) for (row, col), value in cells.items()}
	rows, cols = _axes(cells)
	grid = _augmented(cells, rows, cols)
	hidden = {(i, j) for i, line in enumerate(grid) for j, value in enumerate(line) if is_small(value, k)}
	protect(grid, hidden)
	return _publish(grid, hidden, rows, cols, cells, k)


def protect(grid: list[list[int]], hidden: set[Position]) -> None:
	"""Add complementary suppressions to ``hidden`` until no hidden figure can be derived.

	``grid`` is an augmented table: its last row holds the column totals, its last column the row
	totals, its corner the grand total. Hidden positions hold non-zero values.
	"""
	n_rows = len(grid)
	while True:
		bridges = find_bridges(n_rows, hidden)
		if not bridges:
			return
		hidden.update(_cheapest_cycle(grid, hidden, bridges[0]))


def find_bridges(n_rows: int, hidden: Iterable[Position]) -> list[Position]:
	"""The hidden positions lying on no cycle of the line graph: those a reader could derive.

	Vertex ``i`` is row ``i`` of the augmented table, vertex ``n_rows + j`` its column ``j``; each
	hidden position is an edge. Tarjan's bridge search, iterative so that long tables do not hit
	the recursion limit.
	"""
	adjacent: dict[int, list[tuple[int, Position]]] = {}
	for i, j in sorted(hidden):
		adjacent.setdefault(i, []).append((n_rows + j, (i, j)))
		adjacent.setdefault(n_rows + j, []).append((i, (i, j)))
	order: dict[int, int] = {}
	low: dict[int, int] = {}
	bridges: list[Position] = []
	for root in sorted(adjacent):
		if root in order:
			continue
		order[root] = low[root] = len(order)
		stack = [(root, None, iter(adjacent[root]))]
		while stack:
			vertex, via, edges = stack[-1]
			for neighbour, edge in edges:
				if edge == via:
					continue
				if neighbour in order:
					low[vertex] = min(low[vertex], order[neighbour])
				else:
					order[neighbour] = low[neighbour] = len(order)
					stack.append((neighbour, edge, iter(adjacent[neighbour])))
					break
			else:
				stack.pop()
				if stack:
					parent = stack[-1][0]
					low[parent] = min(low[parent], low[vertex])
					if low[vertex] > order[parent]:
						bridges.append(via)
	return bridges


def _cheapest_cycle(grid: list[list[int]], hidden: set[Position], bridge: Position) -> set[Position]:
	"""The published figures to hide so that ``bridge`` lies on a cycle of hidden figures.

	Shortest path (Dijkstra) from the bridge's row to its column through non-zero figures other
	than the bridge itself. A hidden figure costs nothing; a published one costs (1 if it is a
	total, its value), compared in that order, so cells are preferred to totals and small figures
	to large ones. A path always exists: any non-zero cell links to its row and column totals and
	through them to the grand total.
	"""
	n_rows, n_cols = len(grid), len(grid[0])
	last_row, last_col = n_rows - 1, n_cols - 1
	start, goal = bridge[0], n_rows + bridge[1]

	def edges(vertex: int):
		if vertex < n_rows:
			return ((vertex, j) for j in range(n_cols))
		return ((i, vertex - n_rows) for i in range(n_rows))

	best: dict[int, tuple[int, int]] = {start: (0, 0)}
	came_by: dict[int, Position] = {}
	queue = [((0, 0), start)]
	while queue:
		cost, vertex = heapq.heappop(queue)
		if vertex == goal:
			break
		if cost > best[vertex]:
			continue
		for position in edges(vertex):
			i, j = position
			if position == bridge or not grid[i][j]:
				continue
			step = (0, 0) if position in hidden else (int(i == last_row or j == last_col), grid[i][j])
			neighbour = n_rows + j if vertex < n_rows else i
			candidate = (cost[0] + step[0], cost[1] + step[1])
			if neighbour not in best or candidate < best[neighbour]:
				best[neighbour] = candidate
				came_by[neighbour] = position
				heapq.heappush(queue, (candidate, neighbour))
	path: set[Position] = set()
	vertex = goal
	while vertex != start:
		i, j = came_by[vertex]
		path.add((i, j))
		vertex = i if vertex >= n_rows else n_rows + j
	return path - hidden


# --------------------------------------------------------------------------------------------
# Across the tables of one output


def roll_up(
	base: dict[str, Figure], values: dict[str, int], parent_of: dict[str, str], k: int = DEFAULT_K
) -> tuple[dict[str, Figure], Figure]:
	"""A breakdown that groups the lines of another published breakdown (states into regional
	groups, themes into categories), published so that, read together with it, no hidden figure
	of the base can be worked out.

	The rule: a parent's figure is published only when every child figure in it is published;
	it is then a sum of published figures, which tells a reader nothing the base did not. A
	parent holding a hidden child is hidden too (``"<k"`` when small, else ``"x"``). Without it,
	state A = 3 shown as ``"<5"`` and its group shown as 103 beside state B = 100 gives A away.
	The parents' line is then protected on its own like any breakdown (a single hidden parent
	would equal the total minus the others)."""
	check_suppression_threshold(k)
	totals: dict[str, int] = {}
	hidden: set[str] = set()
	for child, value in values.items():
		parent = parent_of.get(child)
		if parent is None:
			raise InvalidValue(_("{0} belongs to no group."), child)
		totals[parent] = totals.get(parent, 0) + _count(child, value)
		if isinstance(base.get(child), str):
			hidden.add(parent)
	published, total = suppress_counts(totals, k)
	hidden |= {p for p, figure in published.items() if isinstance(figure, str)}
	if len(hidden) == 1:
		others = [p for p in totals if p not in hidden and totals[p]]
		if others:
			hidden.add(min(others, key=lambda p: totals[p]))
	return {p: hidden_label(v, k) if p in hidden else v for p, v in totals.items()}, total


def rounded(figure: Figure, k: int = DEFAULT_K) -> Figure:
	"""A published count for Guests, rounded to the nearest multiple of ``k`` (halves up); hidden
	figures and zero stay as they are. Every Guest output rounds its counts, so that two outputs
	a Guest may ask for (a year against two years, a group against one of its states) cannot be
	subtracted into an exact small count: the difference of two rounded figures is known only to
	within ``k`` either way. Totals are rounded on their own and may differ from the sum of their
	rounded parts."""
	if isinstance(figure, str) or isinstance(figure, bool) or not figure:
		return figure
	return int((int(figure) + k // 2) // k * k) or k


def derivable(unknowns: list[str], equations: list[tuple[dict[str, int], int]], target: str) -> bool:
	"""Can ``target`` be worked out exactly from linear ``equations`` over the ``unknowns``
	(each equation: coefficients and the published value)? True when its unit vector lies in the
	span of the equations' coefficient rows — used by the tests to check whole outputs."""
	from fractions import Fraction

	index = {u: i for i, u in enumerate(unknowns)}
	rows = [[Fraction(c.get(u, 0)) for u in unknowns] for c, _v in equations]
	goal = [Fraction(1 if u == target else 0) for u in unknowns]

	def rank(matrix: list[list[Fraction]]) -> int:
		m = [r[:] for r in matrix]
		r = 0
		for col in range(len(unknowns)):
			pivot = next((i for i in range(r, len(m)) if m[i][col] != 0), None)
			if pivot is None:
				continue
			m[r], m[pivot] = m[pivot], m[r]
			for i in range(len(m)):
				if i != r and m[i][col] != 0:
					factor = m[i][col] / m[r][col]
					m[i] = [a - factor * b for a, b in zip(m[i], m[r])]
			r += 1
		return r

	assert target in index
	return rank(rows) == rank(rows + [goal])


# --------------------------------------------------------------------------------------------
# Checking a publication


def is_published_safe(published: Published | tuple[dict[str, Figure], Figure], k: int = DEFAULT_K) -> bool:
	"""No published figure is a small count and no hidden figure can be derived from the others.

	Takes the result of :func:`suppress_table` or of :func:`suppress_counts`.
	"""
	if isinstance(published, Published):
		figures = [*published.cells.values(), *published.row_totals.values(), *published.col_totals.values()]
		figures.append(published.grand_total)
		if any(is_small(f, k) for f in figures):
			return False
		rows, cols = list(published.row_totals), list(published.col_totals)
		hidden = {
			position
			for position, figure in _augmented_figures(published, rows, cols).items()
			if isinstance(figure, str)
		}
		return not find_bridges(len(rows) + 1, hidden)
	values, total = published
	figures = [*values.values(), total]
	return not any(is_small(f, k) for f in figures) and sum(isinstance(f, str) for f in figures) != 1


# --------------------------------------------------------------------------------------------
# Helpers


def _count(label: str, value: object) -> int:
	"""A count as an int: database sums arrive as Decimal or float (or None for nobody), and ``3.0``
	must be caught as small like ``3``."""
	if value is None:
		return 0
	try:
		count = int(value)  # type: ignore[call-overload]
	except (TypeError, ValueError):
		count = None
	if count is None or count != value:
		raise InvalidValue(_("The count for {0} must be a whole number, not {1}."), label, value)
	if count < 0:
		raise NegativeValue(
			_("The count for {0} is negative ({1}); counts cannot be below zero."), label, count
		)
	return count


def _axes(cells: dict[tuple[str, str], int]) -> tuple[list[str], list[str]]:
	rows = list(dict.fromkeys(row for row, _col in cells))
	cols = list(dict.fromkeys(col for _row, col in cells))
	return rows, cols


def _augmented(cells: dict[tuple[str, str], int], rows: list[str], cols: list[str]) -> list[list[int]]:
	"""The table with a totals column on the right and a totals row at the bottom."""
	grid = [[cells.get((row, col), 0) for col in cols] for row in rows]
	for line in grid:
		line.append(sum(line))
	grid.append([sum(line[j] for line in grid) for j in range(len(cols) + 1)])
	return grid


def _augmented_figures(published: Published, rows: list[str], cols: list[str]) -> dict[Position, Figure]:
	figures: dict[Position, Figure] = {}
	for i, row in enumerate(rows):
		for j, col in enumerate(cols):
			figures[(i, j)] = published.cells.get((row, col), 0)
		figures[(i, len(cols))] = published.row_totals[row]
	for j, col in enumerate(cols):
		figures[(len(rows), j)] = published.col_totals[col]
	figures[(len(rows), len(cols))] = published.grand_total
	return figures


def _publish(
	grid: list[list[int]],
	hidden: set[Position],
	rows: list[str],
	cols: list[str],
	cells: dict[tuple[str, str], int],
	k: int,
) -> Published:
	def show(i: int, j: int) -> Figure:
		return hidden_label(grid[i][j], k) if (i, j) in hidden else grid[i][j]

	row_index = {row: i for i, row in enumerate(rows)}
	col_index = {col: j for j, col in enumerate(cols)}
	return Published(
		cells={(row, col): show(row_index[row], col_index[col]) for row, col in cells},
		row_totals={row: show(i, len(cols)) for i, row in enumerate(rows)},
		col_totals={col: show(len(rows), j) for j, col in enumerate(cols)},
		grand_total=show(len(rows), len(cols)),
	)


# --------------------------------------------------------------------------------------------
# What a Guest may ask for

PUBLIC_YEARS = (1990, 2100)


def public_month(value: object, label: str, end: bool = False):
	"""A Guest's date filter as a whole month: ``YYYY-MM`` or ``YYYY-MM-DD`` (the day is
	dropped), from the first day of the month (``end``: its last day). Whole months keep
	two filtered views from being subtracted into a single day's figures. Anything else, or a
	year outside 1990-2100, is refused with a message naming the filter."""
	import calendar
	import re
	from datetime import date

	text = str(value or "").strip()
	match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
	if not match:
		raise InvalidValue(_("{0}: write the date as YYYY-MM-DD or YYYY-MM, not “{1}”."), label, text[:40])
	year, month = int(match.group(1)), int(match.group(2))
	if not (PUBLIC_YEARS[0] <= year <= PUBLIC_YEARS[1]) or not 1 <= month <= 12:
		raise InvalidValue(_("{0}: choose a month between {1} and {2}."), label, PUBLIC_YEARS[0], PUBLIC_YEARS[1])
	return date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def check_public_choice(value: object, choices, label: str) -> str:
	text = str(value or "").strip()
	if text not in choices:
		raise InvalidValue(_("{0}: “{1}” is not one of the published values."), label, text[:80])
	return text
