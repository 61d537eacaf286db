"""Phone flows in a real browser: logging in in Dutch and Arabic, the language switch, pages
without JavaScript, no sideways scrolling, and axe's WCAG 2.1 A/AA checks.

Screenshots of every page checked land in test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
HOME = re.compile(r"/home$")

# Elements sticking out sideways, to explain a failed scroll-width check.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width > 1 && (box.right > width + 0.5 || box.left < -0.5)) {
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      offenders.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls}`
        + ` [${Math.round(box.left)}..${Math.round(box.right)}]`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: width,
    offenders: offenders.slice(0, 15),
  };
}
"""


# ---------------------------------------------------------------- helpers


def t(app, lang: str, text: str) -> str:
    """The interface text as the app shows it in `lang` (so the tests follow the catalogs)."""
    with app.test_request_context(), force_locale(lang):
        return gettext(text)


def log_in(page, app, username: str, password: str, lang: str | None = None) -> None:
    """Log in through the form, found by its labels, and wait for the home screen."""
    page.goto(f"/login?lang={lang}" if lang else "/login")
    shown = page.locator("html").get_attribute("lang")
    page.get_by_label(t(app, shown, "Username"), exact=True).fill(username)
    page.get_by_label(t(app, shown, "Password"), exact=True).fill(password)
    page.get_by_role("button", name=t(app, shown, "Log in"), exact=True).click()
    expect(page).to_have_url(HOME)


def assert_language(page, lang: str, direction: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)


def assert_no_sideways_scroll(page, width: int) -> None:
    layout = page.evaluate(OVERFLOW_JS)
    assert layout["scrollWidth"] <= width, (
        f"{page.url} scrolls sideways at {width}px: scrollWidth {layout['scrollWidth']}; "
        f"elements sticking out: {layout['offenders']}"
    )


def _describe(violation: dict) -> str:
    """One line per axe violation: rule, impact, how many elements, the first one."""
    nodes = violation["nodes"]
    first = nodes[0] if nodes else {}
    summary = " / ".join(
        line.strip() for line in first.get("failureSummary", "").splitlines()[1:3] if line.strip()
    )
    return (
        f"  - {violation['id']} ({violation['impact']}, {len(nodes)} element(s)): "
        f"{violation['help']}; first: {first.get('target')} {first.get('html', '')[:120]!r}"
        f" ({summary})"
    )


def assert_accessible(page, name: str, screenshot) -> None:
    """Save a screenshot, run axe with the WCAG 2.1 A/AA rules, expect no violations."""
    screenshot(page, name)
    results = Axe().run(page, options=WCAG_21_AA)
    violations = results.response["violations"]
    details = "\n".join(_describe(v) for v in violations)
    assert results.violations_count == 0, (
        f"axe: {results.violations_count} WCAG 2.1 A/AA violation(s) on {name} ({page.url}):\n"
        + details
    )


def study_link(page, demo):
    return page.get_by_role("link", name=demo.study_title, exact=True)


# ---------------------------------------------------------------- logging in


def test_co_researcher_logs_in_in_dutch(page, live_server, demo, screenshot):
    page.goto("/login?lang=nl")
    assert_language(page, "nl", "ltr")
    screenshot(page, "login-nl")

    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang="nl")

    expect(study_link(page, demo)).to_be_visible()
    assert_language(page, "nl", "ltr")
    screenshot(page, "home-co-researcher-nl")


def test_co_researcher_logs_in_in_arabic(page, live_server, demo, screenshot):
    page.goto("/login?lang=ar")
    assert_language(page, "ar", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_no_sideways_scroll(page, 360)
    screenshot(page, "login-ar")

    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang="ar")

    expect(study_link(page, demo)).to_be_visible()
    assert_language(page, "ar", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_no_sideways_scroll(page, 360)
    screenshot(page, "home-co-researcher-ar")


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_login_page_fits_a_320px_phone(new_page, lang, screenshot):
    page = new_page(width=320, height=640)
    page.goto(f"/login?lang={lang}")
    screenshot(page, f"login-{lang}-320px")
    assert_no_sideways_scroll(page, 320)


def test_language_switch_is_remembered(page, live_server, screenshot):
    page.goto("/login")
    assert_language(page, "nl", "ltr")  # the browser asks for Dutch

    page.get_by_role("link", name="العربية", exact=True).click()
    assert_language(page, "ar", "rtl")
    expect(page).to_have_url(re.compile(r"/login\?lang=ar$"))

    page.goto("/login")
    assert_language(page, "ar", "rtl")
    expect(page.get_by_role("link", name="العربية", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    screenshot(page, "login-ar-remembered")


def test_log_in_without_javascript(new_page, live_server, demo, screenshot):
    page = new_page(javascript=False)
    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang="nl")
    expect(study_link(page, demo)).to_be_visible()
    assert_language(page, "nl", "ltr")
    screenshot(page, "home-co-researcher-nl-no-js")


# ---------------------------------------------------------------- taps to consent


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_co_researcher_reaches_consent_in_three_taps(page, live_server, demo, lang, screenshot):
    """The design: three taps from logging in. New participant, their age, Next: the
    language is the co-researcher's own when the study has it (one tap to change it)."""
    app = live_server.app
    log_in(page, app, "samira", demo.passwords["samira"], lang=lang)
    taps = []

    def tap(locator, name):
        locator.tap()
        taps.append(name)

    card = page.locator(".card").filter(has=study_link(page, demo))
    tap(
        card.get_by_role("link", name=re.compile(re.escape(t(app, lang, "New participant")))), "new"
    )
    expect(page.locator(f"input[name=language][value={lang}]")).to_be_checked()
    expect(page.locator("input[name=age_band]:checked")).to_have_count(0)  # asked, not guessed
    tap(page.get_by_role("radio", name=t(app, lang, "25 to 44"), exact=True), "age band")
    tap(page.get_by_role("button", name=t(app, lang, "Next: consent"), exact=True), "next")

    expect(page.locator("form.consent-form")).to_be_visible()
    expect(page.locator("#information-text")).to_be_visible()
    assert_language(page, lang, "rtl" if lang == "ar" else "ltr")
    screenshot(page, f"consent-after-three-taps-{lang}")
    assert len(taps) == 3, taps


# ---------------------------------------------------------------- accessibility (axe)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_login_page_is_accessible(page, lang, screenshot):
    page.goto(f"/login?lang={lang}")
    assert_accessible(page, f"axe-login-{lang}", screenshot)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_co_researcher_home_is_accessible(page, live_server, demo, lang, screenshot):
    log_in(page, live_server.app, "samira", demo.passwords["samira"], lang=lang)
    expect(study_link(page, demo)).to_be_visible()
    assert_accessible(page, f"axe-home-co-researcher-{lang}", screenshot)


def test_study_list_is_accessible(page, live_server, demo, screenshot):
    log_in(page, live_server.app, "coordinator", demo.passwords["coordinator"])
    page.goto("/studies")
    expect(study_link(page, demo)).to_be_visible()
    assert_accessible(page, "axe-studies-nl", screenshot)


def test_study_form_is_accessible(page, live_server, demo, screenshot):
    log_in(page, live_server.app, "coordinator", demo.passwords["coordinator"])
    page.goto("/studies/new")
    expect(page.locator("form.stack")).to_be_visible()
    assert_accessible(page, "axe-study-form-nl", screenshot)


def test_study_form_with_errors_is_accessible(page, live_server, demo, screenshot):
    app = live_server.app
    log_in(page, app, "coordinator", demo.passwords["coordinator"])
    page.goto("/studies/new")
    page.get_by_role("button", name=t(app, "nl", "Save"), exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(t(app, "nl", "Please check the form"))
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    assert_accessible(page, "axe-study-form-errors-nl", screenshot)
