"""0006_reports: a published report in two languages with a version, and two actions, one
with an update ("you said, we did")."""

import datetime as dt

from tests.migrations.rows import utc

REVISION = "7bce2e159876"

ROWS = {
    "reports": [
        {
            "id": 1,
            "study_id": 1,
            "slug": "samen-in-de-buurt-2026",
            "state": "published",
            "published_at": utc("2026-11-20 12:00:00"),
            "figure_questions": ["plekken"],
            "created_at": utc("2026-11-10 09:00:00"),
        }
    ],
    "report_sections": [
        {
            "id": 1,
            "report_id": 1,
            "language": "nl",
            "kind": "asked",
            "body": "We vroegen 42 bewoners waar ze elkaar ontmoeten.",
        },
        {
            "id": 2,
            "report_id": 1,
            "language": "nl",
            "kind": "heard",
            "body": "De markt is de belangrijkste plek; het buurthuis is vaak dicht.",
        },
        {
            "id": 3,
            "report_id": 1,
            "language": "ar",
            "kind": "heard",
            "body": "السوق هو أهم مكان؛ مركز الحي غالبا مغلق.",
        },
    ],
    "report_versions": [
        {
            "id": 1,
            "report_id": 1,
            "number": 1,
            "published_at": utc("2026-11-20 12:00:00"),
            "sections": {"nl": {"asked": "We vroegen 42 bewoners waar ze elkaar ontmoeten."}},
            "published_by_id": 2,
        }
    ],
    "actions": [
        {
            "id": 1,
            "study_id": 1,
            "titles": {
                "nl": "Het buurthuis gaat ook op zaterdag open",
                "ar": "مركز الحي يفتح يوم السبت",
            },
            "owner": "Gemeente Heerlen",
            "due_date": dt.date(2027, 3, 1),
            "status": "started",
            "drop_reason": None,
            "created_at": utc("2026-11-20 12:05:00"),
        },
        {
            "id": 2,
            "study_id": 1,
            "titles": {"nl": "Bankjes bij de speeltuin"},
            "owner": "Wijkteam",
            "due_date": None,
            "status": "dropped",
            "drop_reason": "De speeltuin wordt in 2027 verplaatst.",
            "created_at": utc("2026-11-20 12:06:00"),
        },
    ],
    "action_updates": [
        {
            "id": 1,
            "action_id": 1,
            "at": dt.date(2026, 12, 1),
            "status": "started",
            "text": "Vrijwilligers gezocht voor de zaterdagochtend.",
            "author_id": 2,
        }
    ],
}
