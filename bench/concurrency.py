"""SQLite under concurrent writers and audited readers, served by gunicorn.

A fresh SQLite file, migrated (`flask db upgrade`) and seeded (`flask demo`), served by
gunicorn on 127.0.0.1 with FIELDAPP_ENV=development (CSRF on), in two set-ups one after the
other: 4 sync workers, and 4 gthread workers x 15 threads (so that all 60 clients are inside
the app, and in SQLite, at the same time).

Against each: 50 writers (threads, each with a keep-alive connection) post observations as
the demo co-researchers (samira and piotr, one session each, the session's CSRF token sent
with every POST), and at the same time 10 readers (the demo coordinator) GET the study's
consent register and its observations CSV export in turn, both of which write an audit
entry. The readers keep reading until the last writer is done.

Counted per set-up: responses by status, 5xx, connection errors, responses that say
"database is locked", "database is locked" and tracebacks in the server log; afterwards
the database must hold exactly one observation per "received" (302) POST, and one audit
entry per successful read. The budget is 0 errors and 0 "database is locked".

`--app-root DIR` serves another checkout of fieldapp (for example an older commit
exported with `git archive`, with its catalogs compiled), to measure before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sqlite3
import sys
import threading
import time
import uuid as uuid_module
from collections import Counter
from contextlib import closing
from pathlib import Path
from urllib.parse import urlencode

from _common import ROOT, VENV_BIN, log, metric, temp_dir
from throughput import HOST, Browser, Server, _first_error, locked_in

WRITERS, READERS = 50, 10
CO_RESEARCHERS = (("samira", "demo-samira-2026"), ("piotr", "demo-piotr-2026"))
COORDINATOR = ("coordinator", "demo-coord-2026")
SETUPS = {
    "4 sync workers": ["--workers", "4"],
    "4 gthread workers x 15 threads": [
        "--workers",
        "4",
        "--worker-class",
        "gthread",
        "--threads",
        "15",
    ],
}


def prepare_database(tmp: Path, app_root: Path) -> dict:
    database = tmp / "fieldapp.sqlite"
    env = {
        **os.environ,
        "FIELDAPP_ENV": "development",
        "FIELDAPP_INSTANCE": str(tmp / "instance"),
        "DATABASE_URL": f"sqlite:///{database}",
        "FLASK_APP": "wsgi:app",
        "PYTHONPATH": str(app_root),
    }
    env.pop("SECRET_KEY", None)
    for command in (["db", "upgrade"], ["demo"]):
        _run_in(app_root, [str(VENV_BIN / "flask"), *command], env)
    return env


def _run_in(root: Path, command: list[str], env: dict) -> None:
    import subprocess

    done = subprocess.run(  # noqa: S603 - our own command line
        command, cwd=root, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[-2:])} failed:\n{done.stderr[-3000:]}")


def demo_study_id(tmp: Path) -> int:
    with closing(sqlite3.connect(tmp / "fieldapp.sqlite")) as connection:
        (study_id,) = connection.execute(
            "SELECT s.id FROM studies s JOIN study_members m ON m.study_id = s.id "
            "JOIN users u ON u.id = m.user_id WHERE u.username = 'samira' ORDER BY s.id LIMIT 1"
        ).fetchone()
    return study_id


def counts(tmp: Path) -> dict:
    with closing(sqlite3.connect(tmp / "fieldapp.sqlite")) as connection:
        observations = connection.execute("SELECT count(*) FROM observations").fetchone()[0]
        audited = connection.execute(
            "SELECT count(*) FROM audit_entries "
            "WHERE action IN ('consent_register_viewed', 'export_observations')"
        ).fetchone()[0]
    return {"observations": observations, "audited_reads": audited}


def log_in(port: int, username: str, password: str) -> Browser:
    browser = Browser(port)
    _, _, html = browser.send("GET", "/login")
    status, _, _ = browser.send(
        "POST",
        "/login",
        {"username": username, "password": password, "csrf_token": browser.csrf_token(html)},
    )
    if status != 302:
        raise RuntimeError(f"login of {username} answered {status}")
    return browser


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.locked_bodies = 0
        self.connection_errors = 0
        self.latencies: dict[str, list[float]] = {"write": [], "read": []}

    def add(self, kind, status, body: bytes, seconds: float) -> None:
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1
            self.latencies[kind].append(seconds)
            if b"database is locked" in body:
                self.locked_bodies += 1

    def failed_connection(self) -> None:
        with self.lock:
            self.connection_errors += 1


def _send(connection, method, path, cookie, body=None, content_type=None):
    headers = {"Cookie": cookie}
    if content_type:
        headers["Content-Type"] = content_type
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read(), response.will_close


def run_setup(port: int, study_id: int, per_writer: int, tally: Tally) -> float:
    writers_sessions = []
    for username, password in CO_RESEARCHERS:
        browser = log_in(port, username, password)
        _, _, html = browser.send("GET", f"/studies/{study_id}/observations/new")
        writers_sessions.append((browser.cookie_header, browser.csrf_token(html)))
    reader = log_in(port, *COORDINATOR)
    reads = (
        f"/studies/{study_id}/consent/register",
        f"/studies/{study_id}/exports/observations.csv",
    )
    start = threading.Barrier(WRITERS + READERS)
    writers_done = threading.Event()

    def timed(kind, method, path, cookie, connection, body=None, content_type=None):
        started = time.perf_counter()
        try:
            status, data, will_close = _send(connection, method, path, cookie, body, content_type)
        except (OSError, http.client.HTTPException):
            tally.failed_connection()
            connection.close()
            return False
        tally.add(kind, status, data, time.perf_counter() - started)
        if will_close:
            connection.close()
        return True

    def write(n: int) -> None:
        cookie, token = writers_sessions[n % len(writers_sessions)]
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        start.wait()
        for i in range(per_writer):
            form = {
                "csrf_token": token,
                "uuid": str(uuid_module.uuid4()),
                "themes": "facilities",
                "category": "bankje",
                "note": f"Writer {n}, observation {i}: het bankje bij de speeltuin is kapot.",
                "latitude": "50.912345",
                "longitude": "5.978912",
                "accuracy": "8",
                "place_description": "",
            }
            timed(
                "write",
                "POST",
                f"/studies/{study_id}/observations/new",
                cookie,
                connection,
                urlencode(form),
                "application/x-www-form-urlencoded",
            )
        connection.close()

    def read(n: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        start.wait()
        turn = n
        while not writers_done.is_set():
            timed("read", "GET", reads[turn % 2], reader.cookie_header, connection)
            turn += 1
        connection.close()

    started = time.monotonic()
    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    readers = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()
    return time.monotonic() - started


def _percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1)


def run(quick: bool, app_root: Path) -> dict:
    per_writer = 3 if quick else 10
    results: dict = {"app_root": str(app_root), "per_writer": per_writer, "setups": {}}
    metrics = []
    for name, extra in SETUPS.items():
        with temp_dir("concurrency") as tmp_name:
            tmp = Path(tmp_name)
            log(f"  {name}: preparing a migrated, seeded database")
            env = prepare_database(tmp, app_root)
            study_id = demo_study_id(tmp)
            before = counts(tmp)
            server = Server(name, "wsgi:app", app_root, env, tmp / "server.log", extra)
            try:
                server.wait_ready("/login")
                offset = server.log_size()
                tally = Tally()
                log(f"  {name}: {WRITERS} writers x {per_writer} observations, {READERS} readers")
                seconds = run_setup(server.port, study_id, per_writer, tally)
                server_log = server.log_since(offset)
            finally:
                server.stop()
            after = counts(tmp)
        statuses = dict(sorted(tally.statuses.items()))
        errors = (
            sum(v for k, v in tally.statuses.items() if not k.endswith((" 200", " 302")))
            + tally.connection_errors
        )
        locked = tally.locked_bodies + locked_in(server_log)
        received = tally.statuses["write 302"]
        reads_ok = tally.statuses["read 200"]
        stored = after["observations"] - before["observations"]
        audited = after["audited_reads"] - before["audited_reads"]
        found = {
            "seconds": round(seconds, 1),
            "statuses": statuses,
            "connection_errors": tally.connection_errors,
            "errors": errors,
            "locked_in_bodies": tally.locked_bodies,
            "locked_in_log": locked_in(server_log),
            "server_log": _first_error(server_log),
            "writes_received": received,
            "observations_stored": stored,
            "reads_ok": reads_ok,
            "audit_entries_of_reads": audited,
            "write_p50_ms": _percentile(tally.latencies["write"], 0.5),
            "write_p99_ms": _percentile(tally.latencies["write"], 0.99),
            "read_p50_ms": _percentile(tally.latencies["read"], 0.5),
            "read_p99_ms": _percentile(tally.latencies["read"], 0.99),
        }
        results["setups"][name] = found
        log(
            f"    {statuses}; errors {errors}, 'database is locked' {locked}; "
            f"stored {stored} of {received} received; audit entries {audited} for {reads_ok} reads"
        )
        metrics += [
            metric(f"{name}: failed requests", errors, "requests", 0),
            metric(f"{name}: 'database is locked'", locked, "times", 0),
            metric(f"{name}: received writes not stored once", abs(received - stored), "rows", 0),
            metric(f"{name}: reads without their audit entry", abs(reads_ok - audited), "rows", 0),
        ]
    results["metrics"] = metrics
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 observations a writer, not 10")
    parser.add_argument("--json", type=Path, help="write the result to this file")
    parser.add_argument(
        "--app-root", type=Path, default=ROOT, help="the fieldapp checkout to serve"
    )
    args = parser.parse_args()
    result = run(args.quick, args.app_root.resolve())
    result["name"] = "concurrency"
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.json:
        args.json.write_text(text)
    else:
        print(text)
    sys.exit(1 if any(m["ok"] is False for m in result["metrics"]) else 0)


if __name__ == "__main__":
    main()
