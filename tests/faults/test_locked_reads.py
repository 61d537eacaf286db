"""Reads that write an audit entry never fail with "database is locked" beside many writers."""

from __future__ import annotations

import threading
import uuid as uuid_module
from collections import Counter

import pytest
from sqlalchemy import func, select

from fieldapp.audit.models import AuditEntry
from fieldapp.extensions import db
from fieldapp.fieldwork.models import Observation
from tests.conftest import login

pytestmark = pytest.mark.slow

WRITERS, OBSERVATIONS_EACH, READERS = 8, 12, 4


def _observation(n: int) -> dict:
    return {
        "uuid": str(uuid_module.uuid4()),
        "themes": ["facilities"],
        "category": "bankje",
        "note": f"Bankje {n} bij de speeltuin is kapot.",
        "latitude": "50.912345",
        "longitude": "5.978912",
        "accuracy": "8",
        "place_description": "",
    }


def test_audited_reads_beside_concurrent_writers_all_succeed(
    app, consent_study, co_researcher, coordinator
):
    """8 threads post observations while 4 coordinators read the consent register and the
    observations export (both audited) without pause: every request succeeds."""
    register = f"/studies/{consent_study.id}/consent/register"
    export = f"/studies/{consent_study.id}/exports/observations.csv"
    statuses: Counter = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    writers_done = threading.Event()
    start = threading.Barrier(WRITERS + READERS)
    writer_clients = [login(app.test_client(), co_researcher) for _ in range(WRITERS)]
    reader_clients = [login(app.test_client(), coordinator) for _ in range(READERS)]

    def note(kind: str, response) -> None:
        body = response.get_data()  # a streamed export fails while it is read
        with lock:
            statuses[(kind, response.status_code)] += 1
            if response.status_code >= 500 or b"database is locked" in body:
                failures.append(f"{kind} {response.status_code}")

    def write(client) -> None:
        start.wait()
        for n in range(OBSERVATIONS_EACH):
            response = client.post(
                f"/studies/{consent_study.id}/observations/new",
                data=_observation(n),
                content_type="multipart/form-data",
            )
            note("write", response)

    def read(client) -> None:
        start.wait()
        while not writers_done.is_set():
            for path in (register, export):
                note("read", client.get(path))

    writers = [threading.Thread(target=write, args=(c,)) for c in writer_clients]
    readers = [threading.Thread(target=read, args=(c,)) for c in reader_clients]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()

    assert failures == [], f"{len(failures)} failed requests: {statuses}"
    assert statuses[("write", 302)] == WRITERS * OBSERVATIONS_EACH
    reads = statuses[("read", 200)]
    assert reads >= 2 * READERS
    with app.app_context():
        assert db.session.scalar(select(func.count(Observation.id))) == WRITERS * OBSERVATIONS_EACH
        audited = db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action.in_(("consent_register_viewed", "export_observations"))
            )
        )
        assert audited == reads  # every read that showed data left its audit entry


def test_reads_that_write_beside_concurrent_writers_all_succeed(
    app, consent_study, co_researcher, coordinator
):
    """A GET that writes (the participant card, claimed on its first showing, and audited)
    begins with the write lock: beside writers it neither fails nor waits on itself."""
    from tests.consent.fixtures import enrol

    worker = login(app.test_client(), co_researcher)
    people = [enrol(worker, consent_study.id).id for _ in range(READERS)]
    statuses: Counter = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    writers_done = threading.Event()
    start = threading.Barrier(WRITERS + READERS)
    writer_clients = [login(app.test_client(), co_researcher) for _ in range(WRITERS)]
    reader_clients = [login(app.test_client(), co_researcher) for _ in range(READERS)]

    def note(kind: str, response) -> None:
        with lock:
            statuses[(kind, response.status_code)] += 1
            if response.status_code >= 500:
                failures.append(f"{kind} {response.status_code}")

    def write(client) -> None:
        start.wait()
        for n in range(OBSERVATIONS_EACH):
            note(
                "write",
                client.post(
                    f"/studies/{consent_study.id}/observations/new",
                    data=_observation(n),
                    content_type="multipart/form-data",
                ),
            )

    def show_cards(client, pid) -> None:
        start.wait()
        while not writers_done.is_set():
            note("new card", client.post(f"/participants/{pid}/new-card"))
            card = client.get(f"/participants/{pid}/receipt")
            note("card", card)
            if b"/p/" not in card.get_data():
                with lock:
                    failures.append("card shown without its link")

    writers = [threading.Thread(target=write, args=(c,)) for c in writer_clients]
    readers = [
        threading.Thread(target=show_cards, args=(c, pid))
        for c, pid in zip(reader_clients, people, strict=True)
    ]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()

    assert failures == [], f"{len(failures)} failed requests: {statuses}"
    assert statuses[("card", 200)] >= READERS
    with app.app_context():
        shown = db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "participant_card_shown")
        )
        assert shown == statuses[("card", 200)] + READERS  # enrol showed each card once
