"""Reports in several languages: text in another language than the page is marked with its
own language and direction, and a report not written in the reader's language keeps the
interface in the reader's language."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.reports.models import Action, ActionUpdate, Report
from tests.reports.html_tree import parse
from tests.reports.test_publication import ARABIC, _publish, _slug
from tests.reports.test_reports import SECTIONS, _answers, _participants, _pdftotext, _write

UPDATE = "De vrijwilligers voor zaterdag zijn gevonden."
TITLE = "Een bankje bij de speeltuin"
QUOTE = "Het park is fijn."


def t(app, lang: str, text: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return gettext(text)


def _marked(page, text: str, language: str) -> None:
    """Every place `text` is shown says it is in `language` and has its own direction."""
    places = page.innermost(text)
    assert places, f"{text!r} is not on the page"
    for element in places:
        assert element.language() == language, (text, element.tag, element.attrs)
        assert element.is_isolated(), (text, element.tag, element.attrs)


@pytest.fixture
def dutch_action_and_quote(app, as_co_researcher, as_coordinator, consent_study, questionnaire):
    """A Dutch quote, an action titled only in Dutch with a Dutch update; the report written
    in Dutch and Arabic and published."""
    from tests.analysis.test_coding_and_quotes import _interview_with_story

    answer_id, _token = _interview_with_story(
        app, as_co_researcher, consent_study.id, questionnaire
    )
    as_coordinator.post(
        f"/studies/{consent_study.id}/coding",
        data={
            "action": "quote",
            "answer_id": answer_id,
            "passage": "Het park is fijn",
            "edited": QUOTE,
        },
    )
    as_coordinator.post(
        f"/studies/{consent_study.id}/actions", data={"title_nl": TITLE, "owner": "Gemeente"}
    )
    with app.app_context():
        action_id = db.session.scalar(select(Action.id))
    as_coordinator.post(
        f"/actions/{action_id}/update",
        data={"status": "started", "text": UPDATE, "language": "nl"},
    )
    with app.app_context():
        assert db.session.scalar(select(ActionUpdate.language)) == "nl"
    _write(as_coordinator, consent_study.id)
    _write(as_coordinator, consent_study.id, language="ar", **ARABIC)
    _publish(as_coordinator, consent_study.id)
    return _slug(app)


def test_dutch_text_in_the_arabic_report_is_marked_as_dutch(
    app, client, as_coordinator, consent_study, dutch_action_and_quote
):
    slug = dutch_action_and_quote
    page = parse(client.get(f"/r/{slug}?lang=ar").get_data(as_text=True))
    assert page.find("html").attrs["lang"] == "ar"
    assert ARABIC["heard"] in page.squeezed()
    _marked(page, UPDATE, "nl")
    _marked(page, TITLE, "nl")
    _marked(page, QUOTE, "nl")
    for owner in page.innermost("Gemeente"):
        assert owner.is_isolated()

    area = parse(client.get("/a/heerlen-noord?lang=ar").get_data(as_text=True))
    _marked(area, TITLE, "nl")

    builder = parse(
        as_coordinator.get(f"/studies/{consent_study.id}/report?in=ar&lang=ar").get_data(
            as_text=True
        )
    )
    assert builder.find("html").attrs["lang"] == "ar"
    _marked(builder, UPDATE, "nl")
    _marked(builder, TITLE, "nl")


def test_an_update_needs_one_of_the_studys_languages(
    app, as_coordinator, consent_study, dutch_action_and_quote
):
    with app.app_context():
        action_id = db.session.scalar(select(Action.id))
    for language in ("", "de", "x" * 50):
        as_coordinator.post(
            f"/actions/{action_id}/update",
            data={"status": "started", "text": "Nog een", "language": language},
        )
    with app.app_context():
        assert db.session.scalars(select(ActionUpdate.text)).all() == [UPDATE]


@pytest.mark.parametrize("reader", ["ar", "pl"])
def test_a_report_not_in_the_readers_language_keeps_the_interface_in_it(
    app, client, as_coordinator, consent_study, reader
):
    from fieldapp.reports.views import SECTION_LABELS

    _write(as_coordinator, consent_study.id)  # Dutch only
    _publish(as_coordinator, consent_study.id)
    slug = _slug(app)
    page = parse(client.get(f"/r/{slug}?lang={reader}").get_data(as_text=True))
    html = page.find("html")
    assert html.attrs["lang"] == reader
    assert html.attrs["dir"] == ("rtl" if reader == "ar" else "ltr")
    assert page.find("h1").squeezed() == t(app, reader, "What we learned together")
    with app.test_request_context(), force_locale(reader):
        heading = str(SECTION_LABELS["heard"])
    assert page.find("h2", id="s-heard").squeezed() == heading
    assert page.find("nav", class_="lang-switch").find("a", lang=reader).attrs["aria-current"]

    # The report's text is Dutch, marked as Dutch.
    _marked(page, SECTIONS["heard"], "nl")

    # The reader is told, in their language, and offered the languages it is written in.
    notice = next(e for e in page.iter() if "report-language-notice" in e.classes())
    sentence = t(
        app,
        reader,
        "This report has not been written in your language yet. It is shown in %(language)s.",
    )
    assert notice.squeezed() == sentence % {"language": "Nederlands"}
    assert notice.find("bdi", lang="nl").squeezed() == "Nederlands"
    offered = page.find("nav", class_="lang-inline").find_all("a")
    assert [(a.attrs["lang"], a.attrs["href"]) for a in offered] == [("nl", f"/r/{slug}?lang=nl")]

    # The links to paper keep the reader's language; the PDF itself is the Dutch report.
    links = [a.attrs["href"] for a in page.find("ul", class_="link-list").find_all("a")]
    assert links
    assert all(f"lang={reader}" in href for href in links)
    pdf = client.get(f"/r/{slug}/report.pdf?lang={reader}")
    assert pdf.status_code == 200
    assert re.search(r"-report-nl\.pdf", pdf.headers["Content-Disposition"])

    # Written in the reader's language, there is no notice.
    if reader == "ar":
        _write(as_coordinator, consent_study.id, language="ar", **ARABIC)
        _publish(as_coordinator, consent_study.id)
        page = parse(client.get(f"/r/{slug}?lang=ar").get_data(as_text=True))
        assert not any("report-language-notice" in e.classes() for e in page.iter())
        assert ARABIC["heard"] in page.squeezed()


def test_the_pdf_says_a_figure_with_every_number_hidden_in_one_sentence(
    app, client, as_coordinator, consent_study, questionnaire, make_participant, tmp_path
):
    pids = _participants(app, make_participant, consent_study, 3)
    _answers(app, consent_study.id, questionnaire.version_id, pids, ["rent", "own", "rent"])
    _write(as_coordinator, consent_study.id, figures=["tenure", "age"])
    _publish(as_coordinator, consent_study.id)
    slug = _slug(app)
    page = parse(client.get(f"/r/{slug}?lang=nl").get_data(as_text=True))
    sentences = [p.squeezed() for p in page.find_all("p", class_="figure-hidden")]
    text = " ".join(_pdftotext(client.get(f"/r/{slug}/report.pdf?lang=nl").data, tmp_path).split())
    assert sentences == [
        "Hoe oud ben je?: Minder dan 5 mensen: niet getoond.",  # a number: no median
        "Huur of koop je?: Minder dan 5 mensen: niet getoond.",
    ]
    assert "Huur of koop je? Minder dan 5 mensen: niet getoond." in text
    assert "Hoe oud ben je? Minder dan 5 mensen: niet getoond." in text
    assert text.count("Minder dan 5 mensen: niet getoond.") == 2
    assert "minder dan 5" not in text  # no table of hidden rows
    assert "Ik huur" not in text
    assert "Antwoord" not in text  # no table header either


def test_the_pdf_notes_hidden_rows_only_under_a_table_that_has_them(
    app, client, as_coordinator, consent_study, questionnaire, make_participant, tmp_path
):
    pids = _participants(app, make_participant, consent_study, 10)
    _answers(app, consent_study.id, questionnaire.version_id, pids, ["rent"] * 5 + ["own"] * 5)
    _write(as_coordinator, consent_study.id, figures=["tenure"])
    _publish(as_coordinator, consent_study.id)
    slug = _slug(app)
    text = " ".join(_pdftotext(client.get(f"/r/{slug}/report.pdf?lang=nl").data, tmp_path).split())
    assert "Ik huur 5" in text
    assert "Minder dan 5 mensen" not in text
    with app.app_context():
        assert db.session.scalar(select(Report.state)) == "published"
