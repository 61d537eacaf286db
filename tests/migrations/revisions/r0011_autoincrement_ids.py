"""0011_autoincrement_ids: ids are never given twice (SQLite AUTOINCREMENT; nothing changes
on PostgreSQL). Every row of every earlier revision reads the same after the table copies;
a participant written after it keeps its id."""

from tests.migrations.rows import utc

REVISION = "b7e3a1d9c4f2"

ROWS = {
    "participants": [
        {
            "id": 7,
            "uuid": "8a0c2e4a-6c8e-4a0c-9e4a-6c8e0a2c4e6b",
            "code": "T3M-8KW",
            "study_id": 1,
            "language": "ar",
            "age_band": "25_44",
            "created_by_id": 4,
            "token_hash": None,
            "sub_area": None,
            "created_at": utc("2026-12-04 09:00:00"),
        }
    ],
}
