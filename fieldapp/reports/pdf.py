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
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

import qrcode
from babel.core import UnknownLocaleError
from babel.numbers import format_decimal, format_percent
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fieldapp.pdf.text import (
    BOLD,
    REGULAR,
    Align,
    block_height,
    draw_text_block,
    first_strong_direction,
    is_rtl,
    isolate,
    line_box,
    register_fonts,
    set_metadata,
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

ELLIPSIS = "\u2026"
GREEN = HexColor("#0B5D3B")  # the one accent: headings, rules and bars
GREY_RULE = HexColor("#767676")  # thin rules between table rows only

QR_BORDER = 4  # modules of quiet zone on each side (the QR standard's minimum)
MAX_FLYER_POINTS = 5
MIN_FLYER_POINTS = 3
MAX_POSTER_ACTIONS = 3

Marker = Literal["rule", "dot", "square"]


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
    report = _Report(doc, texts, _QR.make(doc.url))
    pages = report.paginate()
    buffer = io.BytesIO()
    canvas = _canvas(buffer, A4, doc)
    for number, page in enumerate(pages, start=1):
        for top, block in page:
            block.draw(canvas, top)
        report.draw_footer(canvas, number, len(pages))
        canvas.showPage()
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
    flyer = _Flyer(doc, texts, _QR.make(doc.url))
    return _one_page(doc, A4, flyer.draw)


def render_poster(doc: ReportDoc) -> bytes:
    """One A3 portrait page for a window: huge title, the call, up to 3 actions, a huge QR code.

    All text is 24 pt or larger. The URL is printed in full under the QR code. Labels:
    POSTER_LABELS.
    """
    texts = _texts(doc, POSTER_LABELS, "render_poster")
    register_fonts()
    poster = _Poster(doc, texts, _QR.make(doc.url))
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
    canvas = Canvas(
        buffer,
        pagesize=pagesize,
        lang=doc.language,
        initialFontName=REGULAR,  # no unused, unembedded Helvetica in the page resources
        pageCompression=1,
    )
    subject = " – ".join(part for part in (doc.study.strip(), doc.area.strip()) if part)
    set_metadata(canvas, title=doc.title.strip(), language=doc.language, subject=subject or None)
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


def _leading(size: float, factor: float = 1.4) -> float:
    return round(size * factor, 2)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(body: str) -> list[str]:
    """The paragraphs of a text with blank lines between them (single newlines are kept)."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"\n\s*\n", body)
    return [part.strip() for part in parts if part.strip()]


def _shorten(
    text: str, font: str, size: float, width: float, language: str, max_lines: int
) -> list[str]:
    """The wrapped lines of text, at most max_lines; a cut text ends in "…"."""
    lines = wrap_lines(text, font, size, width, language)
    if len(lines) <= max_lines:
        return lines
    if max_lines <= 0:
        return []
    kept = lines[:max_lines]
    last = kept[-1]
    while True:
        candidate = last.rstrip(" ,;:.-–—،؛") + ELLIPSIS
        if not last or text_width(candidate, font, size, language) <= width:
            break
        words = last.split(" ")
        last = " ".join(words[:-1]) if len(words) > 1 else last[:-1]
    kept[-1] = candidate
    return kept


# Where a URL may break: after "/" (not inside "//") and "&", before "?" and "#".
_URL_BREAK = re.compile(r"(?<=/)(?!/)|(?<=&)|(?=[?#])")


def _url_lines(url: str, font: str, size: float, width: float) -> list[str]:
    """A URL wrapped at its slashes and before its query; parts too long break anywhere."""
    lines: list[str] = []
    current = ""
    for piece in (piece for piece in _URL_BREAK.split(url.strip()) if piece):
        if text_width(current + piece, font, size, "en") <= width:
            current += piece
            continue
        if current:
            lines.append(current)
        *full, current = wrap_lines(piece, font, size, width, "en")
        lines.extend(full)
    if current:
        lines.append(current)
    return lines


_SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u2026])\s+")


def _summary(
    paragraph: str, font: str, size: float, width: float, language: str, max_lines: int
) -> list[str]:
    """The first sentences of a paragraph that fit max_lines; else the first cut with "…"."""
    paragraph = _one_line(paragraph)
    sentences = _SENTENCE_END.split(paragraph)
    for count in range(len(sentences), 0, -1):
        lines = wrap_lines(" ".join(sentences[:count]), font, size, width, language)
        if len(lines) <= max_lines:
            return lines
    return _shorten(paragraph, font, size, width, language, max_lines)


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


@dataclass(frozen=True)
class _Frame:
    """A column of the page: left edge, width, and the reading direction inside it."""

    x: float
    width: float
    rtl: bool

    def inset(self, start: float = 0.0, end: float = 0.0) -> _Frame:
        """The frame narrowed at the reading start and end (right and left in Arabic)."""
        left, right = (end, start) if self.rtl else (start, end)
        return _Frame(self.x + left, self.width - left - right, self.rtl)

    def box(self, offset: float, width: float) -> float:
        """Left x of a box of this width, offset from the reading start."""
        if self.rtl:
            return self.x + self.width - offset - width
        return self.x + offset

    def start_x(self, offset: float = 0.0) -> float:
        """The x at this distance from the reading start edge."""
        return self.x + self.width - offset if self.rtl else self.x + offset


# ---------------------------------------------------------------------------------------------
# QR codes, drawn as vector squares (sharp on paper at any size)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _QR:
    matrix: tuple[tuple[bool, ...], ...]  # with the quiet zone
    modules: int  # symbol width in modules, without the quiet zone

    @classmethod
    def make(cls, url: str) -> _QR:
        maker = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_BORDER)
        maker.add_data(url)
        maker.make(fit=True)
        matrix = tuple(tuple(bool(cell) for cell in row) for row in maker.get_matrix())
        return cls(matrix=matrix, modules=maker.modules_count)

    def size_for(self, symbol: float) -> float:
        """Drawn width (quiet zone included) for a symbol this wide."""
        return symbol * len(self.matrix) / self.modules

    def draw(self, canvas: Canvas, x: float, y: float, size: float) -> None:
        """Draw with the bottom-left corner of the quiet zone at (x, y)."""
        module = size / len(self.matrix)
        canvas.saveState()
        canvas.setFillColor(white)
        canvas.rect(x, y, size, size, stroke=0, fill=1)
        canvas.setFillColor(black)
        # One path: neighbouring squares render without hairline seams between them.
        path = canvas.beginPath()
        top = y + size
        for row_index, row in enumerate(self.matrix):
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                path.rect(
                    x + start * module,
                    top - (row_index + 1) * module,
                    (column - start) * module,
                    module,
                )
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


# ---------------------------------------------------------------------------------------------
# Blocks: things stacked down a page
# ---------------------------------------------------------------------------------------------


class _Block:
    """Something drawn with its top at a given y; pagination needs its height."""

    height: float
    space_before: float
    keep_with_next: bool

    def draw(self, canvas: Canvas, top: float) -> None:
        raise NotImplementedError

    def min_height(self) -> float:
        """The smallest first part that may end a page (the whole block, if it cannot split)."""
        return self.height

    def split(self, room: float) -> tuple[_Block, _Block] | None:
        """A first part at most room high and the rest, or None."""
        return None


@dataclass
class _Paragraph(_Block):
    """Wrapped lines in a frame; long ones split between pages, at least 2 lines each side."""

    lines: list[str]
    font: str
    size: float
    language: str
    frame: _Frame
    leading: float
    color: Color = black
    align: Align = "start"
    space_before: float = 0.0
    keep_with_next: bool = False
    marker: Marker | None = None  # drawn in the gap before the frame (see marker_x)
    marker_x: float = 0.0  # centre of the marker
    ltr: bool = False  # a URL: left to right also in Arabic, aligned to the reading start

    def __post_init__(self) -> None:
        self.height = block_height(len(self.lines), self.font, self.size, self.leading)

    def draw(self, canvas: Canvas, top: float) -> None:
        if self.marker is not None:
            self._draw_marker(canvas, top)
        if not self.lines:
            return
        language, align = self.language, self.align
        if self.ltr:
            language = "en"
            if align == "start" and self.frame.rtl:
                align = "end"
        canvas.setFillColor(self.color)
        draw_text_block(
            canvas,
            "\n".join(self.lines),
            x=self.frame.x,
            y=top,
            width=self.frame.width,
            font=self.font,
            size=self.size,
            leading=self.leading,
            language=language,
            align=align,
        )
        canvas.setFillColor(black)

    def _draw_marker(self, canvas: Canvas, top: float) -> None:
        canvas.saveState()
        canvas.setFillColor(GREEN)
        canvas.setStrokeColor(GREEN)
        ascent, _descent = line_box(self.font, self.size)
        middle = top - ascent + self.size * 0.36  # about half the x-height above the baseline
        if self.marker == "rule":
            canvas.setLineWidth(3)
            canvas.line(self.marker_x, top, self.marker_x, top - self.height)
        elif self.marker == "dot":
            canvas.circle(self.marker_x, middle, self.size * 0.17, stroke=0, fill=1)
        else:
            side = self.size * 0.42
            canvas.rect(self.marker_x - side / 2, middle - side / 2, side, side, stroke=0, fill=1)
        canvas.restoreState()

    def min_height(self) -> float:
        if len(self.lines) < 4:
            return self.height
        return block_height(2, self.font, self.size, self.leading)

    def split(self, room: float) -> tuple[_Block, _Block] | None:
        count = len(self.lines)
        if count < 4:
            return None
        fitting = 0
        while fitting < count and (
            block_height(fitting + 1, self.font, self.size, self.leading) <= room
        ):
            fitting += 1
        fitting = min(fitting, count - 2)
        if fitting < 2:
            return None
        tail_marker = "rule" if self.marker == "rule" else None
        head = replace(self, lines=self.lines[:fitting], keep_with_next=False)
        tail = replace(self, lines=self.lines[fitting:], space_before=0.0, marker=tail_marker)
        return head, tail


def _paragraph(
    text: str,
    font: str,
    size: float,
    language: str,
    frame: _Frame,
    *,
    leading: float | None = None,
    max_lines: int | None = None,
    **options: object,
) -> _Paragraph:
    """A _Paragraph of text wrapped to the frame (cut to max_lines with "…" if given).

    With ltr=True the text is a URL: wrapped at its slashes, left to right in every language.
    """
    if options.get("ltr"):
        lines = _url_lines(text, font, size, frame.width)
        if max_lines is not None and len(lines) > max_lines:
            lines = _shorten(" ".join(lines), font, size, frame.width, "en", max_lines)
    elif max_lines is None:
        lines = wrap_lines(text, font, size, frame.width, language)
    else:
        lines = _shorten(_one_line(text), font, size, frame.width, language, max_lines)
    return _Paragraph(
        lines=lines,
        font=font,
        size=size,
        language=language,
        frame=frame,
        leading=leading if leading is not None else _leading(size),
        **options,  # type: ignore[arg-type]
    )


@dataclass
class _Rule(_Block):
    frame: _Frame
    width: float = 1.0
    color: Color = black
    space_before: float = 0.0
    keep_with_next: bool = False
    space_after: float = 0.0

    def __post_init__(self) -> None:
        self.height = self.width + self.space_after

    def draw(self, canvas: Canvas, top: float) -> None:
        canvas.saveState()
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(self.width)
        y = top - self.width / 2
        canvas.line(self.frame.x, y, self.frame.x + self.frame.width, y)
        canvas.restoreState()


@dataclass(frozen=True)
class _Cell:
    first: int  # first and last column (reading order) the cell spans
    last: int
    lines: tuple[str, ...]
    font: str
    size: float
    align: Align = "start"


@dataclass(frozen=True)
class _TableRow:
    cells: tuple[_Cell, ...]
    height: float
    bar: int | None = None  # percent, drawn in the last column
    rule_width: float = 0.5
    rule_color: Color = GREY_RULE


CELL_PAD_X = 5.0
CELL_PAD_Y = 6.0
PAIR_GAP = 16.0  # between a label and its value in an action card


@dataclass
class _Table(_Block):
    """A figure as a table: label, count, percent and a bar; mirrored right to left."""

    frame: _Frame
    language: str
    widths: tuple[float, ...]  # reading order
    header: _TableRow
    rows: list[_TableRow]
    space_before: float = 0.0
    keep_with_next: bool = False

    def __post_init__(self) -> None:
        self.height = self.header.height + sum(row.height for row in self.rows)

    def span(self, first: int, last: int) -> tuple[float, float]:
        offset = sum(self.widths[:first])
        width = sum(self.widths[first : last + 1])
        return self.frame.box(offset, width), width

    def draw(self, canvas: Canvas, top: float) -> None:
        y = top
        for row in (self.header, *self.rows):
            self._draw_row(canvas, row, y)
            y -= row.height

    def _draw_row(self, canvas: Canvas, row: _TableRow, top: float) -> None:
        for cell in row.cells:
            x, width = self.span(cell.first, cell.last)
            draw_text_block(
                canvas,
                "\n".join(cell.lines),
                x=x + CELL_PAD_X,
                y=top - CELL_PAD_Y,
                width=width - 2 * CELL_PAD_X,
                font=cell.font,
                size=cell.size,
                leading=_leading(cell.size, 1.3),
                language=self.language,
                align=cell.align,
            )
        if row.bar is not None:
            self._draw_bar(canvas, row, top)
        bottom = top - row.height
        canvas.saveState()
        canvas.setStrokeColor(row.rule_color)
        canvas.setLineWidth(row.rule_width)
        canvas.line(self.frame.x, bottom, self.frame.x + self.frame.width, bottom)
        canvas.restoreState()

    def _draw_bar(self, canvas: Canvas, row: _TableRow, top: float) -> None:
        """A bar growing from the reading start: right to left in Arabic."""
        column = len(self.widths) - 1
        x, width = self.span(column, column)
        track = width - 2 * CELL_PAD_X
        size = row.cells[0].size
        ascent, _descent = line_box(REGULAR, size)
        height = size * 0.8
        middle = top - CELL_PAD_Y - ascent + size * 0.36
        bottom = middle - height / 2
        filled = track * max(0, min(100, row.bar or 0)) / 100
        start = x + CELL_PAD_X
        canvas.saveState()
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.6)
        canvas.rect(start, bottom, track, height, stroke=1, fill=0)
        if filled > 0:
            canvas.setFillColor(GREEN)
            left = start + track - filled if self.frame.rtl else start
            canvas.rect(left, bottom, filled, height, stroke=0, fill=1)
        canvas.restoreState()

    def min_height(self) -> float:
        if len(self.rows) < 4:
            return self.height
        return self.header.height + self.rows[0].height + self.rows[1].height

    def split(self, room: float) -> tuple[_Block, _Block] | None:
        count = len(self.rows)
        if count < 4:
            return None
        used, fitting = self.header.height, 0
        while fitting < count and used + self.rows[fitting].height <= room:
            used += self.rows[fitting].height
            fitting += 1
        fitting = min(fitting, count - 2)
        if fitting < 2:
            return None
        head = replace(self, rows=self.rows[:fitting], keep_with_next=False)
        tail = replace(self, rows=self.rows[fitting:], space_before=0.0)
        return head, tail  # the header is repeated on the next page


@dataclass
class _Pairs(_Block):
    """Label and value side by side, label at the reading start: owner, due date, status."""

    frame: _Frame
    language: str
    rows: list[tuple[list[str], list[str]]]
    label_width: float
    size: float
    space_before: float = 0.0
    keep_with_next: bool = False
    gap: float = 4.0

    def __post_init__(self) -> None:
        leading = _leading(self.size)
        self.height = sum(
            block_height(max(len(label), len(value)), BOLD, self.size, leading)
            for label, value in self.rows
        ) + self.gap * max(0, len(self.rows) - 1)

    def draw(self, canvas: Canvas, top: float) -> None:
        leading = _leading(self.size)
        value_frame = self.frame.inset(start=self.label_width)
        label_x = self.frame.box(0, self.label_width)
        y = top
        for label, value in self.rows:
            for lines, font, x, width in (
                (label, BOLD, label_x, self.label_width - PAIR_GAP),
                (value, REGULAR, value_frame.x, value_frame.width),
            ):
                if self.frame.rtl and font == BOLD:
                    x += PAIR_GAP
                draw_text_block(
                    canvas,
                    "\n".join(lines),
                    x=x,
                    y=y,
                    width=width,
                    font=font,
                    size=self.size,
                    leading=leading,
                    language=self.language,
                )
            y -= block_height(max(len(label), len(value)), BOLD, self.size, leading) + self.gap


def _pairs(
    pairs: Sequence[tuple[str, str]], size: float, language: str, frame: _Frame, **options: object
) -> _Pairs:
    """Label column as wide as the widest label (at most 40 % of the frame)."""
    label_width = min(
        max(text_width(label, BOLD, size, language) for label, _value in pairs) + PAIR_GAP + 2,
        frame.width * 0.4,
    )
    value_width = frame.width - label_width
    rows = [
        (
            wrap_lines(label, BOLD, size, label_width - PAIR_GAP, language),
            wrap_lines(value, REGULAR, size, value_width, language) or [""],
        )
        for label, value in pairs
    ]
    return _Pairs(
        frame=frame,
        language=language,
        rows=rows,
        label_width=label_width,
        size=size,
        **options,  # type: ignore[arg-type]
    )


@dataclass
class _QRBlock(_Block):
    """The QR code centred, the call to scan above it and the URL below it."""

    qr: _QR
    size: float
    frame: _Frame
    caption: _Paragraph
    url: _Paragraph
    space_before: float = 0.0
    keep_with_next: bool = False
    gap: float = 6.0

    def __post_init__(self) -> None:
        self.height = self.caption.height + self.size + self.url.height + 2 * self.gap

    def draw(self, canvas: Canvas, top: float) -> None:
        self.caption.draw(canvas, top)
        y = top - self.caption.height - self.gap
        self.qr.draw(
            canvas, self.frame.x + (self.frame.width - self.size) / 2, y - self.size, self.size
        )
        self.url.draw(canvas, y - self.size - self.gap)


@dataclass
class _QRBand(_Block):
    """The QR code at the reading end, texts beside it at the start, centred vertically."""

    qr: _QR
    size: float
    frame: _Frame
    texts: list[_Block]
    gap: float
    space_before: float = 0.0
    keep_with_next: bool = False

    def __post_init__(self) -> None:
        self.height = max(self.size, _stack_height(self.texts))

    def draw(self, canvas: Canvas, top: float) -> None:
        qr_x = self.frame.box(self.frame.width - self.size, self.size)
        self.qr.draw(canvas, qr_x, top - self.size - (self.height - self.size) / 2, self.size)
        texts = self.height - (self.height - _stack_height(self.texts)) / 2
        _draw_stack(canvas, self.texts, top - self.height + texts)

    @staticmethod
    def text_frame(frame: _Frame, size: float, gap: float) -> _Frame:
        return frame.inset(end=size + gap)


def _stack_height(blocks: Sequence[_Block]) -> float:
    return sum(
        block.height + (block.space_before if index else 0.0) for index, block in enumerate(blocks)
    )


def _draw_stack(canvas: Canvas, blocks: Sequence[_Block], top: float) -> float:
    """Draw blocks one under the other; returns the bottom of the last."""
    y = top
    for index, block in enumerate(blocks):
        if index:
            y -= block.space_before
        block.draw(canvas, y)
        y -= block.height
    return y


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

Page = list[tuple[float, _Block]]


class _Report:
    def __init__(self, doc: ReportDoc, texts: Mapping[str, str], qr: _QR) -> None:
        self.doc = doc
        self.texts = texts
        self.qr = qr
        self.language = doc.language
        self.frame = _Frame(R_MARGIN_X, R_CONTENT, is_rtl(doc.language))
        self.footer_qr = qr.size_for(R_FOOTER_QR)

    # Layout -------------------------------------------------------------------------------

    def blocks(self) -> list[_Block]:
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

    def _text(self, text: str, font: str, size: float, **options: object) -> _Paragraph:
        frame = options.pop("frame", self.frame)
        return _paragraph(text, font, size, self.language, frame, **options)  # type: ignore[arg-type]

    def _title(self) -> list[_Block]:
        doc = self.doc
        blocks: list[_Block] = []
        if doc.study.strip():
            blocks.append(self._text(doc.study, BOLD, R_KICKER, color=GREEN))
        blocks.append(
            self._text(doc.title, BOLD, R_TITLE, leading=_leading(R_TITLE, 1.2), space_before=8)
        )
        if doc.area.strip():
            blocks.append(self._text(doc.area, REGULAR, R_AREA, space_before=8))
        blocks.append(_Rule(self.frame, width=2.5, color=GREEN, space_before=14))
        return blocks

    def _h2(self, text: str) -> _Paragraph:
        return self._text(
            text,
            BOLD,
            R_H2,
            leading=_leading(R_H2, 1.25),
            color=GREEN,
            space_before=30,
            keep_with_next=True,
        )

    def _section(self, section: Section) -> list[_Block]:
        blocks: list[_Block] = [self._h2(section.heading)]
        for index, paragraph in enumerate(_paragraphs(section.body)):
            blocks.append(self._text(paragraph, REGULAR, R_BODY, space_before=12 if index else 10))
        return blocks

    def _figure(self, figure: Figure) -> list[_Block]:
        blocks: list[_Block] = [
            self._text(
                figure.title,
                BOLD,
                R_H3,
                leading=_leading(R_H3, 1.25),
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

    def _table(self, figure: Figure) -> _Table:
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

        def cell(first: int, last: int, text: str, font: str, align: Align = "start") -> _Cell:
            width = sum(widths[first : last + 1]) - 2 * CELL_PAD_X
            lines = tuple(wrap_lines(text, font, R_CELL, width, language))
            return _Cell(first, last, lines, font, R_CELL, align)

        def row(cells: Sequence[_Cell], bar: int | None = None, **rule: object) -> _TableRow:
            tallest = max(
                block_height(len(c.lines), c.font, c.size, _leading(c.size, 1.3)) for c in cells
            )
            return _TableRow(tuple(cells), tallest + 2 * CELL_PAD_Y, bar, **rule)  # type: ignore[arg-type]

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
        return _Table(self.frame, language, widths, header, rows)

    def _quote(self, quote: str) -> _Paragraph:
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
        return _paragraph(
            _one_line(quote),
            REGULAR,
            R_QUOTE,
            language,
            self.frame.inset(start=INDENT, end=INDENT),
            leading=_leading(R_QUOTE, 1.45),
            space_before=18,
            marker="rule",
            marker_x=self.frame.start_x(6),
        )

    def _action(self, action: ActionItem) -> list[_Block]:
        texts = self.texts
        blocks: list[_Block] = [
            _Rule(self.frame, width=0.8, space_before=22, keep_with_next=True, space_after=10),
            self._text(
                action.title,
                BOLD,
                R_H3,
                leading=_leading(R_H3, 1.25),
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
            blocks.append(_pairs(filled, R_BODY, self.language, self.frame, space_before=8))
        updates = [update for update in action.updates if update.strip()]
        if updates:
            blocks.append(self._text(texts["updates"], BOLD, R_BODY, space_before=10))
            for update in updates:
                blocks.append(
                    self._text(
                        _one_line(update),
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

    def _end(self) -> _Block:
        caption = self._text(self.texts["scan"], BOLD, R_H3, align="center")
        url = self._text(self.doc.url, REGULAR, R_SMALL, align="center", ltr=True)
        return _QRBlock(
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
        return block_height(1, REGULAR, R_SMALL, _leading(R_SMALL))

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

        def gap(block: _Block) -> float:
            return block.space_before if pages[-1] else 0.0

        def place(block: _Block) -> None:
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
        canvas.setStrokeColor(GREEN)
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
            leading=_leading(R_SMALL),
            language=language,
            align="end",
        )
        start = frame.inset(end=page_width + 16)
        if number != 1:
            title = _shorten(_one_line(self.doc.title), REGULAR, R_SMALL, start.width, language, 1)
            _paragraph("\n".join(title), REGULAR, R_SMALL, language, start).draw(
                canvas, R_MARGIN_BOTTOM + line
            )
            return
        size = self.footer_qr
        self.qr.draw(canvas, frame.box(0, size), R_MARGIN_BOTTOM, size)
        beside = start.inset(start=size + 10)
        texts: list[_Block] = [
            _paragraph(self.texts["scan"], BOLD, R_SMALL, language, beside, max_lines=2),
            _paragraph(self.doc.url, REGULAR, R_SMALL, language, beside, ltr=True, space_before=2),
        ]
        height = _stack_height(texts)
        _draw_stack(canvas, texts, R_MARGIN_BOTTOM + (size + height) / 2)


def _groups(blocks: Sequence[_Block]) -> Iterator[list[_Block]]:
    """Runs of blocks chained by keep_with_next."""
    group: list[_Block] = []
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
    def __init__(self, doc: ReportDoc, texts: Mapping[str, str], qr: _QR) -> None:
        self.doc, self.texts, self.qr = doc, texts, qr
        self.language = doc.language
        width, height = A4
        self.page_height = height
        self.frame = _Frame(F_MARGIN, width - 2 * F_MARGIN, is_rtl(doc.language))

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
            if _stack_height(blocks) <= room:
                break
        _draw_stack(canvas, blocks, top)
        rule_y = F_MARGIN + band.height + 12
        _Rule(self.frame, width=2, color=GREEN).draw(canvas, rule_y + 1)
        band.draw(canvas, F_MARGIN + band.height)

    def _text(self, text: str, font: str, size: float, **options: object) -> _Paragraph:
        frame = options.pop("frame", self.frame)
        return _paragraph(text, font, size, self.language, frame, **options)  # type: ignore[arg-type]

    def blocks(self, plan: _FlyerPlan) -> list[_Block]:
        doc, texts = self.doc, self.texts
        blocks: list[_Block] = []
        kicker = " · ".join(part.strip() for part in (doc.study, doc.area) if part.strip())
        if kicker:
            blocks.append(self._text(kicker, BOLD, F_KICKER, color=GREEN, max_lines=2))
        blocks.append(
            self._text(
                doc.title,
                BOLD,
                plan.title_size,
                leading=_leading(plan.title_size, 1.2),
                max_lines=3,
                space_before=8,
            )
        )
        blocks.append(_Rule(self.frame, width=2, color=GREEN, space_before=12))
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
            first = next(iter(_paragraphs(section.body)), "")
            if plan.point_lines and first:
                lines = _summary(
                    first, REGULAR, F_BODY, inner.width, self.language, plan.point_lines
                )
                blocks.append(
                    _Paragraph(
                        lines,
                        REGULAR,
                        F_BODY,
                        self.language,
                        inner,
                        _leading(F_BODY),
                        space_before=5,
                    )
                )
        if plan.actions:
            blocks.append(
                self._text(texts["actions"], BOLD, F_H2, color=GREEN, max_lines=2, space_before=20)
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

    def band(self) -> _QRBand:
        size = self.qr.size_for(F_QR)
        gap = 18.0
        frame = _QRBand.text_frame(self.frame, size, gap)
        texts: list[_Block] = [
            self._text(self.texts["scan"], BOLD, F_SCAN, frame=frame, max_lines=4),
            self._text(
                self.doc.url, REGULAR, F_BODY, frame=frame, ltr=True, max_lines=4, space_before=8
            ),
        ]
        return _QRBand(self.qr, size, self.frame, texts, gap)


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
    def __init__(self, doc: ReportDoc, texts: Mapping[str, str], qr: _QR) -> None:
        self.doc, self.texts, self.qr = doc, texts, qr
        self.language = doc.language
        width, height = A3
        self.page_height = height
        self.frame = _Frame(P_MARGIN, width - 2 * P_MARGIN, is_rtl(doc.language))

    def plans(self) -> Iterator[_PosterPlan]:
        """From the fullest poster to the most compact: a smaller title (still huge) before
        action titles cut short, those before fewer actions."""
        actions = min(MAX_POSTER_ACTIONS, len(self.doc.actions))
        for lines in (2, 1):
            for size in P_TITLES:
                yield _PosterPlan(size, actions, lines)
        for count in range(actions - 1, -1, -1):
            yield _PosterPlan(P_TITLES[-1], count, 1)

    def _text(self, text: str, font: str, size: float, **options: object) -> _Paragraph:
        frame = options.pop("frame", self.frame)
        return _paragraph(text, font, size, self.language, frame, **options)  # type: ignore[arg-type]

    def draw(self, canvas: Canvas) -> None:
        bottom = self.bottom()
        top = self.page_height - P_MARGIN
        room = top - P_MARGIN - _stack_height(bottom) - 30
        for plan in self.plans():
            blocks = self.blocks(plan)
            if _stack_height(blocks) <= room:
                break
        _draw_stack(canvas, blocks, top)
        _draw_stack(canvas, bottom, P_MARGIN + _stack_height(bottom))

    def blocks(self, plan: _PosterPlan) -> list[_Block]:
        doc, texts = self.doc, self.texts
        blocks: list[_Block] = []
        kicker = " · ".join(part.strip() for part in (doc.study, doc.area) if part.strip())
        if kicker:
            blocks.append(self._text(kicker, BOLD, P_KICKER, color=GREEN, max_lines=2))
        blocks.append(
            self._text(
                doc.title,
                BOLD,
                plan.title_size,
                leading=_leading(plan.title_size, 1.15),
                max_lines=3,
                space_before=14,
            )
        )
        blocks.append(_Rule(self.frame, width=4, color=GREEN, space_before=22))
        blocks.append(
            self._text(
                texts["poster_call"],
                BOLD,
                P_CALL,
                leading=_leading(P_CALL, 1.2),
                max_lines=3,
                space_before=26,
            )
        )
        if plan.actions:
            blocks.append(
                self._text(texts["actions"], BOLD, P_H2, color=GREEN, max_lines=2, space_before=36)
            )
            inner = self.frame.inset(start=34)
            for action in doc.actions[: plan.actions]:
                blocks.append(
                    self._text(
                        action.title,
                        BOLD,
                        P_ACTION,
                        frame=inner,
                        leading=_leading(P_ACTION, 1.25),
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

    def bottom(self) -> list[_Block]:
        """The green rule, the QR band with the call to scan, the URL in full."""
        size = self.qr.size_for(P_QR)
        gap = 28.0
        frame = _QRBand.text_frame(self.frame, size, gap)
        scan = self._text(
            self.texts["scan"], BOLD, P_H2, frame=frame, leading=_leading(P_H2, 1.25), max_lines=6
        )
        url_size = P_TEXT
        return [
            _Rule(self.frame, width=4, color=GREEN, space_after=14),
            _QRBand(self.qr, size, self.frame, [scan], gap),
            self._text(self.doc.url, REGULAR, url_size, ltr=True, max_lines=3, space_before=8),
        ]
