"""The page layout shared by fieldapp's printed documents (reports, flyers, posters,
statements, cards): page set-up, frames that mirror for right-to-left languages, paragraphs,
rules, tables, label-value pairs and QR blocks stacked down a page, each able to say its
height and, where it may, split between pages.

Low layer: imports only fieldapp.pdf.text (fonts, shaping, right-to-left lines) and
fieldapp.pdf.qr; every document lives in its own domain.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from reportlab.lib.colors import Color, HexColor, black
from reportlab.pdfgen.canvas import Canvas

from fieldapp.pdf.qr import QR
from fieldapp.pdf.text import (
    BOLD,
    REGULAR,
    Align,
    block_height,
    draw_text_block,
    line_box,
    set_metadata,
    text_width,
    wrap_lines,
)

ELLIPSIS = "\u2026"
ACCENT = HexColor("#0B5D3B")  # the one accent (dark green): headings, rules, bars and markers
GREY_RULE = HexColor("#767676")  # thin rules between table rows only

Marker = Literal["rule", "dot", "square"]


def required_texts(
    labels: Mapping[str, object], keys: Sequence[str], caller: str
) -> dict[str, str]:
    """The labels a document needs, stripped; ValueError naming the ones missing or empty."""
    # str() also accepts lazy translations (flask_babel.lazy_gettext).
    texts = {key: str(labels.get(key) or "").strip() for key in keys}
    missing = [key for key, value in texts.items() if not value]
    if missing:
        raise ValueError(f"{caller}: missing labels: " + ", ".join(missing))
    return texts


def new_canvas(
    buffer: io.BytesIO,
    pagesize: tuple[float, float],
    *,
    language: str,
    title: str,
    subject: str | None = None,
) -> Canvas:
    """A canvas in the document's language with its metadata set (title, /Lang, direction)."""
    canvas = Canvas(
        buffer,
        pagesize=pagesize,
        lang=language,
        initialFontName=REGULAR,  # no unused, unembedded Helvetica in the page resources
        pageCompression=1,
    )
    set_metadata(canvas, title=title, language=language, subject=subject)
    return canvas


def line_leading(size: float, factor: float = 1.4) -> float:
    return round(size * factor, 2)


def one_line(text: str) -> str:
    return " ".join(text.split())


def split_paragraphs(body: str) -> list[str]:
    """The paragraphs of a text with blank lines between them (single newlines are kept)."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"\n\s*\n", body)
    return [part.strip() for part in parts if part.strip()]


def shorten_lines(
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


def url_lines(url: str, font: str, size: float, width: float) -> list[str]:
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


@dataclass(frozen=True)
class Frame:
    """A column of the page: left edge, width, and the reading direction inside it."""

    x: float
    width: float
    rtl: bool

    def inset(self, start: float = 0.0, end: float = 0.0) -> Frame:
        """The frame narrowed at the reading start and end (right and left in Arabic)."""
        left, right = (end, start) if self.rtl else (start, end)
        return Frame(self.x + left, self.width - left - right, self.rtl)

    def box(self, offset: float, width: float) -> float:
        """Left x of a box of this width, offset from the reading start."""
        if self.rtl:
            return self.x + self.width - offset - width
        return self.x + offset

    def span(self, widths: Sequence[float], first: int, last: int) -> tuple[float, float]:
        """(left x, width) of columns first..last (widths in reading order) in this frame."""
        offset = sum(widths[:first])
        width = sum(widths[first : last + 1])
        return self.box(offset, width), width

    def start_x(self, offset: float = 0.0) -> float:
        """The x at this distance from the reading start edge."""
        return self.x + self.width - offset if self.rtl else self.x + offset


# ---------------------------------------------------------------------------------------------
# Blocks: things stacked down a page
# ---------------------------------------------------------------------------------------------


class Block:
    """Something drawn with its top at a given y; pagination needs its height."""

    height: float
    space_before: float
    keep_with_next: bool

    def draw(self, canvas: Canvas, top: float) -> None:
        raise NotImplementedError

    def min_height(self) -> float:
        """The smallest first part that may end a page (the whole block, if it cannot split)."""
        return self.height

    def split(self, room: float) -> tuple[Block, Block] | None:
        """A first part at most room high and the rest, or None."""
        return None


@dataclass
class Paragraph(Block):
    """Wrapped lines in a frame; long ones split between pages, at least 2 lines each side."""

    lines: list[str]
    font: str
    size: float
    language: str
    frame: Frame
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
        canvas.setFillColor(ACCENT)
        canvas.setStrokeColor(ACCENT)
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

    def split(self, room: float) -> tuple[Block, Block] | None:
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


def make_paragraph(
    text: str,
    font: str,
    size: float,
    language: str,
    frame: Frame,
    *,
    leading: float | None = None,
    max_lines: int | None = None,
    **options: object,
) -> Paragraph:
    """A Paragraph of text wrapped to the frame (cut to max_lines with "…" if given).

    With ltr=True the text is a URL: wrapped at its slashes, left to right in every language.
    """
    if options.get("ltr"):
        lines = url_lines(text, font, size, frame.width)
        if max_lines is not None and len(lines) > max_lines:
            lines = shorten_lines(" ".join(lines), font, size, frame.width, "en", max_lines)
    elif max_lines is None:
        lines = wrap_lines(text, font, size, frame.width, language)
    else:
        lines = shorten_lines(one_line(text), font, size, frame.width, language, max_lines)
    return Paragraph(
        lines=lines,
        font=font,
        size=size,
        language=language,
        frame=frame,
        leading=leading if leading is not None else line_leading(size),
        **options,  # type: ignore[arg-type]
    )


@dataclass
class Rule(Block):
    frame: Frame
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
class Cell:
    first: int  # first and last column (reading order) the cell spans
    last: int
    lines: tuple[str, ...]
    font: str
    size: float
    align: Align = "start"


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Cell, ...]
    height: float
    bar: int | None = None  # percent, drawn in the last column
    rule_width: float = 0.5
    rule_color: Color = GREY_RULE


CELL_PAD_X = 5.0
CELL_PAD_Y = 6.0
PAIR_GAP = 16.0  # between a label and its value in an action card


@dataclass
class Table(Block):
    """A figure as a table: label, count, percent and a bar; mirrored right to left."""

    frame: Frame
    language: str
    widths: tuple[float, ...]  # reading order
    header: TableRow
    rows: list[TableRow]
    space_before: float = 0.0
    keep_with_next: bool = False

    def __post_init__(self) -> None:
        self.height = self.header.height + sum(row.height for row in self.rows)

    def span(self, first: int, last: int) -> tuple[float, float]:
        return self.frame.span(self.widths, first, last)

    def draw(self, canvas: Canvas, top: float) -> None:
        y = top
        for row in (self.header, *self.rows):
            self._draw_row(canvas, row, y)
            y -= row.height

    def _draw_row(self, canvas: Canvas, row: TableRow, top: float) -> None:
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
                leading=line_leading(cell.size, 1.3),
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

    def _draw_bar(self, canvas: Canvas, row: TableRow, top: float) -> None:
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
            canvas.setFillColor(ACCENT)
            left = start + track - filled if self.frame.rtl else start
            canvas.rect(left, bottom, filled, height, stroke=0, fill=1)
        canvas.restoreState()

    def min_height(self) -> float:
        if len(self.rows) < 4:
            return self.height
        return self.header.height + self.rows[0].height + self.rows[1].height

    def split(self, room: float) -> tuple[Block, Block] | None:
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
class Pairs(Block):
    """Label and value side by side, label at the reading start: owner, due date, status."""

    frame: Frame
    language: str
    rows: list[tuple[list[str], list[str]]]
    label_width: float
    size: float
    space_before: float = 0.0
    keep_with_next: bool = False
    gap: float = 4.0

    def __post_init__(self) -> None:
        leading = line_leading(self.size)
        self.height = sum(
            block_height(max(len(label), len(value)), BOLD, self.size, leading)
            for label, value in self.rows
        ) + self.gap * max(0, len(self.rows) - 1)

    def draw(self, canvas: Canvas, top: float) -> None:
        leading = line_leading(self.size)
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


def make_pairs(
    pairs: Sequence[tuple[str, str]], size: float, language: str, frame: Frame, **options: object
) -> Pairs:
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
    return Pairs(
        frame=frame,
        language=language,
        rows=rows,
        label_width=label_width,
        size=size,
        **options,  # type: ignore[arg-type]
    )


@dataclass
class QRBlock(Block):
    """The QR code centred, the call to scan above it and the URL below it."""

    qr: QR
    size: float
    frame: Frame
    caption: Paragraph
    url: Paragraph
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
class QRBand(Block):
    """The QR code at the reading end, texts beside it at the start, centred vertically."""

    qr: QR
    size: float
    frame: Frame
    texts: list[Block]
    gap: float
    space_before: float = 0.0
    keep_with_next: bool = False

    def __post_init__(self) -> None:
        self.height = max(self.size, stack_height(self.texts))

    def draw(self, canvas: Canvas, top: float) -> None:
        qr_x = self.frame.box(self.frame.width - self.size, self.size)
        self.qr.draw(canvas, qr_x, top - self.size - (self.height - self.size) / 2, self.size)
        texts = self.height - (self.height - stack_height(self.texts)) / 2
        draw_stack(canvas, self.texts, top - self.height + texts)

    @staticmethod
    def text_frame(frame: Frame, size: float, gap: float) -> Frame:
        return frame.inset(end=size + gap)


def stack_height(blocks: Sequence[Block]) -> float:
    return sum(
        block.height + (block.space_before if index else 0.0) for index, block in enumerate(blocks)
    )


def draw_stack(canvas: Canvas, blocks: Sequence[Block], top: float) -> float:
    """Draw blocks one under the other; returns the bottom of the last."""
    y = top
    for index, block in enumerate(blocks):
        if index:
            y -= block.space_before
        block.draw(canvas, y)
        y -= block.height
    return y


@dataclass
class Spacer(Block):
    """Empty room of a given height."""

    height: float
    space_before: float = 0.0
    keep_with_next: bool = False

    def draw(self, canvas: Canvas, top: float) -> None:
        return None


Page = list[tuple[float, Block]]


def draw_pages(
    canvas: Canvas, pages: Sequence[Page], footer: Callable[[Canvas, int, int], None]
) -> None:
    """Draw each page's placed blocks and its footer ("page n of m" is the caller's)."""
    for number, page in enumerate(pages, start=1):
        canvas.setFillColor(black)
        canvas.setStrokeColor(black)
        for top, block in page:
            block.draw(canvas, top)
        footer(canvas, number, len(pages))
        canvas.showPage()
