"""Text for PDFs: shipped fonts, wrapping, Arabic shaping and order, alignment, metadata."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from arabic_reshaper import reshape
from reportlab.lib.pagesizes import A6
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from fieldapp.pdf import text
from fieldapp.pdf.text import (
    BOLD,
    FONT_DIR,
    REGULAR,
    draw_text_block,
    is_rtl,
    isolate,
    keep_numbers_together,
    register_fonts,
    set_metadata,
    text_width,
    visual,
    wrap_lines,
)
from tests.pdf import poppler

ARABIC = "امسح الرمز لترى ما وافقت عليه أو لتقرأ النتائج أو لتنسحب"
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def test_fonts_are_shipped_with_their_licence() -> None:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert (FONT_DIR / name).is_file(), name
    licence = (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence
    assert "DejaVu changes are in public domain" in licence


def test_register_fonts_is_idempotent_and_uses_the_shipped_files() -> None:
    register_fonts()
    register_fonts()
    for name, filename in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        font = pdfmetrics.getFont(name)
        assert font.face.filename == str(FONT_DIR / filename)
        assert pdfmetrics.getRegisteredFontNames().count(name) == 1


@pytest.mark.parametrize(
    ("language", "rtl"),
    [("nl", False), ("en", False), ("ar", True), ("tr", False), ("pl", False), ("uk", False)],
)
def test_is_rtl(language: str, rtl: bool) -> None:
    assert is_rtl(language) is rtl


def test_is_rtl_accepts_a_region() -> None:
    assert is_rtl("ar-MA")


@pytest.mark.parametrize("language", ["nl", "ar", "uk"])
def test_wrapped_lines_fit_and_keep_every_word(language: str) -> None:
    sample = {
        "nl": "Scan om te zien waarmee je hebt ingestemd, de resultaten te lezen of je af "
        "te melden",
        "ar": ARABIC,
        "uk": "Скануйте, щоб побачити, на що ви погодилися, прочитати результати",
    }[language]
    lines = wrap_lines(sample, REGULAR, 11, 120, language)
    assert len(lines) > 1
    assert " ".join(lines) == sample  # logical order, nothing lost or reordered
    for line in lines:
        assert text_width(line, REGULAR, 11, language) <= 120


def test_arabic_width_is_measured_after_shaping() -> None:
    line = "لتقرأ النتائج"
    shaped = pdfmetrics.stringWidth(reshape(line), REGULAR, 11)
    assert text_width(line, REGULAR, 11, "ar") == pytest.approx(shaped)
    assert shaped != pytest.approx(pdfmetrics.stringWidth(line, REGULAR, 11))


def test_newlines_are_paragraph_breaks() -> None:
    lines = wrap_lines("Eerste regel\n\nTweede\r\nDerde\n", REGULAR, 10, 200, "nl")
    assert lines == ["Eerste regel", "", "Tweede", "Derde"]


def test_empty_text_has_no_lines() -> None:
    assert wrap_lines(" \n ", REGULAR, 10, 200, "nl") == []


def test_no_break_spaces_are_kept_together() -> None:
    lines = wrap_lines("Bel 06\u00a01234\u00a05678 voor vragen", REGULAR, 10, 90, "nl")
    assert len(lines) > 1
    assert any("06\u00a01234\u00a05678" in line for line in lines)


def test_over_long_words_are_broken() -> None:
    word = "Ontwikkelingssamenwerkingsorganisatie"
    lines = wrap_lines(word, BOLD, 12, 80, "nl")
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(text_width(line, BOLD, 12, "nl") <= 80 for line in lines)


def test_visual_leaves_left_to_right_text_alone() -> None:
    assert visual("Twoja karta: żółć, Картка", "pl") == "Twoja karta: żółć, Картка"


def test_visual_joins_and_reverses_arabic() -> None:
    line = "بطاقة المشارك"
    shown = visual(line, "ar")
    assert PRESENTATION_FORMS.search(shown)
    assert shown == reshape(line)[::-1]


def test_numbers_and_latin_inside_arabic_stay_left_to_right() -> None:
    shown = visual("رمزك K7Q-3MX4 منذ 2024", "ar")
    assert "K7Q-3MX4" in shown
    assert "2024" in shown
    # Read right to left: the first word is at the right end, 2024 (the last) at the left.
    assert shown.startswith("2024")
    assert shown.endswith(reshape("رمزك")[::-1])


def test_isolated_phone_number_keeps_its_order_in_arabic() -> None:
    phone = "+31 6 1234 5678"
    assert "5678 1234 6 31+" in visual("اتصل: " + phone, "ar")  # why isolate() exists
    shown = visual("اتصل: " + isolate(phone), "ar")
    assert phone in shown
    assert not re.search("[\u2066-\u2069]", shown)  # controls have no glyph: removed


@pytest.mark.parametrize("phone", ["+31 6 1234 5678", "06-1234 5678", "(045) 123 45 67"])
def test_phone_numbers_stay_whole_and_in_order(phone: str) -> None:
    protected = keep_numbers_together(phone)
    assert protected.count("\u2066") == 1  # one left-to-right isolate around the number
    shown = visual("اتصل بسميرة على " + protected + " أو عبر البريد", "ar")
    assert phone.replace(" ", "\u00a0") in shown
    lines = wrap_lines("Bel " + protected + " voor vragen", REGULAR, 10, 110, "nl")
    assert any(phone.replace(" ", "\u00a0") in line for line in lines), lines


def test_arabic_inside_a_left_to_right_language_is_still_shaped() -> None:
    shown = visual("Contact: سميرة", "nl")
    assert shown.startswith("Contact: ")
    assert shown.endswith(reshape("سميرة")[::-1])


def test_no_ligatures_the_font_cannot_draw() -> None:
    register_fonts()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    shown = visual("الله أكبر، لا إله", "ar")
    assert all(ord(char) in glyphs for char in shown if not char.isspace())


def _block_pdf(language: str, align: text.Align) -> tuple[bytes, float]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A6, initialFontName=REGULAR)
    bottom = draw_text_block(
        canvas,
        ARABIC if language == "ar" else "Scan om te zien waarmee je hebt ingestemd",
        x=20,
        y=400,
        width=200,
        font=REGULAR,
        size=12,
        leading=15,
        language=language,
        align=align,
    )
    set_metadata(canvas, title="Proef", language=language, subject="Onderwerp")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), bottom


def test_draw_text_block_returns_the_bottom_of_the_block() -> None:
    _pdf, bottom = _block_pdf("ar", "start")
    lines = len(wrap_lines(ARABIC, REGULAR, 12, 200, "ar"))
    ascent, descent = text.line_box(REGULAR, 12)
    assert bottom == pytest.approx(400 - ascent - (lines - 1) * 15 - descent)
    assert text.block_height(lines, REGULAR, 12, 15) == pytest.approx(400 - bottom)


def test_set_metadata_sets_title_author_subject_and_language() -> None:
    pdf, _bottom = _block_pdf("ar", "start")
    assert b"/Lang (ar)" in pdf
    assert b"/Title (Proef)" in pdf
    assert b"/Author (fieldapp)" in pdf
    assert b"/Subject (Onderwerp)" in pdf
    assert b"/Direction /R2L" in pdf


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize(
    ("language", "align", "side"),
    [
        ("ar", "start", "right"),
        ("ar", "end", "left"),
        ("nl", "start", "left"),
        ("nl", "end", "right"),
        ("ar", "center", "center"),
    ],
)
def test_alignment_follows_the_reading_direction(
    tmp_path: Path, language: str, align: text.Align, side: str
) -> None:
    pdf, _bottom = _block_pdf(language, align)
    path = tmp_path / "block.pdf"
    path.write_bytes(pdf)
    words = poppler.words(path)
    first_line = min(word.y_min for word in words)
    line = [word for word in words if abs(word.y_min - first_line) < 1]
    left = min(word.x_min for word in line)
    right = max(word.x_max for word in line)
    if side == "right":
        assert right == pytest.approx(220, abs=0.5)
    elif side == "left":
        assert left == pytest.approx(20, abs=0.5)
    else:
        assert (left + right) / 2 == pytest.approx(120, abs=0.5)
