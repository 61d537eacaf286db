"""Every page on a 360 px phone at 200 % text size, in Dutch and in Arabic: the page itself
never scrolls sideways (wide tables scroll inside their own labelled region), and a sample of
those pages passes axe's WCAG 2.1 A/AA rules at that size.

The pages are not listed by hand: each role's pages are found by following the links from its
home page (and the public pages from the front page), so a new page that is linked from
anywhere is checked too. A page that is reached only through a form (a new participant's
consent page, the participant card) is reached by filling in that form. Every HTML page of
the URL map must be reached by one of these ways or be named in NOT_CRAWLED with the reason,
so a new route cannot slip past unchecked.

Screenshots of a few pages land in test-artifacts/browser/.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from axe_playwright_python.sync_playwright import Axe
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from fieldapp.extensions import db
from tests.browser.conftest import DEMO_PASSWORDS, PHONE
from tests.browser.test_phone_flows import OVERFLOW_JS, WCAG_21_AA, _describe

# Pages photographed in Arabic (test-artifacts/browser/zoom200-ar-*.png), to look at.
SCREENSHOTS = {
    "compensation.admin_limits",
    "consent.register",
    "consent.take",
    "consent.receipt",
    "fieldwork.show",
    "participant_page.show",
    "reports.public",
    "analysis.codebook",
    "studies.create",
}
# Boxes that scroll sideways inside the page must be reachable by keyboard and named, so
# that someone without a mouse can scroll them and a screen reader says what they hold.
# The one exception: the report's figure tables (templates/reports/_figures.html), whose
# markup belongs to the reports pages; they need the same region wrapper. Drop this then.
FIGURE_TABLES_NOT_YET_REGIONS = "figure.figure > div.table-wrap"
SCROLLERS_JS = """
(exception) => [...document.body.querySelectorAll('*')].filter(el => {
  if (el.matches(exception)) return false;
  const style = getComputedStyle(el);
  if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) {
    return false;
  }
  const labelledBy = (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
    .map(id => document.getElementById(id)).filter(Boolean);
  const named = (el.getAttribute('aria-label') || '').trim()
    || labelledBy.some(label => label.textContent.trim());
  return !(el.tabIndex >= 0 && el.getAttribute('role') === 'region' && named);
}).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))
"""
ZOOM_JS = "document.documentElement.style.setProperty('font-size', '200%', 'important')"
ROLES = ("samira", "piotr", "coordinator", "admin")
LANGUAGES = ("nl", "ar")
# How many different pages of one endpoint to check (three interviews look alike).
PER_ENDPOINT = 3
# Files and machine answers, not pages: their rule ends in an extension, or they are these.
NOT_PAGES = {"static", "common.healthz", "fieldwork.media"}
# HTML pages that no link leads to, each with the reason; every other page must be reached.
NOT_CRAWLED = {
    "studies.invite": "redirects to the invitations page",
    "fieldwork.edit_observation": "only for an observation a coordinator sent back",
    "accounts.accept_invitation": "an invitation link is sent, never shown as a link",
    "consent.take": "asks a returning participant again after a new consent version; the same "
    "page as consent.take_new, which the new-participant flow reaches",
}


@dataclass
class Visit:
    who: str
    lang: str
    url: str
    endpoint: str
    status: int
    width: int
    offenders: list[str] = field(default_factory=list)
    unnamed_scrollers: list[str] = field(default_factory=list)


def _file_like(rule) -> bool:
    return bool(re.search(r"\.[a-z0-9]+$", rule.rule)) or rule.endpoint in NOT_PAGES


def _added_by_tests(rule) -> bool:
    return rule.rule.startswith("/_test/")


def html_pages(app) -> set[str]:
    """Endpoints of the URL map that answer GET with an HTML page."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not _file_like(rule) and not _added_by_tests(rule)
    }


class Crawler:
    """Visits pages in one browser page at 200 % text and records how wide each one is."""

    def __init__(self, app, page, base_url: str, screenshot):
        self.app = app
        self.page = page
        self.screenshot = screenshot
        self.base = urlsplit(base_url)
        self.adapter = app.url_map.bind(self.base.netloc)
        self.pages = html_pages(app)
        self.visits: list[Visit] = []
        self.first_url: dict[str, str] = {}
        self.photographed: set[str] = set()
        self.start_role("anonymous")
        self.lang = "nl"

    def start_role(self, who: str) -> None:
        self.who = who
        self.seen: set = set()
        self.per_endpoint: dict[str, int] = defaultdict(int)
        self.visited: list[tuple[str, str, int]] = []

    def parameterless_pages(self) -> list[str]:
        """The URL map's pages that need no argument (/languages, /profile, ...)."""
        return sorted(
            rule.rule
            for rule in self.app.url_map.iter_rules()
            if rule.endpoint in self.pages and not rule.arguments
        )

    def route(self, url: str):
        """(endpoint, key) of a same-site HTML page, or None for anything else."""
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != self.base.netloc:
            return None
        try:
            endpoint, args = self.adapter.match(parts.path, method="GET")
        except (HTTPException, RequestRedirect):
            return None
        if endpoint not in self.pages:
            return None
        query = sorted(k for k, _ in parse_qsl(parts.query) if k != "lang")
        return endpoint, (endpoint, tuple(sorted(args.items())), tuple(query))

    @staticmethod
    def without_lang(url: str) -> str:
        parts = urlsplit(url)
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "lang"])
        return parts.path + (f"?{query}" if query else "")

    def measure(self, url: str, endpoint: str, *, load: bool = True) -> int:
        status = 200
        if load:
            response = self.page.goto(url)
            status = response.status if response else 0
        self.page.evaluate(ZOOM_JS)
        layout = self.page.evaluate(OVERFLOW_JS)
        scrollers = self.page.evaluate(SCROLLERS_JS, FIGURE_TABLES_NOT_YET_REGIONS)
        self.visits.append(
            Visit(
                self.who,
                self.lang,
                url,
                endpoint,
                status,
                layout["scrollWidth"],
                layout["offenders"],
                scrollers,
            )
        )
        self.first_url.setdefault(endpoint, url)
        wanted = self.lang == "ar" and endpoint in SCREENSHOTS and status < 400
        if wanted and endpoint not in self.photographed:
            self.photographed.add(endpoint)
            self.screenshot(self.page, f"zoom200-ar-{endpoint.replace('.', '-')}")
        return status

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        return [href.split("#")[0] for href in hrefs]

    def crawl(self, start: list[str]) -> None:
        """Follow links breadth first from `start`, a few pages per endpoint."""
        queue = deque(start)
        while queue:
            url = self.without_lang(queue.popleft())
            found = self.route(url)
            if found is None:
                continue
            endpoint, key = found
            if key in self.seen or self.per_endpoint[endpoint] >= PER_ENDPOINT:
                continue
            self.seen.add(key)
            self.per_endpoint[endpoint] += 1
            status = self.measure(url, endpoint)
            self.visited.append((url, endpoint, status))
            if status < 400:
                queue.extend(self.links())

    def revisit(self) -> None:
        for url, endpoint, _ in list(self.visited):
            self.measure(url, endpoint)

    def reached(self) -> set[str]:
        return {endpoint for _, endpoint, status in self.visited if status < 400}


def log_in(page, username: str, lang: str) -> None:
    page.goto(f"/login?lang={lang}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORDS[username])
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home$"))


def _participant_token(app) -> str:
    from fieldapp.demo import demo_participant_token

    with app.app_context():
        token = demo_participant_token()
        db.session.commit()
        db.session.remove()
    return token


def _an_interview_uuid(app) -> str:
    from sqlalchemy import select

    from fieldapp.fieldwork.models import Interview

    with app.app_context():
        uuid = db.session.scalar(select(Interview.uuid).order_by(Interview.id).limit(1))
        db.session.remove()
    return uuid


def _choose_first_of_each_group(form) -> None:
    """Tick the first option of every radio group that has nothing ticked yet."""
    names = form.locator("input[type=radio]").evaluate_all(
        "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        group = form.locator(f"input[type=radio][name='{name}']")
        if not group.evaluate_all("els => els.some(e => e.checked)"):
            group.first.check()


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _measure_here(crawler) -> str:
    """Measure the page the browser is on (reached by a form); return its endpoint."""
    found = crawler.route(crawler.page.url)
    assert found is not None, f"a form led to {crawler.page.url}, not to a page"
    crawler.measure(crawler.without_lang(crawler.page.url), found[0], load=False)
    return found[0]


def participant_flow(crawler) -> set[str]:
    """As a co-researcher: a new participant, their consent (first with every answer
    missing), their card, an interview page by page, sending it and the thank-you. Every
    page on the way is measured; returns the endpoints reached."""
    page = crawler.page
    reached = set()
    page.goto(crawler.first_url["participants.new"])
    form = page.locator("main form").first
    # The participant speaks the interface's language and is an adult (no guardian needed).
    for name, value in (("language", crawler.lang), ("age_band", "25_44")):
        option = form.locator(f"input[name={name}][value='{value}']")
        if option.count():
            option.check()
    _choose_first_of_each_group(form)
    _submit(page, "main form button[type=submit]")
    reached.add(_measure_here(crawler))  # the consent page
    _submit(page, "form.consent-form button[type=submit]")
    reached.add(_measure_here(crawler))  # the consent page with the error summary
    for radio in page.locator("input[type=radio][name^='item_'][value=yes]").all():
        radio.check()
    page.locator("input[name=method][value=spoken]").check()
    page.locator("input[name=declaration]").check()
    _submit(page, "form.consent-form button[type=submit]")
    reached.add(_measure_here(crawler))  # the participant card
    _submit(page, "main form[action$='/interviews'] button[type=submit]")
    for _ in range(12):  # the interview, page by page
        endpoint = _measure_here(crawler)
        reached.add(endpoint)
        if endpoint != "fieldwork.page":
            break
        form = page.locator("form.interview-page")
        _choose_first_of_each_group(form)
        for number in form.locator("input[inputmode=numeric], input[inputmode=decimal]").all():
            number.fill("3")
        for text in form.locator("textarea, input[type=text]:not([inputmode])").all():
            text.fill("Het buurthuis is vaak dicht, onderzoek@example.nl weet ervan.")
        _submit(page, "form.interview-page button[value=next]")
    _submit(page, "main form button[type=submit]")  # send the interview
    reached.add(_measure_here(crawler))  # done
    page.locator("a[href$='/thank-you']").first.click()
    page.wait_for_load_state()
    reached.add(_measure_here(crawler))
    return reached


def coordinator_drafts(crawler) -> None:
    """Start a new consent version and a new questionnaire version, so that the pages to
    edit them are linked (and crawled)."""
    page = crawler.page
    page.goto(crawler.first_url["consent.versions"])
    _submit(page, "form[action$='/consent/new'] button[type=submit]")
    crawler.crawl(crawler.links())
    page.goto(crawler.first_url["instruments.show"])
    _submit(page, "form[action$='/new-version'] button[type=submit]")
    crawler.crawl(crawler.links())


def test_every_page_fits_a_phone_at_200_percent_text(
    browser, live_server, demo, screenshot, request
):
    """Every page each role reaches, the participant's pages and the public ones, at 360 px
    and 200 % text, in Dutch and Arabic: the document is never wider than the screen."""
    app = live_server.app
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        screen=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="nl-NL",
    )
    request.addfinalizer(context.close)
    context.set_default_timeout(10_000)
    page = context.new_page()
    crawler = Crawler(app, page, live_server.url, screenshot)
    reached: dict[str, set[str]] = defaultdict(set)
    plain = crawler.parameterless_pages()

    for role in ROLES:
        context.clear_cookies()
        log_in(page, role, "nl")
        crawler.start_role(role)
        for lang in LANGUAGES:
            page.goto(f"/home?lang={lang}")
            crawler.lang = lang
            if lang == LANGUAGES[0]:
                crawler.crawl(["/home", *plain])
                if role == "coordinator":
                    coordinator_drafts(crawler)
            else:
                crawler.revisit()
            if role == "samira":
                reached[role] |= participant_flow(crawler)
        reached[role] |= crawler.reached()

    context.clear_cookies()
    crawler.start_role("anonymous")
    token = _participant_token(app)
    for lang in LANGUAGES:
        page.goto(f"/login?lang={lang}")
        crawler.lang = lang
        if lang == LANGUAGES[0]:
            crawler.crawl(["/", f"/p/{token}", *plain])
        else:
            crawler.revisit()
    reached["anonymous"] = crawler.reached()

    urls = {
        f"{who} {lang}": len({v.url for v in crawler.visits if (v.who, v.lang) == (who, lang)})
        for who in reached
        for lang in LANGUAGES
    }
    too_wide = [v for v in crawler.visits if v.width > PHONE["width"] + 1]
    report = "\n".join(
        f"  {v.who} {v.lang} {v.width}px {v.url}: {v.offenders[:4]}" for v in too_wide
    )
    print(f"\n{len(crawler.visits)} page views; pages per role and language: {urls}")
    print(f"too wide: {len(too_wide)}\n{report}")
    assert not too_wide, (
        f"{len(too_wide)} of {len(crawler.visits)} page views scroll sideways at "
        f"{PHONE['width']}px with 200 % text:\n{report}"
    )

    hidden_scrollers = [v for v in crawler.visits if v.unnamed_scrollers]
    assert not hidden_scrollers, (
        "boxes that scroll sideways but cannot be focused or have no name:\n"
        + "\n".join(f"  {v.who} {v.lang} {v.url}: {v.unnamed_scrollers}" for v in hidden_scrollers)
    )

    everything = set().union(*reached.values())
    missed = sorted(crawler.pages - everything - set(NOT_CRAWLED))
    assert not missed, (
        "pages of the URL map that no role reached (link them, reach them by a form here, "
        f"or name them in NOT_CRAWLED with the reason): {missed}"
    )
    stale = sorted(set(NOT_CRAWLED) & everything)
    assert not stale, f"reached after all, take them out of NOT_CRAWLED: {stale}"


# ---------------------------------------------------------------- axe on a sample


def _axe(page, name: str, screenshot) -> list[str]:
    """axe's WCAG 2.1 A/AA rules on the page as it is (zoomed); one line per violation."""
    screenshot(page, name)
    results = Axe().run(page, options=WCAG_21_AA)
    return [f"{name} ({page.url}):\n{_describe(v)}" for v in results.response["violations"]]


def test_sample_of_zoomed_pages_passes_axe(new_page, live_server, demo, screenshot):
    """The widest pages of before, the interview review page and the participant's and
    public pages, in Arabic at 200 % text: no WCAG 2.1 A/AA violation (a table that scrolls
    must be focusable: axe's scrollable-region-focusable)."""
    page = new_page(locale="ar")
    problems: list[str] = []

    def check(url: str, name: str) -> None:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, (url, response.status)
        page.evaluate(ZOOM_JS)
        problems.extend(_axe(page, f"axe-zoom200-ar-{name}", screenshot))

    log_in(page, "coordinator", "ar")
    page.goto("/studies?lang=ar")
    study = page.locator("main a[href^='/studies/']:not([href$='/new'])").first.get_attribute(
        "href"
    )
    interview = f"/interviews/{_an_interview_uuid(live_server.app)}"
    for url, name in (
        (f"{study}/consent/register", "consent-register"),
        (f"{study}/codes", "codebook"),
        (f"{study}/money", "study-money"),
        (interview, "interview-review"),
    ):
        check(url, name)

    page.context.clear_cookies()
    log_in(page, "admin", "ar")
    check("/admin/limits", "admin-limits")
    check("/admin/accounts", "admin-accounts")

    page.context.clear_cookies()
    token = _participant_token(live_server.app)
    check(f"/p/{token}?lang=ar", "participant-page")
    check("/r/samen-in-de-buurt?lang=ar", "public-report")

    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the review page in Arabic

ALIGNMENT_JS = """
() => [...document.querySelectorAll('dl.answers dd')].map(dd => {
  const range = document.createRange();
  range.selectNodeContents(dd);
  const text = range.getBoundingClientRect();
  const box = dd.getBoundingClientRect();
  return {
    text: dd.textContent.trim(),
    direction: getComputedStyle(dd).direction,
    gapAtRight: Math.round(box.right - text.right),
    gapAtLeft: Math.round(text.left - box.left),
  };
})
"""


def test_arabic_review_page_lines_answers_up_at_the_right(new_page, live_server, demo, screenshot):
    """In Arabic a number or a choice stands at the right, where the page's lines start; a
    Dutch free-text answer reads left to right."""
    page = new_page(locale="ar")
    log_in(page, "coordinator", "ar")
    app = live_server.app
    with app.app_context():
        from sqlalchemy import select

        from fieldapp.fieldwork.models import Interview

        uuids = dict(db.session.execute(select(Interview.language, Interview.uuid)).all())
        db.session.remove()
    rows = []
    for language in ("ar", "nl"):
        page.goto(f"/interviews/{uuids[language]}?lang=ar")
        screenshot(page, f"review-ar-interview-in-{language}")
        rows += page.evaluate(ALIGNMENT_JS)
    by_text = {row["text"]: row for row in rows}

    for number in ("12", "3"):
        assert by_text[number]["direction"] == "rtl"
        assert by_text[number]["gapAtRight"] <= 1, by_text[number]
        assert by_text[number]["gapAtLeft"] > 100, by_text[number]
    places = next(row for row in rows if "السوق" in row["text"])
    assert places["gapAtRight"] <= 1, places
    dutch = by_text["Ik ken de taal nog niet goed en het buurthuis is vaak dicht."]
    assert dutch["direction"] == "ltr"
