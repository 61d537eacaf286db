"""0008_report_snapshots: a second published version that carries its own snapshot of the
figures, quotes and actions, and an update written in Arabic. Versions published before
get what the public saw until then (the report's figures, its quotes, its actions)."""

import datetime as dt

from tests.migrations.rows import utc

REVISION = "b7e4c2a9d816"

ROWS = {
    "report_versions": [
        {
            "id": 2,
            "report_id": 1,
            "number": 2,
            "published_at": utc("2026-12-02 15:00:00"),
            "sections": {"nl": {"heard": "De markt is de belangrijkste plek."}},
            "published_by_id": 2,
            "figure_questions": ["plekken"],
            "quotes": [],
            "actions": [{"id": 1, "titles": {"nl": "Het buurthuis gaat open"}, "updates": []}],
        }
    ],
    "action_updates": [
        {
            "id": 2,
            "action_id": 1,
            "at": dt.date(2026, 12, 2),
            "status": "started",
            "text": "نبحث عن متطوعين ليوم السبت.",
            "author_id": 2,
            "language": "ar",
        }
    ],
}

# What the migration reads from the rows of 0005 and 0006 for the version published before.
_PUBLISHED_BEFORE = {
    "figure_questions": ["plekken"],
    "quotes": ["2e4a6c8e-0a2c-4e4a-9c8e-0a2c4e6a8c0e"],
    "actions": [
        {
            "id": 1,
            "titles": {
                "nl": "Het buurthuis gaat ook op zaterdag open",
                "ar": "مركز الحي يفتح يوم السبت",
            },
            "owner": "Gemeente Heerlen",
            "due_date": "2027-03-01",
            "status": "started",
            "updates": [
                {
                    "at": "2026-12-01",
                    "status": "started",
                    "text": "Vrijwilligers gezocht voor de zaterdagochtend.",
                    "language": None,
                }
            ],
        },
        {
            "id": 2,
            "titles": {"nl": "Bankjes bij de speeltuin"},
            "owner": "Wijkteam",
            "due_date": None,
            "status": "dropped",
            "updates": [],
        },
    ],
}


def expected(table, row):
    """Rows written before: updates have no language; published versions get the snapshot."""
    if table == "action_updates":
        return {**row, "language": row.get("language")}
    if table == "report_versions" and "quotes" not in row:
        return {**row, **_PUBLISHED_BEFORE}
    return row
