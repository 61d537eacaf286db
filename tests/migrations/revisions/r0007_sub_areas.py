"""0007_sub_areas: an area whose neighbourhood codes have names, and a participant who says
in which of them they live."""

from tests.migrations.rows import utc

REVISION = "5a9e1c7d2b40"

ROWS = {
    "areas": [
        {
            "id": 2,
            "slug": "kerkrade-west",
            "name": "Kerkrade-West",
            "municipality": "Kerkrade",
            "cbs_codes": ["BU19030101", "BU19030102"],
            "cbs_names": {"BU19030101": "Chevremont", "BU19030102": "Haanrade"},
            "created_at": utc("2026-11-25 09:00:00"),
        }
    ],
    "participants": [
        {
            "id": 3,
            "uuid": "e6a8c0e2-4a6c-4e8a-8c0e-2a4c6e8a0c2e",
            "code": "R8N-2QJ",
            "study_id": 1,
            "language": "uk",
            "age_band": "45_64",
            "created_by_id": 4,
            "token_hash": "d9" * 32,
            "sub_area": "BU09170002",
            "created_at": utc("2026-11-26 10:30:00"),
        }
    ],
}


def expected(table, row):
    """Rows written before: areas get no names of their neighbourhoods ({} by default)."""
    if table == "areas":
        return {**row, "cbs_names": row.get("cbs_names", {})}
    return row
