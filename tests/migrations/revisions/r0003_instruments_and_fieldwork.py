"""0003_instruments_and_fieldwork: a questionnaire and an observation protocol, an interview
with answers, a correction and a review note, an observation with a photo."""

from tests.migrations.rows import utc

REVISION = "4b6cd93fc082"

QUESTIONNAIRE = {
    "title": "Buurtgesprek",
    "default_language": "nl",
    "languages": ["nl", "ar"],
    "items": [
        {
            "kind": "question",
            "name": "jaren_in_buurt",
            "type": "integer",
            "labels": {
                "nl": "Hoeveel jaar woon je in deze buurt?",
                "ar": "منذ كم سنة تسكن في هذا الحي؟",
            },
            "constraint": ". >= 0 and . <= 100",
            "required": True,
        },
        {
            "kind": "group",
            "name": "ontmoeten",
            "labels": {"nl": "Elkaar ontmoeten", "ar": "اللقاء ببعضنا"},
            "questions": [
                {
                    "kind": "question",
                    "name": "plekken",
                    "type": "select_multiple",
                    "labels": {"nl": "Waar ontmoet je andere bewoners?", "ar": "أين تلتقي؟"},
                    "choice_list": "plekken",
                },
                {
                    "kind": "question",
                    "name": "verhaal",
                    "type": "text",
                    "labels": {"nl": "Vertel eens over die plek.", "ar": "حدثنا عن هذا المكان."},
                    "relevant": "count-selected(${plekken}) > 0",
                },
            ],
        },
    ],
    "choice_lists": {
        "plekken": [
            {"name": "buurthuis", "labels": {"nl": "Het buurthuis", "ar": "مركز الحي"}},
            {"name": "markt", "labels": {"nl": "De markt", "ar": "السوق"}},
        ]
    },
}

ROWS = {
    "media_files": [
        {
            "id": 2,
            "uuid": "5b7d9f1a-3c5e-4a7b-9d1f-3a5c7e9b1d3f",
            "kind": "photo",
            "storage_name": "8c2e4a6b0d1f3a5c7e9b1d3f5a7c9e1b.jpg",
            "content_type": "image/jpeg",
            "width": 2048,
            "height": 1536,
            "size_bytes": 612345,
            "sha256": "a5" * 32,
            "created_by_id": 4,
            "created_at": utc("2026-10-07 13:05:00"),
        }
    ],
    "instruments": [
        {
            "id": 1,
            "study_id": 1,
            "kind": "questionnaire",
            "title": "Buurtgesprek",
            "public_space": False,
            "accuracy_threshold_m": 50,
            "created_by_id": 2,
            "created_at": utc("2026-09-12 09:00:00"),
        },
        {
            "id": 2,
            "study_id": 1,
            "kind": "observation",
            "title": "Schouw openbare ruimte",
            "public_space": True,
            "accuracy_threshold_m": 30,
            "created_by_id": 2,
            "created_at": utc("2026-09-12 09:30:00"),
        },
    ],
    "instrument_versions": [
        {
            "id": 1,
            "instrument_id": 1,
            "number": 1,
            "state": "published",
            "published_at": utc("2026-09-12 12:00:00"),
            "content": QUESTIONNAIRE,
            "created_at": utc("2026-09-12 09:00:00"),
        },
        {
            "id": 2,
            "instrument_id": 2,
            "number": 1,
            "state": "published",
            "published_at": utc("2026-09-12 12:05:00"),
            "content": {
                "title": "Schouw",
                "default_language": "nl",
                "languages": ["nl"],
                "items": [],
                "choice_lists": {},
            },
            "created_at": utc("2026-09-12 09:30:00"),
        },
    ],
    "interviews": [
        {
            "id": 1,
            "uuid": "0a2c4e6f-8b1d-4f3a-9c5e-7b9d1f3a5c7e",
            "study_id": 1,
            "participant_id": 1,
            "co_researcher_id": 3,
            "version_id": 1,
            "consent_record_id": 1,
            "language": "ar",
            "state": "submitted",
            "notes": "Gesprek in het buurthuis, met thee.",
            "started_at": utc("2026-10-05 09:42:00"),
            "ended_at": utc("2026-10-05 10:15:00"),
            "submitted_at": utc("2026-10-05 10:16:00"),
            "revision": 2,
            "created_at": utc("2026-10-05 09:42:00"),
        }
    ],
    "answers": [
        {
            "id": 1,
            "interview_id": 1,
            "question_name": "jaren_in_buurt",
            "value": 12,
            "media_id": None,
        },
        {
            "id": 2,
            "interview_id": 1,
            "question_name": "plekken",
            "value": ["buurthuis", "markt"],
            "media_id": None,
        },
        {
            "id": 3,
            "interview_id": 1,
            "question_name": "verhaal",
            "value": "Op de markt zie ik mijn buren. Het buurthuis is vaak dicht.",
            "media_id": None,
        },
    ],
    "interview_revisions": [
        {
            "id": 1,
            "interview_id": 1,
            "number": 1,
            "answers": {"jaren_in_buurt": 21, "plekken": ["buurthuis"]},
            "notes": "",
            "submitted_at": utc("2026-10-05 10:14:00"),
            "submitted_by_id": 3,
        },
        {
            "id": 2,
            "interview_id": 1,
            "number": 2,
            "answers": {"jaren_in_buurt": 12, "plekken": ["buurthuis", "markt"]},
            "notes": "Gesprek in het buurthuis, met thee.",
            "submitted_at": utc("2026-10-05 10:16:00"),
            "submitted_by_id": 3,
        },
    ],
    "observations": [
        {
            "id": 1,
            "uuid": "2c4e6a8b-0d2f-4b4c-8e6a-0c2e4a6b8d0f",
            "study_id": 1,
            "co_researcher_id": 4,
            "instrument_id": 2,
            "themes": ["meeting_places", "safety"],
            "category": "Speelplek",
            "note": "De speeltuin aan de Akerstraat heeft geen bankjes; ouders staan.",
            "latitude": 50.8912,
            "longitude": 5.9794,
            "accuracy_m": 12.5,
            "location_coarsened": False,
            "place_description": "Speeltuin Akerstraat",
            "observed_at": utc("2026-10-07 13:00:00"),
            "state": "needs_attention",
            "revision": 1,
            "history": [{"state": "submitted", "at": "2026-10-07T13:06:00+00:00"}],
            "version_id": 2,
            "answers": {},
            "created_at": utc("2026-10-07 13:06:00"),
        }
    ],
    "observation_photos": [{"id": 1, "observation_id": 1, "media_id": 2, "position": 0}],
    "review_notes": [
        {
            "id": 1,
            "interview_id": None,
            "observation_id": 1,
            "decision": "needs_attention",
            "comment": "Kun je de foto zonder kinderen erop nemen?",
            "author_id": 2,
            "created_at": utc("2026-10-08 08:30:00"),
        }
    ],
}
