"""Sub-areas: where a participant lives (one of the area's neighbourhoods), and figures and
code counts split by it, with small cells hidden in public."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fieldapp.areas.models import Area
from fieldapp.extensions import db
from fieldapp.participants.models import Participant
from fieldapp.reports import services as reports
from fieldapp.studies.models import Study
from tests.reports.test_reports import _answers

CODES = ["BU09170300", "BU09170301", "BU09170500"]
NAMES = {"BU09170300": "Heerlerheide-Centrum", "BU09170301": "Passart"}


@pytest.fixture
def neighbourhoods(app, consent_study):
    with app.app_context():
        area = db.session.get(Study, consent_study.id).area
        area.cbs_codes = CODES
        area.cbs_names = NAMES
        db.session.commit()


def _participant(app, study_id, sub_area, by):
    from fieldapp.accounts.models import User
    from fieldapp.participants import services

    with app.app_context():
        actor, study = db.session.get(User, by.id), db.session.get(Study, study_id)
        pending = services.check_new_participant(
            actor, study, language="nl", age_band="25_44", sub_area=sub_area
        )
        participant = services.add_participant(actor, study, pending)
        db.session.commit()
        return participant.id


def test_the_new_participant_form_offers_the_areas_neighbourhoods(
    app, as_co_researcher, consent_study, neighbourhoods
):
    url = f"/studies/{consent_study.id}/participants/new?lang=en"
    page = as_co_researcher.get(url).get_data(as_text=True)
    assert "Neighbourhood where they live" in page
    assert "Heerlerheide-Centrum" in page
    assert "Passart" in page
    assert "BU09170500" in page  # no name given: the code
    from tests.consent.fixtures import enrol

    enrol(as_co_researcher, consent_study.id, choices={"sub_area": "BU09170301"})
    enrol(as_co_researcher, consent_study.id, choices={"language": "ar", "age_band": "18_24"})
    with app.app_context():
        found = db.session.scalars(select(Participant.sub_area).order_by(Participant.id)).all()
    assert found == ["BU09170301", None]


@pytest.mark.parametrize("bad", ["BU09999999", "x" * 500, "BU09170301' OR 1=1"])
def test_a_neighbourhood_outside_the_area_is_refused(
    app, as_co_researcher, consent_study, neighbourhoods, bad
):
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/participants/new?lang=en",
        data={"language": "nl", "age_band": "25_44", "sub_area": bad},
    )
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_the_service_refuses_a_code_of_another_area(app, consent_study, co_researcher):
    from fieldapp.participants.services import ParticipantError

    with pytest.raises(ParticipantError) as error:
        _participant(app, consent_study.id, "BU09170300", co_researcher)  # area has no codes
    assert error.value.code == "unknown_sub_area"


def test_without_neighbourhoods_the_question_is_not_asked(app, as_co_researcher, consent_study):
    page = as_co_researcher.get(f"/studies/{consent_study.id}/participants/new?lang=en")
    assert "Neighbourhood where they live" not in page.get_data(as_text=True)


def test_figures_split_by_neighbourhood_hide_small_cells_in_public(
    app, as_coordinator, consent_study, questionnaire, neighbourhoods, co_researcher
):
    # Five renters in Heerlerheide-Centrum, four in Passart, one whose neighbourhood is unknown
    ids = [_participant(app, consent_study.id, "BU09170300", co_researcher) for _ in range(5)]
    ids += [_participant(app, consent_study.id, "BU09170301", co_researcher) for _ in range(4)]
    ids += [_participant(app, consent_study.id, None, co_researcher)]
    _answers(app, consent_study.id, questionnaire.version_id, ids, ["rent"] * 10)
    with app.app_context():
        study = db.session.get(Study, consent_study.id)
        report = reports.report_for(study)
        report.figure_questions = ["tenure"]
        for public in (True, False):
            (figure,) = reports.report_figures(study, report, group_by="sub_area", public=public)
            assert figure.groups == ["BU09170300", "BU09170301", "unknown"]
            rent = next(row for row in figure.rows if row.label_key == "rent")
            assert rent.cells["BU09170300"].count == 5
            if public:
                assert rent.cells["BU09170301"].count is None  # a group of 4: hidden
                assert rent.cells["unknown"].count is None
                assert figure.totals["BU09170301"] is None
            else:
                assert rent.cells["BU09170301"].count == 4
                assert rent.cells["BU09170301"].percent == 100
        db.session.commit()
    page = as_coordinator.get(
        f"/studies/{consent_study.id}/report?lang=en&group=sub_area"
    ).get_data(as_text=True)
    assert "Neighbourhood" in page
    for shown in ("Heerlerheide-Centrum", "Passart", "Not recorded"):
        assert shown in page


def test_code_counts_split_by_neighbourhood(
    app, as_coordinator, consent_study, questionnaire, neighbourhoods, co_researcher, coordinator
):
    from fieldapp.accounts.models import User
    from fieldapp.analysis import services as analysis
    from fieldapp.fieldwork.models import Answer

    ids = [
        _participant(app, consent_study.id, code, co_researcher)
        for code in ("BU09170300", "BU09170301", "BU09170301")
    ]
    _answers(app, consent_study.id, questionnaire.version_id, ids, ["rent"] * 3)
    with app.app_context():
        study = db.session.get(Study, consent_study.id)
        actor = db.session.get(User, coordinator.id)
        code = analysis.add_code(actor, study, name="Wonen")
        for answer in db.session.scalars(select(Answer)).all():
            analysis.code_text(actor, study, code, answer=answer)
        db.session.commit()
        counts = analysis.counts(study, "sub_area")[code.id]
        assert {g: c["sources"] for g, c in counts.items()} == {"BU09170300": 1, "BU09170301": 2}
        code_id = code.id
    page = as_coordinator.get(f"/studies/{consent_study.id}/codes?lang=en&group=sub_area").get_data(
        as_text=True
    )
    assert "Passart: 2 passages" in page
    assert code_id


def test_the_areas_neighbourhood_names_default_to_nothing(app, area):
    with app.app_context():
        assert db.session.get(Area, area.id).cbs_names == {}
