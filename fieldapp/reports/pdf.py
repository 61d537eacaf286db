"""The neighbourhood feedback report on paper: the full A4 report, an A4 flyer, an A3 poster.

Written for residents with low literacy: large type (body text at least 12 pt in the report,
14 pt on the flyer, 24 pt on the poster), black on white with one dark green accent for
headings and rules, short lines and plenty of white space. Every interface language works,
Arabic included: its text is shaped and laid out right to left, and tables, bars and the
columns of the action cards are mirrored.

The callers (report pages and models) pass plain, already translated data; these functions
only lay it out and return the PDF bytes. Each document carries a QR code to the online report.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel.core import UnknownLocaleError
from babel.numbers import format_decimal, format_percent
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fieldapp.pdf.layout import (
    ACCENT,
    CELL_PAD_X,
    CELL_PAD_Y,
    ELLIPSIS,
    Block,
    Cell,
    Frame,
    Page,
    Paragraph,
    QRBand,
    QRBlock,
    Rule,
    Table,
    TableRow,
    draw_pages,
    draw_stack,
    line_leading,
    make_pairs,
    make_paragraph,
    new_canvas,
    one_line,
    shorten_lines,
    split_paragraphs,
    stack_height,
)
from fieldapp.pdf.qr import QR
from fieldapp.pdf.text import (
    BOLD,
    REGULAR,
    Align,
    block_height,
    draw_text_block,
    first_strong_direction,
    is_rtl,
    isolate,
    register_fonts,
    text_width,
    wrap_lines,
)

# ---------------------------------------------------------------------------------------------
# The data callers pass in
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    label: str
    count: int | None  # None: suppressed (fewer than 5 people); the suppression text is shown
    percent: int | None  # 0..100


@dataclass(frozen=True)
class Figure:
    title: str
    rows: tuple[FigureRow, ...]
    note: str = ""  # e.g. "Fewer than 5 people: not shown."

    @property
    def all_hidden(self) -> bool:
        """Every number is suppressed: the report prints the title and the note, one
        sentence as on the web page, instead of a table of suppressed rows."""
        return all(row.count is None for row in self.rows)


@dataclass(frozen=True)
class ActionItem:
    title: str
    owner: str
    due: str  # already formatted in the report's language
    status: str  # already translated
    updates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    body: str  # plain text, blank lines between paragraphs


@dataclass(frozen=True)
class ReportDoc:
    title: str
    study: str
    area: str
    language: str  # nl, en, ar, tr, pl, uk
    url: str  # the online report; every QR code encodes exactly this
    sections: tuple[Section, ...]
    figures: tuple[Figure, ...]
    quotes: tuple[str, ...]
    actions: tuple[ActionItem, ...]
    labels: dict[str, str]  # translated; see REPORT_LABELS, FLYER_LABELS, POSTER_LABELS


REPORT_LABELS = (
    "figures",
    "quotes",
    "actions",
    "owner",
    "due",
    "status",
    "updates",
    "scan",
    "page",
    "table_label",
    "table_count",
    "table_percent",
)
FLYER_LABELS = ("flyer_intro", "actions", "status", "scan")
POSTER_LABELS = ("poster_call", "actions", "status", "scan")
# Optional: printed instead of the number of a suppressed row.
DEFAULT_SUPPRESSED = "fewer than 5"


MAX_FLYER_POINTS = 5
MIN_FLYER_POINTS = 3
MAX_POSTER_ACTIONS = 3


class ReportOverflowError(ValueError):
    """One table row or action detail of the report is taller than a page."""


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def render_report(doc: ReportDoc) -> bytes:
    """The full report: A4 portrait, as many pages as it needs; returns the PDF bytes.

    Title block, the sections, the figures as tables with bars, the quotes, the actions ("you
    said, we did") with owner, due date, status and updates, and at the end a QR code to
    doc.url. Page 1 has a small QR code in its footer; every page has its number. Headings
    always stay with the text that follows them. Labels: REPORT_LABELS, and optionally
    "suppressed". Raises ValueError for missing labels or an empty URL, ReportOverflowError
    when a single table row or action detail is taller than a page.
    """
    texts = _texts(doc, REPORT_LABELS, "render_report")
    register_fonts()
    report = _Report(doc, texts, QR.make(doc.url))
    pages = report.paginate()
    buffer = io.BytesIO()
    canvas = _canvas(buffer, A4, doc)
    draw_pages(canvas, pages, report.draw_footer)
    canvas.save()
    return buffer.getvalue()


def render_flyer(doc: ReportDoc) -> bytes:
    """One A4 page to hand out: title, 3–5 key points, the actions and a big QR code.

    The key points are the first paragraph of each section (at most five), shortened to whole
    sentences or cut with "…". Whatever does not fit on the page is shortened, never spills
    over. Labels: FLYER_LABELS.
    """
    texts = _texts(doc, FLYER_LABELS, "render_flyer")
    register_fonts()
    flyer = _Flyer(doc, texts, QR.make(doc.url))
    return _one_page(doc, A4, flyer.draw)


def render_poster(doc: ReportDoc) -> bytes:
    """One A3 portrait page for a window: huge title, the call, up to 3 actions, a huge QR code.

    All text is 24 pt or larger. The URL is printed in full under the QR code. Labels:
    POSTER_LABELS.
    """
    texts = _texts(doc, POSTER_LABELS, "render_poster")
    register_fonts()
    poster = _Poster(doc, texts, QR.make(doc.url))
    return _one_page(doc, A3, poster.draw)


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------


def _texts(doc: ReportDoc, required: Sequence[str], caller: str) -> dict[str, str]:
    if not doc.url.strip():
        raise ValueError(f"{caller}: the URL for the QR code is empty")
    # str() also accepts lazy translations (flask_babel.lazy_gettext).
    texts = {key: str(value or "").strip() for key, value in doc.labels.items()}
    missing = [key for key in required if not texts.get(key)]
    if missing:
        raise ValueError(f"{caller}: missing labels: " + ", ".join(missing))
    texts["suppressed"] = texts.get("suppressed") or DEFAULT_SUPPRESSED
    return texts


def _canvas(buffer: io.BytesIO, pagesize: tuple[float, float], doc: ReportDoc) -> Canvas:
    subject = " – ".join(part for part in (doc.study.strip(), doc.area.strip()) if part)
    canvas = new_canvas(
        buffer, pagesize, language=doc.language, title=doc.title.strip(), subject=subject or None
    )
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    return canvas


def _one_page(
    doc: ReportDoc, pagesize: tuple[float, float], draw: Callable[[Canvas], None]
) -> bytes:
    buffer = io.BytesIO()
    canvas = _canvas(buffer, pagesize, doc)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


_SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u2026])\s+")


def _summary(
    paragraph: str, font: str, size: float, width: float, language: str, max_lines: int
) -> list[str]:
    """The first sentences of a paragraph that fit max_lines; else the first cut with "…"."""
    paragraph = one_line(paragraph)
    sentences = _SENTENCE_END.split(paragraph)
    for count in range(len(sentences), 0, -1):
        lines = wrap_lines(" ".join(sentences[:count]), font, size, width, language)
        if len(lines) <= max_lines:
            return lines
    return shorten_lines(paragraph, font, size, width, language, max_lines)


def _number(value: int, language: str) -> str:
    """A count in the language's digit grouping, Western digits, kept whole and in order."""
    try:
        text = format_decimal(value, locale=language, numbering_system="latn")
    except (UnknownLocaleError, ValueError):
        text = str(value)
    return isolate(text.replace(" ", "\u00a0"))


def _percent(value: int, language: str) -> str:
    """ "45%" ("%45" in Turkish), Western digits, kept whole and in order."""
    try:
        text = format_percent(Decimal(value) / 100, locale=language, numbering_system="latn")
    except (UnknownLocaleError, ValueError):
        text = f"{value}%"
    return isolate(text.replace(" ", "\u00a0"))


# ---------------------------------------------------------------------------------------------
# The report (A4, several pages)
# ---------------------------------------------------------------------------------------------

R_WIDTH, R_HEIGHT = A4
R_MARGIN_X = 24 * mm
R_MARGIN_TOP = 20 * mm
R_MARGIN_BOTTOM = 14 * mm
R_CONTENT = R_WIDTH - 2 * R_MARGIN_X

R_KICKER = 15.0
R_TITLE = 28.0
R_AREA = 16.0
R_H2 = 20.0
R_H3 = 15.0
R_BODY = 13.0
R_QUOTE = 15.0
R_CELL = 13.0
R_SMALL = 12.0  # notes, footer: the smallest text in the report
R_FOOTER_QR = 20 * mm  # the symbol in the footer of page 1
R_END_QR = 42 * mm  # the symbol at the end
R_FOOTER_GAP = 14.0  # between the text and the footer rule
INDENT = 22.0
MAX_NUMBER_COLUMN = 0.22  # of the content width, for the count and percent columns


class _Report:
    def __init__(self, doc: ReportDoc, texts: Mapping[str, str], qr: QR) -> None:
        self.doc = doc
        self.texts = texts
        self.qr = qr
        self.language = doc.language
        self.frame = Frame(R_MARGIN_X, R_CONTENT, is_rtl(doc.language))
        self.footer_qr = qr.size_for(R_FOOTER_QR)

    # Layout -------------------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        blocks = self._title()
        for section in self.doc.sections:
            blocks += self._section(section)
        if self.doc.figures:
            blocks.append(self._h2(self.texts["figures"]))
            for figure in self.doc.figures:
                blocks += self._figure(figure)
        if self.doc.quotes:
            blocks.append(self._h2(self.texts["quotes"]))
            for quote in self.doc.quotes:
                blocks.append(self._quote(quote))
        if self.doc.actions:
            blocks.append(self._h2(self.texts["actions"]))
            for action in self.doc.actions:
                blocks += self._action(action)
        blocks.append(self._end())
        return blocks

    def _text(self, text: str, font: str, size: float, **options: object) -> Paragraph:
        frame = options.pop("frame", self.frame)
        return make_paragraph(text, font, size, self.language, frame, **options)  # type: ignore[arg-type]

    def _title(self) -> list[Block]:
        doc = self.doc
        blocks: list[Block] = []
        if doc.study.strip():
            blocks.append(self._text(doc.study, BOLD, R_KICKER, color=ACCENT))
        blocks.append(
            self._text(doc.title, BOLD, R_TITLE, leading=line_leading(R_TITLE, 1.2), space_before=8)
        )
        if doc.area.strip():
            blocks.append(self._text(doc.area, REGULAR, R_AREA, space_before=8))
        blocks.append(Rule(self.frame, width=2.5, color=ACCENT, space_before=14))
        return blocks

    def _h2(self, text: str) -> Paragraph:
        return self._text(
            text,
            BOLD,
            R_H2,
            leading=line_leading(R_H2, 1.25),
            color=ACCENT,
            space_before=30,
            keep_with_next=True,
        )

    def _section(self, section: Section) -> list[Block]:
        blocks: list[Block] = [self._h2(section.heading)]
        for index, paragraph in enumerate(split_paragraphs(section.body)):
            blocks.append(self._text(paragraph, REGULAR, R_BODY, space_before=12 if index else 10))
        return blocks

    def _figure(self, figure: Figure) -> list[Block]:
        blocks: list[Block] = [
            self._text(
                figure.title,
                BOLD,
                R_H3,
                leading=line_leading(R_H3, 1.25),
                space_before=20,
                keep_with_next=True,
            )
        ]
        if figure.all_hidden:
            note = figure.note.strip() or self.texts["suppressed"]
            blocks.append(self._text(note, REGULAR, R_BODY, space_before=8))
            return blocks
        table = self._table(figure)
        table.space_before = 8
        blocks.append(table)
        if figure.note.strip():
            table.keep_with_next = True
            blocks.append(self._text(figure.note, REGULAR, R_SMALL, space_before=8))
        return blocks

    def _table(self, figure: Figure) -> Table:
        language, texts = self.language, self.texts
        numbers = [
            text
            for row in figure.rows
            if row.count is not None
            for text in (
                _number(row.count, language),
                _percent(row.percent, language) if row.percent is not None else "",
            )
        ]

        def widest(items: Sequence[str], font: str) -> float:
            widths = [text_width(item, font, R_CELL, language) for item in items if item]
            return max(widths, default=0.0) + 2 * CELL_PAD_X + 1

        def fitted(key: str) -> float:
            """Wide enough for the header on one line if it can be, else for its longest word."""
            limit = MAX_NUMBER_COLUMN * R_CONTENT
            needed = max(widest([texts[key]], BOLD), widest(numbers, REGULAR))
            if needed > limit:
                needed = max(widest(texts[key].split(), BOLD), widest(numbers, REGULAR))
            return min(max(0.14 * R_CONTENT, needed), limit)

        count_width = fitted("table_count")
        percent_width = fitted("table_percent")
        bar_width = 0.24 * R_CONTENT
        label_width = R_CONTENT - count_width - percent_width - bar_width
        widths = (label_width, count_width, percent_width, bar_width)

        def cell(first: int, last: int, text: str, font: str, align: Align = "start") -> Cell:
            width = sum(widths[first : last + 1]) - 2 * CELL_PAD_X
            lines = tuple(wrap_lines(text, font, R_CELL, width, language))
            return Cell(first, last, lines, font, R_CELL, align)

        def row(cells: Sequence[Cell], bar: int | None = None, **rule: object) -> TableRow:
            tallest = max(
                block_height(len(c.lines), c.font, c.size, line_leading(c.size, 1.3)) for c in cells
            )
            return TableRow(tuple(cells), tallest + 2 * CELL_PAD_Y, bar, **rule)  # type: ignore[arg-type]

        header = row(
            [
                cell(0, 0, texts["table_label"], BOLD),
                cell(1, 1, texts["table_count"], BOLD, "center"),
                cell(2, 2, texts["table_percent"], BOLD, "center"),
            ],
            rule_width=1.5,
            rule_color=black,
        )
        rows = []
        for item in figure.rows:
            label = cell(0, 0, item.label, REGULAR)
            if item.count is None:
                rows.append(row([label, cell(1, 3, texts["suppressed"], REGULAR)]))
                continue
            cells = [label, cell(1, 1, _number(item.count, language), REGULAR, "center")]
            if item.percent is not None:
                cells.append(cell(2, 2, _percent(item.percent, language), REGULAR, "center"))
            rows.append(row(cells, item.percent))
        return Table(self.frame, language, widths, header, rows)

    def _quote(self, quote: str) -> Paragraph:
        """Larger type, indented, with a green rule at the reading start. Not slanted: the
        shipped font has no italic, Arabic has no italic convention, and slanted type is harder
        to read for the readers this report is written for.

        A quote keeps the words and the direction it was said in: a Dutch quote in the
        Arabic report runs left to right (its full stop at its end), an Arabic one in the
        Dutch report right to left, as dir="auto" does on the web page."""
        language = self.language
        direction = first_strong_direction(quote)
        if direction == "rtl" and not is_rtl(language):
            language = "ar"
        elif direction == "ltr" and is_rtl(language):
            language = "en"
        return make_paragraph(
            one_line(quote),
            REGULAR,
            R_QUOTE,
            language,
            self.frame.inset(start=INDENT, end=INDENT),
            leading=line_leading(R_QUOTE, 1.45),
            space_before=18,
            marker="rule",
            marker_x=self.frame.start_x(6),
        )

    def _action(self, action: ActionItem) -> list[Block]:
        texts = self.texts
        blocks: list[Block] = [
            Rule(self.frame, width=0.8, space_before=22, keep_with_next=True, space_after=10),
            self._text(
                action.title,
                BOLD,
                R_H3,
                leading=line_leading(R_H3, 1.25),
                keep_with_next=True,
            ),
        ]
        pairs = [
            (texts["owner"], action.owner),
            (texts["due"], action.due),
            (texts["status"], action.status),
        ]
        filled = [(label, value) for label, value in pairs if value.strip()]
        if filled:
            blocks.append(make_pairs(filled, R_BODY, self.language, self.frame, space_before=8))
        updates = [update for update in action.updates if update.strip()]
        if updates:
            blocks.append(self._text(texts["updates"], BOLD, R_BODY, space_before=10))
            for update in updates:
                blocks.append(
                    self._text(
                        one_line(update),
                        REGULAR,
                        R_BODY,
                        frame=self.frame.inset(start=INDENT),
                        space_before=4,
                        marker="dot",
                        marker_x=self.frame.start_x(8),
                    )
                )
        # The card stays together on one page when it fits (long updates may still split).
        for block in blocks[:-1]:
            block.keep_with_next = True
        blocks[-1].keep_with_next = False
        return blocks

    def _end(self) -> Block:
        caption = self._text(self.texts["scan"], BOLD, R_H3, align="center")
        url = self._text(self.doc.url, REGULAR, R_SMALL, align="center", ltr=True)
        return QRBlock(
            self.qr,
            self.qr.size_for(R_END_QR),
            self.frame,
            caption,
            url,
            space_before=40,
            gap=10,
        )

    # Pages --------------------------------------------------------------------------------

    def footer_line_height(self) -> float:
        return block_height(1, REGULAR, R_SMALL, line_leading(R_SMALL))

    def bottom(self, page: int) -> float:
        """The lowest y the text of this page may reach."""
        footer = self.footer_line_height()
        if page == 1:
            footer = max(footer, self.footer_qr)
        return R_MARGIN_BOTTOM + footer + 10 + R_FOOTER_GAP

    def paginate(self) -> list[Page]:
        """Place the blocks on pages. A block marked keep_with_next goes on the same page as
        the start of the next one (a heading is never the last thing on a page)."""
        top = R_HEIGHT - R_MARGIN_TOP
        pages: list[Page] = [[]]
        y = top

        def new_page() -> None:
            nonlocal y
            pages.append([])
            y = top

        def gap(block: Block) -> float:
            return block.space_before if pages[-1] else 0.0

        def place(block: Block) -> None:
            nonlocal y
            while True:
                room = y - gap(block) - self.bottom(len(pages))
                if block.height <= room + 0.01:
                    y -= gap(block)
                    pages[-1].append((y, block))
                    y -= block.height
                    return
                parts = block.split(room)
                if parts is not None:
                    head, block = parts
                    y -= gap(head)
                    pages[-1].append((y, head))
                    new_page()
                    continue
                if not pages[-1]:
                    raise ReportOverflowError(
                        "render_report: a table row or action is too long to fit on a page"
                    )
                new_page()

        for group in _groups(self.blocks()):
            *leading, last = group
            needed = sum(block.space_before + block.height for block in leading)
            needed += last.space_before + last.min_height()
            if pages[-1] and y - needed < self.bottom(len(pages)) - 0.01:
                new_page()
            for block in group:
                place(block)
        return pages

    def draw_footer(self, canvas: Canvas, number: int, count: int) -> None:
        """A rule; the page number at the reading end; on page 1 a small QR code with the call
        to scan, on the other pages the title, at the reading start."""
        frame, language = self.frame, self.language
        line = self.footer_line_height()
        page_text = f"{self.texts['page']} {isolate(f'{number} / {count}')}"
        page_width = text_width(page_text, REGULAR, R_SMALL, language) + 2
        rule_y = self.bottom(number) - R_FOOTER_GAP
        canvas.saveState()
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1)
        canvas.line(frame.x, rule_y, frame.x + frame.width, rule_y)
        canvas.restoreState()
        draw_text_block(
            canvas,
            page_text,
            x=frame.box(frame.width - page_width, page_width),
            y=R_MARGIN_BOTTOM + line,
            width=page_width,
            font=REGULAR,
            size=R_SMALL,
            leading=line_leading(R_SMALL),
            language=language,
            align="end",
        )
        start = frame.inset(end=page_width + 16)
        if number != 1:
            title = shorten_lines(
                one_line(self.doc.title), REGULAR, R_SMALL, start.width, language, 1
            )
            make_paragraph("\n".join(title), REGULAR, R_SMALL, language, start).draw(
                canvas, R_MARGIN_BOTTOM + line
            )
            return
        size = self.footer_qr
        self.qr.draw(canvas, frame.box(0, size), R_MARGIN_BOTTOM, size)
        beside = start.inset(start=size + 10)
        texts: list[Block] = [
            make_paragraph(self.texts["scan"], BOLD, R_SMALL, language, beside, max_lines=2),
            make_paragraph(
                self.doc.url, REGULAR, R_SMALL, language, beside, ltr=True, space_before=2
            ),
        ]
        height = stack_height(texts)
        draw_stack(canvas, texts, R_MARGIN_BOTTOM + (size + height) / 2)


def _groups(blocks: Sequence[Block]) -> Iterator[list[Block]]:
    """Runs of blocks chained by keep_with_next."""
    group: list[Block] = []
    for block in blocks:
        group.append(block)
        if not block.keep_with_next:
            yield group
            group = []
    if group:
        yield group


# ---------------------------------------------------------------------------------------------
# The flyer (one A4 page)
# ---------------------------------------------------------------------------------------------

F_MARGIN = 18 * mm
F_KICKER = 15.0
F_TITLES = (30.0, 26.0)  # tried largest first
F_INTRO = 16.0
F_POINT_HEADING = 16.0
F_BODY = 14.0  # the smallest text on the flyer
F_H2 = 20.0
F_SCAN = 18.0
F_QR = 42 * mm  # the symbol


@dataclass(frozen=True)
class _FlyerPlan:
    points: int
    point_lines: int  # 0: the heading only
    actions: int
    action_lines: int
    title_size: float = F_TITLES[0]


class _Flyer:
    def __init__(self, doc: ReportDoc, texts: Mapping[str, str], qr: QR) -> None:
        self.doc, self.texts, self.qr = doc, texts, qr
        self.language = doc.language
        width, height = A4
        self.page_height = height
        self.frame = Frame(F_MARGIN, width - 2 * F_MARGIN, is_rtl(doc.language))

    def plans(self) -> Iterator[_FlyerPlan]:
        """From the fullest flyer to the most compact one: shorter key points, a smaller
        title, action titles on one line, fewer key points, one-line key points, fewer
        actions, and at last the key points' headings only."""
        points = min(MAX_FLYER_POINTS, len(self.doc.sections))
        fewest = min(MIN_FLYER_POINTS, points)
        actions = len(self.doc.actions)
        small = F_TITLES[-1]
        for lines in (4, 3, 2):
            yield _FlyerPlan(points, lines, actions, 2)
        yield _FlyerPlan(points, 2, actions, 2, small)
        for count in range(points, fewest - 1, -1):
            yield _FlyerPlan(count, 2, actions, 1, small)
        for count in range(actions, -1, -1):
            yield _FlyerPlan(fewest, 1, count, 1, small)
        yield _FlyerPlan(fewest, 0, 0, 1, small)

    def draw(self, canvas: Canvas) -> None:
        band = self.band()
        top = self.page_height - F_MARGIN
        room = top - F_MARGIN - band.height - 20
        for plan in self.plans():
            blocks = self.blocks(plan)
            if stack_height(blocks) <= room:
                break
        draw_stack(canvas, blocks, top)
        rule_y = F_MARGIN + band.height + 12
        Rule(self.frame, width=2, color=ACCENT).draw(canvas, rule_y + 1)
        band.draw(canvas, F_MARGIN + band.height)

    def _text(self, text: str, font: str, size: float, **options: object) -> Paragraph:
        frame = options.pop("frame", self.frame)
        return make_paragraph(text, font, size, self.language, frame, **options)  # type: ignore[arg-type]

    def blocks(self, plan: _FlyerPlan) -> list[Block]:
        doc, texts = self.doc, self.texts
        blocks: list[Block] = []
        kicker = " · ".join(part.strip() for part in (doc.study, doc.area) if part.strip())
        if kicker:
            blocks.append(self._text(kicker, BOLD, F_KICKER, color=ACCENT, max_lines=2))
        blocks.append(
            self._text(
                doc.title,
                BOLD,
                plan.title_size,
                leading=line_leading(plan.title_size, 1.2),
                max_lines=3,
                space_before=8,
            )
        )
        blocks.append(Rule(self.frame, width=2, color=ACCENT, space_before=12))
        blocks.append(
            self._text(texts["flyer_intro"], REGULAR, F_INTRO, max_lines=3, space_before=12)
        )
        inner = self.frame.inset(start=INDENT)
        for section in doc.sections[: plan.points]:
            blocks.append(
                self._text(
                    section.heading,
                    BOLD,
                    F_POINT_HEADING,
                    frame=inner,
                    max_lines=2,
                    space_before=12,
                    marker="square",
                    marker_x=self.frame.start_x(7),
                )
            )
            first = next(iter(split_paragraphs(section.body)), "")
            if plan.point_lines and first:
                lines = _summary(
                    first, REGULAR, F_BODY, inner.width, self.language, plan.point_lines
                )
                blocks.append(
                    Paragraph(
                        lines,
                        REGULAR,
                        F_BODY,
                        self.language,
                        inner,
                        line_leading(F_BODY),
                        space_before=5,
                    )
                )
        if plan.actions:
            blocks.append(
                self._text(texts["actions"], BOLD, F_H2, color=ACCENT, max_lines=2, space_before=20)
            )
            for action in doc.actions[: plan.actions]:
                blocks.append(
                    self._text(
                        action.title,
                        BOLD,
                        F_BODY + 1,
                        frame=inner,
                        max_lines=plan.action_lines,
                        space_before=10,
                        marker="dot",
                        marker_x=self.frame.start_x(7),
                    )
                )
                status = f"{texts['status']}: {action.status}"
                blocks.append(
                    self._text(status, REGULAR, F_BODY, frame=inner, max_lines=1, space_before=4)
                )
            if plan.actions < len(doc.actions):
                blocks.append(self._text(ELLIPSIS, BOLD, F_BODY, frame=inner, space_before=4))
        return blocks

    def band(self) -> QRBand:
        size = self.qr.size_for(F_QR)
        gap = 18.0
        frame = QRBand.text_frame(self.frame, size, gap)
        texts: list[Block] = [
            self._text(self.texts["scan"], BOLD, F_SCAN, frame=frame, max_lines=4),
            self._text(
                self.doc.url, REGULAR, F_BODY, frame=frame, ltr=True, max_lines=4, space_before=8
            ),
        ]
        return QRBand(self.qr, size, self.frame, texts, gap)


# ---------------------------------------------------------------------------------------------
# The poster (one A3 page)
# ---------------------------------------------------------------------------------------------

P_MARGIN = 20 * mm
P_KICKER = 26.0
P_TITLES = (72.0, 64.0, 56.0, 48.0)  # tried largest first
P_CALL = 40.0
P_H2 = 32.0
P_ACTION = 28.0
P_TEXT = 24.0  # the smallest text on the poster
P_QR = 85 * mm  # the symbol


@dataclass(frozen=True)
class _PosterPlan:
    title_size: float
    actions: int
    action_lines: int


class _Poster:
    def __init__(self, doc: ReportDoc, texts: Mapping[str, str], qr: QR) -> None:
        self.doc, self.texts, self.qr = doc, texts, qr
        self.language = doc.language
        width, height = A3
        self.page_height = height
        self.frame = Frame(P_MARGIN, width - 2 * P_MARGIN, is_rtl(doc.language))

    def plans(self) -> Iterator[_PosterPlan]:
        """From the fullest poster to the most compact: a smaller title (still huge) before
        action titles cut short, those before fewer actions."""
        actions = min(MAX_POSTER_ACTIONS, len(self.doc.actions))
        for lines in (2, 1):
            for size in P_TITLES:
                yield _PosterPlan(size, actions, lines)
        for count in range(actions - 1, -1, -1):
            yield _PosterPlan(P_TITLES[-1], count, 1)

    def _text(self, text: str, font: str, size: float, **options: object) -> Paragraph:
        frame = options.pop("frame", self.frame)
        return make_paragraph(text, font, size, self.language, frame, **options)  # type: ignore[arg-type]

    def draw(self, canvas: Canvas) -> None:
        bottom = self.bottom()
        top = self.page_height - P_MARGIN
        room = top - P_MARGIN - stack_height(bottom) - 30
        for plan in self.plans():
            blocks = self.blocks(plan)
            if stack_height(blocks) <= room:
                break
        draw_stack(canvas, blocks, top)
        draw_stack(canvas, bottom, P_MARGIN + stack_height(bottom))

    def blocks(self, plan: _PosterPlan) -> list[Block]:
        doc, texts = self.doc, self.texts
        blocks: list[Block] = []
        kicker = " · ".join(part.strip() for part in (doc.study, doc.area) if part.strip())
        if kicker:
            blocks.append(self._text(kicker, BOLD, P_KICKER, color=ACCENT, max_lines=2))
        blocks.append(
            self._text(
                doc.title,
                BOLD,
                plan.title_size,
                leading=line_leading(plan.title_size, 1.15),
                max_lines=3,
                space_before=14,
            )
        )
        blocks.append(Rule(self.frame, width=4, color=ACCENT, space_before=22))
        blocks.append(
            self._text(
                texts["poster_call"],
                BOLD,
                P_CALL,
                leading=line_leading(P_CALL, 1.2),
                max_lines=3,
                space_before=26,
            )
        )
        if plan.actions:
            blocks.append(
                self._text(texts["actions"], BOLD, P_H2, color=ACCENT, max_lines=2, space_before=36)
            )
            inner = self.frame.inset(start=34)
            for action in doc.actions[: plan.actions]:
                blocks.append(
                    self._text(
                        action.title,
                        BOLD,
                        P_ACTION,
                        frame=inner,
                        leading=line_leading(P_ACTION, 1.25),
                        max_lines=plan.action_lines,
                        space_before=16,
                        marker="square",
                        marker_x=self.frame.start_x(10),
                    )
                )
                status = f"{texts['status']}: {action.status}"
                blocks.append(
                    self._text(status, REGULAR, P_TEXT, frame=inner, max_lines=1, space_before=6)
                )
        return blocks

    def bottom(self) -> list[Block]:
        """The green rule, the QR band with the call to scan, the URL in full."""
        size = self.qr.size_for(P_QR)
        gap = 28.0
        frame = QRBand.text_frame(self.frame, size, gap)
        scan = self._text(
            self.texts["scan"],
            BOLD,
            P_H2,
            frame=frame,
            leading=line_leading(P_H2, 1.25),
            max_lines=6,
        )
        url_size = P_TEXT
        return [
            Rule(self.frame, width=4, color=ACCENT, space_after=14),
            QRBand(self.qr, size, self.frame, [scan], gap),
            self._text(self.doc.url, REGULAR, url_size, ltr=True, max_lines=3, space_before=8),
        ]
