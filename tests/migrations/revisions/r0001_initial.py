"""0001_initial: accounts, sessions, invitations, login attempts, an area, a study, audit."""

import datetime as dt

from tests.migrations.rows import utc

REVISION = "13e95f6edbc0"

HASH = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0$3q2+7wCk0f8yq3v0Qm7d0Q2WbQ5r9s1n2Yx3aZ4bC5d"

ROWS = {
    "users": [
        {
            "id": 1,
            "username": "beheer",
            "display_name": "Ingrid Beheerder",
            "email": "beheer@example.nl",
            "role": "admin",
            "password_hash": HASH,
            "locale": "nl",
            "languages_spoken": ["nl", "en"],
            "active": True,
            "created_at": utc("2026-09-01 08:00:00"),
        },
        {
            "id": 2,
            "username": "marloes",
            "display_name": "Marloes Janssen",
            "email": "m.janssen@example.nl",
            "role": "coordinator",
            "password_hash": HASH,
            "locale": "nl",
            "languages_spoken": ["nl", "de"],
            "active": True,
            "created_at": utc("2026-09-01 08:05:00"),
        },
        {
            "id": 3,
            "username": "samira",
            "display_name": "Samira El Amrani",
            "email": None,
            "role": "co_researcher",
            "password_hash": HASH,
            "locale": "ar",
            "languages_spoken": ["ar", "nl", "fr"],
            "active": True,
            "created_at": utc("2026-09-03 14:12:09"),
        },
        {
            "id": 4,
            "username": "piotr",
            "display_name": "Piotr Wiśniewski",
            "email": "piotr@example.pl",
            "role": "co_researcher",
            "password_hash": HASH,
            "locale": "pl",
            "languages_spoken": ["pl", "nl"],
            "active": False,
            "created_at": utc("2026-09-03 14:20:00"),
        },
    ],
    "areas": [
        {
            "id": 1,
            "slug": "heerlen-noord",
            "name": "Heerlen-Noord",
            "municipality": "Heerlen",
            "cbs_codes": ["BU09170001", "BU09170002"],
            "created_at": utc("2026-09-01 08:10:00"),
        }
    ],
    "area_coordinators": [{"area_id": 1, "user_id": 2}],
    "studies": [
        {
            "id": 1,
            "slug": "samen-in-de-buurt",
            "area_id": 1,
            "title": "Samen in de buurt",
            "research_question": "Waar ontmoeten bewoners van Heerlen-Noord elkaar, "
            "en wat houdt hen tegen?",
            "lead_organisation": "Programmabureau Heerlen-Noord",
            "contact_email": "onderzoek@example.nl",
            "state": "fieldwork",
            "retention_date": dt.date(2028, 12, 31),
            "languages": ["nl", "ar", "pl"],
            "updated_at": utc("2026-09-10 09:00:00"),
            "created_by_id": 2,
            "created_at": utc("2026-09-02 10:00:00"),
        }
    ],
    "study_members": [
        {
            "study_id": 1,
            "user_id": 2,
            "role": "coordinator",
            "added_at": utc("2026-09-02 10:00:00"),
        },
        {
            "study_id": 1,
            "user_id": 3,
            "role": "co_researcher",
            "added_at": utc("2026-09-04 11:00:00"),
        },
        {
            "study_id": 1,
            "user_id": 4,
            "role": "co_researcher",
            "added_at": utc("2026-09-04 11:01:00"),
        },
    ],
    "study_themes": [
        {"id": 1, "study_id": 1, "key": "meeting_places", "label": None},
        {"id": 2, "study_id": 1, "key": "custom:speeltuinen", "label": "Speeltuinen"},
    ],
    "invitations": [
        {
            "id": 1,
            "token_hash": "5f0c" + "a1" * 30,
            "role": "co_researcher",
            "username": "fatma",
            "display_name": "Fatma Yıldız",
            "email": "fatma@example.nl",
            "locale": "tr",
            "languages_spoken": ["tr", "nl"],
            "study_id": 1,
            "area_id": None,
            "invited_by_id": 2,
            "expires_at": utc("2026-09-17 10:00:00"),
            "used_at": None,
            "revoked_at": None,
            "user_id": None,
            "created_at": utc("2026-09-10 10:00:00"),
        }
    ],
    "user_sessions": [
        {
            "id": 1,
            "token_hash": "9b2e" + "c3" * 30,
            "user_id": 3,
            "created_at": utc("2026-10-05 07:58:00"),
            "authenticated_at": utc("2026-10-05 07:58:00"),
            "expires_at": utc("2026-10-05 19:58:00"),
        }
    ],
    "audit_entries": [
        {
            "id": 1,
            "at": utc("2026-09-10 09:00:00"),
            "actor_id": 2,
            "action": "study.state_changed",
            "object_type": "study",
            "object_id": "1",
            "study_id": 1,
            "details": {"from": "draft", "to": "fieldwork"},
        }
    ],
    "login_attempts": [
        {
            "id": 1,
            "at": utc("2026-10-05 07:57:30"),
            "account_key": "e4" * 32,
            "address_key": "7d" * 32,
            "succeeded": False,
        },
        {
            "id": 2,
            "at": utc("2026-10-05 07:58:00"),
            "account_key": "e4" * 32,
            "address_key": "7d" * 32,
            "succeeded": True,
        },
    ],
}
