"""The yearly earnings statement of a co-researcher as an A4 PDF, in every interface language."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from reportlab.lib.colors import Color, HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fieldapp.pdf.layout import (
    Block,
    Frame,
    Page,
    Paragraph,
    Spacer,
    draw_pages,
    line_leading,
    make_paragraph,
    new_canvas,
    required_texts,
)
from fieldapp.pdf.text import (
    BOLD,
    REGULAR,
    Align,
    block_height,
    draw_text_block,
    is_rtl,
    isolate,
    register_fonts,
    text_width,
    wrap_lines,
)

REQUIRED_LABELS = (
    "title",
    "intro",
    "month",
    "description",
    "study",
    "amount",
    "status",
    "paid",
    "waiting",
    "total",
    "total_paid",
    "month_names",
    "generated",
)
OPTIONAL_LABELS = ("limit_note",)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_SIZE = 8.0
FOOTER_GAP = 10.0  # between the last table row and the footer
PAGE_NUMBER_WIDTH = 24 * mm

TITLE_SIZE = 18.0
SUBTITLE_SIZE = 12.0
BODY_SIZE = 10.0
CELL_SIZE = 9.5
TOTAL_SIZE = 10.5
CELL_PAD_X = 4.0
# Amounts are right-aligned in every language, so their decimals line up; this keeps them
# clear of the column to their right (status, or in Arabic the ragged end of the study).
AMOUNT_GAP = 10.0
CELL_PAD_Y = 4.0
LEADING = 1.3  # line height, as a multiple of the font size

# Column shares of the content width, in reading order. The month, amount and status columns
# grow to fit the month names, the widest amount and the status words (see _table()).
_COLUMN_SHARES = {"month": 0.14, "description": 0.29, "study": 0.29, "amount": 0.13, "status": 0.15}
COLUMNS = tuple(_COLUMN_SHARES)
MAX_SHARE = 0.25  # of the content width, for a column widened to fit its content

GREY_TEXT = HexColor("#4d4d4d")
RULE_COLOR = HexColor("#b3b3b3")
HEADER_FILL = HexColor("#e3e3e3")
SUBTOTAL_FILL = HexColor("#f2f2f2")


@dataclass(frozen=True)
class StatementLine:
    month: int  # 1..12
    description: str  # e.g. "Fieldwork, 3 h", already translated by the caller
    study: str  # study title
    amount_cents: int
    paid: bool  # paid in a batch, or approved and waiting


@dataclass(frozen=True)
class Statement:
    person_name: str
    year: int
    language: str  # nl, en, ar, tr, pl, uk
    lines: list[StatementLine]
    # Every human text, translated by the caller; see render_statement().
    labels: dict[str, str]
    amount_formatter: Callable[[int], str]  # cents -> "€ 12,50" in this language


class StatementOverflowError(ValueError):
    """One table row (a very long description or study title) is taller than a page."""


def total_cents(lines: Iterable[StatementLine], *, paid_only: bool = False) -> int:
    """The exact sum of the lines' amounts in cents (only the paid lines with paid_only)."""
    total = 0
    for line in lines:
        if paid_only and not line.paid:
            continue
        total += line.amount_cents
    return total


def render_statement(statement: Statement) -> bytes:
    """Render the yearly earnings statement and return the PDF bytes (A4, one or more pages).

    labels (translated by the caller into statement.language): "title", "intro", the column
    headers "month", "description", "study", "amount" and "status", the statuses "paid" and
    "waiting", "total" (the year total, also used for the month subtotals), "total_paid",
    "month_names" (twelve names joined by "|"), "limit_note" (optional) and "generated".
    Amounts are integer cents; statement.amount_formatter turns them into text. Raises
    ValueError for missing labels or invalid lines, StatementOverflowError when one row cannot
    fit on a page.
    """
    texts = _texts(statement.labels)
    months = texts["month_names"].split("|")
    if len(months) != 12 or not all(name.strip() for name in months):
        raise ValueError("render_statement: month_names must be 12 names joined by '|'")
    _check_lines(statement.lines)
    register_fonts()

    months = [name.strip() for name in months]
    document = _Document(
        table=_table(statement, texts, months),
        language=statement.language,
        labels=texts,
        months=months,
        formatter=statement.amount_formatter,
        person=" ".join(statement.person_name.split()),
        year=statement.year,
    )
    pages = document.paginate(statement.lines)

    buffer = io.BytesIO()
    # The name is on the page only: document titles end up in file lists and search indexes.
    canvas = new_canvas(
        buffer, A4, language=statement.language, title=f"{texts['title']} {statement.year}"
    )
    draw_pages(canvas, pages, document.draw_footer)
    canvas.save()
    return buffer.getvalue()


def _texts(labels: Mapping[str, str]) -> dict[str, str]:
    texts = required_texts(labels, REQUIRED_LABELS, "render_statement")
    for key in OPTIONAL_LABELS:
        texts[key] = str(labels.get(key) or "").strip()
    return texts


def _check_lines(lines: Sequence[StatementLine]) -> None:
    for line in lines:
        # bool is an int too, and a float or Decimal here means money was not kept in cents.
        if type(line.amount_cents) is not int:
            raise ValueError(
                f"render_statement: amount_cents must be an int, not {type(line.amount_cents)}"
            )
        if type(line.month) is not int or not 1 <= line.month <= 12:
            raise ValueError(f"render_statement: month must be 1..12, not {line.month!r}")


def _table(statement: Statement, texts: Mapping[str, str], months: Sequence[str]) -> _Table:
    """Columns wide enough for what must not wrap or break: month names, amounts, words.

    Amounts and month names stay on one line; the words of the headers and statuses are
    not broken between letters.
    """
    language = statement.language

    def widest(items: Iterable[str], font: str, size: float) -> float:
        widths = [text_width(item, font, size, language) for item in items]
        return max(widths, default=0.0) + 2 * CELL_PAD_X + 1

    def words(*keys: str) -> list[str]:
        return [word for key in keys for word in texts[key].split()]

    ordered = _by_month(statement.lines)
    sums = [total_cents(group) for _month, group in groupby(ordered, lambda line: line.month)]
    sums += [total_cents(ordered), total_cents(ordered, paid_only=True)]
    cents = sums + [line.amount_cents for line in ordered]
    amounts = [_amount_text(statement.amount_formatter, value) for value in cents]
    used = [months[month - 1] for month in {line.month for line in ordered}]
    minimums = {
        "month": max(widest(used, BOLD, CELL_SIZE), widest(words("month"), BOLD, CELL_SIZE)),
        "amount": max(
            widest(amounts, BOLD, TOTAL_SIZE) + AMOUNT_GAP,
            widest(words("amount"), BOLD, CELL_SIZE) + AMOUNT_GAP,
        ),
        "status": max(
            widest(words("paid", "waiting"), REGULAR, CELL_SIZE),
            widest(words("status"), BOLD, CELL_SIZE),
        ),
    }
    return _Table.fit(language, minimums)


def _by_month(lines: Iterable[StatementLine]) -> list[StatementLine]:
    """The lines from January to December; within a month in the caller's order."""
    return sorted(lines, key=lambda line: line.month)


def _amount_text(formatter: Callable[[int], str], cents: int) -> str:
    """The formatted amount, kept whole and in its own order inside any sentence.

    Isolated, an amount takes its direction from its own first letter: Babel starts Arabic
    amounts with a right-to-left mark, so "1,234.56 €" shows as "€ 1,234.56", the digits left
    to right. keep_numbers_together() is not used: it does not count the comma as part
    of a number and would turn that amount into "€ 234.56,1". No-break spaces keep groups
    such as "1 234,56 zł" on one line and in order.
    """
    return isolate(str(formatter(cents)).replace(" ", "\u00a0"))


@dataclass(frozen=True)
class _Cell:
    first: int  # first and last column (reading order) the cell spans
    last: int
    text: str
    font: str = REGULAR
    size: float = CELL_SIZE
    align: Align = "start"
    amount: bool = False  # right-aligned with AMOUNT_GAP to its right, in every language


@dataclass
class _Row(Block):
    """One table row: cells placed in columns, mirrored for right-to-left languages."""

    table: _Table
    cells: tuple[_Cell, ...]
    fill: Color | None = None
    rule_below: float = 0.4  # line width; 0 for none
    rule_above: float = 0.0

    def __post_init__(self) -> None:
        heights = [0.0]
        for cell in self.cells:
            _x, width, _align = self.table.box(cell)
            lines = wrap_lines(cell.text, cell.font, cell.size, width, self.table.language)
            heights.append(
                block_height(len(lines), cell.font, cell.size, line_leading(cell.size, LEADING))
            )
        self.height = max(heights) + 2 * CELL_PAD_Y

    def draw(self, canvas: Canvas, top: float) -> None:
        left, right = MARGIN, MARGIN + CONTENT_WIDTH
        bottom = top - self.height
        if self.fill is not None:
            canvas.setFillColor(self.fill)
            canvas.rect(left, bottom, CONTENT_WIDTH, self.height, stroke=0, fill=1)
            canvas.setFillColor(black)
        for width, y in ((self.rule_above, top), (self.rule_below, bottom)):
            if width:
                canvas.setStrokeColor(RULE_COLOR if width < 0.6 else black)
                canvas.setLineWidth(width)
                canvas.line(left, y, right, y)
        canvas.setStrokeColor(black)
        for cell in self.cells:
            x, width, align = self.table.box(cell)
            draw_text_block(
                canvas,
                cell.text,
                x=x,
                y=top - CELL_PAD_Y,
                width=width,
                font=cell.font,
                size=cell.size,
                leading=line_leading(cell.size, LEADING),
                language=self.table.language,
                align=align,
            )


@dataclass(frozen=True)
class _Table:
    """Column geometry: widths in reading order, x positions mirrored for right to left."""

    language: str
    widths: tuple[float, ...]

    @classmethod
    def fit(cls, language: str, minimums: Mapping[str, float]) -> _Table:
        """The default widths, each column widened to its minimum (never above MAX_SHARE).

        The extra room comes from the description and study columns, in proportion.
        """
        widths = {column: share * CONTENT_WIDTH for column, share in _COLUMN_SHARES.items()}
        for column in ("month", "amount", "status"):
            needed = min(minimums.get(column, 0.0), MAX_SHARE * CONTENT_WIDTH)
            extra = needed - widths[column]
            if extra > 0:
                widths[column] = needed
                room = widths["description"] + widths["study"]
                for donor in ("description", "study"):
                    widths[donor] -= extra * widths[donor] / room
        return cls(language, tuple(widths[column] for column in COLUMNS))

    def span(self, first: int, last: int) -> tuple[float, float]:
        """(left x, width) of columns first..last; the first column is at the reading start."""
        return Frame(MARGIN, CONTENT_WIDTH, is_rtl(self.language)).span(self.widths, first, last)

    def box(self, cell: _Cell) -> tuple[float, float, Align]:
        """(left x, width, alignment) of the text inside a cell."""
        x, width = self.span(cell.first, cell.last)
        if not cell.amount:
            return x + CELL_PAD_X, width - 2 * CELL_PAD_X, cell.align
        align: Align = "start" if is_rtl(self.language) else "end"
        return x + CELL_PAD_X, width - 2 * CELL_PAD_X - AMOUNT_GAP, align


@dataclass
class _Document:
    language: str
    labels: dict[str, str]
    months: list[str]
    formatter: Callable[[int], str]
    person: str
    year: int
    table: _Table

    def amount(self, cents: int) -> str:
        return _amount_text(self.formatter, cents)

    def paginate(self, lines: Sequence[StatementLine]) -> list[Page]:
        """Place every block on pages; the table header is repeated on each table page."""
        ordered = _by_month(lines)
        by_month = [(month, list(group)) for month, group in groupby(ordered, lambda x: x.month)]
        subtotals = {month: total_cents(group) for month, group in by_month}
        year_total, paid_total = total_cents(ordered), total_cents(ordered, paid_only=True)

        top = PAGE_HEIGHT - MARGIN
        bottom = MARGIN + FOOTER_SIZE * 1.3 + FOOTER_GAP
        pages: list[Page] = [[]]
        y = top
        table_on_page = False

        def fits(height: float) -> bool:
            return y - height >= bottom - 0.01

        def place(block: Block) -> None:
            nonlocal y
            pages[-1].append((y, block))
            y -= block.height

        def new_page() -> None:
            nonlocal y, table_on_page
            pages.append([])
            y = top
            table_on_page = False

        # The heading, on the first page only.
        subtitle = f"{isolate(self.person)} · {isolate(str(self.year))}"
        for text, font, size, space_after in (
            (self.labels["title"], BOLD, TITLE_SIZE, 4),
            (subtitle, REGULAR, SUBTITLE_SIZE, 10),
            (self.labels["intro"], REGULAR, BODY_SIZE, 14),
        ):
            place(self._text(text, font, size))
            place(Spacer(space_after))

        header = self._header_row()
        room = top - bottom - header.height  # for rows on a page, under the header

        # Keep units: blocks that go on the same page. A month's subtotal stays with its last
        # line, so no page starts with a subtotal; the year totals, the limit note and the
        # date stay with the last line, so the table never ends on the page before them.
        units: list[list[tuple[StatementLine | None, Block]]] = []
        for month, group in by_month:
            rows: list[tuple[StatementLine | None, Block]] = [
                (line, self._line_row(line, month, show_month=index == 0))
                for index, line in enumerate(group)
            ]
            units.extend([row] for row in rows[:-1])
            units.append([rows[-1], (None, self._subtotal_row(month, subtotals[month]))])
        closing = [(None, block) for block in self._closing(year_total, paid_total)]
        if not units:  # nothing earned this year: the header row, then zero totals
            place(header)
            units.append(closing)
        elif sum(block.height for _line, block in units[-1] + closing) <= room:
            units[-1] = units[-1] + closing
        else:  # a limit note too long to keep with the table: after it, block by block
            units.extend([item] for item in closing)

        for unit in units:
            height = sum(block.height for _line, block in unit)
            is_table = unit[0][0] is not None  # starts with a line of the table
            if isinstance(unit[0][1], Spacer) and len(unit) == 1 and y >= top:
                continue  # no space at the top of a page
            needed = height + (header.height if is_table and not table_on_page else 0)
            if not fits(needed) and y < top:
                new_page()
            if is_table and not table_on_page:
                place(header)
                table_on_page = True
                # The first row on a page names its month, also when it continues one.
                first_line, _row = unit[0]
                if first_line is not None:
                    first = self._line_row(first_line, first_line.month, show_month=True)
                    unit = [(first_line, first), *unit[1:]]
            if not fits(height):
                raise StatementOverflowError(
                    "render_statement: a statement line or note is too long to fit on a page"
                )
            for _line, block in unit:
                place(block)
        return pages

    def _closing(self, year_total: int, paid_total: int) -> list[Block]:
        """The year total and the total paid, the limit note (if any) and the date made."""
        blocks: list[Block] = [
            Spacer(6),
            self._total_row(self.labels["total"], year_total, BOLD, rule_above=1.0),
            self._total_row(self.labels["total_paid"], paid_total, REGULAR),
        ]
        if self.labels["limit_note"]:
            blocks.append(Spacer(12))
            blocks.append(self._text(self.labels["limit_note"], REGULAR, BODY_SIZE))
        blocks.append(Spacer(10))
        blocks.append(self._text(self.labels["generated"], REGULAR, BODY_SIZE))
        return blocks

    def _text(self, text: str, font: str, size: float) -> Paragraph:
        """A paragraph over the full content width."""
        frame = Frame(MARGIN, CONTENT_WIDTH, is_rtl(self.language))
        return make_paragraph(
            text, font, size, self.language, frame, leading=line_leading(size, LEADING)
        )

    def _header_row(self) -> _Row:
        cells = tuple(
            _Cell(index, index, self.labels[column], BOLD, amount=column == "amount")
            for index, column in enumerate(COLUMNS)
        )
        return _Row(self.table, cells, fill=HEADER_FILL, rule_below=0.8)

    def _line_row(self, line: StatementLine, month: int, *, show_month: bool) -> _Row:
        texts = {
            "month": self.months[month - 1] if show_month else "",
            "description": line.description,
            "study": line.study,
            "amount": self.amount(line.amount_cents),
            "status": self.labels["paid"] if line.paid else self.labels["waiting"],
        }
        cells = tuple(
            _Cell(index, index, texts[column], amount=column == "amount")
            for index, column in enumerate(COLUMNS)
            if texts[column]
        )
        return _Row(self.table, cells)

    def _subtotal_row(self, month: int, cents: int) -> _Row:
        cells = (
            _Cell(COLUMNS.index("month"), COLUMNS.index("month"), self.months[month - 1], BOLD),
            _Cell(
                COLUMNS.index("description"),
                COLUMNS.index("description"),
                self.labels["total"],
                BOLD,
            ),
            _Cell(
                COLUMNS.index("amount"),
                COLUMNS.index("amount"),
                self.amount(cents),
                BOLD,
                amount=True,
            ),
        )
        return _Row(self.table, cells, fill=SUBTOTAL_FILL)

    def _total_row(self, label: str, cents: int, font: str, rule_above: float = 0.0) -> _Row:
        amount = COLUMNS.index("amount")
        cells = (
            _Cell(0, amount - 1, label, font, TOTAL_SIZE),
            _Cell(amount, amount, self.amount(cents), font, TOTAL_SIZE, amount=True),
        )
        return _Row(self.table, cells, rule_below=0.0, rule_above=rule_above)

    def draw_footer(self, canvas: Canvas, number: int, count: int) -> None:
        """The statement and person at the reading start, "n / m" at the other end."""
        canvas.setFillColor(GREY_TEXT)
        leading = line_leading(FOOTER_SIZE, LEADING)
        y = MARGIN + leading
        rtl = is_rtl(self.language)
        running = f"{self.labels['title']} {isolate(str(self.year))} · {isolate(self.person)}"
        draw_text_block(
            canvas,
            wrap_lines(
                running, REGULAR, FOOTER_SIZE, CONTENT_WIDTH - PAGE_NUMBER_WIDTH, self.language
            )[0],
            x=MARGIN + (PAGE_NUMBER_WIDTH if rtl else 0),
            y=y,
            width=CONTENT_WIDTH - PAGE_NUMBER_WIDTH,
            font=REGULAR,
            size=FOOTER_SIZE,
            leading=leading,
            language=self.language,
        )
        # Isolated, digits only: left to right in every language, like a viewer's "2 / 5".
        draw_text_block(
            canvas,
            isolate(f"{number} / {count}"),
            x=MARGIN if rtl else MARGIN + CONTENT_WIDTH - PAGE_NUMBER_WIDTH,
            y=y,
            width=PAGE_NUMBER_WIDTH,
            font=REGULAR,
            size=FOOTER_SIZE,
            leading=leading,
            language=self.language,
            align="end",
        )
        canvas.setFillColor(black)
