"""SIGKILL of the server during a burst of submissions: everything answered "received" is in
the database after a restart, exactly once; what got no answer can be sent again safely."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid as uuid_module
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from tests.dbutil import fresh_database

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sigkill-test-secret-key"
WSGI = """
from fieldapp import create_app

app = create_app({"WTF_CSRF_ENABLED": False})
"""
WRITERS = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, tmp: Path, env: dict):
        self.port = _free_port()
        self.log = open(tmp / "server.log", "ab")  # noqa: SIM115 - closed in wait()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                *("--workers", "2", "--bind", f"127.0.0.1:{self.port}", "--chdir", str(tmp)),
                "faultwsgi:app",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (tmp / "server.log").read_text()[-3000:]
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def kill(self, sig) -> None:
        os.killpg(self.process.pid, sig)  # the master and its workers: the group we made
        self.process.wait(timeout=30)
        self.log.close()


def _request(port, method, path, body=None, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


def _observation(uid: str) -> str:
    return urlencode(
        {
            "uuid": uid,
            "themes": "facilities",
            "category": "bankje",
            "note": f"Observatie {uid[:8]}: het bankje is kapot.",
            "latitude": "50.912345",
            "longitude": "5.978912",
            "accuracy": "8",
            "place_description": "",
        }
    )


@pytest.fixture
def served(tmp_path):
    """A seeded database and the environment to serve it with gunicorn."""
    from fieldapp import create_app
    from fieldapp.demo import seed_demo
    from fieldapp.extensions import db

    with fresh_database(tmp_path, "sigkill") as url:
        env = {
            **os.environ,
            "FIELDAPP_ENV": "testing",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": url,
            "FIELDAPP_INSTANCE": str(tmp_path / "instance"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_COST": "8192",
            "ARGON2_PARALLELISM": "1",
            "PYTHONPATH": str(ROOT),
        }
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": SECRET,
                "SQLALCHEMY_DATABASE_URI": url,
                "MEDIA_ROOT": str(tmp_path / "media"),
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_COST": 8 * 1024,
                "ARGON2_PARALLELISM": 1,
            }
        )
        with app.app_context():
            db.create_all()
            seed_demo()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        (tmp_path / "faultwsgi.py").write_text(WSGI)
        engine = create_engine(url)
        yield tmp_path, env, engine
        engine.dispose()


def _stored(engine, uuids) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT uuid, count(*) FROM observations GROUP BY uuid")).all()
    counts = dict(rows)
    return {uid: counts.get(uid, 0) for uid in uuids}


def test_sigkill_during_a_burst_loses_nothing_received(served):
    tmp, env, engine = served
    with engine.connect() as conn:
        study_id = conn.execute(
            text(
                "SELECT m.study_id FROM study_members m JOIN users u ON u.id = m.user_id "
                "WHERE u.username = 'samira' ORDER BY m.study_id LIMIT 1"
            )
        ).scalar()
        seeded = conn.execute(text("SELECT count(*) FROM observations")).scalar()
    server = Gunicorn(tmp, env)
    status, headers = _request(
        server.port,
        "POST",
        "/login",
        urlencode({"username": "samira", "password": "demo-samira-2026"}),
    )
    assert status == 302
    cookie = "; ".join(
        f"{name}={morsel.value}"
        for raw in headers.get_all("Set-Cookie")
        for name, morsel in SimpleCookie(raw).items()
    )
    path = f"/studies/{study_id}/observations/new"
    received: list[str] = []
    unanswered: list[str] = []
    refused: list[tuple[str, int]] = []
    lock = threading.Lock()
    killed = threading.Event()

    def burst() -> None:
        while not killed.is_set():
            uid = str(uuid_module.uuid4())
            try:
                status, _ = _request(server.port, "POST", path, _observation(uid), cookie)
            except (OSError, http.client.HTTPException):
                with lock:
                    unanswered.append(uid)
                continue
            with lock:
                (received.append(uid) if status == 302 else refused.append((uid, status)))

    threads = [threading.Thread(target=burst) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(received) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill(signal.SIGKILL)  # mid-burst: requests are inside the workers right now
    killed.set()
    for thread in threads:
        thread.join()
    print(f"SIGKILL after {len(received)} received; {len(unanswered)} without an answer")
    assert refused == []
    assert len(received) >= 40

    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # Everything answered "received" is there, once, before the server is even back.
    assert set(_stored(engine, received).values()) == {1}

    server = Gunicorn(tmp, env)
    try:
        # A phone sends again what got no answer, and some of what was received: each
        # answers "received" and is stored exactly once.
        again = unanswered + received[:5]
        for uid in again:
            status, _ = _request(server.port, "POST", path, _observation(uid), cookie)
            assert status == 302, uid
    finally:
        server.kill(signal.SIGTERM)
    stored = _stored(engine, received + unanswered)
    assert set(stored.values()) == {1}
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM observations")).scalar()
    assert total == seeded + len(set(received + unanswered))
