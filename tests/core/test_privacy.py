"""Small-cell suppression: nothing small is published, and nothing hidden can be worked out.

Safety is checked three ways, none of them relying on the module's own graph reasoning: the direct
row/column argument, exact linear algebra over the rationals (a hidden figure is derivable when its
coefficient vector lies in the span of the published equations), and, for tables with at most six
hidden cells, a search for other integer tables that publish the same figures.
"""

import itertools
import random
import time
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ta_programmes.core import privacy as P
from ta_programmes.core.errors import InvalidValue, NegativeValue

H = "<5"


def hidden(figure) -> bool:
	return isinstance(figure, str)


# --------------------------------------------------------------------------------------------
# Examples


def test_nothing_small_nothing_hidden():
	cells = {("A", "x"): 10, ("A", "y"): 0, ("B", "x"): 5, ("B", "y"): 7}
	p = P.suppress_table(cells)
	assert p.cells == cells
	assert p.row_totals == {"A": 10, "B": 12}
	assert p.col_totals == {"x": 15, "y": 7}
	assert p.grand_total == 22


def test_one_small_cell_is_hidden_with_the_cheapest_rectangle():
	cells = {
		("A", "x"): 3,
		("A", "y"): 10,
		("A", "z"): 12,
		("B", "x"): 8,
		("B", "y"): 9,
		("B", "z"): 20,
		("C", "x"): 15,
		("C", "y"): 6,
		("C", "z"): 7,
	}
	p = P.suppress_table(cells)
	assert {key for key, f in p.cells.items() if hidden(f)} == {
		("A", "x"),
		("A", "y"),
		("B", "x"),
		("B", "y"),
	}
	# the totals stay published: each line has two hidden cells, so none can be derived
	assert p.row_totals == {"A": 25, "B": 37, "C": 28}
	assert p.col_totals == {"x": 26, "y": 25, "z": 39}
	assert p.grand_total == 90
	assert P.is_published_safe(p)


def test_zero_cells_are_published_and_a_line_with_nothing_else_hides_its_total():
	cells = {("A", "x"): 2, ("A", "y"): 0, ("B", "x"): 30, ("B", "y"): 40}
	p = P.suppress_table(cells)
	assert p.cells[("A", "y")] == 0
	assert p.cells[("A", "x")] == H
	# row A's only other figure that can be hidden is its total (which is 2 anyway)
	assert p.row_totals["A"] == H
	assert P.is_published_safe(p)


def test_small_total_is_hidden_and_protected_across_the_totals():
	# every cell is at least 5 except in row A, whose cells are 0 and 3: total 3
	cells = {("A", "x"): 3, ("A", "y"): 0, ("B", "x"): 9, ("B", "y"): 12, ("C", "x"): 6, ("C", "y"): 8}
	p = P.suppress_table(cells)
	assert p.row_totals["A"] == H
	others = [p.row_totals["B"], p.row_totals["C"], p.grand_total]
	assert any(hidden(f) for f in others), "A's total would be the grand total minus the others"
	assert P.is_published_safe(p)


def test_single_cell_table_hides_everything():
	p = P.suppress_table({("A", "x"): 4})
	assert p == P.Published({("A", "x"): H}, {"A": H}, {"x": H}, H)


def test_empty_table():
	assert P.suppress_table({}) == P.Published({}, {}, {}, 0)


def test_missing_cells_count_as_published_zeros_and_are_not_added():
	p = P.suppress_table({("A", "x"): 7, ("B", "y"): 8})
	assert set(p.cells) == {("A", "x"), ("B", "y")}
	assert p.grand_total == 15


def test_threshold_is_configurable_and_labelled():
	p = P.suppress_table({("A", "x"): 7, ("A", "y"): 20, ("B", "x"): 20, ("B", "y"): 20}, k=10)
	assert p.cells[("A", "x")] == "<10"
	assert P.suppressed_label(10) == "<10"
	assert P.is_published_safe(p, 10)


def test_counts_must_be_whole_and_not_negative():
	with pytest.raises(NegativeValue, match="A / x"):
		P.suppress_table({("A", "x"): -1})
	with pytest.raises(InvalidValue, match="whole number"):
		P.suppress_counts({"Kenya": 2.5})
	# database sums come as Decimal or float: a small one is still small
	assert P.suppress_counts({"Kenya": 3.0, "Ghana": 20.0, "Chad": 9}) == (
		{"Kenya": H, "Ghana": 20, "Chad": P.COMPLEMENT},
		32,
	)
	assert P.suppress_counts({"Kenya": None, "Ghana": 20})[0]["Kenya"] == 0


def test_threshold_is_validated():
	with pytest.raises(InvalidValue):
		P.suppress_counts({"a": 1}, k=1)


def test_counts_one_small_value_hides_the_next_smallest():
	published, total = P.suppress_counts({"Kenya": 2, "Ghana": 40, "Chad": 7, "Peru": 0})
	assert published == {"Kenya": H, "Ghana": 40, "Chad": P.COMPLEMENT, "Peru": 0}
	assert total == 49


def test_counts_with_nothing_else_hide_the_total():
	assert P.suppress_counts({"Kenya": 2, "Peru": 0}) == ({"Kenya": H, "Peru": 0}, H)


def test_counts_two_small_values_are_enough():
	assert P.suppress_counts({"Kenya": 2, "Chad": 3, "Ghana": 40}) == (
		{"Kenya": H, "Chad": H, "Ghana": 40},
		45,
	)


def test_counts_small_total_with_one_value():
	# 4 in one state: the value and the total are hidden together
	assert P.suppress_counts({"Kenya": 4}) == ({"Kenya": H}, H)


def test_the_one_per_line_rule_is_not_enough():
	"""Two blocks of four hidden cells joined by a fifth: every line has two or more hidden
	figures, yet the fifth is the sum of the two block rows minus the sum of their columns."""
	pattern = {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)}
	lines = [[c for c in pattern if c[0] == r] for r in range(4)] + [
		[c for c in pattern if c[1] == k] for k in range(4)
	]
	assert all(len(line) >= 2 for line in lines)
	assert P.find_bridges(5, pattern) == [(1, 2)]
	grid = [[0] * 5 for _ in range(5)]
	for i, j in pattern:
		grid[i][j] = 1
	grid = [[(5 if not v else 1) for v in row[:4]] for row in grid[:4]]
	cells = {(str(i), str(j)): grid[i][j] for i in range(4) for j in range(4)}
	p = P.suppress_table(cells, k=2)
	assert P.is_published_safe(p, 2)
	assert not linear_leaks(cells, p)


def test_is_published_safe_spots_a_small_figure_and_a_lonely_hidden_one():
	ok = P.suppress_table({("A", "x"): 3, ("A", "y"): 9, ("B", "x"): 9, ("B", "y"): 9})
	assert P.is_published_safe(ok)
	assert not P.is_published_safe(P.Published({("A", "x"): 3}, {"A": 3}, {"x": 3}, 3))
	lonely = P.Published({("A", "x"): H, ("A", "y"): 9}, {"A": 12}, {"x": 3, "y": 9}, 12)
	assert not P.is_published_safe(lonely)
	assert not P.is_published_safe(({"a": H, "b": 9}, 12))
	assert P.is_published_safe(({"a": H, "b": H}, 12))


def test_a_large_table_is_fast():
	rng = random.Random(7)
	cells = {
		(f"state {i}", f"col {j}"): rng.choice([0, 1, 2, 3, 4, 6, 12, 40, 150])
		for i in range(190)
		for j in range(6)
	}
	began = time.perf_counter()
	p = P.suppress_table(cells)
	print(f"190x6 table suppressed in {time.perf_counter() - began:.2f}s")
	assert P.is_published_safe(p)


# --------------------------------------------------------------------------------------------
# Independent checks used by the properties


def direct_leaks(cells: dict, p: P.Published) -> list:
	"""Hidden figures recoverable from one line: its total and all its other figures published."""
	rows, cols = list(p.row_totals), list(p.col_totals)
	lines = [([p.cells.get((r, c), 0) for c in cols], p.row_totals[r], ("row", r)) for r in rows]
	lines += [([p.cells.get((r, c), 0) for r in rows], p.col_totals[c], ("col", c)) for c in cols]
	lines.append((list(p.row_totals.values()), p.grand_total, ("row totals",)))
	lines.append((list(p.col_totals.values()), p.grand_total, ("col totals",)))
	leaks = []
	for figures, total, where in lines:
		n_hidden = sum(hidden(f) for f in figures) + hidden(total)
		if n_hidden == 1:
			leaks.append(where)
	return leaks


def rank(matrix: list[list[Fraction]]) -> int:
	m = [row[:] for row in matrix]
	r = 0
	n_cols = len(m[0]) if m else 0
	for c in range(n_cols):
		pivot = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
		if pivot is None:
			continue
		m[r], m[pivot] = m[pivot], m[r]
		for i in range(len(m)):
			if i != r and m[i][c] != 0:
				factor = m[i][c] / m[r][c]
				m[i] = [a - factor * b for a, b in zip(m[i], m[r], strict=True)]
		r += 1
	return r


def hidden_figures(cells: dict, p: P.Published):
	"""The unknowns (hidden cells) and, for each hidden figure, which unknowns it sums."""
	rows, cols = list(p.row_totals), list(p.col_totals)
	unknowns = [(r, c) for r in rows for c in cols if hidden(p.cells.get((r, c), 0))]
	figures = {("cell", u): {u} for u in unknowns}
	lines = {("row", r): {u for u in unknowns if u[0] == r} for r in rows}
	lines |= {("col", c): {u for u in unknowns if u[1] == c} for c in cols}
	lines[("grand",)] = set(unknowns)
	published_lines = {}
	for key, members in lines.items():
		figure = (
			p.row_totals[key[1]]
			if key[0] == "row"
			else p.col_totals[key[1]]
			if key[0] == "col"
			else p.grand_total
		)
		(figures if hidden(figure) else published_lines)[key] = members
	return unknowns, figures, published_lines


def linear_leaks(cells: dict, p: P.Published) -> list:
	"""Hidden figures whose value is fixed by the published equations (exact rational algebra)."""
	unknowns, figures, equations = hidden_figures(cells, p)
	if not unknowns:
		return [key for key in figures]  # a hidden total over published cells only
	vector = lambda members: [Fraction(int(u in members)) for u in unknowns]  # noqa: E731
	base = [vector(m) for m in equations.values()]
	r = rank(base) if base else 0
	return [key for key, members in figures.items() if rank(base + [vector(members)]) == r]


def other_values(cells: dict, p: P.Published) -> dict:
	"""For each hidden figure, the values it takes over integer tables consistent with every
	published figure. Hidden cells range over the truth +-1 (and not below 0): any table found is
	a genuine alternative, so two values found prove the figure is not derivable. A cycle of hidden
	figures always yields one within +-1, so the window suffices. (An upper bound needs no help:
	a published line total caps its hidden cells through the equations; the largest published
	total is no bound for a cell whose lines are all hidden.)"""
	rows, cols = list(p.row_totals), list(p.col_totals)
	unknowns, figures, equations = hidden_figures(cells, p)
	known = {(r, c): cells.get((r, c), 0) for r in rows for c in cols}
	targets = {}
	for key, members in equations.items():
		fixed = sum(v for u, v in known.items() if _in_line(u, key) and u not in members)
		total = (
			p.row_totals[key[1]]
			if key[0] == "row"
			else p.col_totals[key[1]]
			if key[0] == "col"
			else p.grand_total
		)
		targets[key] = (members, total - fixed)
	ranges = [range(max(0, known[u] - 1), known[u] + 2) for u in unknowns]
	seen = {key: set() for key in figures}
	for values in itertools.product(*ranges):
		assignment = dict(zip(unknowns, values, strict=True))
		if all(sum(assignment[u] for u in members) == target for members, target in targets.values()):
			for key, members in figures.items():
				seen[key].add(sum(assignment[u] for u in members) + _published_part(key, known, members))
	return seen


def _in_line(u, key) -> bool:
	return key[0] == "grand" or (key[0] == "row" and u[0] == key[1]) or (key[0] == "col" and u[1] == key[1])


def _published_part(key, known, members) -> int:
	if key[0] == "cell":
		return 0
	return sum(v for u, v in known.items() if _in_line(u, key) and u not in members)


# --------------------------------------------------------------------------------------------
# Properties


def tables(max_side: int = 5):
	value = st.one_of(st.integers(0, 30), st.integers(0, 6), st.just(0))
	return st.integers(1, max_side).flatmap(
		lambda n_rows: st.integers(1, max_side).flatmap(
			lambda n_cols: st.fixed_dictionaries(
				{(f"r{i}", f"c{j}"): value for i in range(n_rows) for j in range(n_cols)}
			)
		)
	)


@settings(max_examples=150, deadline=None)
@given(tables(), st.integers(3, 10))
def test_nothing_small_is_published_and_nothing_hidden_is_derivable(cells, k):
	p = P.suppress_table(cells, k)
	figures = [*p.cells.values(), *p.row_totals.values(), *p.col_totals.values(), p.grand_total]
	assert not [f for f in figures if isinstance(f, int) and 1 <= f < k]
	# published figures are the true ones; zeros are never hidden; a hidden figure is labelled
	# "<k" only when it really is small, "x" when it is hidden to protect another one
	for key, f in p.cells.items():
		assert f == cells[key] or (hidden(f) and cells[key] > 0)
		if hidden(f):
			assert f == (P.suppressed_label(k) if cells[key] < k else P.COMPLEMENT)
	assert not direct_leaks(cells, p)
	assert not linear_leaks(cells, p)
	assert P.is_published_safe(p, k)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(tables(4), st.integers(3, 10))
def test_every_hidden_figure_has_another_consistent_value(cells, k):
	p = P.suppress_table(cells, k)
	n_hidden = sum(hidden(f) for f in p.cells.values())
	assume(n_hidden <= 6)
	for key, values in other_values(cells, p).items():
		assert len(values) >= 2, (key, values)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(0, 12)), st.integers(3, 10))
def test_counts_property(values, k):
	published, total = P.suppress_counts(values, k)
	figures = [*published.values(), total]
	assert not [f for f in figures if isinstance(f, int) and 1 <= f < k]
	assert sum(hidden(f) for f in figures) != 1
	assert P.is_published_safe((published, total), k)
	for key, f in published.items():
		assert f == values[key] or (hidden(f) and values[key] > 0)


# --- across the tables of one output -------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from ta_programmes.core import privacy as PV  # noqa: E402


def test_the_issues_example_a_state_of_3_is_not_given_away_by_its_group():
	values = {"A": 3, "B": 100, "C": 40, "D": 60}
	groups = {"A": "African", "B": "African", "C": "Asia", "D": "Asia"}
	states, total = PV.suppress_counts(values, 5)
	by_group, group_total = PV.roll_up(states, values, groups, 5)
	assert states["A"] == "<5"
	assert isinstance(by_group["African"], str), "the group holding a hidden state is hidden"
	assert group_total == total == 203


@settings(max_examples=300)
@given(
	values=st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(0, 40), min_size=1, max_size=8),
	assignment=st.lists(st.sampled_from(["G1", "G2", "G3"]), min_size=8, max_size=8),
	k=st.sampled_from([3, 5, 10]),
)
def test_no_small_figure_can_be_worked_out_from_a_breakdown_and_its_roll_up(values, assignment, k):
	parent_of = {child: assignment["ABCDEFGH".index(child)] for child in values}
	base, total = PV.suppress_counts(values, k)
	parents, parent_total = PV.roll_up(base, values, parent_of, k)
	assert parent_total == total
	for figure in [*base.values(), *parents.values(), total]:
		assert not PV.is_small(figure, k)
	unknowns = list(values)
	equations = [({c: 1}, v) for c, v in base.items() if not isinstance(v, str)]
	if not isinstance(total, str):
		equations.append(({c: 1 for c in values}, total))
	for parent, figure in parents.items():
		if not isinstance(figure, str):
			equations.append(({c: 1 for c in values if parent_of[c] == parent}, figure))
	for child, figure in base.items():
		if figure == PV.suppressed_label(k):
			assert not PV.derivable(unknowns, equations, child), (values, parent_of, base, parents)


@given(st.integers(0, 10_000), st.sampled_from([3, 5, 10]))
def test_rounding_is_within_half_a_base_and_never_publishes_a_small_count(value, k):
	shown = PV.rounded(value, k)
	assert shown % k == 0
	assert abs(shown - value) <= k // 2 + (k - value if 0 < value < k else 0)
	assert value == 0 or shown >= k
	assert PV.rounded("<5", 5) == "<5" and PV.rounded("x", 5) == "x"


def test_derivable_finds_a_difference_and_not_an_unknown_pair():
	eqs = [({"A": 1, "B": 1}, 103), ({"B": 1}, 100)]
	assert PV.derivable(["A", "B"], eqs, "A")
	assert not PV.derivable(["A", "B", "C"], [({"A": 1, "C": 1}, 50)], "A")
