"""0002_participants_consent_and_media: a signature, a consent form in two languages, two
participants with their consent (one on paper), contact details, a withdrawal's tombstone."""

from tests.migrations.rows import utc

REVISION = "c1d43123fa7b"

ITEMS = ("take_part", "audio", "quote", "photo", "recontact", "reuse")

ROWS = {
    "media_files": [
        {
            "id": 1,
            "uuid": "3f6d1c2a-8e4b-4f7a-9c1d-2b5e8f0a6c31",
            "kind": "signature",
            "storage_name": "4e1a9c0b7d2f4a6e8b3c5d7f9a1b2c3d.png",
            "content_type": "image/png",
            "width": 600,
            "height": 200,
            "size_bytes": 4211,
            "sha256": "0f" * 32,
            "created_by_id": 3,
            "created_at": utc("2026-10-05 09:41:00"),
        }
    ],
    "consent_forms": [
        {
            "id": 1,
            "study_id": 1,
            "version": 1,
            "state": "published",
            "published_at": utc("2026-09-12 12:00:00"),
            "created_by_id": 2,
            "created_at": utc("2026-09-11 15:30:00"),
        },
        {
            "id": 2,
            "study_id": 1,
            "version": 2,
            "state": "draft",
            "published_at": None,
            "created_by_id": 2,
            "created_at": utc("2026-10-20 10:00:00"),
        },
    ],
    "consent_items": [
        {"id": n + 1, "form_id": 1, "key": key, "position": n, "label": None}
        for n, key in enumerate(ITEMS)
    ]
    + [{"id": 7, "form_id": 1, "key": "custom:buurtfeest", "position": 6, "label": "Buurtfeest"}],
    "consent_texts": [
        {
            "id": 1,
            "form_id": 1,
            "language": "nl",
            "information": "We willen weten waar bewoners elkaar ontmoeten. Het gesprek duurt "
            "ongeveer een half uur. U kunt altijd stoppen.",
            "item_labels": {
                "take_part": "Ik doe mee",
                "custom:buurtfeest": "Uitnodiging buurtfeest",
            },
        },
        {
            "id": 2,
            "form_id": 1,
            "language": "ar",
            "information": "نريد أن نعرف أين يلتقي السكان ببعضهم. تستغرق المقابلة حوالي نصف ساعة.",
            "item_labels": {"take_part": "أوافق على المشاركة"},
        },
    ],
    "participants": [
        {
            "id": 1,
            "uuid": "a7c3e9f1-2b4d-4c6e-8f0a-1b3d5f7a9c2e",
            "code": "K7Q-3MX",
            "study_id": 1,
            "language": "ar",
            "age_band": "25_44",
            "created_by_id": 3,
            "token_hash": "b1" * 32,
            "created_at": utc("2026-10-05 09:35:00"),
        },
        {
            "id": 2,
            "uuid": "c2e4a6b8-0d1f-4a3c-9e5b-7d9f1b3c5e7a",
            "code": "P4D-9TW",
            "study_id": 1,
            "language": "nl",
            "age_band": "under_16",
            "created_by_id": 4,
            "token_hash": None,
            "created_at": utc("2026-10-06 16:02:00"),
        },
    ],
    "participant_contacts": [
        {
            "id": 1,
            "participant_id": 1,
            "name": "Fatima",
            "email": "fatima@example.nl",
            "phone": "+31 6 12345678",
            "created_at": utc("2026-10-05 09:36:00"),
        }
    ],
    "participant_tombstones": [
        {
            "id": 1,
            "code": "Z2X-8KL",
            "study_id": 1,
            "withdrawn_at": utc("2026-10-12 18:20:00"),
            "reason": "withdrawn",
        }
    ],
    "erased_submissions": [
        {"submission_id": "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b", "tombstone_id": 1}
    ],
    "consent_records": [
        {
            "id": 1,
            "uuid": "d4f6b8a0-1c3e-4a5b-8d7f-9b1d3f5a7c9e",
            "participant_id": 1,
            "form_id": 1,
            "language": "ar",
            "method": "signature",
            "paper_reference": None,
            "declaration_confirmed": True,
            "signature_media_id": 1,
            "taken_by_id": 3,
            "taken_at": utc("2026-10-05 09:41:00"),
            "guardian_consented": False,
            "guardian_relation": None,
            "guardian_method": None,
            "created_at": utc("2026-10-05 09:41:00"),
        },
        {
            "id": 2,
            "uuid": "f1a3c5e7-9b0d-4f2a-8c4e-6a8c0e2f4a6c",
            "participant_id": 2,
            "form_id": 1,
            "language": "nl",
            "method": "paper",
            "paper_reference": "PAP-2026-014",
            "declaration_confirmed": True,
            "signature_media_id": None,
            "taken_by_id": 4,
            "taken_at": utc("2026-10-06 16:10:00"),
            "guardian_consented": True,
            "guardian_relation": "parent",
            "guardian_method": "paper",
            "created_at": utc("2026-10-06 16:10:00"),
        },
    ],
    "consent_decisions": [
        {
            "id": n + 1,
            "record_id": 1,
            "item_key": key,
            "granted": key != "audio",
            "withdrawn_at": None,
        }
        for n, key in enumerate(ITEMS)
    ]
    + [
        {
            "id": 7,
            "record_id": 2,
            "item_key": "take_part",
            "granted": True,
            "withdrawn_at": None,
        },
        {
            "id": 8,
            "record_id": 2,
            "item_key": "quote",
            "granted": True,
            "withdrawn_at": utc("2026-10-20 08:00:00"),
        },
    ],
}
