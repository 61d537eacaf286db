"""Demo money: rates, hours, thank-yous, someone close to a monthly limit, and a paid batch."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fieldapp.compensation import services
from fieldapp.compensation.models import ThankYouType, WorkEntry
from fieldapp.extensions import db


def seed_compensation(study, users) -> None:
    services.seed_known_limits()
    coordinator, admin = users["coordinator"], users["admin"]
    admin.finance = True  # so the demo can show the CSV and SEPA files of a batch
    if db.session.scalar(select(ThankYouType.id).where(ThankYouType.study_id == study.id)):
        return
    services.save_rates(
        coordinator,
        study,
        hourly_cents=560,
        per_interview_cents=1500,
        per_training_cents=2500,
        per_analysis_cents=2500,
    )
    services.save_thank_you_type(
        coordinator,
        study,
        kind="voucher",
        name="VVV-cadeaubon",
        value_cents=1000,
        stock=20,
        needs_serial=True,
    )
    services.save_thank_you_type(
        coordinator,
        study,
        kind="gift_card",
        name="Bon van de markt",
        value_cents=500,
        stock=30,
        needs_serial=False,
    )
    samira, piotr = users["samira"], users["piotr"]
    services.save_bank_details(samira, account_name="S. El Idrissi", iban="NL91ABNA0417164300")
    services.save_bank_details(piotr, account_name="P. Nowak", iban="NL39RABO0300065264")
    # Samira receives a benefit: the limits apply. Last December is nearly full (200 of the
    # 210 euro a month), and one more entry there waits for approval: approving it stops
    # and asks for a reason.
    services.set_limits_apply(
        admin, samira, limits_apply=True, date_of_birth=dt.date(1984, 5, 17), age_band=None
    )
    december = dt.date(dt.date.today().year - 1, 12, 1)  # last December
    if december >= dt.date.today() - dt.timedelta(days=400):
        for day, minutes in ((2, 480), (9, 480), (16, 480), (23, 480), (30, 225)):
            services.log_hours(
                samira,
                study,
                activity="fieldwork",
                work_date=december.replace(day=day),
                minutes=minutes,
            )
        entries = db.session.scalars(select(WorkEntry).where(WorkEntry.user_id == samira.id)).all()
        services.approve_entries(coordinator, list(entries))
        services.log_hours(
            samira,
            study,
            activity="reporting",
            work_date=december.replace(day=31),
            minutes=240,
            note="Verslag van de straatschouw",
        )
    # Piotr's last month: approved, in a batch made by the coordinator, approved by the
    # administrator (four eyes), and paid.
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for day, activity, minutes in (
        (3, "training", 180),
        (8, "fieldwork", 240),
        (15, "analysis", 120),
    ):
        services.log_hours(
            piotr, study, activity=activity, work_date=last_month.replace(day=day), minutes=minutes
        )
    piotr_entries = db.session.scalars(
        select(WorkEntry).where(WorkEntry.user_id == piotr.id, WorkEntry.state == "open")
    ).all()
    services.approve_entries(coordinator, list(piotr_entries))
    batch = services.draft_batch(coordinator, study)
    # Samira's approved December entries went into the batch too; keep it to Piotr's.
    for entry in list(batch.entries):
        if entry.user_id != piotr.id:
            entry.batch = None
    db.session.flush()
    services.approve_batch(admin, batch)
    services.mark_batch_paid(admin, batch)
    # This week's hours, waiting for approval.
    services.log_hours(
        piotr,
        study,
        activity="meetings",
        work_date=dt.date.today() - dt.timedelta(days=1),
        minutes=90,
        note="Overleg met de buurtcoach",
    )
