"""Reports: small cells hidden in public, publishing, actions, the public and area pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid as uuid_module

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.reports.models import Action, Report
from tests.conftest import login

SECTIONS = {
    "asked": "We vroegen waar je buren ontmoet.",
    "whom": "Bewoners van de wijk.",
    "heard": "Veel mensen gaan naar het park.",
    "next": "Er komt een bankje.",
    "involved": "Kom naar het buurthuis.",
    "contact": "Mail onderzoek@example.nl.",
}


def _answers(app, study_id, version_id, participant_ids, values):
    """Submitted interviews straight in the tables, one per (participant, tenure value)."""
    from fieldapp.fieldwork.models import Answer, Interview

    with app.app_context():
        for pid, value in zip(participant_ids, values, strict=True):
            interview = Interview(
                uuid=str(uuid_module.uuid4()),
                study_id=study_id,
                participant_id=pid,
                version_id=version_id,
                language="nl",
                state="submitted",
            )
            interview.answers = [Answer(question_name="tenure", value=value)]
            db.session.add(interview)
        db.session.commit()


def _participants(app, make_participant, study, count):
    return [make_participant(study).id for _ in range(count)]


def _write(client, study_id, language="nl", figures=(), **overrides):
    data = {f"section_{k}": v for k, v in {**SECTIONS, **overrides}.items()}
    data["figures"] = list(figures)
    return client.post(f"/studies/{study_id}/report?in={language}", data=data)


def test_small_cells_are_hidden_in_public_but_not_for_the_coordinator(
    app, client, as_coordinator, consent_study, questionnaire, make_participant
):
    pids = _participants(app, make_participant, consent_study, 9)
    _answers(app, consent_study.id, questionnaire.version_id, pids, ["rent"] * 5 + ["own"] * 4)
    _write(as_coordinator, consent_study.id, figures=["tenure"])
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        slug = db.session.scalar(select(Report.slug))
    page = client.get(f"/r/{slug}?lang=en").get_data(as_text=True)
    assert "5 (56%)" in page  # five renters: shown
    assert "fewer than 5" in page  # four owners: hidden (said in the reader's language)
    assert "4 (44%)" not in page
    own = as_coordinator.get(f"/studies/{consent_study.id}/report?lang=en").get_data(as_text=True)
    assert "4 (44%)" in own  # the coordinator's own screen shows every number
    # The figures table for reuse hides the same cell
    assert f"/r/{slug}/figures.csv?lang=en" in page
    download = client.get(f"/r/{slug}/figures.csv?lang=nl")
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["question", "answer", "people", "percent"]
    counts = {row[1]: row[2:4] for row in rows[1:]}
    assert "5" in [v[0] for v in counts.values()]
    assert ["minder dan 5", ""] in counts.values()
    assert all(v[0] != "4" for v in counts.values())
    assert client.get("/r/no-such-report/figures.csv").status_code == 404


def test_publishing_needs_text_and_versions_are_kept(app, client, as_coordinator, consent_study):
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        assert db.session.scalar(select(Report.state)) in (None, "draft")  # an empty report
    _write(as_coordinator, consent_study.id, heard="   ")  # whitespace is empty
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "draft"
        slug = report.slug
    assert client.get(f"/r/{slug}").status_code == 404  # unpublished: not for the public
    assert as_coordinator.get(f"/r/{slug}").status_code == 404  # nor at its public address
    preview = as_coordinator.get(f"/studies/{consent_study.id}/report/preview")
    assert preview.status_code == 200  # coordinators preview the draft
    _write(as_coordinator, consent_study.id)
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert [v.number for v in report.versions] == [1, 2]
    assert client.get(f"/r/{slug}").status_code == 200
    assert client.get("/r/no-such-report").status_code == 404


def test_actions_you_said_we_did(app, client, as_coordinator, as_co_researcher, consent_study):
    bad = as_coordinator.post(
        f"/studies/{consent_study.id}/actions", data={"title_nl": "Een bankje", "owner": "  "}
    )
    assert bad.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Action.id)) is None
    as_coordinator.post(
        f"/studies/{consent_study.id}/actions",
        data={
            "title_nl": "Een bankje",
            "title_ar": "مقعد",
            "owner": "Gemeente Heerlen",
            "due_date": "2027-03-01",
        },
    )
    with app.app_context():
        action_id = db.session.scalar(select(Action.id))
    as_coordinator.post(
        f"/actions/{action_id}/update", data={"status": "dropped", "text": "", "language": "nl"}
    )
    with app.app_context():
        assert db.session.get(Action, action_id).status == "planned"
    as_coordinator.post(
        f"/actions/{action_id}/update",
        data={"status": "started", "text": "Besteld", "language": "nl"},
    )
    as_coordinator.post(
        f"/actions/{action_id}/update",
        data={"status": "done", "text": "Staat er", "language": "nl"},
    )
    _write(as_coordinator, consent_study.id)
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        slug = db.session.scalar(select(Report.slug))
        action = db.session.get(Action, action_id)
        assert [u.status for u in action.updates] == ["started", "done"]
    page = client.get(f"/r/{slug}?lang=nl").get_data(as_text=True)
    assert "Een bankje" in page
    assert "Gemeente Heerlen" in page
    assert "Besteld" in page
    area = client.get("/a/heerlen-noord").get_data(as_text=True)
    assert "Een bankje" in area
    assert client.get("/a/nowhere").status_code == 404
    # A title shown in another language than the page's is marked with its own language
    english = client.get("/a/heerlen-noord?lang=en").get_data(as_text=True)
    assert '<span dir="auto" lang="nl">Een bankje</span>' in english
    arabic = client.get("/a/heerlen-noord?lang=ar").get_data(as_text=True)
    assert '<span dir="auto">مقعد</span>' in arabic
    # A translation added later, even to a finished action; emptying every title is refused
    titles = f"/actions/{action_id}/titles"
    as_coordinator.post(titles, data={"title_nl": "Een bankje", "title_ar": " مقعد  جديد "})
    with app.app_context():
        assert db.session.get(Action, action_id).titles == {"nl": "Een bankje", "ar": "مقعد جديد"}
    for bad in ({"title_nl": " ", "title_ar": ""}, {"title_nl": "x" * 501}):
        as_coordinator.post(titles, data=bad)
        with app.app_context():
            assert db.session.get(Action, action_id).titles["nl"] == "Een bankje"
    assert as_co_researcher.post(titles, data={"title_nl": "Weg"}).status_code == 404
    assert as_coordinator.post("/actions/999999/titles", data={"title_nl": "x"}).status_code == 404


def test_only_coordinators_build_reports(
    as_co_researcher, consent_study, app, make_user, make_area, make_study
):
    assert as_co_researcher.get(f"/studies/{consent_study.id}/report").status_code == 403
    stranger = make_user("coordinator")
    make_study(make_area(coordinators=[stranger]), coordinators=[stranger])
    client = login(app.test_client(), stranger)
    assert client.get(f"/studies/{consent_study.id}/report").status_code == 404


@pytest.mark.parametrize("kind", ["report", "flyer", "poster"])
def test_pdfs_of_a_published_report(app, client, as_coordinator, consent_study, kind):
    pytest.importorskip("fieldapp.reports.pdf")
    _write(as_coordinator, consent_study.id)
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        slug = db.session.scalar(select(Report.slug))
    response = client.get(f"/r/{slug}/{kind}.pdf?lang=nl")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert client.get(f"/r/nothing/{kind}.pdf").status_code == 404


def test_participant_page_links_the_published_report(
    app, client, as_co_researcher, as_coordinator, consent_study, make_participant
):
    import re

    from tests.consent.fixtures import consent_post

    participant = make_participant(consent_study)
    as_co_researcher.post(f"/participants/{participant.id}/consent", data=consent_post())
    receipt = as_co_researcher.get(f"/participants/{participant.id}/receipt").get_data(as_text=True)
    token = re.search(r"/p/([A-Za-z0-9_\-]{40,})", receipt).group(1)
    assert "/r/" not in client.get(f"/p/{token}").get_data(as_text=True)
    _write(as_coordinator, consent_study.id)
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    assert "/r/" in client.get(f"/p/{token}").get_data(as_text=True)
    assert dt.date.today()


def test_a_figure_with_every_number_hidden_says_so_in_one_sentence(
    app, client, as_coordinator, consent_study, questionnaire, make_participant
):
    pids = _participants(app, make_participant, consent_study, 3)
    _answers(app, consent_study.id, questionnaire.version_id, pids, ["rent", "own", "rent"])
    _write(as_coordinator, consent_study.id, figures=["tenure"])
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        slug = db.session.scalar(select(Report.slug))
    page = client.get(f"/r/{slug}").get_data(as_text=True)
    assert 'class="figure-hidden"' in page
    assert "<table" not in page.split("figure-hidden")[1].split("</section>")[0]


def _pdftotext(data: bytes, tmp_path) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing (install poppler-utils)")
        pytest.skip("pdftotext is missing (install poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout


def test_pdf_hides_small_cells_and_drops_withdrawn_quotes(
    app,
    client,
    as_co_researcher,
    as_coordinator,
    consent_study,
    questionnaire,
    make_participant,
    tmp_path,
):
    import re

    from tests.analysis.test_coding_and_quotes import _interview_with_story

    pids = _participants(app, make_participant, consent_study, 8)
    # Three owners here and one more in the interview with a story: four, a small cell.
    _answers(app, consent_study.id, questionnaire.version_id, pids, ["rent"] * 5 + ["own"] * 3)
    answer_id, token = _interview_with_story(app, as_co_researcher, consent_study.id, questionnaire)
    as_coordinator.post(
        f"/studies/{consent_study.id}/coding",
        data={
            "action": "quote",
            "answer_id": answer_id,
            "passage": "Het park is fijn",
            "edited": "Het park is fijn.",
        },
    )
    _write(as_coordinator, consent_study.id, figures=["tenure"])
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        slug = db.session.scalar(select(Report.slug))
    text = _pdftotext(client.get(f"/r/{slug}/report.pdf").data, tmp_path)
    assert "Het park is fijn." in text
    assert "minder dan 5" in text
    assert not re.search(r"koophuis\s+4\b", text)  # the four owners are not shown
    client.post(f"/p/{token}/withdraw")
    text = _pdftotext(client.get(f"/r/{slug}/report.pdf").data, tmp_path)
    assert "Het park is fijn." not in text
