"""The demo: an area, four accounts and a study in fieldwork, seeded idempotently."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.accounts.passwords import hash_password
from fieldapp.areas.models import Area
from fieldapp.extensions import db
from fieldapp.studies.models import MemberRole, Study, StudyMember, StudyState, StudyTheme

# Demo accounts. The passwords are printed by `make run`; never use them in production.
DEMO_ACCOUNTS = (
    ("admin", "Anouk Admin", Role.ADMIN, "nl", ["nl", "en"], "demo-admin-2026"),
    ("coordinator", "Chris Coördinator", Role.COORDINATOR, "nl", ["nl", "en"], "demo-coord-2026"),
    ("samira", "Samira El Idrissi", Role.CO_RESEARCHER, "ar", ["ar", "nl"], "demo-samira-2026"),
    ("piotr", "Piotr Nowak", Role.CO_RESEARCHER, "pl", ["pl", "nl", "uk"], "demo-piotr-2026"),
)
DEMO_AREA = {
    "slug": "heerlen-noord",
    "name": "Heerlen-Noord",
    "municipality": "Heerlen",
    "cbs_codes": ["BU09170300", "BU09170301", "BU09170500"],
    "cbs_names": {
        "BU09170300": "Heerlerheide-Centrum",
        "BU09170301": "Passart",
        "BU09170500": "Meezenbroek",
    },
}
DEMO_STUDY_SLUG = "samen-in-de-buurt"


def _user(username, display_name, role, locale, languages, password) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(
            username=username,
            display_name=display_name,
            role=role,
            locale=locale,
            languages_spoken=languages,
            password_hash=hash_password(password),
        )
        db.session.add(user)
    return user


def seed_demo() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo; return the logins (username, password, role)."""
    users = {row[0]: _user(*row) for row in DEMO_ACCOUNTS}
    area = db.session.scalar(select(Area).where(Area.slug == DEMO_AREA["slug"]))
    if area is None:
        area = Area(**DEMO_AREA)
        db.session.add(area)
    if users["coordinator"] not in area.coordinators:
        area.coordinators.append(users["coordinator"])
    study = db.session.scalar(select(Study).where(Study.slug == DEMO_STUDY_SLUG))
    if study is None:
        study = Study(
            slug=DEMO_STUDY_SLUG,
            area=area,
            title="Samen in de buurt",
            research_question=(
                "Waar ontmoeten bewoners van Heerlen-Noord elkaar, en wat houdt hen tegen?"
            ),
            lead_organisation="Programmabureau Heerlen-Noord",
            contact_email="onderzoek@example.nl",
            state=StudyState.FIELDWORK,
            retention_date=dt.date.today().replace(year=dt.date.today().year + 2),
            languages=["nl", "en", "ar", "tr", "pl", "uk"],
            created_by_id=None,
        )
        study.themes = [
            StudyTheme(key="community"),
            StudyTheme(key="facilities"),
            StudyTheme(key="custom:eenzaamheid", label="Eenzaamheid"),
        ]
        db.session.add(study)
        db.session.flush()
        study.created_by_id = users["coordinator"].id
    present = {m.user_id for m in study.members}
    db.session.flush()
    for username, role in (
        ("coordinator", MemberRole.COORDINATOR),
        ("samira", MemberRole.CO_RESEARCHER),
        ("piotr", MemberRole.CO_RESEARCHER),
    ):
        if users[username].id not in present:
            study.members.append(StudyMember(user=users[username], role=role))
    db.session.flush()
    _seed_consent(study, users)
    # Imported when demo data is made: the demo pulls in every domain, the app need not.
    from fieldapp.fieldwork.demo import seed_fieldwork

    seed_fieldwork(study, users)
    from fieldapp.compensation.demo import seed_compensation

    seed_compensation(study, users)
    from fieldapp.reports.demo import seed_report

    seed_report(study, users)
    db.session.flush()
    return [(row[0], row[5], row[2]) for row in DEMO_ACCOUNTS]


def _signature_png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("L", (480, 160), 255)
    draw = ImageDraw.Draw(image)
    draw.line(
        [(30, 110), (80, 40), (120, 120), (170, 50), (230, 115), (300, 60), (440, 90)],
        fill=0,
        width=5,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _seed_consent(study: Study, users: dict[str, User]) -> None:
    """A published consent form in six languages, four participants, one of them withdrawn."""
    # Imported when demo data is made: the demo pulls in every domain, the app need not.
    from fieldapp.consent import services as consent
    from fieldapp.consent.demo_texts import INFORMATION, LABELS
    from fieldapp.participants.models import Participant, ParticipantTombstone
    from fieldapp.participants.services import check_new_participant

    coordinator = users["coordinator"]
    if consent.current_form(study) is None:
        form = consent.start_new_version(coordinator, study)
        for language in study.languages:
            consent.save_text(coordinator, form, language, INFORMATION[language], LABELS[language])
        consent.publish_form(coordinator, form)
    already = db.session.scalar(
        select(Participant.id).where(Participant.study_id == study.id).limit(1)
    ) or db.session.scalar(
        select(ParticipantTombstone.id).where(ParticipantTombstone.study_id == study.id).limit(1)
    )
    if already:
        return
    no = dict.fromkeys(("audio", "quote", "photo", "recontact", "reuse"), False)
    people = [
        # (who meets them, language, age band, decisions, method, extra)
        ("samira", "ar", "45_64", {**no, "audio": True, "quote": True}, "spoken", {}),
        (
            "samira",
            "nl",
            "25_44",
            {**no, "quote": True, "recontact": True, "reuse": True},
            "paper",
            {"paper_reference": "HN-2026-014", "contact": {"email": "buur@example.nl"}},
        ),
        ("piotr", "pl", "65_plus", {**no, "audio": True, "reuse": True}, "signature", {}),
        ("piotr", "uk", "18_24", {**no, "quote": True}, "spoken", {}),
    ]
    made = []
    codes = DEMO_AREA["cbs_codes"]
    for number, (username, language, age_band, decisions, method, extra) in enumerate(people):
        who = users[username]
        pending = check_new_participant(
            who, study, language=language, age_band=age_band, sub_area=codes[number % len(codes)]
        )
        record = consent.record_consent(
            who,
            pending,
            decisions={"take_part": True, **decisions},
            method=method,
            language=language,
            declaration=method == "spoken",
            signature_png=_signature_png() if method == "signature" else None,
            **extra,
        )
        made.append(record.participant)
    # The last one changed their mind: only a tombstone remains.
    consent.withdraw_participant(made[-1], reason="participant")


def demo_participant_token() -> str | None:
    """A fresh link to one demo participant's own page (older links of theirs stop working)."""
    # Imported when demo data is made: the demo pulls in every domain, the app need not.
    from fieldapp.participants.models import Participant
    from fieldapp.participants.services import issue_token

    participant = db.session.scalar(
        select(Participant)
        .join(Study)
        .where(Study.slug == DEMO_STUDY_SLUG)
        .order_by(Participant.id)
        .limit(1)
    )
    return issue_token(participant) if participant is not None else None
