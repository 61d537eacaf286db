"""The public feedback report on a 360×740 phone, in a real browser: the demo report of
"Samen in de buurt" at /r/samen-in-de-buurt in Dutch, Arabic and (after the coordinator adds
the sections) Ukrainian, without JavaScript and printed, its PDFs, taking it offline, and the
area page /a/heerlen-noord. Every page opened with JavaScript on must pass axe's WCAG 2.1 A/AA
rules.

Texts are looked up in the app's own catalogs and in the demo's report texts, so the tests
follow the translations; everything else is found by stable attributes (name=, href, tags).
Screenshots (and page 1 of each PDF) land in test-artifacts/browser/.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.demo import DEMO_AREA, DEMO_STUDY_SLUG
from fieldapp.extensions import db
from fieldapp.reports.demo import ACTIONS, SECTIONS
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_phone_flows import (
    assert_accessible,
    assert_language,
    assert_no_sideways_scroll,
    log_in,
    t,
)

REPORT_URL = f"/r/{DEMO_STUDY_SLUG}"
AREA_URL = f"/a/{DEMO_AREA['slug']}"
PDF_KINDS = ("report", "flyer", "poster")
PAGE_SIZES_MM = {"report": (210, 297), "flyer": (210, 297), "poster": (297, 420)}
DIRECTION = {"nl": "ltr", "en": "ltr", "ar": "rtl", "uk": "ltr"}
STATUS_LABELS = {
    "planned": "Planned",
    "started": "Started",
    "done": "Done",
    "dropped": "Dropped",
}
# Short Ukrainian sections the coordinator adds in the builder (the demo has nl, en and ar).
UKRAINIAN = {
    "asked": "Ми запитали мешканців, де вони зустрічаються.",
    "whom": "Двоє мешканців говорили з сусідами.",
    "heard": "Багато людей зустрічаються на ринку і в громадському центрі.",
    "next": "Громадський центр відкриватиметься частіше.",
    "involved": "Приходьте до громадського центру в середу ввечері.",
    "contact": "Питання? Пишіть на onderzoek@example.nl.",
}


# ---------------------------------------------------------------- helpers


def unavailable(message: str):
    """Skip, or fail when CI is set (a CI run must not pass without these checks)."""
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def demo_actions() -> list[SimpleNamespace]:
    """The demo's actions: titles per language and the status their last update left."""
    return [
        SimpleNamespace(titles=titles, owner=owner, status=updates[-1][0] if updates else "planned")
        for titles, owner, _days, updates in ACTIONS
    ]


def figure_captions(app, lang: str) -> list[tuple[str, bool]]:
    """The questions of the report's figures, in `lang`, in the order the page shows them,
    each with whether every number of it is hidden (fewer than 5 people) in public."""
    from fieldapp.reports import services
    from fieldapp.reports.models import Report
    from fieldapp.studies.models import Study

    with app.app_context():
        study = db.session.scalar(select(Study).where(Study.slug == DEMO_STUDY_SLUG))
        report = db.session.scalar(select(Report).where(Report.study_id == study.id))
        captions = [
            (fig.question.label(lang, fig.definition.default_language), fig.all_hidden)
            for fig in services.report_figures(study, report, public=True)
        ]
        db.session.remove()
    return captions


def demo_study_id(app) -> int:
    from fieldapp.studies.models import Study

    with app.app_context():
        study_id = db.session.scalar(select(Study.id).where(Study.slug == DEMO_STUDY_SLUG))
        db.session.remove()
    assert study_id is not None, "the demo study is missing"
    return study_id


def open_report(page, lang: str | None = None):
    response = page.goto(f"{REPORT_URL}?lang={lang}" if lang else REPORT_URL)
    assert response is not None, f"{REPORT_URL}: no response"
    assert response.status == 200, f"{page.url}: status {response.status}"
    return response


def assert_report_content(page, app, lang: str, sections: dict[str, str]) -> None:
    """Title, the six sections, the figures as tables, the quote, the actions with status."""
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(t(app, lang, "What we learned together"))
    for kind, body in sections.items():
        section = main.locator(f"section[aria-labelledby='s-{kind}']")
        expect(section.locator("h2").first).to_be_visible()
        expect(section.locator("div.large-text").first).to_contain_text(
            body.splitlines()[0].strip()
        )

    # Every figure is a table inside a <figure> with a caption, and every table is a figure;
    # a figure whose every number is hidden (the demo has few interviews) is one sentence.
    figures = main.locator("figure")
    captions = figure_captions(app, lang)
    assert captions, "the demo report should show the figures plekken and gevoel"
    shown = [caption for caption, hidden in captions if not hidden]
    hidden = [caption for caption, hidden in captions if hidden]
    sentences = main.locator("p.figure-hidden")
    expect(sentences).to_have_count(len(hidden))
    for index, caption in enumerate(hidden):
        expect(sentences.nth(index)).to_contain_text(caption)
        expect(sentences.nth(index)).to_contain_text(
            t(app, lang, "Fewer than 5 people: not shown.")
        )
        assert "5" in sentences.nth(index).inner_text()
    expect(figures).to_have_count(len(shown))
    for index, caption in enumerate(shown):
        figure = figures.nth(index)
        expect(figure.locator("figcaption")).to_have_text(caption)
        expect(figure.locator("table")).to_have_count(1)
        expect(figure.locator("table th[scope=col]").first).to_be_visible()
        assert figure.locator("table tbody tr").count() > 0, f"figure {caption!r} has no rows"
    assert main.locator("table").count() == main.locator("figure table").count(), (
        "a table outside a <figure>"
    )

    # The quote, as a quotation.
    quotes = main.locator("blockquote")
    expect(quotes).to_have_count(1)
    assert quotes.first.inner_text().strip(), "the quote is empty"

    # The three actions, each with its status in the reader's language.
    items = main.locator("ul.actions-list > li")
    expected = demo_actions()
    expect(items).to_have_count(len(expected))
    for item, action in zip(items.all(), expected, strict=True):
        title = action.titles.get(lang) or action.titles["nl"]
        expect(item.locator("strong")).to_have_text(title)
        expect(item).to_contain_text(action.owner)
        expect(item.locator(".state")).to_have_text(t(app, lang, STATUS_LABELS[action.status]))


def pdf_links(page, lang: str) -> dict[str, str]:
    """The three "on paper" links, checked to exist; kind -> href."""
    hrefs = {}
    for kind in PDF_KINDS:
        link = page.locator(f"main a[href^='{REPORT_URL}/{kind}.pdf']")
        expect(link).to_have_count(1)
        expect(link).to_be_visible()
        href = link.get_attribute("href")
        assert f"lang={lang}" in href, f"the {kind} PDF link does not keep the language: {href}"
        hrefs[kind] = href
    return hrefs


def pdf_import_error() -> str | None:
    """Why fieldapp.reports.pdf (being written separately) cannot be imported, or None."""
    try:
        importlib.import_module("fieldapp.reports.pdf")
    except ImportError as error:
        return str(error)
    return None


def pdf_module_available() -> bool:
    return pdf_import_error() is None


def pdf_module_or_skip() -> None:
    error = pdf_import_error()
    if error is not None:
        unavailable(
            f"fieldapp.reports.pdf cannot be imported ({error}), so the report's PDFs are not "
            "checked"
        )


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        unavailable(f"{tool} not found; install Debian's poppler-utils to check the PDFs")
    return path


def pdf_facts(pdf, pdfinfo: str, pdftotext: str) -> SimpleNamespace:
    """Number of pages, size of page 1 in mm (rounded) and the text of a PDF file."""
    info = subprocess.run(
        [pdfinfo, str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    width, _x, height = fields["Page size"].split()[:3]
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode("utf-8")
    return SimpleNamespace(
        pages=int(fields["Pages"]),
        size_mm=(round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)),
        text=text,
    )


def coordinator_page(new_page, app, demo):
    page = new_page()
    log_in(page, app, "coordinator", demo.passwords["coordinator"])
    return page


def press_publish_button(page, app, action: str) -> None:
    """Press the button of the builder's publish form (action=publish or unpublish)."""
    study_id = demo_study_id(app)
    page.goto(f"/studies/{study_id}/report")
    lang = page.locator("html").get_attribute("lang")
    button = page.locator(
        f"form[action$='/studies/{study_id}/report/publish'] button[name=action][value={action}]"
    )
    label = "Publish" if action == "publish" else "Take offline"
    expect(button).to_have_text(t(app, lang, label))
    button.click()
    expect(page.get_by_role("status")).to_contain_text(t(app, lang, "Saved."))


# ---------------------------------------------------------------- 1. Dutch, and the PDFs


def test_public_report_in_dutch(page, live_server, demo, screenshot):
    app = live_server.app
    open_report(page, "nl")
    assert_language(page, "nl", "ltr")
    assert_no_sideways_scroll(page, 360)
    assert_report_content(page, app, "nl", SECTIONS["nl"])

    # The reader can switch to the other complete languages, and only to those.
    switch = page.locator("main nav.lang-inline a")
    expect(switch).to_have_count(3)
    assert sorted(a.get_attribute("lang") for a in switch.all()) == ["ar", "en", "nl"]
    expect(page.locator("main nav.lang-inline a[aria-current]")).to_have_attribute("lang", "nl")

    pdf_links(page, "nl")
    assert_accessible(page, "report-nl", screenshot)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_report_pdfs_download_and_render(page, live_server, demo, lang, tmp_path):
    """report.pdf (A4), flyer.pdf (one A4 page) and poster.pdf (one A3 page) for the public:
    a PDF each, page 1 rendered to test-artifacts/browser/report-<kind>-<lang>.png."""
    pdf_module_or_skip()
    pdftoppm, pdfinfo, pdftotext = poppler("pdftoppm"), poppler("pdfinfo"), poppler("pdftotext")
    app = live_server.app
    open_report(page, lang)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind, href in pdf_links(page, lang).items():
        response = page.request.get(urljoin(live_server.url, href))
        assert response.status == 200, f"{href}: status {response.status}"
        assert response.headers["content-type"].startswith("application/pdf"), response.headers
        body = response.body()
        assert body.startswith(b"%PDF"), f"{href} is not a PDF: {body[:20]!r}"
        pdf = tmp_path / f"{kind}-{lang}.pdf"
        pdf.write_bytes(body)
        target = ARTIFACTS / f"report-{kind}-{lang}"
        subprocess.run(
            [pdftoppm, "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), target],
            check=True,
            timeout=60,
        )
        png = target.with_suffix(".png")
        assert png.is_file(), f"pdftoppm made no {png.name}"

        facts = pdf_facts(pdf, pdfinfo, pdftotext)
        assert facts.size_mm == PAGE_SIZES_MM[kind], f"{href}: page size {facts.size_mm} mm"
        if kind != "report":
            assert facts.pages == 1, f"{href}: {facts.pages} pages, expected one"
        # Latin text survives extraction in both directions; Arabic comes out in its
        # presentation forms, so the translated title is only compared for left-to-right.
        assert demo.study_title in facts.text, f"{href} does not name the study"
        if DIRECTION[lang] == "ltr":
            title = t(app, lang, "What we learned together")
            assert title in squeeze(facts.text), f"{href} lacks its title {title!r}"


# ---------------------------------------------------------------- 2. Arabic


def test_public_report_in_arabic(new_page, live_server, demo, screenshot):
    app = live_server.app
    page = new_page(locale="ar")
    open_report(page, "ar")
    assert_language(page, "ar", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_no_sideways_scroll(page, 360)
    assert_report_content(page, app, "ar", SECTIONS["ar"])
    pdf_links(page, "ar")
    assert_accessible(page, "report-ar", screenshot)


# ---------------------------------------------------------------- 3. Ukrainian


def test_public_report_in_ukrainian_after_the_coordinator_adds_it(
    new_page, live_server, demo, screenshot
):
    app = live_server.app

    # Not written in Ukrainian yet: a Ukrainian reader keeps a Ukrainian interface, reads
    # the Dutch text (marked as Dutch), is told so, and Ukrainian is not offered.
    reader = new_page(locale="uk-UA")
    open_report(reader, "uk")
    assert_language(reader, "uk", "ltr")
    expect(reader.locator("main h1")).to_have_text(t(app, "uk", "What we learned together"))
    notice = reader.locator("main .report-language-notice")
    expect(notice).to_have_count(1)
    expect(notice.locator("bdi[lang=nl]")).to_have_text("Nederlands")
    expect(
        reader.locator("main section[aria-labelledby='s-heard'] div.large-text[lang=nl]")
    ).to_contain_text(SECTIONS["nl"]["heard"].splitlines()[0])
    expect(reader.locator("main nav.lang-inline a[lang=uk]")).to_have_count(0)
    expect(reader.locator("main nav.lang-inline a[lang=nl]")).to_have_attribute(
        "aria-current", "true"
    )
    assert_no_sideways_scroll(reader, 360)
    assert_accessible(reader, "report-uk-shown-in-nl", screenshot)

    # The coordinator writes the six sections in Ukrainian, saves, and publishes again.
    coordinator = coordinator_page(new_page, app, demo)
    study_id = demo_study_id(app)
    coordinator.goto(f"/studies/{study_id}/report?in=uk")
    shown = coordinator.locator("html").get_attribute("lang")
    for kind, body in UKRAINIAN.items():
        field = coordinator.locator(f"textarea[name=section_{kind}]")
        expect(field).to_have_attribute("lang", "uk")
        field.fill(body)
    builder = coordinator.locator("form.stack").filter(has=coordinator.locator("textarea"))
    builder.get_by_role("button", name=t(app, shown, "Save"), exact=True).click()
    expect(coordinator.get_by_role("status")).to_contain_text(t(app, shown, "Saved."))
    expect(coordinator.locator("textarea[name=section_contact]")).to_have_value(
        UKRAINIAN["contact"]
    )
    press_publish_button(coordinator, app, "publish")

    # Now the public reads it in Ukrainian.
    reader = new_page(locale="uk-UA")
    open_report(reader, "uk")
    assert_language(reader, "uk", "ltr")
    assert_no_sideways_scroll(reader, 360)
    assert_report_content(reader, app, "uk", UKRAINIAN)
    expect(reader.locator("main nav.lang-inline a[aria-current]")).to_have_attribute("lang", "uk")
    pdf_links(reader, "uk")
    assert_accessible(reader, "report-uk", screenshot)


# ---------------------------------------------------------------- 4. without JavaScript, printed


def test_report_without_javascript_and_printed(new_page, live_server, demo, screenshot):
    app = live_server.app
    page = new_page(javascript=False)
    open_report(page, "nl")
    assert_language(page, "nl", "ltr")
    assert_report_content(page, app, "nl", SECTIONS["nl"])
    assert_no_sideways_scroll(page, 360)
    screenshot(page, "report-nl-no-js")

    # The language links are plain links: they work without JavaScript.
    page.locator("main nav.lang-inline a[lang=ar]").click()
    assert_language(page, "ar", "rtl")
    assert_report_content(page, app, "ar", SECTIONS["ar"])
    page.goto(f"{REPORT_URL}?lang=nl")

    header_navs = page.locator(".site-header nav")
    assert header_navs.count() >= 1, "the site header has no navigation to hide"
    expect(header_navs.first).to_be_visible()

    page.emulate_media(media="print")
    for index in range(header_navs.count()):
        expect(header_navs.nth(index)).to_be_hidden()
    expect(page.locator(".skip-link")).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main figure table, main p.figure-hidden").first).to_be_visible()
    expect(page.locator("main blockquote")).to_be_visible()
    expect(page.locator("main ul.actions-list")).to_be_visible()
    screenshot(page, "report-nl-print")


# ---------------------------------------------------------------- 5. taken offline


def test_report_taken_offline_is_gone_for_the_public(new_page, live_server, demo, screenshot):
    app = live_server.app
    coordinator = coordinator_page(new_page, app, demo)
    press_publish_button(coordinator, app, "unpublish")

    public = new_page()
    response = public.goto(REPORT_URL)
    assert response.status == 404, f"{REPORT_URL} for the public after unpublishing: {response}"
    response = public.goto(f"{REPORT_URL}?lang=ar")
    assert response.status == 404, f"{REPORT_URL}?lang=ar for the public: {response.status}"
    if pdf_module_available():
        for kind in PDF_KINDS:
            pdf = public.request.get(urljoin(live_server.url, f"{REPORT_URL}/{kind}.pdf"))
            assert pdf.status == 404, f"{kind}.pdf for the public after unpublishing: {pdf.status}"

    # The area page no longer lists it.
    public.goto(f"{AREA_URL}?lang=nl")
    expect(public.locator(f"main a[href^='{REPORT_URL}']")).to_have_count(0)
    expect(public.locator("main")).to_contain_text(
        t(app, "nl", "No results are published here yet.")
    )

    # The coordinator still previews it, marked as not published; at the public address it
    # is gone for them too.
    response = coordinator.goto(f"{REPORT_URL}?lang=nl")
    assert response.status == 404, response.status
    response = coordinator.goto(f"/studies/{demo_study_id(app)}/report/preview?lang=nl")
    assert response.status == 200, response.status
    expect(coordinator.locator("main .warning-box")).to_contain_text(
        t(app, "nl", "Not published: only the coordinators see this.")
    )
    expect(coordinator.locator("main h1")).to_have_text(t(app, "nl", "What we learned together"))
    screenshot(coordinator, "report-nl-offline-coordinator")


# ---------------------------------------------------------------- 6. the area page


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_area_page_lists_the_report_and_its_actions(new_page, live_server, demo, lang, screenshot):
    app = live_server.app
    page = new_page()
    response = page.goto(f"{AREA_URL}?lang={lang}")
    assert response.status == 200, response.status
    assert_language(page, lang, DIRECTION[lang])
    assert_no_sideways_scroll(page, 360)
    expect(page.locator("main h1")).to_have_text(DEMO_AREA["name"])

    card = page.locator("main li.card").filter(has=page.locator(f"a[href^='{REPORT_URL}']"))
    expect(card).to_have_count(1)
    expect(card.locator(f"a[href^='{REPORT_URL}']")).to_have_text(demo.study_title)
    items = card.locator("ul > li")
    expected = demo_actions()
    expect(items).to_have_count(len(expected))
    for item, action in zip(items.all(), expected, strict=True):
        title = action.titles.get(lang) or action.titles["nl"]
        status = t(app, lang, STATUS_LABELS[action.status])
        assert squeeze(item.inner_text()) == f"{title} · {status}", item.inner_text()

    assert_accessible(page, f"area-{lang}", screenshot)

    # The link leads to the report.
    card.locator(f"a[href^='{REPORT_URL}']").click()
    expect(page.locator("main h1")).to_have_text(t(app, lang, "What we learned together"))


# ---------------------------------------------------------------- 7. large text on a phone


TEXT_200_PERCENT = "document.documentElement.style.setProperty('font-size', '200%', 'important')"


def test_arabic_report_at_200_percent_text_does_not_scroll_sideways(
    new_page, live_server, demo, screenshot
):
    """On a 360 px phone with text at 200 %, the e-mail address in the contact section wraps
    (after the @ and before a dot) instead of widening the page: the Arabic report never
    scrolls sideways. (Long words in general are the site-wide stylesheet's work.)"""
    width = 360
    page = new_page(locale="ar", width=width)
    open_report(page, "ar")
    page.evaluate(TEXT_200_PERCENT)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    contact = page.locator("main section[aria-labelledby='s-contact']")
    address = contact.locator("a[href='mailto:onderzoek@example.nl']")
    expect(address).to_have_text("onderzoek@example.nl")
    assert address.evaluate("a => a.getClientRects().length") > 1, "the address did not wrap"
    screenshot(page, "report-ar-200-percent")
    assert_no_sideways_scroll(page, width)


# ---------------------------------------------------------------- 8. a draft is not public


def test_a_saved_draft_stays_out_of_the_public_report_until_published(
    new_page, live_server, demo, screenshot
):
    """The coordinator changes "What we heard" in Arabic and presses Save: Arabic readers
    still read the published text; the coordinator's preview shows the draft."""
    app = live_server.app
    coordinator = coordinator_page(new_page, app, demo)
    study_id = demo_study_id(app)
    coordinator.goto(f"/studies/{study_id}/report?in=ar")
    shown = coordinator.locator("html").get_attribute("lang")
    draft = "مسودة لم تنشر بعد."
    coordinator.locator("textarea[name=section_heard]").fill(draft)
    builder = coordinator.locator("form.stack").filter(has=coordinator.locator("textarea"))
    builder.get_by_role("button", name=t(app, shown, "Save"), exact=True).click()
    expect(coordinator.get_by_role("status")).to_contain_text(t(app, shown, "Saved."))
    expect(coordinator.locator("main .warning-box")).to_have_text(
        t(app, shown, "There are changes that are not published yet.")
    )
    assert_accessible(coordinator, "report-builder-ar", screenshot)

    reader = new_page(locale="ar")
    open_report(reader, "ar")
    heard = reader.locator("main section[aria-labelledby='s-heard'] div.large-text")
    expect(heard).to_contain_text(SECTIONS["ar"]["heard"].splitlines()[0])
    expect(heard).not_to_contain_text(draft)

    coordinator.get_by_role("link", name=t(app, shown, "Preview the draft")).click()
    expect(coordinator.locator("main section[aria-labelledby='s-heard']")).to_contain_text(draft)
    assert_accessible(coordinator, "report-preview-ar", screenshot)

    press_publish_button(coordinator, app, "publish")
    open_report(reader, "ar")
    expect(heard).to_contain_text(draft)
