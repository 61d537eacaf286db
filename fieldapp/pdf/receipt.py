"""The printable A6 participant card: study, participant code, contact and a QR code."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from reportlab.lib.colors import black, white
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from fieldapp.pdf.layout import line_leading, new_canvas, required_texts
from fieldapp.pdf.qr import QR
from fieldapp.pdf.text import (
    BOLD,
    REGULAR,
    block_height,
    draw_text_block,
    isolate,
    keep_numbers_together,
    line_box,
    register_fonts,
    wrap_lines,
)

REQUIRED_LABELS = ("heading", "contact", "scan", "keep")

# Defaults for tests and previews only; real callers pass translated labels.
DEFAULT_LABELS: dict[str, str] = {
    "heading": "Your participant card",
    "contact": "Questions? Contact:",
    "scan": "Scan to see what you agreed to, read the results or withdraw",
    "keep": "Keep this card. Your name is not on it.",
}

PAGE_WIDTH, PAGE_HEIGHT = A6
MARGIN = 8 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_MIN_SYMBOL = 30 * mm  # the symbol without its quiet zone
QR_PREFERRED = 48 * mm  # the image with its quiet zone, when the page has room
CODE_TRACKING = 0.2  # extra space between the code's characters, in ems
RULE = 1.2  # line width of rules and the code frame, in points
LEADING = 1.25  # line height, as a multiple of the font size


@dataclass(frozen=True)
class _Style:
    """Font sizes (points) of one layout attempt; later attempts are more compact."""

    heading: float
    title: float
    code: float
    body: float
    footnote: float
    gap: float


# Largest first. Minimums: code 20 pt, all other text 10 pt.
_STYLES = (
    _Style(heading=17, title=13, code=28, body=11.5, footnote=10.5, gap=9),
    _Style(heading=15, title=12, code=24, body=11, footnote=10, gap=7),
    _Style(heading=13, title=11, code=22, body=10, footnote=10, gap=5),
    _Style(heading=12, title=10, code=20, body=10, footnote=10, gap=4),
)


class CardOverflowError(ValueError):
    """The texts are too long to fit on one A6 card at readable sizes."""


def render_receipt(
    *,
    code: str,
    study_title: str,
    contact: str,
    url: str,
    language: str,
    labels: Mapping[str, str],
) -> bytes:
    """Render the one-page A6 participant card and return the PDF bytes.

    labels (translated by the caller into `language`): "heading", "contact" (followed by the
    contact value), "scan" (under the QR code) and "keep" (the footnote). The QR code encodes
    exactly `url`. Raises CardOverflowError when the texts cannot fit at readable sizes.
    """
    texts = required_texts(labels, REQUIRED_LABELS, "render_receipt")
    code = code.strip()
    if not code or not code.isascii():
        raise ValueError("render_receipt: the participant code must be non-empty ASCII")
    if not url:
        raise ValueError("render_receipt: the URL for the QR code is empty")
    study_title, contact = study_title.strip(), contact.strip()
    register_fonts()
    qr = QR.make(url)
    for style in _STYLES:
        layout = _Layout.fit(style, code, study_title, contact, language, texts, qr)
        if layout is not None:
            break
    else:
        raise CardOverflowError("The texts do not fit on an A6 participant card")

    buffer = io.BytesIO()
    title = " – ".join(part for part in (texts["heading"], study_title) if part)
    canvas = new_canvas(buffer, A6, language=language, title=title)
    layout.draw(canvas, code, study_title, contact, language, texts, qr)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _contact_text(label: str, contact: str) -> str:
    # Isolated, a phone number such as "+31 6 1234 5678" stays in order inside Arabic, and
    # is not split over two lines.
    return f"{label} {isolate(keep_numbers_together(contact))}"


@dataclass(frozen=True)
class _Layout:
    style: _Style
    qr_size: float
    top_height: float  # heading, title, rule and code frame
    contact_height: float
    scan_height: float
    keep_height: float

    @classmethod
    def fit(
        cls,
        style: _Style,
        code: str,
        study_title: str,
        contact: str,
        language: str,
        labels: Mapping[str, str],
        qr: QR,
    ) -> _Layout | None:
        """The layout at this style, or None when it does not fit on the page."""
        if _code_width(code, style.code) > CONTENT_WIDTH - 2 * style.gap:
            return None

        def height(text: str, font: str, size: float) -> float:
            lines = wrap_lines(text, font, size, CONTENT_WIDTH, language)
            return block_height(len(lines), font, size, line_leading(size, LEADING))

        top = (
            height(labels["heading"], BOLD, style.heading)
            + style.gap / 2
            + height(study_title, REGULAR, style.title)
            + style.gap
            + _code_frame_height(style)
        )
        contact_height = height(_contact_text(labels["contact"], contact), REGULAR, style.body)
        scan = height(labels["scan"], REGULAR, style.body)
        keep = height(labels["keep"], BOLD, style.footnote)
        fixed = top + contact_height + scan + keep + 5 * style.gap + RULE
        room = PAGE_HEIGHT - 2 * MARGIN - fixed
        # Preferred size, but never a symbol under 30 mm.
        smallest = qr.size_for(QR_MIN_SYMBOL)
        qr_size = min(max(QR_PREFERRED, smallest), room)
        if qr_size < smallest:
            return None
        return cls(style, qr_size, top, contact_height, scan, keep)

    def draw(
        self,
        canvas: Canvas,
        code: str,
        study_title: str,
        contact: str,
        language: str,
        labels: Mapping[str, str],
        qr: QR,
    ) -> None:
        style = self.style
        canvas.setFillColor(black)
        canvas.setStrokeColor(black)
        box = {"x": MARGIN, "width": CONTENT_WIDTH, "language": language}

        # Top, flowing down: heading, study title, the code in a frame, the contact line.
        y = PAGE_HEIGHT - MARGIN
        y = draw_text_block(
            canvas,
            labels["heading"],
            y=y,
            font=BOLD,
            size=style.heading,
            leading=line_leading(style.heading, LEADING),
            **box,
        )
        y = draw_text_block(
            canvas,
            study_title,
            y=y - style.gap / 2,
            font=REGULAR,
            size=style.title,
            leading=line_leading(style.title, LEADING),
            **box,
        )
        y = _draw_code(canvas, code, style, top=y - style.gap)
        y = draw_text_block(
            canvas,
            _contact_text(labels["contact"], contact),
            y=y - style.gap,
            font=REGULAR,
            size=style.body,
            leading=line_leading(style.body, LEADING),
            **box,
        )

        # Bottom, flowing up: a rule, then the footnote.
        keep_top = MARGIN + self.keep_height
        draw_text_block(
            canvas,
            labels["keep"],
            y=keep_top,
            font=BOLD,
            size=style.footnote,
            leading=line_leading(style.footnote, LEADING),
            **box,
        )
        rule_y = keep_top + style.gap
        canvas.setLineWidth(RULE)
        canvas.line(MARGIN, rule_y, PAGE_WIDTH - MARGIN, rule_y)

        # Between them, centred vertically: the QR code and the line telling what it is for.
        free_top = y - style.gap
        free_bottom = rule_y + style.gap
        group = self.qr_size + style.gap / 2 + self.scan_height
        group_top = free_top - max(0.0, (free_top - free_bottom - group) / 2)
        qr.draw(canvas, (PAGE_WIDTH - self.qr_size) / 2, group_top - self.qr_size, self.qr_size)
        draw_text_block(
            canvas,
            labels["scan"],
            y=group_top - self.qr_size - style.gap / 2,
            font=REGULAR,
            size=style.body,
            leading=line_leading(style.body, LEADING),
            **box,
        )


def _code_width(code: str, size: float) -> float:
    tracking = CODE_TRACKING * size
    return pdfmetrics.stringWidth(code, BOLD, size) + tracking * (len(code) - 1)


def _code_frame_height(style: _Style) -> float:
    ascent, _descent = line_box(BOLD, style.code)
    return ascent + 2 * style.gap + 2 * RULE


def _draw_code(canvas: Canvas, code: str, style: _Style, *, top: float) -> float:
    """The code, large and letter-spaced, centred in a frame; returns the frame's bottom.

    The code is always Latin letters and digits, drawn left to right in every language. The
    tracking is uniform so text extraction (and copy and paste) still yields the code intact.
    """
    height = _code_frame_height(style)
    bottom = top - height
    # The character spacing (PDF Tc) outlives the text object; the state restore resets it.
    canvas.saveState()
    canvas.setLineWidth(RULE)
    canvas.setStrokeColor(black)
    canvas.setFillColor(white)
    canvas.rect(MARGIN, bottom, CONTENT_WIDTH, height, stroke=1, fill=1)
    canvas.setFillColor(black)
    # Capital letters and digits have no descenders: centre the cap height in the frame.
    cap_height = pdfmetrics.getFont(BOLD).face.capHeight * style.code / 1000
    text = canvas.beginText()
    text.setFont(BOLD, style.code)
    text.setCharSpace(CODE_TRACKING * style.code)
    text.setTextOrigin(
        (PAGE_WIDTH - _code_width(code, style.code)) / 2, bottom + (height - cap_height) / 2
    )
    text.textOut(code)
    canvas.drawText(text)
    canvas.restoreState()
    return bottom
