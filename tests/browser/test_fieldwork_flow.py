"""Fieldwork on a 360×740 phone, in a real browser: a co-researcher meets a participant, takes
consent and runs the demo questionnaire "Buurtgesprek" in Dutch (with and without JavaScript)
and in Arabic; records an observation with the protocol "Straatschouw", a photo and the
phone's location; and the coordinator reviews an interview and the co-researcher sees the
comment. Every page checked passes axe's WCAG 2.1 A/AA rules.

Elements are found by stable attributes (name=, value=, id=, href) so the tests keep working
while the catalogs are translated. Screenshots land in test-artifacts/browser/fieldwork-*.png.
"""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.browser.test_phone_flows import (
    assert_accessible,
    assert_language,
    assert_no_sideways_scroll,
    log_in,
)

WIDTH, HEIGHT = 360, 740
DIRECTION = {"nl": "ltr", "ar": "rtl"}
PAGE_URL = re.compile(r"/interviews/[0-9a-f-]{36}/page/(\d+)$")
SUBMIT_URL = re.compile(r"/interviews/[0-9a-f-]{36}/submit$")
DONE_URL = re.compile(r"/interviews/[0-9a-f-]{36}/done$")
OBSERVATION_URL = re.compile(r"/observations/[0-9a-f-]{36}$")
OBSTACLE = {
    "nl": "Ik werk veel en de avonden zijn kort.",
    "ar": "أعمل كثيرا والأمسيات قصيرة.",
}
PLACES = ("park", "markt")


# ---------------------------------------------------------------- helpers


class Taps:
    """Taps on the touch screen, counted: the navigation taps and every tap in all."""

    def __init__(self) -> None:
        self.navigation: list[str] = []
        self.all: list[str] = []

    def __call__(self, locator, what: str, *, navigates: bool = False) -> None:
        locator.tap()
        self.all.append(what)
        if navigates:
            self.navigation.append(what)


def screenshot_name(lang: str, what: str, suffix: str = "") -> str:
    return f"fieldwork-{what}-{lang}{suffix}"


def check_page(page, lang: str, name: str, screenshot) -> None:
    """Language and direction, no sideways scrolling at 360 px, axe (saves a screenshot)."""
    assert_language(page, lang, DIRECTION[lang])
    assert_no_sideways_scroll(page, WIDTH)
    assert_accessible(page, name, screenshot)


def study_id_from_home(page, demo) -> str:
    link = page.get_by_role("link", name=demo.study_title, exact=True)
    return re.search(r"/studies/(\d+)$", link.get_attribute("href")).group(1)


def label_of(page, input_locator):
    """The <label for=…> of an input: on a phone the big label is what a thumb taps."""
    return page.locator(f"label[for='{input_locator.get_attribute('id')}']")


def next_button(page):
    return page.locator("form.interview-page button[name=action][value=next]")


def expect_interview_page(page, lang: str, index: int, total: int | None = None) -> None:
    """An interview page: its URL, language, direction and the progress bar."""
    expect(page).to_have_url(re.compile(rf"/interviews/[0-9a-f-]{{36}}/page/{index}$"))
    assert_language(page, lang, DIRECTION[lang])
    progress = page.locator("progress[aria-labelledby=progress-label]")
    expect(progress).to_have_count(1)
    expect(page.locator("#progress-label")).not_to_be_empty()
    if total is not None:
        expect(progress).to_have_attribute("max", str(total))


def new_participant_to_first_page(page, app, demo, lang: str, taps: Taps, screenshot, check):
    """From the home screen to the first page of the interview, counting the taps.

    `check(page, name)` runs on the consent page and the receipt (axe and friends).
    """
    card = page.locator(".card").filter(
        has=page.get_by_role("link", name=demo.study_title, exact=True)
    )
    new_participant = card.locator("a[href*='/participants/new']")
    expect(new_participant).to_have_count(1)
    taps(new_participant, "new participant", navigates=True)
    expect(page).to_have_url(re.compile(r"/studies/\d+/participants/new$"))

    language = page.locator(f"input[name=language][value={lang}]")
    if not language.is_checked():  # preselected when it is the co-researcher's language
        taps(language, f"language {lang}")
    taps(page.locator("input[name=age_band][value='25_44']"), "age 25 to 44")
    taps(page.locator("main form button[type=submit]"), "next: consent", navigates=True)
    # Nothing is stored before consent: the consent page answers the first screen's form.
    expect(page.locator("form.consent-form")).to_be_visible()
    assert_language(page, lang, DIRECTION[lang])
    check(page, screenshot_name(lang, "consent"))

    names: list[str] = []
    for radio in page.locator("input[type=radio][name^='item_']").all():
        name = radio.get_attribute("name")
        if name not in names:
            names.append(name)
    assert names, "no consent items on the consent page"
    for name in names:
        taps(page.locator(f"input[name='{name}'][value=yes]"), f"{name}: yes")
    taps(page.locator("input[name=method][value=spoken]"), "method: spoken")
    taps(page.locator("input[name=declaration]"), "declaration")
    taps(page.locator("form.consent-form button[type=submit]"), "save consent", navigates=True)

    expect(page).to_have_url(re.compile(r"/participants/\d+/receipt$"))
    assert_language(page, lang, DIRECTION[lang])
    expect(page.locator(".participant-card .big-code")).to_be_visible()
    check(page, screenshot_name(lang, "receipt"))
    # With one published questionnaire the card starts the interview itself; otherwise it
    # leads to the participant's interviews, where the questionnaire is chosen.
    start = page.locator("main form[action$='/interviews'] button")
    if start.count() == 0:
        to_interview = page.locator("main a[href$='/interviews']")
        expect(to_interview).to_have_count(1)
        taps(to_interview, "go to the interview", navigates=True)
        expect(page).to_have_url(re.compile(r"/participants/\d+/interviews$"))
        screenshot(page, screenshot_name(lang, "start"))
    expect(start).to_have_count(1)
    taps(start, "start the interview", navigates=True)
    expect(page).to_have_url(PAGE_URL)


def run_interview(page, app, demo, lang: str, screenshot, *, suffix: str = "", checks=True):
    """The whole interview from the home screen to the thank-you page.

    With `checks`, every page is checked (language, direction, no sideways scroll, axe) and
    photographed; without, only the flow itself. Returns the taps and the interview's id.
    """
    taps = Taps()

    def check(page, name):
        if checks:
            check_page(page, lang, name + suffix, screenshot)
        else:
            screenshot(page, name + suffix)

    new_participant_to_first_page(page, app, demo, lang, taps, screenshot, check)
    to_first_page = len(taps.navigation)

    # Page 0: the welcome note. Four pages are visible before the yes/no question is answered.
    expect_interview_page(page, lang, 0, total=4)
    expect(page.locator(".note-item")).to_be_visible()
    check(page, screenshot_name(lang, "note"))
    taps(next_button(page), "next (note)", navigates=True)

    # Page 1: years in the neighbourhood, a whole number from 0 to 100.
    expect_interview_page(page, lang, 1, total=4)
    to_first_question = len(taps.navigation)
    years = page.locator("input[name=q_jaren_in_buurt]")
    expect(years).to_be_visible()
    expect(years).to_have_attribute("inputmode", "numeric")
    check(page, screenshot_name(lang, "question-years"))
    years.fill("abc")
    taps(next_button(page), "next (abc)")
    expect_interview_page(page, lang, 1)
    error = page.locator(".error-message#q_jaren_in_buurt-error")
    expect(error).to_be_visible()
    expect(years).to_have_attribute("aria-invalid", "true")
    expect(years).to_have_attribute("aria-describedby", re.compile(r"\bq_jaren_in_buurt-error\b"))
    expect(years).to_have_value("abc")  # what was typed stays, to be corrected
    expect(page.locator(".error-summary[role=alert]")).to_be_visible()
    check(page, screenshot_name(lang, "question-years-error"))
    years.fill("42")
    taps(next_button(page), "next (42)", navigates=True)

    # Page 2: the group "ontmoeten": places (several) and the 5-point scale with pictograms.
    expect_interview_page(page, lang, 2, total=4)
    expect(page.locator("h1.group-title")).to_be_visible()
    icons = page.locator("fieldset.scale label img")
    expect(icons).to_have_count(5)
    for i in range(5):
        assert icons.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), (
            f"scale pictogram {i + 1} did not load"
        )
    check(page, screenshot_name(lang, "group"))
    for place in PLACES:
        taps(label_of(page, page.locator(f"input[name=q_plekken][value={place}]")), place)
    scale_4 = page.locator("input[name=q_gevoel][value='4']")
    taps(label_of(page, scale_4), "scale 4")
    expect(scale_4).to_be_checked()
    for place in PLACES:
        expect(page.locator(f"input[name=q_plekken][value={place}]")).to_be_checked()
    screenshot(page, screenshot_name(lang, "group-answered") + suffix)
    taps(next_button(page), "next (group)", navigates=True)

    # Page 3: does something stop you? Yes: the follow-up question becomes visible.
    expect_interview_page(page, lang, 3, total=4)
    check(page, screenshot_name(lang, "question-obstacle"))
    taps(label_of(page, page.locator("input[name=q_belemmering][value=yes]")), "yes")
    taps(next_button(page), "next (yes)", navigates=True)

    # Page 4: only shown after "yes" (skip logic decided by the server): now five pages.
    expect_interview_page(page, lang, 4, total=5)
    text = page.locator("textarea[name=q_wat_houdt_tegen]")
    expect(text).to_be_visible()
    text.fill(OBSTACLE[lang])
    check(page, screenshot_name(lang, "question-long-text"))
    taps(next_button(page), "next (long text)", navigates=True)

    # Check and send.
    expect(page).to_have_url(SUBMIT_URL)
    assert_language(page, lang, DIRECTION[lang])
    answers = page.locator("dl.answers")
    expect(answers).to_contain_text("42")
    expect(answers).to_contain_text(OBSTACLE[lang])
    expect(page.locator(".warning-box")).to_have_count(0)  # nothing required is missing
    check(page, screenshot_name(lang, "submit"))
    uuid = re.search(r"/interviews/([0-9a-f-]{36})/submit$", page.url).group(1)
    taps(page.locator("main form button[type=submit]"), "send", navigates=True)

    expect(page).to_have_url(DONE_URL)
    assert_language(page, lang, DIRECTION[lang])
    expect(page.locator("main a[href$='/receipt']")).to_have_count(1)
    check(page, screenshot_name(lang, "done"))
    return SimpleNamespace(
        taps=taps,
        to_first_page=to_first_page,
        to_first_question=to_first_question,
        uuid=uuid,
    )


def small_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (64, 48), (30, 120, 200))
    ImageDraw.Draw(image).rectangle((8, 8, 40, 32), fill=(240, 200, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def open_observation_form(page, demo) -> str:
    """From the home screen through the study page to the new-observation form."""
    study_id = study_id_from_home(page, demo)
    page.goto(f"/studies/{study_id}")
    new_observation = page.locator("main a[href$='/observations/new']")
    expect(new_observation).to_have_count(1)
    new_observation.tap()
    expect(page).to_have_url(re.compile(rf"/studies/{study_id}/observations/new$"))
    return study_id


def observation_submit(page):
    return page.locator("main form[enctype='multipart/form-data'] button[type=submit]")


def fill_observation(page, note: str) -> None:
    first_theme = page.locator("input[name=themes]").first
    if not first_theme.is_checked():
        label_of(page, first_theme).tap()
    expect(first_theme).to_be_checked()
    page.locator("textarea[name=note]").fill(note)
    staat = page.locator("input[name=q_staat][value='2']")
    label_of(page, staat).tap()
    expect(staat).to_be_checked()
    page.locator("#obs_lat").fill("50.9121")
    page.locator("#obs_lon").fill("5.9789")
    page.locator("#obs_accuracy").fill("8")
    page.locator("input[name=photos]").set_input_files(
        files=[{"name": "bankje.png", "mimeType": "image/png", "buffer": small_png()}]
    )


def check_saved_observation(page, lang: str, note: str, name: str, screenshot) -> None:
    expect(page).to_have_url(OBSERVATION_URL)
    expect(page.locator("main p.pre")).to_have_text(note)
    photo = page.locator("main ul.photo-list img.answer-photo")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle(), timeout=10_000
    )
    assert photo.evaluate("img => img.naturalWidth") == 64
    expect(page.locator("main dl.facts")).to_contain_text("50.9121")
    expect(page.locator("main dl.facts")).to_contain_text("± 8 m")
    check_page(page, lang, name, screenshot)


# ---------------------------------------------------------------- 1. Dutch interview


def test_interview_in_dutch(new_page, live_server, demo, screenshot):
    page = new_page()
    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang="nl")
    result = run_interview(page, live_server.app, demo, "nl", screenshot)

    print(
        f"\nTaps from the home screen to the interview's first page (a note): "
        f"{result.to_first_page} ({', '.join(result.taps.navigation[: result.to_first_page])}); "
        f"to the first question: {result.to_first_question}; "
        f"every tap up to the first page, choices included: "
        f"{result.taps.all.index('start the interview') + 1}"
    )
    # Home → new participant → next → save consent → (go to the interview →) start.
    assert result.to_first_page <= 5, result.taps.navigation
    assert result.to_first_question == result.to_first_page + 1, result.taps.navigation


# ---------------------------------------------------------------- 2. Arabic interview


def test_interview_in_arabic(new_page, live_server, demo, screenshot):
    page = new_page(locale="ar")
    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang="ar")
    assert_language(page, "ar", "rtl")
    result = run_interview(page, live_server.app, demo, "ar", screenshot)
    assert result.to_first_page <= 5, result.taps.navigation


# ---------------------------------------------------------------- 3. without JavaScript


def test_interview_in_dutch_without_javascript(new_page, live_server, demo, screenshot):
    page = new_page(javascript=False)
    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang="nl")
    result = run_interview(
        page, live_server.app, demo, "nl", screenshot, suffix="-no-js", checks=False
    )
    assert result.to_first_page <= 5, result.taps.navigation


# ---------------------------------------------------------------- 4. observations


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_observation_with_photo_and_location(new_page, live_server, demo, screenshot, lang):
    page = new_page(locale=lang)
    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang=lang)
    open_observation_form(page, demo)
    expect(page.locator("textarea[name=note]")).to_be_visible()
    expect(page.locator("input[name=q_staat]")).to_have_count(5)
    expect(page.locator("fieldset.scale label img")).to_have_count(5)
    check_page(page, lang, screenshot_name(lang, "observation-form"), screenshot)

    # A theme but no note: the form comes back with its errors, still accessible.
    label_of(page, page.locator("input[name=themes]").first).tap()
    observation_submit(page).tap()
    expect(page).to_have_url(re.compile(r"/observations/new$"))
    expect(page.locator(".error-summary[role=alert]")).to_be_visible()
    note = page.locator("textarea[name=note]")
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#note-error")).to_be_visible()
    expect(page.locator("input[name=themes]").first).to_be_checked()
    check_page(page, lang, screenshot_name(lang, "observation-form-error"), screenshot)

    text = OBSTACLE[lang] if lang == "ar" else "Het bankje bij de speeltuin is weer kapot."
    fill_observation(page, text)
    screenshot(page, screenshot_name(lang, "observation-form-filled"))
    observation_submit(page).tap()
    check_saved_observation(
        page, lang, text, screenshot_name(lang, "observation-saved"), screenshot
    )


def test_observation_location_from_the_phone(browser, live_server, demo, screenshot):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTH, "height": HEIGHT},
        screen={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        permissions=["geolocation"],
        geolocation={"latitude": 50.91, "longitude": 5.97, "accuracy": 12},
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, live_server.app, "samira", demo.passwords["samira"], lang="nl")
        open_observation_form(page, demo)
        locate = page.locator("button.locate[data-prefix=obs]")
        expect(locate).to_be_visible()  # fieldwork.js shows it when the phone has a location
        box = locate.bounding_box()
        assert box is not None
        assert box["height"] >= 44, f"'use my location' is too small to tap: {box}"
        locate.tap()
        expect(page.locator("#obs_lat")).to_have_value("50.910000")
        expect(page.locator("#obs_lon")).to_have_value("5.970000")
        expect(page.locator("#obs_accuracy")).to_have_value("12")
        expect(page.locator("#obs-status")).to_contain_text("12 m")
        screenshot(page, "fieldwork-observation-located-nl")
    finally:
        context.close()


def test_observation_form_without_javascript_hides_locate_button(new_page, live_server, demo):
    """Without JavaScript "use my location" cannot work: it keeps its `hidden` attribute and
    must not be shown; the coordinates are typed."""
    page = new_page(javascript=False)
    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang="nl")
    open_observation_form(page, demo)
    expect(page.locator("button.locate")).to_be_hidden()
    expect(page.locator("#obs_lat")).to_be_visible()


# ---------------------------------------------------------------- 5. coordinator review


def test_coordinator_asks_attention_and_co_researcher_sees_it(
    new_page, live_server, demo, screenshot
):
    app = live_server.app
    samira = new_page()
    log_in(samira, app, "samira", demo.passwords["samira"], lang="nl")
    study_id = study_id_from_home(samira, demo)
    made = run_interview(samira, app, demo, "nl", screenshot, suffix="-for-review", checks=False)

    coordinator = new_page()
    log_in(coordinator, app, "coordinator", demo.passwords["coordinator"], lang="nl")
    assert coordinator.goto(f"/studies/{study_id}/review").status == 200
    assert_language(coordinator, "nl", "ltr")
    link = coordinator.locator(f"main a[href$='/interviews/{made.uuid}']")
    expect(link).to_have_count(1)
    check_page(coordinator, "nl", "fieldwork-review-list-nl", screenshot)

    link.tap()
    expect(coordinator).to_have_url(re.compile(rf"/interviews/{made.uuid}$"))
    expect(coordinator.locator("dl.answers")).to_contain_text(OBSTACLE["nl"])
    check_page(coordinator, "nl", "fieldwork-review-interview-nl", screenshot)
    comment = "Vraag 2: klopt 42 jaar? Graag nog eens navragen."
    label_of(coordinator, coordinator.locator("input[name=decision][value=needs_attention]")).tap()
    coordinator.locator("textarea[name=comment]").fill(comment)
    coordinator.locator("main form:has(textarea[name=comment]) button[type=submit]").tap()
    expect(coordinator).to_have_url(re.compile(rf"/studies/{study_id}/review$"))
    expect(coordinator.locator(".flash-success")).to_be_visible()
    expect(coordinator.locator(f"main a[href$='/interviews/{made.uuid}']")).to_have_count(0)

    # The co-researcher who made it, on another phone, sees the comment.
    again = new_page()
    log_in(again, app, "samira", demo.passwords["samira"], lang="nl")
    assert again.goto(f"/studies/{study_id}/my-work").status == 200
    card = again.locator("main .card").filter(
        has=again.locator(f"a[href$='/interviews/{made.uuid}']")
    )
    expect(card).to_have_count(1)
    expect(card.locator(".warning")).to_have_text(comment)
    check_page(again, "nl", "fieldwork-my-work-nl", screenshot)
