"""0004_compensation: a finance officer, rates, a year's allowance limits, payment details,
work entries (one changed, one paid in a batch) and a thank-you from stock."""

import datetime as dt

from tests.migrations.revisions.r0001_initial import HASH
from tests.migrations.rows import utc

REVISION = "612c93f85bc1"

ROWS = {
    "users": [
        {
            "id": 5,
            "username": "financien",
            "display_name": "Joost van Financiën",
            "email": "financien@example.nl",
            "role": "coordinator",
            "password_hash": HASH,
            "locale": "nl",
            "languages_spoken": ["nl"],
            "active": True,
            "finance": True,
            "created_at": utc("2026-09-20 09:00:00"),
        }
    ],
    # The migration itself writes the limits of 2023 to 2025 (ids 1 to 3).
    "allowance_limits": [
        {
            "id": 4,
            "year": 2026,
            "hourly_cents_21_plus": 560,
            "hourly_cents_under_21": 310,
            "monthly_cents": 21000,
            "yearly_cents": 210000,
            "updated_by_id": 1,
            "updated_at": utc("2026-01-02 09:00:00"),
        }
    ],
    "payee_profiles": [
        {
            "user_id": 3,
            "limits_apply": True,
            "date_of_birth": dt.date(1990, 4, 17),
            "age_band": "21_plus",
            "account_name": "S. El Amrani",
            "iban": "NL91ABNA0417164300",
            "bic": "ABNANL2A",
            "updated_at": utc("2026-09-05 10:00:00"),
        }
    ],
    "study_rates": [
        {
            "study_id": 1,
            "hourly_cents": 1250,
            "per_interview_cents": 1500,
            "per_training_cents": 2500,
            "per_analysis_cents": 2500,
            "updated_at": utc("2026-09-12 09:00:00"),
            "updated_by_id": 2,
        }
    ],
    "payment_batches": [
        {
            "id": 1,
            "study_id": 1,
            "state": "paid",
            "drafted_by_id": 2,
            "approved_by_id": 5,
            "approved_at": utc("2026-10-31 10:00:00"),
            "paid_by_id": 5,
            "paid_at": utc("2026-11-02 15:00:00"),
            "created_at": utc("2026-10-30 16:00:00"),
        }
    ],
    "work_entries": [
        {
            "id": 1,
            "uuid": "7e9a1c3e-5a7c-4e9b-8d1f-3b5d7f9a1c3e",
            "study_id": 1,
            "user_id": 3,
            "activity": "interview",
            "work_date": dt.date(2026, 10, 5),
            "minutes": 0,
            "amount_cents": 1500,
            "note": "",
            "interview_id": 1,
            "state": "paid",
            "approved_by_id": 2,
            "approved_at": utc("2026-10-06 08:00:00"),
            "limit_override_reason": None,
            "batch_id": 1,
            "created_by_id": 3,
            "created_at": utc("2026-10-05 10:16:00"),
        },
        {
            "id": 2,
            "uuid": "9c1e3a5c-7e9a-4b1d-8f3b-5d7f9b1d3f5a",
            "study_id": 1,
            "user_id": 4,
            "activity": "training_session",
            "work_date": dt.date(2026, 9, 15),
            "minutes": 150,
            "amount_cents": 3125,
            "note": "Training interviewen, tweede avond",
            "interview_id": None,
            "state": "open",
            "approved_by_id": None,
            "approved_at": None,
            "limit_override_reason": None,
            "batch_id": None,
            "created_by_id": 4,
            "created_at": utc("2026-09-15 21:30:00"),
        },
    ],
    "work_entry_changes": [
        {
            "id": 1,
            "entry_id": 2,
            "changed_by_id": 2,
            "changed_at": utc("2026-09-16 09:00:00"),
            "reason": "Twee en een half uur, niet drie.",
            "before": {"minutes": 180, "amount_cents": 3750},
            "after": {"minutes": 150, "amount_cents": 3125},
        }
    ],
    "thank_you_types": [
        {
            "id": 1,
            "study_id": 1,
            "kind": "gift_card",
            "name": "VVV-cadeaukaart",
            "value_cents": 1000,
            "stock": 24,
            "needs_serial": True,
            "active": True,
            "created_at": utc("2026-09-12 09:10:00"),
        }
    ],
    "thank_yous": [
        {
            "id": 1,
            "uuid": "1b3d5f7a-9c1e-4d3f-8a5c-7e9a1c3e5a7c",
            "study_id": 1,
            "type_id": 1,
            "interview_id": 1,
            "serial_number": "VVV-2026-000417",
            "value_cents": 1000,
            "given_by_id": 3,
            "given_at": utc("2026-10-05 10:17:00"),
        }
    ],
}


def expected(table, row):
    """Accounts made before have no finance role."""
    if table == "users":
        return {**row, "finance": row.get("finance", False)}
    return row
