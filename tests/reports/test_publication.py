"""What the public sees is what was published: saving a draft changes nothing public, the
coordinator previews the draft on a page of their own, and withdrawal still reaches every
public output."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.reports.models import Action, Report, ReportVersion
from tests.conftest import login
from tests.reports.html_tree import parse
from tests.reports.test_reports import (
    SECTIONS,
    _answers,
    _participants,
    _pdftotext,
    _write,
)

ARABIC = {
    "asked": "سألنا أين تلتقي بجيرانك.",
    "whom": "سكان الحي.",
    "heard": "كثير من الناس يذهبون إلى الحديقة.",
    "next": "سيأتي مقعد.",
    "involved": "تعال إلى المركز.",
    "contact": "راسلنا على onderzoek@example.nl.",
}
PDF_KINDS = ("report", "flyer", "poster")


def _publish(client, study_id):
    response = client.post(f"/studies/{study_id}/report/publish")
    assert response.status_code == 302
    return response


def _slug(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Report.slug))


def _add_action(client, study_id, title):
    client.post(f"/studies/{study_id}/actions", data={"title_nl": title, "owner": "Gemeente"})
    with app_context_of(client):
        return db.session.scalar(select(Action.id).order_by(Action.id.desc()))


def app_context_of(client):
    return client.application.app_context()


def _outputs(client, slug, tmp_path, lang="nl"):
    """Everything the public can fetch of the report: page, the three PDFs, the CSV."""
    page = client.get(f"/r/{slug}?lang={lang}")
    assert page.status_code == 200
    pdfs = {}
    for kind in PDF_KINDS:
        response = client.get(f"/r/{slug}/{kind}.pdf?lang={lang}")
        assert response.status_code == 200
        pdfs[kind] = " ".join(_pdftotext(response.data, tmp_path).split())
    figures = client.get(f"/r/{slug}/figures.csv?lang={lang}")
    assert figures.status_code == 200
    rows = list(csv.reader(io.StringIO(figures.get_data(as_text=True).lstrip("\ufeff"))))
    return page.get_data(as_text=True), pdfs, rows


def test_saving_without_publishing_leaves_every_public_output_as_published(
    app, client, as_coordinator, consent_study, questionnaire, make_participant, tmp_path
):
    pids = _participants(app, make_participant, consent_study, 10)
    _answers(app, consent_study.id, questionnaire.version_id, pids, ["rent"] * 5 + ["own"] * 5)
    _write(as_coordinator, consent_study.id, figures=["tenure"])
    action_id = _add_action(as_coordinator, consent_study.id, "Een bankje bij de speeltuin")
    _publish(as_coordinator, consent_study.id)
    slug = _slug(app)
    page, pdfs, rows = _outputs(client, slug, tmp_path)
    assert SECTIONS["heard"] in page
    assert SECTIONS["asked"] in pdfs["report"]
    assert SECTIONS["asked"] in pdfs["flyer"]
    assert "Een bankje bij de speeltuin" in pdfs["poster"]
    assert [row[1] for row in rows[1:]] == ["Ik huur", "Ik heb een koophuis"]

    # The coordinator rewrites two sections, drops the figure, adds an action and an
    # update, and presses Save, not Publish.
    response = _write(
        as_coordinator,
        consent_study.id,
        figures=[],
        asked="Een halve zin in wording",
        heard="Nog niet af, niet publiceren",
    )
    assert response.status_code == 302
    _add_action(as_coordinator, consent_study.id, "Een geheim plan")
    as_coordinator.post(
        f"/actions/{action_id}/update",
        data={"status": "started", "text": "Nog niet bekend maken", "language": "nl"},
    )
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.section("nl", "heard") == "Nog niet af, niet publiceren"  # saved
    assert _outputs(client, slug, tmp_path) == (page, pdfs, rows)
    area = client.get("/a/heerlen-noord").get_data(as_text=True)
    assert "Een bankje bij de speeltuin" in area
    assert "Een geheim plan" not in area

    # Publishing makes the draft public, everywhere.
    _publish(as_coordinator, consent_study.id)
    page, pdfs, rows = _outputs(client, slug, tmp_path)
    assert "Nog niet af, niet publiceren" in page
    assert SECTIONS["heard"] not in page
    assert "Nog niet bekend maken" in page
    assert "Een halve zin in wording" in pdfs["report"]
    assert "Een halve zin in wording" in pdfs["flyer"]
    assert "Een geheim plan" in pdfs["poster"]
    assert rows[1:] == []  # the figure was dropped
    assert "Een geheim plan" in client.get("/a/heerlen-noord").get_data(as_text=True)


def test_blanking_a_language_keeps_it_in_the_public_report(
    app, client, as_coordinator, consent_study
):
    _write(as_coordinator, consent_study.id)
    _write(as_coordinator, consent_study.id, language="ar", **ARABIC)
    _publish(as_coordinator, consent_study.id)
    slug = _slug(app)
    blank = {kind: "" for kind in ARABIC}
    _write(as_coordinator, consent_study.id, language="ar", **blank)
    with app.app_context():
        assert db.session.scalar(select(Report)).complete_languages() == ["nl"]  # the draft
    page = parse(client.get(f"/r/{slug}?lang=ar").get_data(as_text=True))
    assert page.find("html").attrs["lang"] == "ar"
    heard = page.find("section", **{"aria-labelledby": "s-heard"})
    assert ARABIC["heard"] in heard.text()
    offered = page.find("nav", class_="lang-inline")
    assert {a.attrs["lang"] for a in offered.find_all("a")} == {"nl", "ar"}
    pdf = client.get(f"/r/{slug}/report.pdf?lang=ar")
    assert pdf.status_code == 200
    assert "-ar.pdf" in pdf.headers["Content-Disposition"]


def test_the_draft_preview_is_for_the_studys_coordinators_only(
    app,
    client,
    as_coordinator,
    as_co_researcher,
    consent_study,
    make_user,
    make_area,
    make_study,
):
    preview = f"/studies/{consent_study.id}/report/preview"
    _write(as_coordinator, consent_study.id)
    slug = _slug(app)
    # Never published: nobody reads it at the public address, coordinators included.
    assert client.get(f"/r/{slug}").status_code == 404
    assert as_coordinator.get(f"/r/{slug}").status_code == 404
    draft = as_coordinator.get(f"{preview}?lang=nl")
    assert draft.status_code == 200
    assert SECTIONS["heard"] in draft.get_data(as_text=True)
    assert parse(draft.get_data(as_text=True)).find(class_="warning-box") is not None
    for kind in PDF_KINDS:
        pdf = as_coordinator.get(f"{preview}/{kind}.pdf?lang=nl")
        assert pdf.status_code == 200
        assert pdf.data.startswith(b"%PDF")

    # A language previewed with ?in= keeps the coordinator's interface language.
    _write(as_coordinator, consent_study.id, language="ar", **ARABIC)
    arabic = parse(as_coordinator.get(f"{preview}?in=ar").get_data(as_text=True))
    assert arabic.find("html").attrs["lang"] == "nl"
    assert arabic.find("div", class_="large-text", lang="ar") is not None
    assert ARABIC["heard"] in arabic.squeezed()
    assert not any("report-language-notice" in e.classes() for e in arabic.iter())
    offered = arabic.find("nav", class_="lang-inline").find_all("a")
    assert [a.attrs["href"] for a in offered] == [f"{preview}?in=nl", f"{preview}?in=ar"]
    links = [a.attrs["href"] for a in arabic.find("ul", class_="link-list").find_all("a")]
    assert f"{preview}/report.pdf?in=ar" in links
    pdf = as_coordinator.get(f"{preview}/report.pdf?in=ar")
    assert "-draft-report-ar.pdf" in pdf.headers["Content-Disposition"]

    # Published, then changed: the public keeps the published text, the preview the draft.
    _publish(as_coordinator, consent_study.id)
    _write(as_coordinator, consent_study.id, heard="Een nieuwe versie in de maak.")
    assert SECTIONS["heard"] in client.get(f"/r/{slug}").get_data(as_text=True)
    draft = as_coordinator.get(preview).get_data(as_text=True)
    assert "Een nieuwe versie in de maak." in draft
    assert SECTIONS["heard"] not in draft

    # Nobody else opens the preview: the study's co-researcher, another study's
    # coordinator, the public.
    stranger = make_user("coordinator")
    make_study(make_area(coordinators=[stranger]), coordinators=[stranger])
    other = login(app.test_client(), stranger)
    for path in (preview, *(f"{preview}/{kind}.pdf" for kind in PDF_KINDS)):
        assert as_co_researcher.get(path).status_code in (403, 404)
        assert other.get(path).status_code == 404
        assert client.get(path).status_code == 404
    builder = as_coordinator.get(f"/studies/{consent_study.id}/report").get_data(as_text=True)
    assert f'href="{preview}' in builder


def test_quotes_wait_for_publishing_and_leave_the_public_report_at_once(
    app, client, as_co_researcher, as_coordinator, consent_study, questionnaire, tmp_path
):
    from fieldapp.analysis.models import Quote
    from tests.analysis.test_coding_and_quotes import _interview_with_story

    answer_id, token = _interview_with_story(app, as_co_researcher, consent_study.id, questionnaire)
    _write(as_coordinator, consent_study.id)
    _publish(as_coordinator, consent_study.id)
    slug = _slug(app)

    # A quote picked after publishing waits for the next publication.
    as_coordinator.post(
        f"/studies/{consent_study.id}/coding",
        data={
            "action": "quote",
            "answer_id": answer_id,
            "passage": "Het park is fijn",
            "edited": "Het park is fijn.",
        },
    )
    assert "Het park is fijn." not in client.get(f"/r/{slug}").get_data(as_text=True)
    preview = f"/studies/{consent_study.id}/report/preview"
    assert "Het park is fijn." in as_coordinator.get(preview).get_data(as_text=True)
    _publish(as_coordinator, consent_study.id)
    assert "Het park is fijn." in client.get(f"/r/{slug}").get_data(as_text=True)
    # The published version names the quote, but does not hold its words.
    with app.app_context():
        version = db.session.scalars(
            select(ReportVersion).order_by(ReportVersion.id.desc())
        ).first()
        assert "Het park" not in repr(
            (version.sections, version.figure_questions, version.quotes, version.actions)
        )
        quote_id = db.session.scalar(select(Quote.id))

    # Taken out of the report: gone from public at once, without publishing.
    as_coordinator.post(f"/quotes/{quote_id}/report", data={"in_report": "0"})
    assert "Het park is fijn." not in client.get(f"/r/{slug}").get_data(as_text=True)
    as_coordinator.post(f"/quotes/{quote_id}/report", data={"in_report": "1"})
    assert "Het park is fijn." in client.get(f"/r/{slug}").get_data(as_text=True)

    # Withdrawal: the quote leaves the page and the PDF, and no version keeps it.
    client.post(f"/p/{token}/withdraw")
    assert "Het park is fijn." not in client.get(f"/r/{slug}").get_data(as_text=True)
    pdf = client.get(f"/r/{slug}/report.pdf")
    assert "Het park is fijn." not in _pdftotext(pdf.data, tmp_path)


def test_withdrawal_changes_the_published_figures(
    app, client, as_co_researcher, as_coordinator, consent_study, questionnaire, make_participant
):
    """The published figures are counted from the data as it is: a withdrawn participant's
    answers leave them without publishing again."""
    from tests.analysis.test_coding_and_quotes import _interview_with_story

    pids = _participants(app, make_participant, consent_study, 4)
    _answers(app, consent_study.id, questionnaire.version_id, pids, ["own"] * 4)
    _answer_id, token = _interview_with_story(
        app, as_co_researcher, consent_study.id, questionnaire
    )  # a fifth owner
    _write(as_coordinator, consent_study.id, figures=["tenure"])
    _publish(as_coordinator, consent_study.id)
    slug = _slug(app)

    def owners() -> str:
        rows = csv.reader(
            io.StringIO(
                client.get(f"/r/{slug}/figures.csv?lang=nl").get_data(as_text=True).lstrip("\ufeff")
            )
        )
        return {row[1]: row[2] for row in rows}["Ik heb een koophuis"]

    assert owners() == "5"
    client.post(f"/p/{token}/withdraw")
    assert owners() == "minder dan 5"


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_an_unpublished_report_has_no_public_pdfs(app, client, as_coordinator, consent_study, kind):
    _write(as_coordinator, consent_study.id)
    _publish(as_coordinator, consent_study.id)
    slug = _slug(app)
    assert client.get(f"/r/{slug}/{kind}.pdf").status_code == 200
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish", data={"action": "unpublish"})
    assert client.get(f"/r/{slug}/{kind}.pdf").status_code == 404
    assert as_coordinator.get(f"/r/{slug}/{kind}.pdf").status_code == 404
    assert client.get(f"/r/{slug}/figures.csv").status_code == 404
