"""0009_attachment_device_ids: a photo kept with the SHA-256 of the bytes the device sent,
and an observation with the fingerprint of what the device sent (rule 3)."""

from tests.migrations.rows import utc

REVISION = "0009_attachment_device_ids"

ROWS = {
    "media_files": [
        {
            "id": 3,
            "uuid": "7d9f1b3c-5e7a-4c9d-8f1b-3c5e7a9d1f3b",
            "kind": "photo",
            "storage_name": "9d3f5b7c1e2a4b6c8d0e2f4a6b8c0d2e.jpg",
            "content_type": "image/jpeg",
            "width": 1600,
            "height": 1200,
            "size_bytes": 402311,
            "sha256": "b6" * 32,
            "upload_sha256": "c7" * 32,
            "created_by_id": 4,
            "created_at": utc("2026-12-03 10:05:00"),
        }
    ],
    "observations": [
        {
            "id": 2,
            "uuid": "4e6a8c0e-2a4c-4e6a-8c0e-2a4c6e8a0c2f",
            "study_id": 1,
            "co_researcher_id": 4,
            "instrument_id": 2,
            "themes": ["meeting_places"],
            "category": "Bankje",
            "note": "Het bankje bij de markt is gerepareerd.",
            "latitude": 50.8915,
            "longitude": 5.9801,
            "accuracy_m": 9.0,
            "location_coarsened": False,
            "place_description": "Markt",
            "observed_at": utc("2026-12-03 10:00:00"),
            "state": "submitted",
            "revision": 1,
            "history": [],
            "version_id": 2,
            "answers": {},
            "fingerprint": "d8" * 32,
            "created_at": utc("2026-12-03 10:06:00"),
        }
    ],
    "observation_photos": [{"id": 2, "observation_id": 2, "media_id": 3, "position": 0}],
}


def expected(table, row):
    """Rows written before have neither: the photo's upload hash and the fingerprint are
    unknown (a resend of such an observation is refused with 409, never taken as new)."""
    if table == "media_files":
        return {**row, "upload_sha256": row.get("upload_sha256")}
    if table == "observations":
        return {**row, "fingerprint": row.get("fingerprint")}
    return row
