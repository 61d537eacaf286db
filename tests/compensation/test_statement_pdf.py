"""The yearly earnings statement PDF: every language renders, reads correctly and adds up."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from arabic_reshaper import reshape
from babel.dates import format_date
from babel.numbers import format_currency
from bidi import get_display
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from fieldapp.compensation.statement_pdf import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Statement,
    StatementLine,
    StatementOverflowError,
    render_statement,
    total_cents,
)
from fieldapp.i18n import LANGUAGE_CODES
from tests.pdf import poppler

YEAR = 2026
# (month, description, study, cents, paid): indexes into each language's texts below. The
# amounts add up to 1 234,56 so the total needs a thousands separator; the first eight lines
# are paid (652,50), the last four wait.
PLAN = [
    (1, 0, 0, 3750, True),
    (1, 1, 0, 1500, True),
    (2, 2, 1, 12500, True),
    (3, 0, 0, 1875, True),
    (3, 3, 1, 18750, True),
    (3, 1, 0, 2500, True),
    (5, 0, 1, 9375, True),
    (6, 4, 0, 15000, True),
    (9, 0, 0, 25000, False),
    (10, 3, 1, 6250, False),
    (11, 4, 0, 11956, False),
    (11, 1, 1, 15000, False),
]
TOTAL = 123456
PAID = 65250

# What a caller passes: the person, labels, line descriptions and study titles, written in
# each language (descriptions and titles as the caller has already translated them).
TEXTS: dict[str, dict] = {
    "nl": {
        "person": "Samira El Amrani",
        "descriptions": [
            "Veldwerk, 3 uur",
            "Interview afgenomen",
            "Training interviewen",
            "Analysesessie met de buurtgroep",
            "Veldwerk, 1,5 uur",
        ],
        "studies": ["Wonen en welzijn in Heerlen-Noord", "Groen in de wijk"],
        "labels": {
            "title": "Jaaroverzicht vergoedingen",
            "intro": "Dit overzicht toont alle vergoedingen die je in 2026 als medeonderzoeker "
            "hebt gekregen of nog krijgt. Bewaar het voor je administratie of voor een "
            "uitkeringsinstantie.",
            "month": "Maand",
            "description": "Omschrijving",
            "study": "Onderzoek",
            "amount": "Bedrag",
            "status": "Status",
            "paid": "Uitbetaald",
            "waiting": "Wacht op uitbetaling",
            "total": "Totaal",
            "total_paid": "Totaal uitbetaald",
            "month_names": "januari|februari|maart|april|mei|juni|juli|augustus|september|"
            "oktober|november|december",
            "limit_note": "Een vrijwilligersvergoeding is onbelast tot € 210 per maand en "
            "€ 2.100 per jaar (2026).",
            "generated": "Gemaakt op 27-11-2026",
        },
    },
    "en": {
        "person": "Samira El Amrani",
        "descriptions": [
            "Fieldwork, 3 h",
            "Interview done",
            "Interview training",
            "Analysis session with the neighbourhood group",
            "Fieldwork, 1.5 h",
        ],
        "studies": ["Living well in Heerlen-Noord", "Green in the neighbourhood"],
        "labels": {
            "title": "Yearly earnings statement",
            "intro": "This statement lists everything you were paid, or will be paid, as a "
            "co-researcher in 2026. Keep it for your records.",
            "month": "Month",
            "description": "Description",
            "study": "Study",
            "amount": "Amount",
            "status": "Status",
            "paid": "Paid",
            "waiting": "Waiting for payment",
            "total": "Total",
            "total_paid": "Total paid",
            "month_names": "January|February|March|April|May|June|July|August|September|"
            "October|November|December",
            "limit_note": "A volunteer allowance is tax-free up to € 210 a month and € 2,100 "
            "a year (2026).",
            "generated": "Made on 27-11-2026",
        },
    },
    "ar": {
        "person": "سميرة العمراني",
        "descriptions": [
            "عمل ميداني، 3 ساعات",
            "إجراء مقابلة",
            "تدريب على المقابلات",
            "جلسة تحليل مع مجموعة الحي",
            "عمل ميداني، 1.5 ساعة",
        ],
        # A Dutch study title stays Dutch: Latin text inside the Arabic table.
        "studies": ["السكن والرفاه في هيرلن الشمالية", "Groen in de wijk"],
        "labels": {
            "title": "كشف المكافآت السنوي",
            "intro": "يعرض هذا الكشف جميع المكافآت التي حصلت عليها أو ستحصل عليها كباحثة "
            "مشاركة في عام 2026. احتفظي به مع أوراقك.",
            "month": "الشهر",
            "description": "الوصف",
            "study": "الدراسة",
            "amount": "المبلغ",
            "status": "الحالة",
            "paid": "مدفوع",
            "waiting": "بانتظار الدفع",
            "total": "المجموع",
            "total_paid": "المجموع المدفوع",
            "month_names": "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|"
            "نوفمبر|ديسمبر",
            "limit_note": "مكافأة المتطوع معفاة من الضريبة حتى 210 يورو في الشهر و 2,100 يورو "
            "في السنة (2026).",
            # Babel's Arabic date: "27/11/2026" with right-to-left marks after day and month.
            "generated": "تاريخ الإعداد: " + format_date(dt.date(2026, 11, 27), locale="ar"),
        },
    },
    "tr": {
        "person": "Ayşe Yılmaz",
        "descriptions": [
            "Saha çalışması, 3 saat",
            "Yapılan görüşme",
            "Görüşme eğitimi",
            "Mahalle grubuyla analiz oturumu",
            "Saha çalışması, 1,5 saat",
        ],
        "studies": ["Heerlen-Kuzey'de konut ve sağlık", "Mahallede yeşil alanlar"],
        "labels": {
            "title": "Yıllık ödeme dökümü",
            "intro": "Bu döküm, 2026 yılında eş araştırmacı olarak aldığınız veya alacağınız "
            "tüm ödemeleri gösterir. Kayıtlarınız için saklayın.",
            "month": "Ay",
            "description": "Açıklama",
            "study": "Araştırma",
            "amount": "Tutar",
            "status": "Durum",
            "paid": "Ödendi",
            "waiting": "Ödeme bekliyor",
            "total": "Toplam",
            "total_paid": "Ödenen toplam",
            "month_names": "Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|"
            "Kasım|Aralık",
            "limit_note": "Gönüllü ödeneği ayda 210 € ve yılda 2.100 € tutarına kadar vergiden "
            "muaftır (2026).",
            "generated": "Oluşturulma tarihi: 27-11-2026",
        },
    },
    "pl": {
        "person": "Małgorzata Wójcik",
        "descriptions": [
            "Praca w terenie, 3 godz.",
            "Przeprowadzony wywiad",
            "Szkolenie z prowadzenia wywiadów",
            "Sesja analityczna z grupą sąsiedzką",
            "Praca w terenie, 1,5 godz.",
        ],
        "studies": ["Życie i zdrowie w dzielnicy Heerlen-Północ", "Zieleń w dzielnicy"],
        "labels": {
            "title": "Roczne zestawienie wynagrodzeń",
            "intro": "To zestawienie pokazuje wszystkie wynagrodzenia, które otrzymałaś lub "
            "otrzymasz jako współbadaczka w 2026 roku. Zachowaj je w swojej dokumentacji.",
            "month": "Miesiąc",
            "description": "Opis",
            "study": "Badanie",
            "amount": "Kwota",
            "status": "Status",
            "paid": "Wypłacono",
            "waiting": "Oczekuje na wypłatę",
            "total": "Razem",
            "total_paid": "Razem wypłacono",
            "month_names": "styczeń|luty|marzec|kwiecień|maj|czerwiec|lipiec|sierpień|"
            "wrzesień|październik|listopad|grudzień",
            "limit_note": "Wynagrodzenie wolontariusza jest wolne od podatku do 210 € "
            "miesięcznie i 2100 € rocznie (2026).",
            "generated": "Utworzono 27-11-2026",
        },
    },
    "uk": {
        "person": "Олена Коваленко",
        "descriptions": [
            "Польова робота, 3 год",
            "Проведене інтерв'ю",
            "Навчання з інтерв'ювання",
            "Аналітична сесія з групою району",
            "Польова робота, 1,5 год",
        ],
        "studies": ["Житло та добробут у Геерлен-Північ", "Зелень у районі"],
        "labels": {
            "title": "Річна виписка винагород",
            "intro": "У цій виписці наведено всі винагороди, які ви отримали або ще "
            "отримаєте як співдослідниця у 2026 році. Збережіть її для своїх записів.",
            "month": "Місяць",
            "description": "Опис",
            "study": "Дослідження",
            "amount": "Сума",
            "status": "Статус",
            "paid": "Виплачено",
            "waiting": "Очікує виплати",
            "total": "Разом",
            "total_paid": "Разом виплачено",
            "month_names": "січень|лютий|березень|квітень|травень|червень|липень|серпень|"
            "вересень|жовтень|листопад|грудень",
            "limit_note": "Волонтерська винагорода не оподатковується до 210 € на місяць і "
            "2 100 € на рік (2026).",
            "generated": "Створено 27-11-2026",
        },
    },
}
HEADER_KEYS = ("month", "description", "study", "amount", "status")


def cents_formatter(language: str) -> Callable[[int], str]:
    """What the caller passes: Babel's euro format for the language, from exact decimals."""

    def format_cents(cents: int) -> str:
        return format_currency(Decimal(cents).scaleb(-2), "EUR", locale=language)

    return format_cents


def _lines(language: str, plan: list[tuple[int, int, int, int, bool]]) -> list[StatementLine]:
    texts = TEXTS[language]
    return [
        StatementLine(
            month=month,
            description=texts["descriptions"][description],
            study=texts["studies"][study],
            amount_cents=cents,
            paid=paid,
        )
        for month, description, study, cents, paid in plan
    ]


def _statement(language: str, plan: list | None = None, **labels: str) -> Statement:
    texts = TEXTS[language]
    return Statement(
        person_name=texts["person"],
        year=YEAR,
        language=language,
        lines=_lines(language, PLAN if plan is None else plan),
        labels={**texts["labels"], **labels},
        amount_formatter=cents_formatter(language),
    )


def _long_plan() -> list[tuple[int, int, int, int, bool]]:
    """120 lines, ten a month, with amounts from 0,01 to a few hundred euros."""
    return [
        (1 + index // 10, index % 5, index % 2, 1 + (index * 7919) % 40000, index < 90)
        for index in range(120)
    ]


def _plain(text: str) -> str:
    """As poppler.text() gives it: no bidi marks, every run of white space one space."""
    return " ".join(poppler.BIDI_MARKS.sub("", text).split())


def _rows(words: list[poppler.Word]) -> list[str]:
    """The text of each line of words across the page, left to right, top to bottom."""
    rows: list[list[poppler.Word]] = []
    for word in sorted(words, key=lambda word: (word.y_min, word.x_min)):
        if rows and abs(rows[-1][0].y_max - word.y_max) < 1:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [
        _plain(" ".join(word.text for word in sorted(row, key=lambda word: word.x_min)))
        for row in rows
    ]


def _all_rows(pdf: Path) -> list[str]:
    """_rows() of every page, one page after the other."""
    return [row for page in range(1, _page_count(pdf) + 1) for row in _rows(_page_words(pdf, page))]


def _month_names(language: str) -> list[str]:
    return TEXTS[language]["labels"]["month_names"].split("|")


@pytest.fixture(scope="module")
def need_poppler() -> None:
    """Skip PDF-rendering checks without poppler-utils (fail instead when CI is set)."""
    poppler.require_poppler()
    if shutil.which("pdfseparate") is None:  # also poppler-utils; used to read single pages
        message = "pdfseparate (poppler-utils) is missing, so PDF pages are not checked"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def statements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The statement of every language, written to a PDF file."""
    folder = tmp_path_factory.mktemp("statements")
    paths = {}
    for language in LANGUAGE_CODES:
        path = folder / f"statement-{language}.pdf"
        path.write_bytes(render_statement(_statement(language)))
        paths[language] = path
    return paths


@pytest.fixture(scope="module")
def long_statements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 120-line statement in Dutch and in Arabic."""
    folder = tmp_path_factory.mktemp("long")
    paths = {}
    for language in ("nl", "ar"):
        path = folder / f"long-{language}.pdf"
        path.write_bytes(render_statement(_statement(language, _long_plan())))
        paths[language] = path
    return paths


def _page_count(pdf: Path) -> int:
    return int(poppler.info(pdf)["Pages"])


def _page_text(pdf: Path, page: int) -> str:
    raw = poppler.run("pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", pdf, "-")
    return _plain(raw)


def _page_words(pdf: Path, page: int) -> list[poppler.Word]:
    """The words of one page (poppler.words() reads them all, page after page)."""
    path = pdf.with_name(f"{pdf.stem}-page{page}.pdf")
    if not path.exists():
        poppler.run("pdfseparate", "-f", str(page), "-l", str(page), pdf, path)
    return poppler.words(path)


# ---------------------------------------------------------------------------------------------
# Totals in integer cents
# ---------------------------------------------------------------------------------------------

NOISY_MACHINE = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,  # nothing written into the work tree
    print_blob=True,
)


@NOISY_MACHINE
@given(st.lists(st.tuples(st.integers(0, 10**9), st.booleans()), max_size=200))
def test_total_is_the_exact_sum_of_the_lines(amounts: list[tuple[int, bool]]) -> None:
    lines = [
        StatementLine(1 + index % 12, "x", "y", cents, paid)
        for index, (cents, paid) in enumerate(amounts)
    ]
    total = total_cents(lines)
    assert type(total) is int
    assert total == sum(cents for cents, _paid in amounts)
    paid = total_cents(lines, paid_only=True)
    assert type(paid) is int
    assert paid == sum(cents for cents, was_paid in amounts if was_paid)


def test_test_plan_adds_up() -> None:
    lines = _lines("nl", PLAN)
    assert total_cents(lines) == TOTAL == sum(cents for *_rest, cents, _paid in PLAN)
    assert total_cents(lines, paid_only=True) == PAID


def test_cents_that_floats_would_get_wrong_add_up_exactly() -> None:
    # 0.1 + 0.2 != 0.3 in floats; ten cents and twenty cents are thirty cents.
    lines = [StatementLine(1, "a", "b", 10, True), StatementLine(1, "a", "b", 20, True)]
    assert total_cents(lines) == 30
    many = [StatementLine(1, "a", "b", 1, True)] * 10_000
    assert total_cents(many) == 10_000


@pytest.mark.parametrize("amount", [12.5, Decimal("12.50"), True, "1250"])
def test_amounts_must_be_integer_cents(amount: object) -> None:
    line = StatementLine(1, "Veldwerk", "Groen in de wijk", amount, True)  # type: ignore[arg-type]
    statement = _statement("nl")
    with pytest.raises(ValueError, match="amount_cents must be an int"):
        render_statement(
            Statement(**{**statement.__dict__, "lines": [line]})  # type: ignore[arg-type]
        )


@pytest.mark.parametrize("month", [0, 13])
def test_months_are_1_to_12(month: int) -> None:
    statement = _statement("nl")
    line = StatementLine(month, "Veldwerk", "Groen in de wijk", 100, True)
    with pytest.raises(ValueError, match="month must be 1..12"):
        render_statement(Statement(**{**statement.__dict__, "lines": [line]}))


# ---------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------


def test_every_interface_language_has_a_test_statement() -> None:
    assert set(TEXTS) == set(LANGUAGE_CODES)
    for texts in TEXTS.values():
        assert len(texts["labels"]["month_names"].split("|")) == 12


def test_returns_a_pdf() -> None:
    pdf = render_statement(_statement("nl"))
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("missing", ["title", "month", "paid", "total_paid", "generated"])
def test_labels_are_required(missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        render_statement(_statement("nl", **{missing: ""}))


def test_month_names_must_be_twelve() -> None:
    with pytest.raises(ValueError, match="month_names"):
        render_statement(_statement("nl", month_names="jan|feb|mrt"))


def test_a_row_taller_than_a_page_is_refused() -> None:
    plan = [(1, 0, 0, 100, True)]
    statement = _statement("nl", plan)
    line = StatementLine(1, " ".join(["Veldwerk in de wijk"] * 400), "Groen", 100, True)
    with pytest.raises(StatementOverflowError):
        render_statement(Statement(**{**statement.__dict__, "lines": [line]}))


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_renders_to_an_a4_image(statements: dict[str, Path], language: str, tmp_path: Path) -> None:
    png = poppler.render_png(statements[language], tmp_path / f"statement-{language}.png", 110)
    with Image.open(png) as image:
        width, height = image.size
    # A4 (210 x 297 mm) at 110 dpi; pdftoppm rounds the pixel count up.
    assert width == pytest.approx(210 / 25.4 * 110, abs=1)
    assert height == pytest.approx(297 / 25.4 * 110, abs=1)
    if language in ("nl", "ar"):
        poppler.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, poppler.ARTIFACTS / png.name)


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_fonts_are_embedded_field_sans_only(statements: dict[str, Path], language: str) -> None:
    fonts = poppler.fonts(statements[language])
    assert fonts
    for font in fonts:
        assert font["emb"] == "yes", font
        assert font["sub"] == "yes", font
        assert "DejaVuSans" in font["name"], font  # no Helvetica or other base-14 font


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_metadata_has_title_and_language(statements: dict[str, Path], language: str) -> None:
    info = poppler.info(statements[language])
    assert info["Title"] == f"{TEXTS[language]['labels']['title']} {YEAR}"
    assert info["Author"] == "fieldapp"
    raw = statements[language].read_bytes()
    assert f"/Lang ({language})".encode() in raw
    assert (b"/Direction /R2L" in raw) == (language == "ar")


def test_the_name_is_not_in_the_metadata() -> None:
    pdf = render_statement(_statement("nl"))
    assert TEXTS["nl"]["person"].encode() not in pdf  # on the page (compressed) only


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", ["nl", "en", "tr", "pl", "uk"])
def test_text_comes_out_intact(statements: dict[str, Path], language: str) -> None:
    text = poppler.text(statements[language])
    texts = TEXTS[language]
    labels = texts["labels"]
    format_cents = cents_formatter(language)
    assert texts["person"] in text
    for key in ("title", "intro", "limit_note", "generated", *HEADER_KEYS):
        assert _plain(labels[key]) in text, key
    for month in {month for month, *_rest in PLAN}:
        assert _month_names(language)[month - 1] in text
    assert _month_names(language)[3] not in text  # April: nothing was earned
    for description in texts["descriptions"]:
        assert description in text
    rows = _all_rows(statements[language])
    assert f"{labels['total']} {_plain(format_cents(TOTAL))}" in rows
    assert f"{labels['total_paid']} {_plain(format_cents(PAID))}" in rows
    november = _month_names(language)[10]
    assert f"{november} {labels['total']} {_plain(format_cents(11956 + 15000))}" in rows
    pages = _page_count(statements[language])
    assert rows[-1].endswith(f" {pages} / {pages}")


@pytest.mark.usefixtures("need_poppler")
def test_special_letters_survive(statements: dict[str, Path]) -> None:
    assert "Yıllık ödeme dökümü" in poppler.text(statements["tr"])
    assert "Ayşe Yılmaz" in poppler.text(statements["tr"])
    assert "Şubat" in poppler.text(statements["tr"])
    assert "Małgorzata Wójcik" in poppler.text(statements["pl"])
    assert "Życie i zdrowie" in poppler.text(statements["pl"])
    assert "Oczekuje na wypłatę" in poppler.text(statements["pl"])
    assert "Річна виписка винагород" in poppler.text(statements["uk"])
    assert "Проведене інтерв'ю" in poppler.text(statements["uk"])
    # The widest month name, in bold, is not broken between letters.
    assert "październik Razem 62,50 €" in _all_rows(statements["pl"])


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_printed_totals_are_the_exact_sums(statements: dict[str, Path], language: str) -> None:
    format_cents = cents_formatter(language)
    amounts = [
        word.text.replace("\u00a0", " ")
        for word in poppler.words(statements[language])
        if re.search(r"\d", word.text)
    ]
    numbers = " ".join(amounts)

    def digits(cents: int) -> str:
        # The amount's number as printed: "1.234,56", "1,234.56" or "1 234,56".
        return re.sub(r"[^\d.,\s]", "", _plain(format_cents(cents))).strip()

    assert digits(TOTAL) in numbers
    assert digits(PAID) in numbers
    by_month: dict[int, int] = {}
    for month, _description, _study, cents, _paid in PLAN:
        by_month[month] = by_month.get(month, 0) + cents
    for subtotal in by_month.values():
        assert digits(subtotal) in numbers
    assert sum(by_month.values()) == TOTAL


# ---------------------------------------------------------------------------------------------
# Arabic: joined letters, right to left, mirrored columns, amounts intact
# ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("need_poppler")
def test_arabic_is_shaped_and_right_to_left(statements: dict[str, Path]) -> None:
    text = poppler.text(statements["ar"])
    labels = TEXTS["ar"]["labels"]
    assert re.search("[\ufe70-\ufeff]", text), "no Arabic presentation forms: letters not joined"
    # Drawn right to left, pdftotext reads the glyphs back in logical order. Had the words
    # been laid out left to right, it would read the visual order get_display() produces.
    for phrase in (labels["title"], labels["waiting"], TEXTS["ar"]["person"]):
        assert len(phrase.split()) >= 2
        assert reshape(phrase) in text, phrase
        assert get_display(reshape(phrase)) not in text, phrase
    for month in (1, 2, 11):
        assert reshape(_month_names("ar")[month - 1]) in text
    assert "Groen in de wijk" in text  # Latin inside Arabic stays left to right


def _line_of(words: list[poppler.Word], word: poppler.Word) -> list[poppler.Word]:
    middle = (word.y_min + word.y_max) / 2
    return sorted(
        (other for other in words if other.y_min < middle < other.y_max), key=lambda w: w.x_min
    )


def _arabic_word(words: list[poppler.Word], word: str) -> poppler.Word:
    """The drawn word (glyphs in visual order, so reversed) of an Arabic word."""
    drawn = reshape(word)[::-1]
    return next(found for found in words if found.text == drawn)


@pytest.mark.usefixtures("need_poppler")
def test_arabic_amounts_are_not_reversed(statements: dict[str, Path]) -> None:
    words = poppler.words(statements["ar"])
    total = next(word for word in words if word.text == "1,234.56")  # not "65.432,1"
    line = _line_of(words, total)
    drawn = [word.text for word in line]
    # Read right to left: "المجموع", then the number, then the euro sign (drawn at its left).
    assert drawn.index("€") == drawn.index("1,234.56") - 1, drawn
    label = _arabic_word(line, TEXTS["ar"]["labels"]["total"])
    assert label.x_min > total.x_max
    assert any(word.text == "652.50" for word in words)
    # Free text keeps its numbers whole; the date reads right to left, as Babel marks it.
    assert any(word.text == "2,100" for word in words)
    assert any(word.text == "2026/11/27" for word in words)


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_amounts_line_up_at_the_right(statements: dict[str, Path], language: str) -> None:
    # In Arabic too: right-aligned, the decimals of "€ 37.50" and "€ 125.00" line up.
    money = re.compile(r"^\d{1,3}(?:[.,]\d{3})*[.,]\d{2}$")
    amounts = [word for word in poppler.words(statements[language]) if money.match(word.text)]
    assert len(amounts) == len(PLAN) + len({month for month, *_rest in PLAN}) + 2
    rights = [word.x_max for word in amounts]
    assert max(rights) - min(rights) < 0.5, sorted(rights)


@pytest.mark.usefixtures("need_poppler")
def test_brackets_in_arabic_text_are_mirrored(statements: dict[str, Path]) -> None:
    words = poppler.words(statements["ar"])
    # The limit note ends "... في السنة (2026)." and reads right to left: ".(2026)" drawn.
    assert any(word.text == ".(2026)" for word in words), [
        w.text for w in words if "2026" in w.text
    ]


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_columns_follow_the_reading_direction(statements: dict[str, Path], language: str) -> None:
    words = poppler.words(statements[language])
    labels = TEXTS[language]["labels"]
    header = []
    for key in HEADER_KEYS:
        first = labels[key].split()[0]
        drawn = reshape(first)[::-1] if language == "ar" else first
        header.append(next(word for word in words if word.text == drawn))
    lefts = [word.x_min for word in header]
    if language == "ar":
        # Mirrored: the month column is at the right, the status column at the left.
        assert lefts == sorted(lefts, reverse=True)
        assert header[0].x_max == pytest.approx(PAGE_WIDTH - MARGIN - 4, abs=1)
    else:
        assert lefts == sorted(lefts)
        assert header[0].x_min == pytest.approx(MARGIN + 4, abs=1)
    # The title starts at the reading start.
    title = min(words, key=lambda word: word.y_min)
    top_line = _line_of(words, title)
    if language == "ar":
        assert max(word.x_max for word in top_line) == pytest.approx(PAGE_WIDTH - MARGIN, abs=1)
    else:
        assert min(word.x_min for word in top_line) == pytest.approx(MARGIN, abs=1)


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_nothing_is_cut_off_or_overlapping(statements: dict[str, Path], language: str) -> None:
    pdf = statements[language]
    for page in range(1, _page_count(pdf) + 1):
        _assert_inside_and_apart(_page_words(pdf, page))


def _assert_inside_and_apart(words: list[poppler.Word]) -> None:
    """Every word inside the margins, and no two words on top of each other."""
    for word in words:
        assert MARGIN - 1 <= word.x_min <= word.x_max <= PAGE_WIDTH - MARGIN + 1, word
        assert MARGIN - 1 <= word.y_min <= word.y_max <= PAGE_HEIGHT - MARGIN + 1, word
    for index, word in enumerate(words):
        for other in words[index + 1 :]:
            overlap_x = min(word.x_max, other.x_max) - max(word.x_min, other.x_min)
            overlap_y = min(word.y_max, other.y_max) - max(word.y_min, other.y_min)
            assert overlap_x < 0.5 or overlap_y < 0.5, (word, other)


# ---------------------------------------------------------------------------------------------
# Long statements: several pages, the header row on each, page numbers
# ---------------------------------------------------------------------------------------------


def _drawn(language: str, text: str) -> str:
    """A line of text as pdftotext's words give it from left to right."""
    return reshape(text)[::-1] if language == "ar" else text


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_long_statement_repeats_the_header_on_every_page(
    long_statements: dict[str, Path], language: str
) -> None:
    pdf = long_statements[language]
    pages = _page_count(pdf)
    assert pages >= 3
    labels = TEXTS[language]["labels"]
    header = _drawn(language, " ".join(labels[key] for key in HEADER_KEYS))
    statuses = {_drawn(language, labels["paid"]), _drawn(language, labels["waiting"])}
    months = [_drawn(language, name) for name in _month_names(language)]
    table_pages = 0
    for page in range(1, pages + 1):
        words = _page_words(pdf, page)
        _assert_inside_and_apart(words)
        rows = _rows(words)
        assert f"{page} / {pages}" in rows[-1], (page, rows[-1])  # the footer, last
        lines = [index for index, row in enumerate(rows) if any(s in row for s in statuses)]
        if not lines:
            continue
        table_pages += 1
        # Each page with lines of the table has the header row above them, at the top of
        # the page after the first, and the first line under it names its month.
        assert header in rows, page
        position = rows.index(header)
        assert position < lines[0]
        if page > 1:
            assert position == 0, rows[:2]
            first = rows[1].split()
            assert (first[-1] if language == "ar" else first[0]) in months, rows[1]
    assert table_pages >= 3
    # The year total, on the last page, is exactly the sum of the 120 lines.
    total = total_cents(_lines(language, _long_plan()))
    assert total == sum(cents for *_rest, cents, _paid in _long_plan())
    last = " ".join(_rows(_page_words(pdf, pages)))
    assert re.sub(r"[^\d.,]", "", cents_formatter(language)(total)) in last


def test_an_empty_year_renders_with_a_zero_total(tmp_path: Path) -> None:
    pdf = render_statement(_statement("nl", plan=[], limit_note=""))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "empty.pdf"
    path.write_bytes(pdf)
    poppler.require_poppler()
    text = poppler.text(path)
    assert f"Totaal {_plain(cents_formatter('nl')(0))}" in text
    assert "vrijwilligersvergoeding" not in text
