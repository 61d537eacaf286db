"""Fonts, line wrapping, right-to-left shaping and metadata for reportlab canvases."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Literal

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LIGATURES
from arabic_reshaper.reshaper_config import default_config
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from fieldapp.i18n import language as language_info

FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
REGULAR = "FieldSans"
BOLD = "FieldSans-Bold"
_FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

Align = Literal["start", "center", "end"]

# Explicit bidi controls (LRM, RLM, embeddings, overrides, isolates). They steer get_display()
# but have no glyph in the font, so they are removed from the text that is drawn or measured.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, presentation forms).
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# Break opportunities: any whitespace except the no-break spaces (U+00A0, U+2007, U+202F).
_SPACES = re.compile("[^\\S\u00a0\u2007\u202f]+")
# Digits with separators between them, optionally after "+" or "(": phone numbers, mostly.
_NUMBER_RUN = re.compile("[+(]?\\d(?:[\\d()./\u00a0 -]*\\d)?")
LEFT_TO_RIGHT_ISOLATE = "\u2066"
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def register_fonts() -> None:
    """Register FieldSans and FieldSans-Bold from fieldapp/data/fonts (safe to call often)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FONT_FILES.items():
        if name not in registered:
            # reportlab embeds TrueType fonts as subsets holding only the glyphs used.
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


def is_rtl(language: str) -> bool:
    """True for interface languages written right to left (Arabic)."""
    return language_info(language.split("-")[0].lower()).direction == "rtl"


def first_strong_direction(value: str) -> str | None:
    """ "ltr" or "rtl" after the first letter with a strong direction (as dir="auto" in
    HTML), None when there is none (only digits and punctuation)."""
    for char in value:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def isolate(value: str) -> str:
    """Wrap a value (a name, an address) so its direction does not mix with the sentence.

    The value's own first strong letter decides its direction, and neighbouring punctuation
    stays with the sentence. For phone numbers also use keep_numbers_together(): without it,
    "+31 6 1234 5678" inside Arabic comes out as "5678 1234 6 31+".
    """
    return FIRST_STRONG_ISOLATE + value + POP_DIRECTIONAL_ISOLATE


def keep_numbers_together(text: str) -> str:
    """Keep phone-number-like runs ("+31 6 1234 5678", "06-1234 5678") whole and in order.

    Their spaces become no-break spaces, so wrapping never splits them, and each run is
    isolated left to right, so bidi reordering inside Arabic keeps the groups in order.
    """

    def protect(match: re.Match[str]) -> str:
        number = match.group(0).replace(" ", "\u00a0")
        return LEFT_TO_RIGHT_ISOLATE + number + POP_DIRECTIONAL_ISOLATE

    return _NUMBER_RUN.sub(protect, text)


@cache
def _reshaper() -> ArabicReshaper:
    """An Arabic reshaper that only emits ligatures the shipped font has glyphs for."""
    register_fonts()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    config = dict(default_config)
    for name, (_pattern, forms) in LIGATURES:
        if any(form and ord(form) not in glyphs for form in forms):
            config[name] = False
    return ArabicReshaper(configuration=config)


def _needs_bidi(line: str, language: str) -> bool:
    return is_rtl(language) or bool(_RTL_CHARS.search(line))


def _shaped(line: str, language: str) -> str:
    """The line with contextual Arabic letter forms, still in logical order."""
    if _needs_bidi(line, language):
        line = _reshaper().reshape(line)
    return _BIDI_CONTROLS.sub("", line)


def visual(line: str, language: str) -> str:
    """The glyph order to draw for one already wrapped line.

    RTL languages: Arabic letters shaped into joined forms, then reordered right to left with
    numbers and Latin words kept left to right. Other languages: unchanged (an RTL word inside,
    such as an Arabic name on a Dutch card, is still shaped and reordered).
    """
    if not _needs_bidi(line, language):
        return _BIDI_CONTROLS.sub("", line)
    base_dir = "R" if is_rtl(language) else "L"
    shown = _BIDI_CONTROLS.sub("", get_display(_reshaper().reshape(line), base_dir=base_dir))
    return _mirror_reversed_brackets(shown)


_MIRROR = {")": "(", "]": "[", "}": "{"}


def _mirror_reversed_brackets(shown: str) -> str:
    """python-bidi 0.6 reorders right-to-left runs without mirroring brackets, so "(2026)" in
    Arabic comes out as ")2026(". A pair that reads closing-then-opening in visual order was
    reversed: swap it. Pairs that read the right way round (Latin text) stay as they are."""
    chars = list(shown)
    waiting: dict[str, list[int]] = {closing: [] for closing in _MIRROR}
    for index, char in enumerate(chars):
        if char in _MIRROR:
            waiting[char].append(index)
        else:
            for closing, opening in _MIRROR.items():
                if char == opening and waiting[closing]:
                    start = waiting[closing].pop()
                    chars[start], chars[index] = opening, closing
                    break
    return "".join(chars)


def text_width(line: str, font: str, size: float, language: str) -> float:
    """Width in points of one line as it will be drawn."""
    register_fonts()
    return pdfmetrics.stringWidth(_shaped(line, language), font, size)


def wrap_lines(text: str, font: str, size: float, width: float, language: str) -> list[str]:
    """Wrap text in logical order so each line fits width points once shaped.

    Newlines start a new paragraph (a blank line stays as an empty line; leading and trailing
    blank lines are dropped). Lines break at spaces, never at no-break spaces; words longer
    than a line are broken between characters.
    """
    lines: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return lines
    for paragraph in text.split("\n"):
        words = _SPACES.split(paragraph.strip())
        if words == [""]:
            lines.append("")
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, font, size, language) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _break_word(word, font, size, width, language)
            lines.extend(pieces[:-1])
            current = pieces[-1]
        lines.append(current)
    return lines


def _break_word(word: str, font: str, size: float, width: float, language: str) -> list[str]:
    """Split a word into pieces that fit width (at least one character per piece)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, font, size, language) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


def line_box(font: str, size: float) -> tuple[float, float]:
    """(ascent, descent) in points below/above a baseline; descent is positive."""
    register_fonts()
    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    return ascent, -descent


def block_height(lines: int, font: str, size: float, leading: float) -> float:
    """Height of a block drawn by draw_text_block with this many lines."""
    if lines <= 0:
        return 0.0
    ascent, descent = line_box(font, size)
    return ascent + (lines - 1) * leading + descent


def draw_text_block(
    canvas: Canvas,
    text: str,
    *,
    x: float,
    y: float,
    width: float,
    font: str,
    size: float,
    leading: float,
    language: str,
    align: Align = "start",
) -> float:
    """Draw wrapped text in the box starting at x (left edge) with its top at y.

    "start" aligns to the reading start: right for RTL languages, left otherwise; "end" the
    opposite; "center" centres each line. Returns the y of the bottom of the block (below the
    descenders of the last line), ready for the next block.
    """
    register_fonts()
    lines = wrap_lines(text, font, size, width, language)
    if not lines:
        return y
    ascent, descent = line_box(font, size)
    right = is_rtl(language) if align == "start" else not is_rtl(language)
    canvas.setFont(font, size)
    baseline = y - ascent
    for index, line in enumerate(lines):
        baseline = y - ascent - index * leading
        glyphs = visual(line, language)
        if align == "center":
            canvas.drawCentredString(x + width / 2, baseline, glyphs)
        elif right:
            canvas.drawRightString(x + width, baseline, glyphs)
        else:
            canvas.drawString(x, baseline, glyphs)
    return baseline - descent


def set_metadata(
    canvas: Canvas,
    *,
    title: str,
    language: str,
    author: str = "fieldapp",
    subject: str | None = None,
) -> None:
    """Set the document title, author, subject and catalog /Lang (read by screen readers).

    reportlab 5 has no Canvas.setLang(); its public way is Canvas(..., lang=...), which only
    works when the canvas is created. For an existing canvas the language goes on the same
    document catalog object that the constructor argument fills in.
    """
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("fieldapp")
    if subject:
        canvas.setSubject(subject)
    canvas._doc.Catalog.Lang = PDFString(language)
    # Viewers show the title, not the file name, in their title bar (PDF/UA asks for this).
    canvas.setViewerPreference("DisplayDocTitle", "true")
    if is_rtl(language):
        # Page order for viewers showing pages side by side.
        canvas.setViewerPreference("Direction", "R2L")
