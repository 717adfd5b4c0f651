"""Charts of the public report: a count of people under k is never drawn (hidden figures and small
ones get no bar, only their written form), bars are proportional to the figures and stay inside
the chart, right to left mirrors the geometry, and the description carries every figure."""

from hypothesis import given
from hypothesis import strategies as st
from ta_programmes.core import charts as C

K = 5


def row(label, *values):
	return C.Row(label, tuple((v, str(v)) for v in values))


def test_hidden_and_small_counts_get_no_bar_only_their_text():
	chart = C.bar_chart("c", "Participants by year", [row("2023", "<5"), row("2024", "x"), row("2025", 3), row("2026", 0), row("2027", 40)], k=K)
	assert len(chart.rects) == 1  # only 40
	values = {t.text: t.kind for t in chart.texts if t.kind != "label"}
	assert values == {"<5": "hidden", "x": "hidden", "3": "hidden", "0": "hidden", "40": "value"}
	assert chart.rects[0].width == C.WIDTH - C.VALUE_WIDTH


def test_a_count_of_k_is_drawn_and_bars_are_proportional():
	chart = C.bar_chart("c", "t", [row("a", 5), row("b", 10), row("c", 20)], k=K)
	widths = [r.width for r in chart.rects]
	assert widths == [(C.WIDTH - C.VALUE_WIDTH) / 4, (C.WIDTH - C.VALUE_WIDTH) / 2, C.WIDTH - C.VALUE_WIDTH]


def test_shares_are_drawn_even_when_small_and_against_the_maximum():
	chart = C.bar_chart("c", "t", [row("Enforcement", 3.0), row("All", 150)], k=None, maximum=100)
	assert [r.width for r in chart.rects] == [round((C.WIDTH - C.VALUE_WIDTH) * 0.03, 2), C.WIDTH - C.VALUE_WIDTH]


def test_booleans_none_and_text_are_never_drawn():
	chart = C.bar_chart("c", "t", [row("a", True), row("b", None), row("c", "12")], k=None, maximum=100)
	assert chart.rects == ()


def test_right_to_left_mirrors_bars_and_anchors():
	rows = [row("a", 10), row("b", 20)]
	ltr = C.bar_chart("c", "t", rows, k=K)
	rtl = C.bar_chart("c", "t", rows, k=K, rtl=True)
	for left, right in zip(ltr.rects, rtl.rects, strict=True):
		assert right.x == round(C.WIDTH - left.x - left.width, 2) and right.width == left.width and right.y == left.y
	assert {t.anchor for t in ltr.texts} == {"start"}
	assert {t.anchor for t in rtl.texts} == {"end"}
	labels = [t for t in rtl.texts if t.kind == "label"]
	assert all(t.x == C.WIDTH for t in labels)


def test_series_get_a_legend_and_one_bar_each():
	rows = [C.Row("Enforcement", ((40.0, "40%"), (55.0, "55%"))), C.Row("Prevention", ((60.0, "60%"), (45.0, "45%")))]
	chart = C.bar_chart("c", "t", rows, k=None, series=("Activities", "Trainer-hours"), maximum=100)
	assert [s.series for s in chart.swatches] == [0, 1]
	assert [t.text for t in chart.texts if t.kind == "legend"] == ["Activities", "Trainer-hours"]
	assert [r.series for r in chart.rects] == [0, 1, 0, 1]
	assert chart.description == "Enforcement: Activities 40%, Trainer-hours 55%; Prevention: Activities 60%, Trainer-hours 45%"


def test_an_empty_chart_has_no_height():
	chart = C.bar_chart("c", "t", [], k=K)
	assert chart.height == 0 and chart.rects == () and chart.description == ""


def test_share_and_percent_of():
	assert C.share(1, 4) == 25.0
	assert C.share("x", 4) is None and C.share(1, 0) is None and C.share(1, "<5") is None
	assert C.percent_of("12%") == 12.0 and C.percent_of(7) == 7.0
	assert C.percent_of("x") is None and C.percent_of("a%") is None and C.percent_of(None) is None


figures = st.one_of(st.integers(min_value=0, max_value=10_000), st.sampled_from(["<5", "x", ""]))


@given(st.lists(st.tuples(st.text(max_size=12), figures), max_size=12), st.booleans())
def test_only_counts_of_at_least_k_are_drawn_and_everything_stays_inside(data, rtl):
	rows = [row(label, value) for label, value in data]
	chart = C.bar_chart("c", "t", rows, k=K, rtl=rtl)
	drawn = [v for _label, v in data if isinstance(v, int) and v >= K]
	assert len(chart.rects) == len([v for v in drawn if v])
	for r in chart.rects:
		assert 0 <= r.x and r.x + r.width <= C.WIDTH + 0.01 and 0 <= r.y and r.y + r.height <= chart.height
	# Every figure is written, drawn or not; the description names each one.
	assert sorted(t.text for t in chart.texts if t.kind in ("value", "hidden")) == sorted(str(v) for _label, v in data)
	ys = [r.y for r in chart.rects]
	assert ys == sorted(ys) and len(set(ys)) == len(ys)  # one bar a line, top to bottom
