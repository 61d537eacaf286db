"""Who sees participants and consent records; the participant page; the register."""

from __future__ import annotations

import csv
import io
import logging
import re
import subprocess

import pytest
from sqlalchemy import select

from fieldapp.consent.models import ConsentRecord
from fieldapp.extensions import db
from tests.conftest import login
from tests.consent.fixtures import consent_post


@pytest.fixture
def consented(app, as_co_researcher, consent_study, make_participant):
    participant = make_participant(consent_study)
    as_co_researcher.post(
        f"/participants/{participant.id}/consent",
        data=consent_post(item_recontact="yes", contact_email="buurvrouw@example.nl"),
    )
    html = as_co_researcher.get(f"/participants/{participant.id}/receipt").get_data(as_text=True)
    participant.token = re.search(r"/p/([A-Za-z0-9_\-]{40,})", html).group(1)
    with app.app_context():
        participant.record_id = db.session.scalar(select(ConsentRecord.id))
    return participant


def _paths(participant):
    return [
        f"/participants/{participant.id}",
        f"/participants/{participant.id}/consent",
        f"/participants/{participant.id}/receipt",
        f"/participants/{participant.id}/receipt.pdf",
        f"/consent-records/{participant.record_id}.pdf",
    ]


def _open(client, path, participant):
    """GET, or for the card's PDF a POST with the link it prints (even that is refused)."""
    if path.endswith("/receipt.pdf"):
        return client.post(path, data={"token": participant.token})
    return client.get(path)


def test_other_co_researcher_sees_nothing(app, consented, make_user, consent_study):
    from fieldapp.accounts.models import User
    from fieldapp.studies.models import StudyMember

    colleague = make_user("co_researcher")
    with app.app_context():
        db.session.add(
            StudyMember(
                study_id=consent_study.id,
                user=db.session.get(User, colleague.id),
                role="co_researcher",
            )
        )
        db.session.commit()
    client = login(app.test_client(), colleague)
    for path in _paths(consented):
        assert _open(client, path, consented).status_code in (404, 302), path
    assert client.post(f"/participants/{consented.id}/new-card").status_code == 404
    listing = client.get(f"/studies/{consent_study.id}/participants").get_data(as_text=True)
    assert consented.code not in listing
    found = client.post(
        f"/studies/{consent_study.id}/participants/find?lang=en", data={"code": consented.code}
    )
    assert "No participant of yours has this code" in found.get_data(as_text=True)


def test_coordinator_of_another_study_sees_nothing(
    app, consented, make_user, make_area, make_study
):
    stranger = make_user("coordinator")
    make_study(make_area(coordinators=[stranger]), coordinators=[stranger])
    client = login(app.test_client(), stranger)
    for path in _paths(consented):
        response = _open(client, path, consented)
        assert response.status_code in (404, 302), path
        assert consented.code not in response.get_data(as_text=True)


def test_admin_sees_no_participant_data(app, consented, as_admin):
    for path in _paths(consented)[:4]:
        assert _open(as_admin, path, consented).status_code == 404


def test_anonymous_users_see_nothing(app, consented):
    client = app.test_client()
    for path in _paths(consented):
        response = _open(client, path, consented)
        assert response.status_code in (302, 404), path
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]


def test_own_coordinator_sees_register_and_record(app, consented, as_coordinator, consent_study):
    html = as_coordinator.get(f"/studies/{consent_study.id}/consent/register?lang=en").get_data(
        as_text=True
    )
    assert consented.code in html
    assert "buurvrouw@example.nl" not in html
    pdf = as_coordinator.get(f"/consent-records/{consented.record_id}.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")


def test_register_counts(app, as_co_researcher, consent_study, make_participant):
    from fieldapp.consent import services
    from fieldapp.studies.models import Study

    for lang, quote in (("nl", "yes"), ("nl", "no"), ("ar", "yes")):
        p = make_participant(consent_study, language=lang)
        as_co_researcher.post(f"/participants/{p.id}/consent", data=consent_post(item_quote=quote))
    with app.app_context():
        counts = services.register_counts(db.session.get(Study, consent_study.id))
    assert counts["total"] == 3
    assert counts["languages"] == {"nl": 2, "ar": 1}
    assert counts["items"]["quote"] == 2
    assert counts["items"]["take_part"] == 3
    assert "photo" not in counts["items"]


def test_register_csv_has_no_contact_details(app, consented, as_coordinator, consent_study):
    response = as_coordinator.get(f"/studies/{consent_study.id}/consent/register.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "buurvrouw@example.nl" not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["code", "version", "language"]
    assert rows[1][0] == consented.code
    assert rows[1][rows[0].index("recontact")] == "yes"


def test_csv_neutralises_formulas():
    from fieldapp.consent.views import neutralise

    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralise("+31") == "'+31"
    assert neutralise("K7Q-3MXA") == "K7Q-3MXA"


def test_register_export_needs_a_recent_login(app, consented, as_coordinator, consent_study):
    import datetime as dt

    from fieldapp.accounts.models import UserSession

    with app.app_context():
        for s in db.session.scalars(select(UserSession)):
            s.authenticated_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
        db.session.commit()
    response = as_coordinator.get(f"/studies/{consent_study.id}/consent/register.csv")
    assert response.status_code == 302
    assert "/reauthenticate" in response.headers["Location"]


def test_co_researcher_cannot_open_the_register(consented, as_co_researcher, consent_study):
    assert as_co_researcher.get(f"/studies/{consent_study.id}/consent/register").status_code == 403
    assert (
        as_co_researcher.get(f"/studies/{consent_study.id}/consent/register.csv").status_code == 403
    )


def test_participant_page_in_their_language(app, consented, client):
    response = client.get(f"/p/{consented.token}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in html
    assert "Het gesprek mag worden opgenomen." in html
    assert consented.code in html
    assert response.headers["Cache-Control"] == "no-store"
    arabic = client.get(f"/p/{consented.token}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic


@pytest.mark.parametrize("mangle", ["wrong", "truncated", "extended", "empty-ish"])
def test_bad_tokens_give_404(consented, client, mangle):
    token = {
        "wrong": "x" * len(consented.token),
        "truncated": consented.token[:-1],
        "extended": consented.token + "A",
        "empty-ish": "a",
    }[mangle]
    assert client.get(f"/p/{token}").status_code == 404
    assert client.get(f"/p/{token}/withdraw").status_code == 404
    assert client.post(f"/p/{token}/withdraw").status_code == 404


def test_new_card_invalidates_the_old_token(app, consented, as_co_researcher, client):
    assert client.get(f"/p/{consented.token}").status_code == 200
    as_co_researcher.post(f"/participants/{consented.id}/new-card")
    assert client.get(f"/p/{consented.token}").status_code == 404


def test_tokens_are_at_least_128_bits():
    from fieldapp.common.tokens import new_token

    token = new_token(32)
    assert len(token) >= 43  # 256 bits in URL-safe base64


def test_tokens_never_reach_the_logs(consented):
    from fieldapp.common.logs import RedactSecrets

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '127.0.0.1 - - "GET /p/%s HTTP/1.1" 200 -',
        (consented.token,),
        None,
    )
    RedactSecrets().filter(record)
    assert consented.token not in record.getMessage()
    assert "/p/[redacted]" in record.getMessage()
    assert logging.getLogger("werkzeug").filters  # installed by create_app


def test_development_server_log_has_no_token(tmp_path):
    """Run the real development server, request a participant page, read its log."""
    import os
    import socket
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(
        os.environ,
        FIELDAPP_ENV="development",
        FIELDAPP_INSTANCE=str(tmp_path),
        FLASK_APP="wsgi:app",
    )
    env.pop("TEST_DATABASE_URL", None)
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "flask", "run", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            secret = "S3cretTokenThatMustNotAppearInLogs_abcdefghijklmnop"
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/p/{secret}")  # noqa: S310
                except urllib.error.HTTPError:
                    break
                except OSError:
                    time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log_path.read_text()
    assert "GET /p/" in text
    assert secret not in text


def test_every_bad_token_costs_the_same_work(app, consented, client):
    """Wrong, truncated and withdrawn tokens take the same path: one hash, one indexed query."""
    from sqlalchemy import event

    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.split()[0])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        shapes = {}
        for name, token in {
            "wrong": "x" * len(consented.token),
            "truncated": consented.token[:20],
            "long": consented.token * 3,
        }.items():
            statements.clear()
            assert client.get(f"/p/{token}").status_code == 404
            shapes[name] = list(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert shapes["wrong"] == shapes["truncated"] == shapes["long"]
    assert shapes["wrong"].count("SELECT") == 1
