"""0005_analysis: a codebook with a sub-code, codings of a passage and of an observation, a
quote for the report, and a co-researcher invited to code."""

from tests.migrations.rows import utc

REVISION = "0033ee32333e"

ROWS = {
    "codes": [
        {
            "id": 1,
            "uuid": "4d6f8a0c-2e4a-4c6e-9a0c-2e4a6c8e0a2c",
            "study_id": 1,
            "parent_id": None,
            "theme": "meeting_places",
            "name": "Ontmoetingsplekken",
            "description": "Waar bewoners elkaar tegenkomen.",
            "created_at": utc("2026-11-01 10:00:00"),
        },
        {
            "id": 2,
            "uuid": "6f8a0c2e-4a6c-4e8a-8c2e-4a6c8e0a2c4e",
            "study_id": 1,
            "parent_id": 1,
            "theme": None,
            "name": "Buurthuis dicht",
            "description": "",
            "created_at": utc("2026-11-01 10:05:00"),
        },
    ],
    "coders": [{"study_id": 1, "user_id": 3, "invited_at": utc("2026-11-01 11:00:00")}],
    "codings": [
        {
            "id": 1,
            "uuid": "8a0c2e4a-6c8e-4a0c-9e4a-6c8e0a2c4e6a",
            "study_id": 1,
            "code_id": 2,
            "answer_id": 3,
            "observation_id": None,
            "start_offset": 34,
            "end_offset": 59,
            "coder_id": 3,
            "created_at": utc("2026-11-02 14:00:00"),
        },
        {
            "id": 2,
            "uuid": "0c2e4a6c-8e0a-4c2e-8a6c-8e0a2c4e6a8c",
            "study_id": 1,
            "code_id": 1,
            "answer_id": None,
            "observation_id": 1,
            "start_offset": None,
            "end_offset": None,
            "coder_id": 2,
            "created_at": utc("2026-11-02 14:05:00"),
        },
    ],
    "quotes": [
        {
            "id": 1,
            "uuid": "2e4a6c8e-0a2c-4e4a-9c8e-0a2c4e6a8c0e",
            "study_id": 1,
            "answer_id": 3,
            "participant_id": 1,
            "start_offset": 0,
            "end_offset": 33,
            "text": "Op de markt zie ik mijn buren.",
            "language": "nl",
            "for_report": True,
            "created_by_id": 2,
            "created_at": utc("2026-11-03 09:00:00"),
        }
    ],
}
