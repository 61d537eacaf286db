"""0010_participants_after_consent: a file an erasure still has to remove from disk (the
process stopped between the commit and the removal; `flask purge` finishes it)."""

from tests.migrations.rows import utc

REVISION = "0010_participants_after_consent"

ROWS = {
    "pending_file_removals": [
        {
            "id": 1,
            "storage_name": "0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e.png",
            "recorded_at": utc("2026-12-03 11:00:00"),
        }
    ],
}
