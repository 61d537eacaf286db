"""The money pages on a phone, in a real browser: a co-researcher logs hours in Dutch and sees
them on "My money"; the same pages in Arabic (right to left); the yearly statement PDF in
Arabic and Dutch; a coordinator approves an entry that passes a volunteer allowance limit
(at 360 and 1024 px); bank details with a wrong IBAN; and the administrator's limits page.
Every page checked passes axe's WCAG 2.1 A/AA rules and does not scroll sideways at 360 px.

Elements are found by stable attributes (name=, id=, href, button types) so the tests keep
working while the catalogs are translated. Screenshots land in test-artifacts/browser/money-*
and the statement's first pages in test-artifacts/browser/statement-*.png.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.demo import DEMO_ACCOUNTS
from fieldapp.extensions import db
from tests.browser.test_phone_flows import (
    assert_accessible,
    assert_language,
    assert_no_sideways_scroll,
)

WIDTH = 360
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
DIRECTION = {"nl": "ltr", "ar": "rtl"}
DISPLAY_NAMES = {row[0]: row[1] for row in DEMO_ACCOUNTS}
HOME = re.compile(r"/home$")
MONEY = re.compile(r"/money$")
ARABIC_PRESENTATION_FORMS = re.compile("[\ufe70-\ufeff]")
INVALID_IBAN = "NL91ABNA0417164301"  # the demo IBAN with its last digit changed


# ---------------------------------------------------------------- helpers


def log_in(page, username: str, password: str, lang: str) -> None:
    """Log in through the form, found by its field names, and wait for the home screen."""
    page.goto(f"/login?lang={lang}")
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(HOME)


def check_page(page, lang: str, name: str, screenshot, width: int = WIDTH) -> None:
    """Language and direction, no sideways scrolling, axe (which saves a screenshot)."""
    assert_language(page, lang, DIRECTION[lang])
    assert_no_sideways_scroll(page, width)
    assert_accessible(page, name, screenshot)


def submit_button(form):
    return form.locator("button[type=submit]")


def hours_form(page):
    return page.locator("main form:has(select[name=minutes])")


def error_summary(page):
    return page.locator(".error-summary")


def described_by(locator) -> list[str]:
    return (locator.get_attribute("aria-describedby") or "").split()


def money_nl(cents: int) -> str:
    from fieldapp.compensation.banking import format_cents

    return format_cents(cents, "nl")


def user_id(app, username: str) -> int:
    from fieldapp.accounts.models import User

    with app.app_context():
        try:
            return db.session.scalar(select(User.id).where(User.username == username))
        finally:
            db.session.remove()


def entries_of(app, username: str, **where) -> list[SimpleNamespace]:
    """The work entries of a demo user, read straight from the database, oldest first."""
    from fieldapp.compensation.models import WorkEntry

    uid = user_id(app, username)
    with app.app_context():
        try:
            query = select(WorkEntry).where(WorkEntry.user_id == uid)
            for column, value in where.items():
                query = query.where(getattr(WorkEntry, column) == value)
            rows = db.session.scalars(query.order_by(WorkEntry.work_date, WorkEntry.id)).all()
            return [
                SimpleNamespace(
                    id=e.id,
                    activity=e.activity,
                    work_date=e.work_date,
                    minutes=e.minutes,
                    amount_cents=e.amount_cents,
                    state=e.state,
                    limit_override_reason=e.limit_override_reason,
                )
                for e in rows
            ]
        finally:
            db.session.remove()


def open_total_nl(app, username: str, year: int) -> str:
    from fieldapp.accounts.models import User
    from fieldapp.compensation import services

    with app.app_context():
        try:
            user = db.session.scalar(select(User).where(User.username == username))
            return money_nl(services.earnings(user, year)["totals"]["open"])
        finally:
            db.session.remove()


def samira_waiting_entry(app) -> SimpleNamespace:
    """Samira's entry of last December that waits for approval and passes the monthly limit.

    The demo seeds it (December 2025) only while that month is less than 400 days ago."""
    waiting = entries_of(app, "samira", state="open")
    assert len(waiting) == 1, (
        "the demo should leave exactly one entry of Samira waiting for approval (December "
        f"2025, near the monthly limit); found {waiting}. fieldapp/compensation/demo.py seeds "
        "December 2025 only while it is less than 400 days ago."
    )
    assert waiting[0].work_date.month == 12, waiting[0]
    return waiting[0]


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} not found; install Debian's poppler-utils to render the statement"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(message)
    return path


def fetch_statement(page, live_server, year: int, name: str, tmp_path) -> SimpleNamespace:
    """Download the yearly statement with the page's cookies; render its first page to
    test-artifacts/browser/<name>-1.png and extract its text."""
    pdftoppm, pdftotext = poppler("pdftoppm"), poppler("pdftotext")
    response = page.request.get(urljoin(live_server.url, f"/money/statement/{year}.pdf"))
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith("application/pdf")
    body = response.body()
    assert body.startswith(b"%PDF"), body[:20]
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(body)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        [pdftoppm, "-r", "110", "-png", str(pdf), str(ARTIFACTS / name)],
        check=True,
        timeout=60,
    )
    first = ARTIFACTS / f"{name}-1.png"
    assert first.is_file(), f"pdftoppm made no {first.name}: {sorted(ARTIFACTS.glob(name + '*'))}"
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode("utf-8")
    return SimpleNamespace(pdf=pdf, png=first, text=text)


def study_id_from_list(page, demo) -> str:
    """The demo study's id, from its link on /studies."""
    page.goto("/studies")
    link = page.locator("main a[href^='/studies/']").filter(has_text=demo.study_title).first
    expect(link).to_be_visible()
    return re.search(r"/studies/(\d+)$", link.get_attribute("href")).group(1)


# ---------------------------------------------------------------- 1. hours in Dutch


def test_log_hours_in_dutch(page, live_server, demo, screenshot):
    app = live_server.app
    today = dt.date.today()
    log_in(page, "piotr", demo.passwords["piotr"], "nl")
    page.goto("/money")
    cards_before = page.locator("ul.cards > li").count()

    page.goto("/money/hours")
    form = hours_form(page)
    expect(form).to_be_visible()
    date = form.locator("input[name=work_date]")
    expect(date).to_have_value(today.isoformat())  # prefilled with today
    check_page(page, "nl", "money-hours-nl", screenshot)

    # Nothing given: the selects always hold a choice, so the only field that can be left
    # empty is the date. The error summary links to it; the field says what is wrong.
    date.fill("")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit_button(form).click()
    assert posted.value.status == 400, posted.value.status
    expect(error_summary(page)).to_be_visible()
    expect(error_summary(page).locator("a[href='#work_date']")).to_be_visible()
    date = hours_form(page).locator("input[name=work_date]")
    expect(date).to_have_attribute("aria-invalid", "true")
    assert "work_date-error" in described_by(date)
    expect(page.locator("#work_date-error")).to_be_visible()
    check_page(page, "nl", "money-hours-errors-nl", screenshot)

    # Fieldwork today, 1:30.
    form = hours_form(page)
    form.locator("select[name=study_id]").select_option(label=demo.study_title)
    form.locator("select[name=activity]").select_option("fieldwork")
    form.locator("input[name=work_date]").fill(today.isoformat())
    form.locator("select[name=minutes]").select_option("90")
    screenshot(page, "money-hours-filled-nl")
    submit_button(form).click()
    expect(page).to_have_url(MONEY)
    assert_language(page, "nl", "ltr")

    saved = entries_of(app, "piotr", work_date=today, activity="fieldwork")
    assert len(saved) == 1, saved
    entry = saved[0]
    assert (entry.minutes, entry.state) == (90, "open"), entry
    assert entry.amount_cents > 0, entry

    # "My money" shows it: one card more, the newest first, and the waiting total grew.
    cards = page.locator("ul.cards > li")
    expect(cards).to_have_count(cards_before + 1)
    newest = cards.first
    expect(newest).to_contain_text("1:30")
    expect(newest).to_contain_text(money_nl(entry.amount_cents))
    waiting = page.locator("dl.totals dd").nth(2)
    expect(waiting).to_have_text(open_total_nl(app, "piotr", today.year))
    check_page(page, "nl", "money-mine-nl", screenshot)


# ---------------------------------------------------------------- 2. Arabic


def test_money_pages_in_arabic(page, live_server, demo, screenshot):
    log_in(page, "samira", demo.passwords["samira"], "ar")

    page.goto("/money/hours")
    expect(hours_form(page)).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    check_page(page, "ar", "money-hours-ar", screenshot)

    page.goto("/money")
    expect(page.locator("main a[href='/money/hours']")).to_be_visible()
    check_page(page, "ar", "money-mine-ar", screenshot)

    # The year of Samira's December (2025): the month table and the entry cards, right to left.
    year = samira_waiting_entry(live_server.app).work_date.year
    page.goto(f"/money?year={year}")
    expect(page.locator("ul.cards > li").first).to_be_visible()
    expect(page.locator(f"main a[href='/money/statement/{year}.pdf']")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('table')).direction") == "rtl"
    check_page(page, "ar", f"money-mine-{year}-ar", screenshot)


# ---------------------------------------------------------------- 3. the yearly statement


def test_statement_pdf_in_arabic(page, live_server, demo, tmp_path):
    year = samira_waiting_entry(live_server.app).work_date.year  # 2025
    log_in(page, "samira", demo.passwords["samira"], "ar")
    statement = fetch_statement(page, live_server, year, f"statement-ar-{year}", tmp_path)
    shaped = ARABIC_PRESENTATION_FORMS.findall(statement.text)
    assert shaped, (
        "no Arabic presentation forms (U+FE70–U+FEFF) in the statement's text: the Arabic "
        f"was not shaped. pdftotext gave: {statement.text[:400]!r}"
    )
    assert DISPLAY_NAMES["samira"] in statement.text
    # The approved amounts and their total, digits intact (Arabic: "." decimals; < 1000).
    approved = [
        e.amount_cents
        for e in entries_of(live_server.app, "samira", state="approved")
        if e.work_date.year == year
    ]
    assert approved, "the demo has no approved entries for Samira"
    for cents in {*approved, sum(approved)}:
        assert f"{cents // 100}.{cents % 100:02d}" in statement.text, (cents, statement.text)


def test_statement_pdf_in_dutch(page, live_server, demo, tmp_path):
    paid = entries_of(live_server.app, "piotr", state="paid")
    assert paid, "the demo has no paid entries for Piotr"
    year = paid[0].work_date.year  # the year of Piotr's paid batch
    log_in(page, "piotr", demo.passwords["piotr"], "nl")
    statement = fetch_statement(page, live_server, year, f"statement-nl-{year}", tmp_path)
    text = " ".join(statement.text.split())
    assert DISPLAY_NAMES["piotr"] in text
    for entry in paid:
        amount = " ".join(money_nl(entry.amount_cents).split())
        assert amount in text, f"{amount} missing from the statement: {text[:600]!r}"


# ---------------------------------------------------------------- 4. the coordinator approves


@pytest.mark.parametrize("size", [(360, 740), (1024, 800)], ids=["phone", "desktop"])
def test_coordinator_approves_past_a_limit(new_page, live_server, demo, screenshot, size):
    app = live_server.app
    width, height = size
    page = new_page(width=width, height=height)
    log_in(page, "coordinator", demo.passwords["coordinator"], "nl")
    study_id = study_id_from_list(page, demo)
    page.goto(f"/studies/{study_id}/money")
    check_page(page, "nl", f"money-study-nl-{width}", screenshot, width)

    # Samira's open entry of last December: approving it passes the monthly limit.
    december = samira_waiting_entry(app)
    form = page.locator(f"main form[action='/studies/{study_id}/money/approve']")
    boxes = form.locator("input[type=checkbox][name=approve-entry_ids]")
    assert boxes.count() >= 2, "expected Samira's and Piotr's open entries"
    for index in range(boxes.count()):
        boxes.nth(index).uncheck()
    mine = form.locator(f"input[name=approve-entry_ids][value='{december.id}']")
    expect(page.locator(f"label[for='{mine.get_attribute('id')}']")).to_contain_text(
        DISPLAY_NAMES["samira"]
    )
    mine.check()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit_button(form).click()
    assert posted.value.status == 409, posted.value.status

    summary = error_summary(page)
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(DISPLAY_NAMES["samira"])
    reason = page.locator("textarea[name=approve-override_reason]")
    expect(reason).to_be_visible()
    form = page.locator(f"main form[action='/studies/{study_id}/money/approve']")
    expect(form.locator(f"input[name=approve-entry_ids][value='{december.id}']")).to_be_checked()
    assert entries_of(app, "samira", id=december.id)[0].state == "open"
    check_page(page, "nl", f"money-study-limit-nl-{width}", screenshot, width)

    # With a reason: approved anyway.
    reason.fill("Afgesproken met de uitkeringsinstantie; valt binnen de vrijlating.")
    submit_button(form).click()
    expect(page).to_have_url(re.compile(rf"/studies/{study_id}/money$"))
    expect(error_summary(page)).to_have_count(0)
    expect(page.locator(f"input[name=approve-entry_ids][value='{december.id}']")).to_have_count(0)
    approved = entries_of(app, "samira", id=december.id)[0]
    assert approved.state == "approved", approved
    assert approved.limit_override_reason, approved
    assert entries_of(app, "piotr", state="open"), "Piotr's entry, not chosen, stays open"
    check_page(page, "nl", f"money-study-approved-nl-{width}", screenshot, width)


# ---------------------------------------------------------------- 5. bank details


def test_bank_details_with_a_wrong_iban(page, live_server, demo, screenshot):
    log_in(page, "samira", demo.passwords["samira"], "nl")
    page.goto("/money/bank")
    form = page.locator("main form:has(input[name=iban])")
    expect(form).to_be_visible()
    check_page(page, "nl", "money-bank-nl", screenshot)

    form.locator("input[name=iban]").fill(INVALID_IBAN)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit_button(form).click()
    assert posted.value.status == 400, posted.value.status

    iban = page.locator("main input[name=iban]")
    expect(iban).to_have_attribute("aria-invalid", "true")
    ids = described_by(iban)
    assert "iban-error" in ids, ids
    message = page.locator("#iban-error")
    expect(message).to_be_visible()
    expect(message).not_to_be_empty()
    for target in ids:  # every id it points to exists
        expect(page.locator(f"#{target}")).to_have_count(1)
    expect(error_summary(page).locator("a[href='#iban']")).to_be_visible()
    check_page(page, "nl", "money-bank-errors-nl", screenshot)


# ---------------------------------------------------------------- 6. the administrator's limits


def test_admin_limits_page(page, live_server, demo, screenshot):
    year = dt.date.today().year
    log_in(page, "admin", demo.passwords["admin"], "nl")
    page.goto("/admin/limits")
    expect(page.locator("main form input[name=year]")).to_have_value(str(year))
    warning = page.locator("main .warning-box")
    expect(warning).to_be_visible()  # the demo leaves this year's limits empty
    expect(warning).to_contain_text(str(year))
    check_page(page, "nl", "money-admin-limits-nl", screenshot)
