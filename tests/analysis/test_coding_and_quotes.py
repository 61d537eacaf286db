"""Coding answers and notes, counts per group, quotes only with the quote item."""

from __future__ import annotations

import re
import uuid as uuid_module

from sqlalchemy import func, select

from fieldapp.analysis.models import Code, Coding, Quote
from fieldapp.extensions import db
from fieldapp.fieldwork.models import Answer
from tests.conftest import login
from tests.consent.fixtures import enrol

STORY = (
    "Het park is fijn maar 's avonds is het donker. Mevrouw Jansen van nummer 12 helpt iedereen."
)


def _interview_with_story(app, client, study_id, questionnaire, quote="yes", language="nl"):
    enrolled = enrol(client, study_id, choices={"language": language}, item_quote=quote)
    pid, token = enrolled.id, enrolled.token
    uid = str(uuid_module.uuid4())
    client.post(
        f"/participants/{pid}/interviews",
        data={"uuid": uid, "version_id": str(questionnaire.version_id)},
    )
    client.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    client.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "own"})
    client.post(
        f"/interviews/{uid}/page/4", data={"action": "next", "q_feeling": "4", "q_story": STORY}
    )
    client.post(f"/interviews/{uid}/submit", data={})
    with app.app_context():
        answer_id = db.session.scalar(
            select(Answer.id).where(Answer.question_name == "story").order_by(Answer.id.desc())
        )
    return answer_id, token


def _code_id(app, study_id, theme="health"):
    with app.app_context():
        return db.session.scalar(
            select(Code.id).where(Code.study_id == study_id, Code.theme == theme)
        )


def test_codebook_starts_with_the_nine_agenda_themes(app, as_coordinator, consent_study):
    assert as_coordinator.get(f"/studies/{consent_study.id}/codes").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(Code.id))) == 9


def test_coding_a_passage_keeps_its_offsets(
    app, as_co_researcher, as_coordinator, consent_study, questionnaire
):
    answer_id, _token = _interview_with_story(
        app, as_co_researcher, consent_study.id, questionnaire
    )
    as_coordinator.get(f"/studies/{consent_study.id}/codes")
    code_id = _code_id(app, consent_study.id, "facilities")
    as_coordinator.post(
        f"/studies/{consent_study.id}/coding",
        data={"code_id": code_id, "answer_id": answer_id, "passage": "'s avonds is het donker"},
    )
    as_coordinator.post(
        f"/studies/{consent_study.id}/coding",
        data={"code_id": _code_id(app, consent_study.id, "community"), "answer_id": answer_id},
    )
    with app.app_context():
        passage = db.session.scalar(select(Coding).where(Coding.code_id == code_id))
        assert STORY[passage.start_offset : passage.end_offset] == "'s avonds is het donker"
        whole = db.session.scalar(select(Coding).where(Coding.start_offset.is_(None)))
        assert whole is not None
    wrong = as_coordinator.post(
        f"/studies/{consent_study.id}/coding?lang=en",
        data={"code_id": code_id, "answer_id": answer_id, "passage": "dit staat er niet"},
        follow_redirects=True,
    )
    assert "These words are not in the text." in wrong.get_data(as_text=True)
    counts = as_coordinator.get(f"/studies/{consent_study.id}/codes?group=language&lang=en")
    assert "Nederlands: 1 passage" in counts.get_data(as_text=True)


def test_quote_only_with_the_quote_item(
    app, as_co_researcher, as_coordinator, consent_study, questionnaire
):
    no_quote, _ = _interview_with_story(
        app, as_co_researcher, consent_study.id, questionnaire, quote="no"
    )
    response = as_coordinator.post(
        f"/studies/{consent_study.id}/coding?lang=en",
        data={
            "action": "quote",
            "answer_id": no_quote,
            "passage": "Het park is fijn",
            "edited": "Het park is fijn",
        },
        follow_redirects=True,
    )
    assert "did not agree to be quoted" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Quote.id))) == 0
        import pytest

        from fieldapp.accounts.models import User
        from fieldapp.analysis import services
        from fieldapp.studies.models import Study

        with pytest.raises(services.AnalysisError):
            services.make_quote(
                db.session.scalar(select(User).where(User.role == "coordinator")),
                db.session.get(Study, consent_study.id),
                db.session.get(Answer, no_quote),
                passage="Het park is fijn",
                edited_text="",
            )


def test_withdrawing_the_quote_item_removes_the_quote_everywhere(
    app, client, as_co_researcher, as_coordinator, consent_study, questionnaire
):
    answer_id, token = _interview_with_story(app, as_co_researcher, consent_study.id, questionnaire)
    as_coordinator.post(
        f"/studies/{consent_study.id}/coding",
        data={
            "action": "quote",
            "answer_id": answer_id,
            "passage": "Mevrouw Jansen van nummer 12 helpt iedereen.",
            "edited": "Een buurvrouw helpt iedereen.",
        },
    )
    page = as_coordinator.get(f"/studies/{consent_study.id}/coding").get_data(as_text=True)
    assert "Een buurvrouw helpt iedereen." in page
    with app.app_context():
        quote = db.session.scalar(select(Quote))
        assert quote.text == "Een buurvrouw helpt iedereen."
        # The original stays with the interview.
        assert "Mevrouw Jansen" in db.session.get(Answer, answer_id).value
    client.post(f"/p/{token}/items/quote/withdraw")
    with app.app_context():
        assert db.session.scalar(select(func.count(Quote.id))) == 0
    page = as_coordinator.get(f"/studies/{consent_study.id}/coding").get_data(as_text=True)
    assert "Een buurvrouw helpt iedereen." not in page


def test_invited_co_researchers_code_without_seeing_who(
    app, as_co_researcher, as_coordinator, consent_study, questionnaire, co_researcher
):
    _interview_with_story(app, as_co_researcher, consent_study.id, questionnaire)
    assert as_co_researcher.get(f"/studies/{consent_study.id}/coding").status_code == 403
    as_coordinator.post(
        f"/studies/{consent_study.id}/coders", data={"user_id": str(co_researcher.id)}
    )
    page = as_co_researcher.get(f"/studies/{consent_study.id}/coding")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Het park is fijn" in html
    assert not re.search(r"[A-Z0-9]{3}-[A-Z0-9]{4}", html)  # no participant codes
    assert "Use the words as a quote" not in html  # quotes are the coordinator's


def test_strangers_see_no_coding(app, consent_study, make_user, make_area, make_study):
    stranger = make_user("coordinator")
    make_study(make_area(coordinators=[stranger]), coordinators=[stranger])
    client = login(app.test_client(), stranger)
    assert client.get(f"/studies/{consent_study.id}/codes").status_code == 404
    assert client.get(f"/studies/{consent_study.id}/coding").status_code == 404


def test_refi_qda_export_of_the_coded_texts(
    app, as_co_researcher, as_coordinator, consent_study, questionnaire
):
    from fieldapp.analysis.refiqda import read_qdpx

    answer_id, _ = _interview_with_story(app, as_co_researcher, consent_study.id, questionnaire)
    as_coordinator.get(f"/studies/{consent_study.id}/codes")
    as_coordinator.post(
        f"/studies/{consent_study.id}/coding",
        data={
            "code_id": _code_id(app, consent_study.id, "facilities"),
            "answer_id": answer_id,
            "passage": "Het park is fijn",
        },
    )
    response = as_coordinator.get(f"/studies/{consent_study.id}/exports/codings.qdpx")
    assert response.status_code == 200
    project = read_qdpx(response.data)
    (source,) = [s for s in project["sources"] if "story" in s["name"]]
    assert source["text"] == STORY
    assert [c[1:] for c in source["codings"]] == [(0, 16, "Het park is fijn")]
    import io
    import zipfile

    from fieldapp.participants.models import Participant

    with app.app_context():
        codes = db.session.scalars(select(Participant.code)).all()
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    everything = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    assert codes
    assert not any(code in everything for code in codes)  # no participant codes leave
    codebook = as_coordinator.get(f"/studies/{consent_study.id}/exports/codebook.qdc")
    assert b"urn:QDA-XML:codebook:1.0" in codebook.data
    assert (
        as_co_researcher.get(f"/studies/{consent_study.id}/exports/codings.qdpx").status_code == 403
    )


def test_withdrawal_removes_the_quote_from_the_public_report(
    app, client, as_co_researcher, as_coordinator, consent_study, questionnaire
):
    from fieldapp.reports.models import Report

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
    sections = {
        f"section_{k}": "Tekst." for k in ("asked", "whom", "heard", "next", "involved", "contact")
    }
    as_coordinator.post(f"/studies/{consent_study.id}/report?in=nl", data=sections)
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        slug = db.session.scalar(select(Report.slug))
    assert "Het park is fijn." in client.get(f"/r/{slug}").get_data(as_text=True)
    client.post(f"/p/{token}/withdraw")
    assert "Het park is fijn." not in client.get(f"/r/{slug}").get_data(as_text=True)


def test_a_quote_can_be_taken_out_of_the_report(
    app, as_co_researcher, as_coordinator, consent_study, questionnaire
):
    answer_id, _ = _interview_with_story(app, as_co_researcher, consent_study.id, questionnaire)
    as_coordinator.post(
        f"/studies/{consent_study.id}/coding",
        data={
            "action": "quote",
            "answer_id": answer_id,
            "passage": "Het park is fijn",
            "edited": "",
        },
    )
    with app.app_context():
        quote_id = db.session.scalar(select(Quote.id))
    as_coordinator.post(f"/quotes/{quote_id}/report", data={"in_report": "0"})
    with app.app_context():
        assert db.session.get(Quote, quote_id).for_report is False
        assert db.session.get(Quote, quote_id).text == "Het park is fijn"  # the words as said
    assert (
        as_co_researcher.post(f"/quotes/{quote_id}/report", data={"in_report": "1"}).status_code
        == 404
    )
