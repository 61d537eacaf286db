"""The A6 participant card: every language renders, reads correctly, scans and is labelled."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import zxingcpp
from arabic_reshaper import reshape
from bidi import get_display
from PIL import Image

from fieldapp.i18n import LANGUAGE_CODES
from fieldapp.pdf.receipt import (
    DEFAULT_LABELS,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    CardOverflowError,
    render_receipt,
)
from tests.pdf import poppler

CODE = "K7Q-3MX4"
TOKEN = "3q2-7wEjRk_9XbLp0aZcVt4yUo8sNmHgQe1iJfKdW6r"
URL = "https://fieldapp.example/p/" + TOKEN
PHONE = "+31 6 1234 5678"

# What a caller passes: labels, study title and contact, written in each language.
CARDS: dict[str, dict[str, str]] = {
    "nl": {
        "heading": "Jouw deelnemerskaart",
        "contact": "Vragen? Neem contact op met",
        "scan": "Scan om te zien waarmee je hebt ingestemd, de resultaten te lezen of je af "
        "te melden",
        "keep": "Bewaar deze kaart. Je naam staat er niet op.",
        "title": "Wonen en welzijn in Heerlen-Noord",
        "person": "Samira Haddad, 06 1234 5678",
    },
    "en": {
        **DEFAULT_LABELS,
        "title": "Living well in Heerlen-Noord",
        "person": "Samira Haddad, " + PHONE,
    },
    "ar": {
        "heading": "بطاقة المشارك",
        "contact": "للأسئلة تواصل مع:",
        "scan": "امسح الرمز لترى ما وافقت عليه أو لتقرأ النتائج أو لتنسحب",
        "keep": "احتفظ بهذه البطاقة. اسمك غير مكتوب عليها.",
        "title": "السكن والرفاه في هيرلن الشمالية",
        "person": "سميرة حداد، " + PHONE,
    },
    "tr": {
        "heading": "Katılımcı kartınız",
        "contact": "Sorularınız için şu kişiye ulaşın:",
        "scan": "Neyi kabul ettiğinizi görmek, sonuçları okumak veya çekilmek için tarayın",
        "keep": "Bu kartı saklayın. Adınız üzerinde yazmıyor.",
        "title": "Heerlen-Kuzey'de konut ve sağlık",
        "person": "Samira Haddad, " + PHONE,
    },
    "pl": {
        "heading": "Twoja karta uczestnika",
        "contact": "Pytania? Skontaktuj się z koordynatorką:",
        "scan": "Zeskanuj, aby zobaczyć, na co się zgodziłeś, przeczytać wyniki lub się wycofać",
        "keep": "Zachowaj tę kartę. Nie ma na niej Twojego nazwiska.",
        "title": "Życie i zdrowie w dzielnicy Heerlen-Północ",
        "person": "Samira Haddad, " + PHONE,
    },
    "uk": {
        "heading": "Картка учасника",
        "contact": "Питання? Зверніться до:",
        "scan": "Скануйте, щоб побачити, на що ви погодилися, прочитати результати або вийти "
        "з дослідження",
        "keep": "Збережіть цю картку. Вашого імені на ній немає.",
        "title": "Житло та добробут у Геерлен-Північ",
        "person": "Саміра Хаддад, " + PHONE,
    },
}


def _labels(language: str) -> dict[str, str]:
    card = CARDS[language]
    return {key: card[key] for key in ("heading", "contact", "scan", "keep")}


def _render(language: str, **overrides: object) -> bytes:
    card = CARDS[language]
    arguments: dict = {
        "code": CODE,
        "study_title": card["title"],
        "contact": card["person"],
        "url": URL,
        "language": language,
        "labels": _labels(language),
    }
    arguments.update(overrides)
    return render_receipt(**arguments)


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The card of every language, written to a PDF file."""
    folder = tmp_path_factory.mktemp("cards")
    paths = {}
    for language in LANGUAGE_CODES:
        path = folder / f"receipt-{language}.pdf"
        path.write_bytes(_render(language))
        paths[language] = path
    return paths


def test_every_interface_language_has_a_test_card() -> None:
    assert set(CARDS) == set(LANGUAGE_CODES)


def test_returns_a_one_page_pdf() -> None:
    pdf = _render("nl")
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") == 1


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_renders_to_an_image(cards: dict[str, Path], language: str, tmp_path: Path) -> None:
    png = poppler.render_png(cards[language], tmp_path / f"receipt-{language}.png", dpi=150)
    with Image.open(png) as image:
        # A6 (105 x 148 mm) at 150 dpi; pdftoppm rounds the pixel count up.
        width, height = image.size
    assert width == pytest.approx(620, abs=1)
    assert height == pytest.approx(874, abs=1)
    if language in ("nl", "ar"):
        poppler.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, poppler.ARTIFACTS / png.name)


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_page_is_a6(cards: dict[str, Path], language: str) -> None:
    size = poppler.info(cards[language])["Page size"]
    match = re.match(r"([\d.]+) x ([\d.]+) pts", size)
    assert match, size
    assert float(match[1]) == pytest.approx(297.64, abs=0.01)
    assert float(match[2]) == pytest.approx(419.53, abs=0.01)


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_fonts_are_embedded_subsets(cards: dict[str, Path], language: str) -> None:
    fonts = poppler.fonts(cards[language])
    assert fonts
    for font in fonts:
        assert font["emb"] == "yes", font
        assert font["sub"] == "yes", font
        assert "DejaVuSans" in font["name"], font


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("language", ["nl", "en", "tr", "pl", "uk"])
def test_text_comes_out_intact(cards: dict[str, Path], language: str) -> None:
    text = poppler.text(cards[language])
    card = CARDS[language]
    assert CODE in text.split()
    for key in ("heading", "title", "keep", "scan"):
        assert card[key] in text, key
    assert PHONE.split()[-1] in text


@pytest.mark.usefixtures("poppler")
def test_special_letters_survive(cards: dict[str, Path]) -> None:
    assert "Katılımcı kartınız" in poppler.text(cards["tr"])
    assert "şu kişiye ulaşın" in poppler.text(cards["tr"])
    assert "koordynatorką" in poppler.text(cards["pl"])
    assert "zgodziłeś" in poppler.text(cards["pl"])
    assert "Życie" in poppler.text(cards["pl"])
    assert "Картка учасника" in poppler.text(cards["uk"])
    assert "Збережіть" in poppler.text(cards["uk"])


@pytest.mark.usefixtures("poppler")
def test_arabic_is_shaped_and_right_to_left(cards: dict[str, Path]) -> None:
    text = poppler.text(cards["ar"])
    assert CODE in text.split()
    assert re.search("[\ufe70-\ufeff]", text), "no Arabic presentation forms: letters not joined"
    phrase = CARDS["ar"]["heading"]  # two words: بطاقة المشارك
    assert len(phrase.split()) == 2
    # Drawn right to left, pdftotext reads the glyphs back in logical order. Had the words
    # been laid out left to right, it would read the visual order get_display() produces.
    assert reshape(phrase) in text
    assert get_display(reshape(phrase)) not in text
    assert reshape(CARDS["ar"]["title"]) in text


@pytest.mark.usefixtures("poppler")
def test_phone_number_inside_arabic_keeps_its_order(cards: dict[str, Path]) -> None:
    words = poppler.words(cards["ar"])
    start = next(word for word in words if word.text.startswith("+31"))
    line = sorted(
        (word for word in words if abs(word.y_min - start.y_min) < 1), key=lambda w: w.x_min
    )
    drawn = " ".join(word.text for word in line).replace("\u00a0", " ")
    assert PHONE in drawn, drawn  # in Arabic context, yet not "5678 1234 6 31+"
    # The contact line starts at the right: label, name, then the number (leftmost).
    label = next(word for word in words if word.text == reshape("تواصل")[::-1])
    assert (label.y_min, -label.x_max) <= (start.y_min, -start.x_max)


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_text_aligns_to_the_reading_start(cards: dict[str, Path], language: str) -> None:
    words = poppler.words(cards[language])
    top_line = min(words, key=lambda word: word.y_min).y_min
    heading = [word for word in words if abs(word.y_min - top_line) < 1]
    if language == "ar":
        assert max(word.x_max for word in heading) == pytest.approx(PAGE_WIDTH - MARGIN, abs=1)
        assert min(word.x_min for word in heading) > PAGE_WIDTH / 3
    else:
        assert min(word.x_min for word in heading) == pytest.approx(MARGIN, abs=1)


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_nothing_is_cut_off(cards: dict[str, Path], language: str) -> None:
    for word in poppler.words(cards[language]):
        assert MARGIN - 1 <= word.x_min <= word.x_max <= PAGE_WIDTH - MARGIN + 1, word
        assert MARGIN - 1 <= word.y_min <= word.y_max <= PAGE_HEIGHT - MARGIN + 1, word


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_qr_code_scans_to_the_exact_url(
    cards: dict[str, Path], language: str, tmp_path: Path
) -> None:
    dpi = 200
    png = poppler.render_png(cards[language], tmp_path / "card.png", dpi=dpi)
    with Image.open(png) as image:
        image.load()
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    barcode = found[0]
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == URL
    assert barcode.ec_level == "M"

    corners = barcode.position
    left, right = corners.top_left.x, corners.top_right.x
    top, bottom = corners.top_left.y, corners.bottom_left.y
    assert (right - left) / dpi * 25.4 >= 30, "QR symbol narrower than 30 mm"

    # A quiet zone of 4 modules: nothing but white paper around the symbol.
    modules = 17 + 4 * int(barcode.extra["Version"])
    zone = round(4 * (right - left) / modules)
    grey = image.convert("L")
    for box in (
        (left - zone, top - zone, right + zone, top - 1),  # above
        (left - zone, bottom + 1, right + zone, bottom + zone),  # below
        (left - zone, top, left - 1, bottom),  # before
        (right + 1, top, right + zone, bottom),  # after
    ):
        darkest, _lightest = grey.crop(box).getextrema()
        assert darkest > 200, f"ink in the quiet zone {box}"


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_metadata_has_title_and_language(cards: dict[str, Path], language: str) -> None:
    info = poppler.info(cards[language])
    card = CARDS[language]
    assert info["Title"] == f"{card['heading']} – {card['title']}"
    assert info["Author"] == "fieldapp"
    raw = cards[language].read_bytes()
    assert f"/Lang ({language})".encode() in raw
    assert b"/DisplayDocTitle true" in raw
    assert (b"/Direction /R2L" in raw) == (language == "ar")


def test_code_is_not_in_the_metadata() -> None:
    pdf = _render("nl")
    # The code is on the page (compressed), never in the readable document information.
    assert CODE.encode() not in pdf


def test_long_texts_use_a_more_compact_layout(tmp_path: Path) -> None:
    card = CARDS["nl"]
    pdf = _render(
        "nl",
        study_title=card["title"] + ": samen onderzoeken wat bewoners belangrijk vinden",
        labels={**_labels("nl"), "scan": card["scan"] + ". " + card["scan"]},
    )
    assert pdf.startswith(b"%PDF-")


def test_texts_too_long_for_the_card_are_refused() -> None:
    with pytest.raises(CardOverflowError):
        _render("nl", study_title=" ".join(["Heel lange titel"] * 60))


@pytest.mark.parametrize("missing", ["heading", "contact", "scan", "keep"])
def test_all_labels_are_required(missing: str) -> None:
    labels = {key: value for key, value in _labels("nl").items() if key != missing}
    with pytest.raises(ValueError, match=missing):
        _render("nl", labels=labels)


def test_code_must_be_ascii() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        _render("ar", code="ك7Q-3MX4")
