"""The consent flow on a 360×740 phone, in a real browser: a co-researcher meets a new
participant, takes consent in Dutch (with and without JavaScript) or in Arabic (signed on the
screen), shows the participant card with its QR code, and the participant later opens their
own page and withdraws. Also the coordinator's consent pages. Every page opened with
JavaScript on must pass axe's WCAG 2.1 A/AA rules (axe cannot run with JavaScript off).

Texts are looked up in the app's own catalogs (or in the demo's consent texts), so the tests
follow the translations; everything else is found by stable attributes (name=, id=, href).
Screenshots land in test-artifacts/browser/.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from fieldapp.consent.demo_texts import INFORMATION
from tests.browser.test_phone_flows import (
    assert_accessible,
    assert_language,
    assert_no_sideways_scroll,
    log_in,
    t,
)

CODE = re.compile(r"[A-Z0-9]{3}-[A-Z0-9]{4}")
DIRECTION = {"nl": "ltr", "ar": "rtl"}
YES_ITEMS = ("take_part", "audio")  # the participant says yes to these, no to the rest


# ---------------------------------------------------------------- helpers


def squeeze(text: str) -> str:
    return " ".join(text.split())


def start_new_participant(page, app, demo, lang: str) -> None:
    """Log in as samira (Dutch interface), tap "New participant", choose language and age."""
    log_in(page, app, "samira", demo.passwords["samira"], lang="nl")
    card = page.locator(".card").filter(
        has=page.get_by_role("link", name=demo.study_title, exact=True)
    )
    new_participant = card.locator("a[href*='/participants/new']")
    expect(new_participant).to_contain_text(t(app, "nl", "New participant"))
    new_participant.tap()
    expect(page).to_have_url(re.compile(r"/studies/\d+/participants/new$"))

    page.locator(f"input[name=language][value={lang}]").check()
    page.get_by_role("radio", name=t(app, "nl", "25 to 44"), exact=True).check()
    page.get_by_role("button", name=t(app, "nl", "Next: consent"), exact=True).click()
    # Nothing is stored before consent: the consent page answers the first screen's form.
    expect(page.locator("form.consent-form")).to_be_visible()


def answer_items(page) -> list[str]:
    """Yes to taking part and audio, no to every other item; returns the item field names."""
    names = []
    for radio in page.locator("input[type=radio][name^='item_']").all():
        name = radio.get_attribute("name")
        if name not in names:
            names.append(name)
    assert {f"item_{key}" for key in YES_ITEMS} <= set(names), names
    for name in names:
        answer = "yes" if name.removeprefix("item_") in YES_ITEMS else "no"
        page.locator(f"input[name='{name}'][value={answer}]").check()
    return names


def check_receipt(page, app, lang: str) -> SimpleNamespace:
    """The receipt page in the participant's language: code, QR image, link to their page."""
    expect(page).to_have_url(re.compile(r"/participants/\d+/receipt$"))
    assert_language(page, lang, DIRECTION[lang])
    expect(page.get_by_role("heading", level=1)).to_have_text(t(app, lang, "Thank you!"))
    code = page.locator(".participant-card .big-code")
    expect(code).to_have_text(CODE)
    qr = page.get_by_role("img", name=t(app, lang, "QR code to your own page"), exact=True)
    expect(qr).to_be_visible()
    assert (qr.get_attribute("src") or "").startswith("data:image/png;base64,")
    box = qr.bounding_box()
    assert box is not None
    assert min(box["width"], box["height"]) >= 150, box
    url = page.locator(".participant-card .url-text")
    expect(url).to_be_visible()
    return SimpleNamespace(code=code.inner_text().strip(), url=url.inner_text().strip())


def check_page(page, name: str, screenshot, javascript: bool = True) -> None:
    """axe on a page with JavaScript; without it only a screenshot. axe needs timers, which
    do not run in a context with JavaScript off: axe.run() would wait for ever."""
    if javascript:
        assert_accessible(page, name, screenshot)
    else:
        screenshot(page, name)


def consent_in_dutch(
    page, app, demo, screenshot, javascript: bool = True, audit: bool = True
) -> SimpleNamespace:
    """The whole Dutch flow up to the receipt; returns the code and the participant URL.
    With audit=False the pages are not checked with axe again (test 1 does that)."""
    suffix = "" if javascript else "-no-js"
    start_new_participant(page, app, demo, "nl")
    assert_language(page, "nl", "ltr")
    expect(page.locator("#information-text")).to_be_visible()
    assert squeeze(page.locator("#information-text").inner_text()) == squeeze(INFORMATION["nl"])
    expect(page.locator("#signature-pad")).to_be_hidden()
    if not javascript:  # the <noscript> hint says to choose another way than signing
        expect(page.locator("noscript .hint")).to_have_text(
            t(app, "nl", "Signing on the screen needs JavaScript. Choose one of the other ways.")
        )
        expect(page.locator("noscript .hint")).to_be_visible()
    if audit:
        check_page(page, f"consent-take-nl{suffix}", screenshot, javascript)

    answer_items(page)
    page.locator("input[name=method][value=spoken]").check()
    page.locator("input[name=declaration]").check()
    page.get_by_role("button", name=t(app, "nl", "Save consent"), exact=True).click()

    receipt = check_receipt(page, app, "nl")
    if audit:
        check_page(page, f"consent-receipt-nl{suffix}", screenshot, javascript)
    return receipt


def pdftoppm_path() -> str:
    path = shutil.which("pdftoppm")
    if path is None:
        message = "pdftoppm not found; install Debian's poppler-utils to check the card's QR code"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(message)
    return path


# ---------------------------------------------------------------- 1. Dutch


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_consent_in_dutch(new_page, live_server, demo, screenshot, javascript):
    page = new_page(javascript=javascript)
    receipt = consent_in_dutch(page, live_server.app, demo, screenshot, javascript)
    assert CODE.fullmatch(receipt.code), receipt.code


def test_read_aloud_button_is_hidden_without_javascript(new_page, live_server, demo):
    """The "Read aloud" button does nothing without JavaScript (and without a voice for the
    language): it carries `hidden`, which consent.js lifts only when a voice is found."""
    page = new_page(javascript=False)
    start_new_participant(page, live_server.app, demo, "nl")
    read_aloud = page.locator("button.read-aloud")
    expect(read_aloud).to_have_attribute("hidden", "")
    expect(read_aloud).to_be_hidden()


def test_error_summary_links_lead_to_the_questions(page, live_server, demo):
    """Each link in the error summary jumps to the question it is about."""
    app = live_server.app
    start_new_participant(page, app, demo, "nl")
    page.get_by_role("button", name=t(app, "nl", "Save consent"), exact=True).click()
    links = page.get_by_role("alert").get_by_role("link")
    expect(links.first).to_be_visible()
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert len(hrefs) >= 2, hrefs
    broken = [h for h in hrefs if page.locator(f"[id='{h.removeprefix('#')}']").count() != 1]
    assert not broken, f"error summary links without a target on {page.url}: {broken}"


# ---------------------------------------------------------------- 2. Arabic, signed


def test_consent_in_arabic_signed_on_screen(page, live_server, demo, screenshot):
    app = live_server.app
    start_new_participant(page, app, demo, "ar")
    assert_language(page, "ar", "rtl")
    assert squeeze(page.locator("#information-text").inner_text()) == squeeze(INFORMATION["ar"])
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page, "consent-take-ar", screenshot)

    # An empty form: the error summary, still accessible.
    page.get_by_role("button", name=t(app, "ar", "Save consent"), exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(t(app, "ar", "Please check the form"))
    assert_language(page, "ar", "rtl")
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page, "consent-take-ar-errors", screenshot)

    # Fill in, and sign on the screen.
    answer_items(page)
    pad = page.locator("#signature-pad")
    expect(pad).to_be_hidden()
    page.locator("input[name=method][value=signature]").check()
    expect(pad).to_be_visible()
    canvas = pad.locator("canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    assert box["width"] > 100, box
    assert box["height"] > 40, box
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.7)
    page.mouse.down()
    for fx, fy in ((0.25, 0.3), (0.4, 0.75), (0.55, 0.35), (0.7, 0.7), (0.9, 0.4)):
        page.mouse.move(x + w * fx, y + h * fy, steps=5)
    page.mouse.up()
    signature = page.locator("#signature-data")
    expect(signature).to_have_value(re.compile(r"^data:image/png;base64,"))
    screenshot(page, "consent-take-ar-signed")
    page.get_by_role("button", name=t(app, "ar", "Save consent"), exact=True).click()

    receipt = check_receipt(page, app, "ar")
    assert CODE.fullmatch(receipt.code), receipt.code
    assert_no_sideways_scroll(page, 360)
    assert_accessible(page, "consent-receipt-ar", screenshot)


# ---------------------------------------------------------------- 3. the card's PDF and QR


def test_receipt_pdf_qr_leads_to_participant_page(
    new_page, live_server, demo, screenshot, tmp_path
):
    import zxingcpp
    from PIL import Image

    pdftoppm = pdftoppm_path()
    app = live_server.app
    page = new_page()
    receipt = consent_in_dutch(page, app, demo, screenshot, audit=False)
    assert receipt.url.startswith(live_server.url + "/p/"), receipt.url

    # The PDF is made from the link the card page posts back (it is kept nowhere else).
    print_form = page.locator("form[action$='/receipt.pdf']")
    response = page.request.post(
        urljoin(page.url, print_form.get_attribute("action")),
        form={
            "csrf_token": print_form.locator("input[name=csrf_token]").input_value(),
            "token": print_form.locator("input[name=token]").input_value(),
        },
    )
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith("application/pdf")
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(response.body())
    subprocess.run([pdftoppm, "-r", "200", "-png", str(pdf), str(tmp_path / "card")], check=True)
    pngs = sorted(tmp_path.glob("card*.png"))
    assert pngs, "pdftoppm made no image"
    with Image.open(pngs[0]) as image:
        found = zxingcpp.read_barcodes(image)
    assert found, f"no QR code found on the card ({pngs[0]})"
    assert found[0].text == receipt.url
    assert found[0].text.startswith(live_server.url + "/p/")
    # The QR code on the screen leads to the same page.
    src = page.locator(".participant-card img[src^='data:image/png;base64,']").get_attribute("src")
    with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as image:
        on_screen = zxingcpp.read_barcodes(image.convert("L"))
    assert on_screen, "no QR code found in the image on the receipt page"
    assert on_screen[0].text == receipt.url

    # The participant's own page, without logging in: Dutch, then Arabic.
    visitor = new_page()
    response = visitor.goto(receipt.url)
    assert response.status == 200
    assert_language(visitor, "nl", "ltr")
    expect(visitor.locator("strong.code")).to_have_text(receipt.code)
    assert_no_sideways_scroll(visitor, 360)
    assert_accessible(visitor, "participant-page-nl", screenshot)

    response = visitor.goto(receipt.url + "?lang=ar")
    assert response.status == 200
    assert_language(visitor, "ar", "rtl")
    expect(visitor.locator("strong.code")).to_have_text(receipt.code)
    assert_no_sideways_scroll(visitor, 360)
    assert_accessible(visitor, "participant-page-ar", screenshot)


# ---------------------------------------------------------------- 4. withdrawing


def test_participant_withdraws_from_own_page(new_page, live_server, demo, screenshot):
    app = live_server.app
    receipt = consent_in_dutch(new_page(), app, demo, screenshot, audit=False)

    visitor = new_page()
    assert visitor.goto(receipt.url).status == 200
    withdraw = visitor.locator("main a[href*='/withdraw']:not([href*='/items/'])")
    expect(withdraw).to_have_count(1)
    withdraw.click()
    expect(visitor).to_have_url(re.compile(r"/p/[^/]+/withdraw$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        t(app, "nl", "Are you sure you want to stop?")
    )
    assert_accessible(visitor, "participant-withdraw-confirm-nl", screenshot)

    visitor.get_by_role("button", name=t(app, "nl", "Yes, stop and erase my data")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        t(app, "nl", "You no longer take part")
    )
    assert_accessible(visitor, "participant-withdrawn-nl", screenshot)

    assert visitor.goto(receipt.url).status == 404


# ---------------------------------------------------------------- 5. the coordinator


def test_coordinator_consent_pages_are_accessible(page, live_server, demo, screenshot):
    app = live_server.app
    log_in(page, app, "coordinator", demo.passwords["coordinator"], lang="nl")
    page.goto("/studies")
    href = page.get_by_role("link", name=demo.study_title, exact=True).get_attribute("href")
    study_id = re.search(r"/studies/(\d+)$", href).group(1)

    assert page.goto(f"/studies/{study_id}/consent").status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(t(app, "nl", "Consent"))
    assert_accessible(page, "coordinator-consent-versions-nl", screenshot)

    assert page.goto(f"/studies/{study_id}/consent/register").status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(t(app, "nl", "Consent register"))
    assert_accessible(page, "coordinator-consent-register-nl", screenshot)

    page.goto(f"/studies/{study_id}/consent")
    new_version = page.locator("form[action$='/consent/new'] button[type=submit]")
    expect(new_version).to_have_text(t(app, "nl", "Make a new version"))
    new_version.click()
    expect(page).to_have_url(re.compile(rf"/studies/{study_id}/consent$"))
    arabic = page.locator("a[href$='/text/ar']")
    expect(arabic).to_have_count(1)
    arabic.click()
    expect(page).to_have_url(re.compile(r"/consent/\d+/text/ar$"))
    information = page.locator("textarea[name=information]")
    expect(information).to_have_attribute("dir", "rtl")
    expect(information).to_have_attribute("lang", "ar")
    assert_accessible(page, "coordinator-consent-text-ar", screenshot)
