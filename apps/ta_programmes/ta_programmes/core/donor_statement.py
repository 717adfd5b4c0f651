"""A donor's statement for a period: the pure figures (its share of a programme's spending, the
period, suppression) and the PDF layout (reportlab, with the pieces of :mod:`.report_pdf`).

**Spending** of a programme is the trainer fees of its delivered activities (stored on each
activity: hours x daily rate / 8); in a period, the fees of the activities that ended in it.
**The donor's share** of that spending is pro rata of its commitment: its funding lines (in the
programme currency) over all the programme's funding lines (the programme budget), at most the
whole; a programme without budget has no attributable spending. Amounts are rounded to the
cent, half up.

**Participants** are suppressed like every other output a donor reads
(:func:`.privacy.suppress_counts` over the programmes of the statement and their total: a count
of 1 to ``k - 1`` is published as ``"<k"``, and one more figure hidden where a single hidden one
could be worked out from the total).

The layout adds nothing to what it is given; text from the data is printed as plain strings,
never interpreted as markup; Arabic is laid out right to left as in :mod:`.report_pdf`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from . import l10n, privacy
from .errors import InvalidValue
from .i18n import _

CENT = Decimal("0.01")


# --------------------------------------------------------------------------------------------
# Figures


def _decimal(value: object) -> Decimal:
	return Decimal(str(value or 0))


def share(commitment: float, budget: float) -> Decimal:
	"""The part of a programme's spending attributable to a donor: its commitment over the
	programme's budget (every funding line), between 0 and 1; 0 without budget."""
	commitment, budget = _decimal(commitment), _decimal(budget)
	if budget <= 0 or commitment <= 0:
		return Decimal(0)
	return min(Decimal(1), commitment / budget)


def attributable(spent: float, commitment: float, budget: float) -> float:
	"""The donor's share of ``spent`` (pro rata of its commitment), to the cent."""
	return float((_decimal(spent) * share(commitment, budget)).quantize(CENT, rounding=ROUND_HALF_UP))


def used_percent(amount: float, commitment: float) -> int | None:
	"""``amount`` as a whole percentage of the commitment (None without commitment)."""
	commitment = _decimal(commitment)
	if commitment <= 0:
		return None
	return int((_decimal(amount) * 100 / commitment).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def month_period(from_month: object, to_month: object) -> tuple[date, date]:
	"""The statement's period: the first day of ``from_month`` to the last day of ``to_month``
	(``YYYY-MM``, or a date whose day is dropped), refused when empty or in the wrong order."""
	start = privacy.public_month(from_month, _("From"))
	end = privacy.public_month(to_month, _("To"), end=True)
	if start > end:
		raise InvalidValue(_("The period ends before it starts: choose a “To” month after the “From” month."))
	return start, end


@dataclass(frozen=True)
class ProgrammeFigures:
	"""One programme of a statement, as counted (nothing suppressed or formatted yet)."""

	name: str
	title: str
	currency: str
	commitment: float  # the donor's funding lines, in the programme currency
	budget: float  # every funding line of the programme
	spent: float  # trainer fees of the activities delivered in the period
	activities: int  # activities delivered in the period
	participants: int  # their participants
	oversight: str  # the public wording of the oversight status, in the reader's language
	status: str = ""


def statement_rows(figures: Sequence[ProgrammeFigures], k: int, lang: str) -> tuple[list[dict], dict]:
	"""The statement's rows (figures formatted in ``lang``, participants suppressed across the
	programmes and their total) and its totals (activities, participants)."""
	shown, total = privacy.suppress_counts({p.name: int(p.participants or 0) for p in figures}, k)
	rows = []
	for p in figures:
		ours = attributable(p.spent, p.commitment, p.budget)
		rows.append(
			{
				"name": p.name,
				"title": p.title,
				"status": p.status,
				"commitment": l10n.money(p.commitment, p.currency, lang),
				"spent": l10n.money(p.spent, p.currency, lang),
				"share": l10n.percent(
					float((share(p.commitment, p.budget) * 100).quantize(Decimal(1))), lang
				),
				"attributable": l10n.money(ours, p.currency, lang),
				"activities": l10n.number(int(p.activities or 0), lang),
				"participants": l10n.cell(shown[p.name], lang),
				"oversight": p.oversight,
			}
		)
	totals = {
		"activities": l10n.number(sum(int(p.activities or 0) for p in figures), lang),
		"participants": l10n.cell(total, lang),
	}
	return rows, totals


# --------------------------------------------------------------------------------------------
# PDF

COLUMNS = (
	("title", _("Programme"), 2.8),
	("commitment", _("Our commitment"), 1.7),
	("spent", _("Spent in the period"), 1.7),
	("share", _("Our share"), 0.9),
	("attributable", _("Attributable to us"), 1.7),
	("activities", _("Activities delivered"), 1.2),
	("participants", _("Participants"), 1.4),
	("oversight", _("Oversight status"), 2.6),
)
NUMERIC = {"commitment", "spent", "share", "attributable", "activities", "participants"}


@dataclass
class StatementData:
	"""What the statement shows, already in the reader's language and suppressed."""

	title: str
	donors: list[str]
	period_label: str
	generated: datetime
	rows: list[dict] = field(default_factory=list)  # as statement_rows
	totals: dict = field(default_factory=dict)  # activities, participants
	method_note: str = ""
	suppression_note: str = ""


def build_statement_pdf(data: StatementData, out: BinaryIO, translate=None, lang: str = "en") -> int:
	"""Write the statement to ``out``; return its number of pages. ``translate`` gives this
	module's English labels in the reader's language (Frappe's ``_``); ``lang`` writes dates."""
	from . import report_pdf as R

	ctx = R._Context(R._styles(), translate or R._identity, l10n.public_language(lang))
	styles = ctx.styles
	story = [
		ctx.p(data.title, styles["Title"]),
		ctx.p(data.period_label, styles["Subtitle"]),
		ctx.p(ctx.tr(_("Donor: {0}"), ", ".join(data.donors)), styles["Body"], label=True),
		ctx.p(ctx.tr(_("Generated {0}"), ctx.moment(data.generated)), styles["Body"], label=True),
	]
	story += R._section(_("Programmes we fund"), ctx)
	story += _table(data.rows, ctx)
	if data.rows:
		story.append(
			ctx.p(
				ctx.tr(
					_("Total in the period: {0} activities delivered, {1} participants."),
					data.totals.get("activities", 0),
					data.totals.get("participants", 0),
				),
				styles["Body"],
				label=True,
			)
		)
	story += R._section(_("How the figures are counted"), ctx)
	story += R._paragraphs(data.method_note, ctx)
	story += R._paragraphs(data.suppression_note, ctx)
	pages: list[int] = []
	footer = ctx.tr(_("Generated {0}"), ctx.moment(data.generated))
	doc = R._Document(out, None, 0, title=data.title)
	doc.build(story, canvasmaker=R._numbered_canvas(footer, ctx, pages))
	return pages[0]


def _table(rows: list[dict], ctx) -> list:
	"""The programmes as one table, header repeated on every page; mirrored right to left."""
	from reportlab.platypus import TableStyle

	from . import report_pdf as R
	from .pdf_rtl import _wrap

	styles = ctx.styles
	if not rows:
		return [ctx.p(ctx.tr(_("No programme funded by this donor.")), styles["Body"], label=True)]
	columns = list(COLUMNS)[::-1] if ctx.rtl else list(COLUMNS)
	weights = sum(w for _key, _label, w in columns)
	widths = [R.FRAME_WIDTH * w / weights for _key, _label, w in columns]
	cell, head = styles["cell"], styles["head"]
	heads = [
		R._fitted(head, ctx.tr(label), width - 6)
		for (_k, label, _w), width in zip(columns, widths, strict=True)
	]
	commands = R._table_commands(cell)
	if ctx.rtl:
		header = [
			"\n".join(_wrap(ctx.tr(label), style.fontName, style.fontSize, width - 6))
			for (_k, label, _w), width, style in zip(columns, widths, heads, strict=True)
		]
		body = [
			[
				ctx.text(row.get(key))
				if key in NUMERIC
				else "\n".join(_wrap(ctx.text(row.get(key)), cell.fontName, cell.fontSize, width - 6))
				for (key, _l, _w), width in zip(columns, widths, strict=True)
			]
			for row in rows
		]
		commands += [
			("FONT", (j, 0), (j, 0), style.fontName, style.fontSize, style.leading)
			for j, style in enumerate(heads)
		]
		commands += [("TEXTCOLOR", (0, 0), (-1, 0), head.textColor), ("ALIGN", (0, 0), (-1, -1), "RIGHT")]
		table = R._RtlDataTable([header, *body], colWidths=widths, repeatRows=1, splitInRow=1, hAlign="RIGHT")
	else:
		header = [
			R._p(
				ctx.tr(label),
				R._fitted(styles["head_num" if key in NUMERIC else "head"], ctx.tr(label), width - 6),
			)
			for (key, label, _w), width in zip(columns, widths, strict=True)
		]
		body = [
			[
				R._lines(ctx.text(row.get(key)), cell, width - 6)
				for (key, _l, _w), width in zip(columns, widths, strict=True)
			]
			for row in rows
		]
		commands += [
			("ALIGN", (j, 1), (j, -1), "RIGHT") for j, (key, _l, _w) in enumerate(columns) if key in NUMERIC
		]
		table = R._DataTable([header, *body], colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
	table.setStyle(TableStyle(commands))
	return [table]
