"""A realistic world for tests that walk every route: two areas, a study in fieldwork with its
consent, questionnaire, participant, interview, observation with a photo, codes, quote, report,
action, work entries and a payment batch, and a second study elsewhere with objects of its own.

Built once per module through the same pages and services people use."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid as uuid_module
from types import SimpleNamespace

from PIL import Image
from sqlalchemy import select, text

from fieldapp.extensions import db

PASSWORD = "correct horse battery"

# The roles every route is tried with, in the order of the expectation tables.
ROLES = ("anon", "ptok", "coA", "coB", "coordX", "coord", "admin", "finance")


USERNAMES = {
    "coA": "samira9",
    "coB": "piotr9",
    "coordX": "coordx9",
    "coord": "coord9",
    "admin": "admin9",
    "finance": "finance9",
}


def _user(username, role, **fields):
    from fieldapp.accounts.models import User
    from fieldapp.accounts.passwords import hash_password

    user = User(
        username=username,
        display_name=f"Test {username}",
        role=role,
        password_hash=hash_password(PASSWORD),
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _study(slug, area, coordinator, co_researcher):
    from fieldapp.studies.models import Study, StudyMember

    study = Study(
        slug=slug,
        area_id=area.id,
        title=f"Study {slug}",
        research_question="What matters here?",
        lead_organisation="Programmabureau",
        retention_date=dt.date.today() + dt.timedelta(700),
        languages=["nl", "ar"],
        state="fieldwork",
    )
    study.members.append(StudyMember(user=coordinator, role="coordinator"))
    study.members.append(StudyMember(user=co_researcher, role="co_researcher"))
    db.session.add(study)
    db.session.flush()
    return study


def login(client, username):
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def _fieldwork(app, worker, coordinator, study_id, version_id, story):
    """A participant with consent, a submitted interview and an observation with a photo,
    made on the co-researcher's phone; returns their ids and the participant's /p/ token."""
    from fieldapp.fieldwork.models import Answer, Interview, Observation
    from tests.consent.fixtures import enrol

    enrolled = enrol(worker, study_id, item_quote="yes")
    pid, token = enrolled.id, enrolled.token
    uid = str(uuid_module.uuid4())
    worker.post(
        f"/participants/{pid}/interviews", data={"uuid": uid, "version_id": str(version_id)}
    )
    worker.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    worker.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "own"})
    worker.post(
        f"/interviews/{uid}/page/4", data={"action": "next", "q_feeling": "4", "q_story": story}
    )
    assert worker.post(f"/interviews/{uid}/submit", data={}).status_code == 302
    observation_uuid = str(uuid_module.uuid4())
    response = worker.post(
        f"/studies/{study_id}/observations/new",
        data={
            "uuid": observation_uuid,
            "themes": ["facilities"],
            "category": "bankje",
            "note": "Het bankje bij de speeltuin is kapot.",
            "latitude": "50.912345",
            "longitude": "5.978912",
            "accuracy": "8",
            "place_description": "",
            "photos": [(io.BytesIO(_png()), "bankje.png")],
            "photo_id": [str(uuid_module.uuid4())],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1000:]
    # Codes, a coding and a quote, by the coordinator.
    coordinator.get(f"/studies/{study_id}/codes")
    with app.app_context():
        interview = db.session.scalar(select(Interview).where(Interview.uuid == uid))
        assert interview is not None
        assert interview.state == "submitted"
        answer_id = db.session.scalar(
            select(Answer.id).where(
                Answer.interview_id == interview.id, Answer.question_name == "story"
            )
        )
        observation = db.session.scalar(
            select(Observation).where(Observation.uuid == observation_uuid)
        )
        media_uuid = observation.photos[0].media.uuid
        record_id = interview.consent_record_id
    from fieldapp.analysis.models import Code, Coding, Quote

    with app.app_context():
        code_id = db.session.scalar(
            select(Code.id).where(Code.study_id == study_id, Code.theme == "facilities")
        )
    coordinator.post(
        f"/studies/{study_id}/coding",
        data={"code_id": code_id, "answer_id": answer_id, "passage": story.split(".")[0]},
    )
    coordinator.post(
        f"/studies/{study_id}/coding",
        data={"action": "quote", "answer_id": answer_id, "passage": story.split(".")[0]},
    )
    with app.app_context():
        coding_id = db.session.scalar(select(Coding.id).where(Coding.code_id == code_id))
        quote_id = db.session.scalar(select(Quote.id).where(Quote.study_id == study_id))
    assert coding_id is not None
    assert quote_id is not None
    return SimpleNamespace(
        participant_id=pid,
        token=token,
        interview_uuid=uid,
        observation_uuid=observation_uuid,
        media_uuid=media_uuid,
        answer_id=answer_id,
        record_id=record_id,
        code_id=code_id,
        coding_id=coding_id,
        quote_id=quote_id,
    )


def _money(app, study_id, coordinator_id, worker_id):
    """Rates, an open and an approved work entry, and a draft batch holding the approved one."""
    from fieldapp.accounts.models import User
    from fieldapp.compensation import services
    from fieldapp.compensation.models import WorkEntry
    from fieldapp.studies.models import Study

    with app.app_context():
        actor = db.session.get(User, coordinator_id)
        study = db.session.get(Study, study_id)
        services.save_rates(
            actor,
            study,
            hourly_cents=1250,
            per_interview_cents=1500,
            per_training_cents=2500,
            per_analysis_cents=2500,
        )
        entries = [
            WorkEntry(
                study_id=study_id,
                user_id=worker_id,
                activity="analysis_session",
                work_date=dt.date.today(),
                minutes=0,
                amount_cents=2500,
                state=state,
            )
            for state in ("open", "approved")
        ]
        db.session.add_all(entries)
        db.session.flush()
        batch = services.draft_batch(actor, study)
        db.session.commit()
        return SimpleNamespace(
            open_entry_id=entries[0].id, batch_entry_id=entries[1].id, batch_id=batch.id
        )


def build_world(app) -> SimpleNamespace:
    from fieldapp.accounts.models import User
    from fieldapp.areas.models import Area
    from fieldapp.instruments import services as instruments
    from fieldapp.reports.models import Action, Report
    from tests.consent.fixtures import publish_consent
    from tests.fieldwork.fixtures import sample_definition

    with app.app_context():
        admin = _user("admin9", "admin")
        coord = _user("coord9", "coordinator")
        coord_x = _user("coordx9", "coordinator")
        co_a = _user("samira9", "co_researcher", locale="ar")
        co_b = _user("piotr9", "co_researcher", locale="pl")
        finance = _user("finance9", "coordinator", finance=True)
        area = Area(
            slug="heerlen-noord", name="Heerlen-Noord", municipality="Heerlen", cbs_codes=[]
        )
        area.coordinators = [coord]
        area_x = Area(
            slug="maastricht-oost", name="Maastricht-Oost", municipality="Maastricht", cbs_codes=[]
        )
        area_x.coordinators = [coord_x]
        db.session.add_all([area, area_x])
        db.session.flush()
        study = _study("samen-in-de-buurt", area, coord, co_a)
        other = _study("elders", area_x, coord_x, co_b)
        ids = SimpleNamespace(
            admin=admin.id,
            coord=coord.id,
            coord_x=coord_x.id,
            co_a=co_a.id,
            co_b=co_b.id,
            finance=finance.id,
            area=area.id,
            area_slug=area.slug,
            study=study.id,
            study_slug=study.slug,
            other=other.id,
        )
        versions = {}
        forms = {}
        for study_obj, actor in ((study, coord), (other, coord_x)):
            forms[study_obj.id] = publish_consent(study_obj.id, actor.id).id
            instrument = instruments.create_instrument(
                actor,
                study_obj,
                kind="questionnaire",
                title="Buurtgesprek",
                definition=sample_definition(),
            )
            instruments.publish_version(actor, instrument.versions[0])
            versions[study_obj.id] = (instrument.id, instrument.versions[0].id)
        db.session.commit()
    ids.form_id, ids.other_form_id = forms[ids.study], forms[ids.other]
    ids.instrument_id, ids.version_id = versions[ids.study]
    ids.other_instrument_id, ids.other_version_id = versions[ids.other]

    def new_client(role):
        """A client of its own for `role`, for requests that end the session they come in."""
        client = app.test_client()
        return login(client, USERNAMES[role]) if role in USERNAMES else client

    clients = {role: new_client(role) for role in ROLES}

    story = "Het park is fijn maar 's avonds is het donker. Iedereen helpt elkaar."
    ids.mine = _fieldwork(app, clients["coA"], clients["coord"], ids.study, ids.version_id, story)
    ids.theirs = _fieldwork(
        app, clients["coB"], clients["coordX"], ids.other, ids.other_version_id, story
    )
    ids.money = _money(app, ids.study, ids.coord, ids.co_a)

    # A published report with an action, and an invitation still to be accepted.
    sections = {
        "asked": "We vroegen waar je buren ontmoet.",
        "whom": "Bewoners van de wijk.",
        "heard": "Veel mensen gaan naar het park.",
        "next": "Er komt een bankje.",
        "involved": "Kom naar het buurthuis.",
        "contact": "Mail onderzoek@example.nl.",
    }
    coord_client = clients["coord"]
    coord_client.post(
        f"/studies/{ids.study}/report?in=nl", data={f"section_{k}": v for k, v in sections.items()}
    )
    coord_client.post(f"/studies/{ids.study}/report/publish")
    coord_client.post(
        f"/studies/{ids.study}/actions",
        data={"title_nl": "Een bankje", "title_ar": "مقعد", "owner": "Gemeente Heerlen"},
    )
    invited = coord_client.post(
        "/invitations",
        data={
            "role": "co_researcher",
            "display_name": "Fatma Yilmaz",
            "username": "fatma9",
            "email": "",
            "locale": "tr",
            "languages_spoken": ["tr", "nl"],
            "study_id": str(ids.study),
            "area_id": "",
        },
    )
    match = re.search(r'value="http://localhost/invite/([^"]+)"', invited.get_data(as_text=True))
    assert match, invited.get_data(as_text=True)[:1000]
    ids.invitation_token = match.group(1)
    from fieldapp.accounts.models import Invitation

    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.study_id == ids.study))
        assert report is not None
        assert report.state == "published"
        ids.report_slug = report.slug
        ids.action_id = db.session.scalar(select(Action.id).where(Action.study_id == ids.study))
        ids.invitation_id = db.session.scalar(select(Invitation.id))
        assert db.session.get(User, ids.finance).finance
    assert ids.action_id is not None
    return SimpleNamespace(ids=ids, clients=clients, new_client=new_client)


def empty_database(app) -> None:
    """What tests/conftest.py does after each test, for a module that keeps its world."""
    import shutil
    from pathlib import Path

    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            with db.engine.begin() as conn:
                for table in tables:
                    conn.execute(table.delete())
    media = Path(app.config["MEDIA_ROOT"])
    if media.exists():
        shutil.rmtree(media)
