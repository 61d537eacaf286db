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
            languages=["nl", "ar", "pl", "tr"],
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
    return [(row[0], row[5], row[2]) for row in DEMO_ACCOUNTS]
