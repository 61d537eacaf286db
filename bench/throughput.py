"""Question page throughput under gunicorn, as a ratio of a bare Flask "hello", same run.

Two servers run side by side, each gunicorn with 2 sync workers on 127.0.0.1: a one-route
Flask "hello" app and fieldapp (wsgi:app, FIELDAPP_ENV=development, a fresh SQLite file
migrated with `flask db upgrade` and seeded with `flask demo`). Load is applied to one server
at a time, with wrk when it is installed (else a Python load generator: threads with
keep-alive http.client connections), 8 connections:

- hello: GET /
- read: GET of a question page (the number question, page 1) with samira's session cookie
- write: POST of that page with a valid random answer and action=next (302 to page 2)

The three kinds take turns in 5 rounds of 2 seconds (10 s each in all), so that a burst of
other work on the shared machine hits all of them alike; the ratio that counts is the
median of the 5 per-round ratios (the pooled ratio is reported too).

Then concurrency: 50 writers (threads, all with the one session), each POSTing answers to
its own interview for 10 s, against the same 2-worker server; then against 2 gthread
workers x 25 threads, so that 50 requests are inside the app, and in SQLite, at the same
time. Every 500, every response that says "database is locked", every "database is locked"
in the server log and every connection error counts as a failed write.

Last, where the time goes: hello, GET and POST through Flask's test client in this process.

CSRF stays on (development configuration): the benchmark logs in once through the login
form and reuses the session's CSRF token, as a phone would during an interview.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import threading
import time
import uuid as uuid_module
from collections import Counter
from contextlib import closing
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _common import DEMO_PASSWORD, DEMO_USER, ROOT, VENV_BIN, log, main, metric, temp_dir

READ_BUDGET = 0.40
WRITE_BUDGET = 0.25
CONNECTIONS = 8
ROUNDS = 5
WRITERS = 50
HOST = "127.0.0.1"
PAGE = 1  # the number question "jaren_in_buurt"
ANSWERS = random.Random()  # noqa: S311 - answers to post, not security

HELLO_APP = """\
from flask import Flask

app = Flask(__name__)


@app.route("/", methods=["GET", "POST"])
def hello():
    return "Hello, World!"
"""

WRK_DONE = r"""
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH_JSON {\"requests\": %d, \"duration_us\": %d, \"status_errors\": %d, " ..
    "\"connect_errors\": %d, \"read_errors\": %d, \"write_errors\": %d, \"timeouts\": %d, " ..
    "\"p50_ms\": %.2f, \"p99_ms\": %.2f}\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn we started; stopped by its own pid."""

    def __init__(self, name, app, chdir, env, log_path: Path, extra=()):
        self.name, self.port, self.log_path = name, free_port(), log_path
        command = [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            "2",
            *extra,
            "--bind",
            f"{HOST}:{self.port}",
            "--chdir",
            str(chdir),
            "--log-level",
            "warning",
            app,
        ]
        self.log_file = open(log_path, "ab")  # closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                status, _, _ = request(self.port, "GET", path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start: {self.log_path.read_text()[-2000:]}")

    def log_size(self) -> int:
        self.log_file.flush()
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        self.log_file.flush()
        with open(self.log_path, "rb") as fh:
            fh.seek(offset)
            return fh.read().decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


# ---------------------------------------------------------------- a small HTTP client


def request(port, method, path, body=None, headers=None, timeout=30.0):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class Browser:
    """Just enough of a browser for the setup: cookies and the CSRF token of a form."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def send(self, method, path, form=None):
        headers = {"Cookie": self.cookie_header} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, data = request(self.port, method, path, body, headers)
        for raw in response_headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return status, response_headers, data.decode(errors="replace")

    @staticmethod
    def csrf_token(html: str) -> str:
        tag = re.search(r"<input[^>]*name=\"csrf_token\"[^>]*>", html)
        value = re.search(r"value=\"([^\"]+)\"", tag.group(0)) if tag else None
        if value is None:
            raise RuntimeError("no csrf_token in the page")
        return value.group(1)


# ---------------------------------------------------------------- load generators


def wrk_load(port, path, duration, connections, cookie=None, form=None) -> dict:
    """Requests per second with wrk; a POST with a fresh random answer when form is given."""
    lines = []
    if cookie:
        lines.append(f'wrk.headers["Cookie"] = {json.dumps(cookie)}')
    if form is not None:
        fixed = urlencode(form(None), doseq=True)
        lines += [
            'wrk.method = "POST"',
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
            "request = function()",
            f'  local body = {json.dumps(fixed)} .. "&q_jaren_in_buurt=" .. math.random(0, 100)',
            "  return wrk.format(nil, nil, nil, body)",
            "end",
        ]
    with temp_dir("wrk") as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text("\n".join(lines) + WRK_DONE)
        output = subprocess.run(  # noqa: S603 - our own command line
            [
                shutil.which("wrk"),
                "-t1",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                f"http://{HOST}:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    found = re.search(r"BENCH_JSON (\{.*\})", output)
    if found is None:
        raise RuntimeError(f"wrk said: {output}")
    result = json.loads(found.group(1))
    result["seconds"] = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / result["seconds"]
    result["tool"] = "wrk"
    return result


def python_load(
    port, targets, duration, cookie=None, form=None, watch_body=None, keep_alive=True
) -> dict:
    """One thread per target path, each with its own keep-alive connection, for duration s.

    Counts the status codes and the responses whose body contains watch_body.
    """
    deadline = time.monotonic() + duration
    statuses: Counter = Counter()
    flagged = errors = 0
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(path: str) -> None:
        nonlocal flagged, errors
        connection = None
        mine: Counter = Counter()
        my_latencies, my_flagged, my_errors = [], 0, 0
        headers = {"Cookie": cookie} if cookie else {}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        while time.monotonic() < deadline:
            body = urlencode(form(ANSWERS.randint(0, 100)), doseq=True) if form else None
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, port, timeout=60)
                connection.request("POST" if form else "GET", path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                if response.will_close or not keep_alive:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                my_errors += 1
                if connection is not None:
                    connection.close()
                connection = None
                continue
            my_latencies.append(time.perf_counter() - started)
            mine[response.status] += 1
            if watch_body and watch_body.encode() in data:
                my_flagged += 1
        if connection is not None:
            connection.close()
        with lock:
            statuses.update(mine)
            latencies.extend(my_latencies)
            flagged += my_flagged
            errors += my_errors

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(path,)) for path in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    total = sum(statuses.values())

    def percentile(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "tool": "python",
        "requests": total,
        "seconds": elapsed,
        "rps": total / elapsed,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "status_errors": sum(v for k, v in statuses.items() if not 200 <= k < 400),
        "socket_errors": errors,
        "flagged_bodies": flagged,
        "p50_ms": percentile(0.5) if latencies else None,
        "p99_ms": percentile(0.99) if latencies else None,
    }


def load(port, path, duration, cookie=None, form=None) -> dict:
    if shutil.which("wrk"):
        return wrk_load(port, path, duration, CONNECTIONS, cookie, form)
    return python_load(port, [path] * CONNECTIONS, duration, cookie, form)


# ---------------------------------------------------------------- fieldapp setup


CREATE_ALL = """
from fieldapp import create_app
from fieldapp.demo import seed_demo
from fieldapp.extensions import db

app = create_app()
with app.app_context():
    db.create_all()
    seed_demo()
    db.session.commit()
"""


def prepare_database(tmp: Path) -> tuple[dict, str]:
    """A migrated, seeded SQLite file; the environment that serves it, and how it was made.

    When the migrations do not match the models (a model changed without its migration yet),
    the schema is made with db.create_all() instead, and the reason is reported.
    """
    database = tmp / "fieldapp.sqlite"
    env = {
        **os.environ,
        "FIELDAPP_ENV": "development",
        "FIELDAPP_INSTANCE": str(tmp / "instance"),
        "DATABASE_URL": f"sqlite:///{database}",
        "FLASK_APP": "wsgi:app",
    }
    env.pop("SECRET_KEY", None)  # development: a random key kept in the instance folder
    try:
        for command in (["db", "upgrade"], ["demo"]):
            _run([str(VENV_BIN / "flask"), *command], env)
        return env, "flask db upgrade + flask demo"
    except RuntimeError as error:
        lines = str(error).strip().splitlines()
        reason = next((x for x in reversed(lines) if "Error" in x), lines[-1])[:300]
        log(f"  the migrated database failed ({reason}); using db.create_all() instead")
    for path in tmp.glob("fieldapp.sqlite*"):
        path.unlink()
    _run([str(VENV_BIN / "python"), "-c", CREATE_ALL], env)
    return env, f"db.create_all() + seed_demo(), because the migrated one failed: {reason}"


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(  # noqa: S603 - our own command line
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[-2:])} failed:\n{done.stderr[-3000:]}")


def samira_participants(tmp: Path) -> list[int]:
    with closing(sqlite3.connect(tmp / "fieldapp.sqlite")) as connection:
        rows = connection.execute(
            "SELECT p.id FROM participants p JOIN users u ON u.id = p.created_by_id "
            "WHERE u.username = ? ORDER BY p.id",
            (DEMO_USER,),
        ).fetchall()
    return [row[0] for row in rows]


def questionnaire_version(tmp: Path) -> int:
    with closing(sqlite3.connect(tmp / "fieldapp.sqlite")) as connection:
        (version_id,) = connection.execute(
            "SELECT v.id FROM instrument_versions v JOIN instruments i ON i.id = v.instrument_id "
            "WHERE i.kind = 'questionnaire' AND v.state = 'published' ORDER BY v.id LIMIT 1"
        ).fetchone()
    return version_id


def log_in(port: int) -> Browser:
    browser = Browser(port)
    _, _, html = browser.send("GET", "/login")
    status, _, _ = browser.send(
        "POST",
        "/login",
        {"username": DEMO_USER, "password": DEMO_PASSWORD, "csrf_token": browser.csrf_token(html)},
    )
    if status != 302:
        raise RuntimeError(f"login answered {status}")
    return browser


def start_interviews(browser: Browser, participants: list[int], version_id: int, n: int):
    """n interviews, spread over the participants; their first answered page's path."""
    paths = []
    tokens = {}
    for i in range(n):
        participant = participants[i % len(participants)]
        if participant not in tokens:
            _, _, html = browser.send("GET", f"/participants/{participant}/interviews")
            tokens[participant] = browser.csrf_token(html)
        status, headers, _ = browser.send(
            "POST",
            f"/participants/{participant}/interviews",
            {
                "uuid": str(uuid_module.uuid4()),
                "version_id": str(version_id),
                "csrf_token": tokens[participant],
            },
        )
        location = urlsplit(headers.get("Location", "")).path
        if status != 302 or "/interviews/" not in location:
            raise RuntimeError(f"starting an interview answered {status} to {location}")
        paths.append(location.rsplit("/", 1)[0] + f"/{PAGE}")
    return paths


# ---------------------------------------------------------------- the run


def _pooled(rounds: list[dict], kind: str) -> float:
    """Requests per second over all the rounds of one kind."""
    requests = sum(found[kind]["requests"] for found in rounds)
    return requests / sum(found[kind]["seconds"] for found in rounds)


def _first_error(text: str) -> dict:
    """How many tracebacks a server log holds, and the first of them."""
    start = text.find("Traceback")
    return {
        "tracebacks": text.count("Traceback"),
        "first": text[max(0, start - 300) : start + 3000] if start >= 0 else None,
    }


def locked_in(text: str) -> int:
    return text.count("database is locked")


def in_process(env: dict, cookie: str, page: str, form, requests: int) -> dict:
    """Where the time goes, without HTTP: the same requests through Flask's test client.

    The per-request cost of hello and of the question page in this process, the SQL
    statements of one GET and one POST, and, from a profile, the share of ORM SQL and of
    template rendering in a GET (approximate: lazy loads inside templates count in both).
    """
    import cProfile
    import pstats

    from flask import Flask
    from sqlalchemy import event

    os.environ.update({k: env[k] for k in ("FIELDAPP_ENV", "FIELDAPP_INSTANCE", "DATABASE_URL")})
    from fieldapp import create_app
    from fieldapp.extensions import db

    app = create_app()
    client = app.test_client()
    for name, value in (part.split("=", 1) for part in cookie.split("; ")):
        client.set_cookie(name, value)
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, World!")
    hello_client = hello.test_client()

    def get():
        response = client.get(page)
        if response.status_code != 200:
            raise RuntimeError(f"in process, the question page answered {response.status_code}")

    def post():
        response = client.post(page, data=form(ANSWERS.randint(0, 100)))
        if response.status_code != 302:
            raise RuntimeError(f"in process, the answer POST answered {response.status_code}")

    # Interleaved, one of each in turn, so that a burst of other work hits all three alike.
    calls = {"hello": lambda: hello_client.get("/"), "read": get, "write": post}
    spent = dict.fromkeys(calls, 0.0)
    for call in calls.values():
        call()
    for _ in range(requests):
        for kind, call in calls.items():
            started = time.perf_counter()
            call()
            spent[kind] += time.perf_counter() - started
    result = {f"{kind}_ms": round(spent[kind] / requests * 1000, 3) for kind in calls}
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        words = statement.split()
        table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", statement)
        if words[0] == "BEGIN":
            statements.append(" ".join(words[:2]))
        else:
            statements.append(f"{words[0]} {table.group(1) if table else ''}".strip())

    event.listen(engine, "before_cursor_execute", count)
    get()
    result["read_statements"] = list(statements)
    statements.clear()
    post()
    result["write_statements"] = list(statements)
    event.remove(engine, "before_cursor_execute", count)

    profile = cProfile.Profile()
    profile.runcall(lambda: [get() for _ in range(requests)])
    stats = pstats.Stats(profile).stats
    total = sum(v[2] for v in stats.values())  # own time of every function

    def share(path_end: str, function: str) -> float:
        cumulative = sum(
            v[3]
            for (path, _, name), v in stats.items()
            if path.endswith(path_end) and name == function
        )
        return round(cumulative / total, 3)

    result["read_share_orm_sql"] = share("sqlalchemy/orm/session.py", "_execute_internal")
    result["read_share_templates"] = share("flask/templating.py", "render_template")
    result["read_share_user_loading"] = share("flask_login/login_manager.py", "_load_user")
    result["ratio_read"] = round(result["hello_ms"] / result["read_ms"], 3)
    result["ratio_write"] = round(result["hello_ms"] / result["write_ms"], 3)
    return result


def run(quick: bool) -> dict:
    duration = 3 if quick else 10
    rounds_n, slice_seconds = (3, 1) if quick else (ROUNDS, 2)
    tool = "wrk" if shutil.which("wrk") else "python (threads + http.client)"
    log(f"  load generator: {tool}; {rounds_n} rounds of {slice_seconds} s a kind")
    servers: list[Server] = []
    with temp_dir("throughput") as name:
        tmp = Path(name)
        try:
            (tmp / "hello_app.py").write_text(HELLO_APP)
            hello = Server("hello", "hello_app:app", tmp, dict(os.environ), tmp / "hello.log")
            servers.append(hello)
            hello.wait_ready("/")
            env, database = prepare_database(tmp)
            fieldapp = Server("fieldapp", "wsgi:app", ROOT, env, tmp / "fieldapp.log")
            servers.append(fieldapp)
            fieldapp.wait_ready("/login")

            browser = log_in(fieldapp.port)
            participants = samira_participants(tmp)
            version_id = questionnaire_version(tmp)
            page, *writer_pages = start_interviews(browser, participants, version_id, WRITERS + 1)
            status, _, html = browser.send("GET", page)
            if status != 200 or "q_jaren_in_buurt" not in html:
                raise RuntimeError(f"the question page answered {status}")
            token = browser.csrf_token(html)
            cookie = browser.cookie_header

            def form(value):
                data = {"csrf_token": token, "action": "next"}
                if value is not None:
                    data["q_jaren_in_buurt"] = str(value)
                return data

            status, headers, _ = browser.send("POST", page, form(12))
            if status != 302 or not headers["Location"].endswith("/page/2"):
                raise RuntimeError(f"posting an answer answered {status}")

            kinds = {
                "hello": (hello, "/", {}),
                "read": (fieldapp, page, {"cookie": cookie}),
                "write": (fieldapp, page, {"cookie": cookie, "form": form}),
            }
            rounds = []
            for number in range(rounds_n):
                order = list(kinds)
                order = order[number % 3 :] + order[: number % 3]  # no kind always first
                found = {}
                for kind in order:
                    server, path, kwargs = kinds[kind]
                    found[kind] = load(server.port, path, slice_seconds, **kwargs)
                rounds.append(found)
                log(
                    f"  round {number + 1}/{rounds_n}: "
                    + ", ".join(f"{k} {found[k]['rps']:.0f}/s" for k in kinds)
                )
            status, _, _ = browser.send("GET", page)
            if status != 200:  # wrk counts a redirect to the login page as a success
                raise RuntimeError(f"after the rounds the question page answered {status}")
            profile = in_process(env, cookie, page, form, 50 if quick else 300)
            log(
                f"  in process (test client): hello {profile['hello_ms']} ms, question page "
                f"GET {profile['read_ms']} ms, POST {profile['write_ms']} ms a request"
            )
            concurrency = {}
            offset = fieldapp.log_size()
            concurrency["2 sync workers"] = python_load(
                fieldapp.port, writer_pages, duration, cookie, form, "database is locked"
            )
            concurrency["2 sync workers"]["locked_in_log"] = locked_in(fieldapp.log_since(offset))
            threaded = Server(
                "fieldapp-gthread",
                "wsgi:app",
                ROOT,
                env,
                tmp / "fieldapp-gthread.log",
                extra=("--worker-class", "gthread", "--threads", str(WRITERS // 2)),
            )
            servers.append(threaded)
            threaded.wait_ready("/login")
            concurrency["2 gthread workers x 25 threads"] = python_load(
                threaded.port, writer_pages, duration, cookie, form, "database is locked"
            )
            concurrency["2 gthread workers x 25 threads"]["locked_in_log"] = locked_in(
                threaded.log_since(0)
            )
            for label, found in concurrency.items():
                log(
                    f"  {WRITERS} writers, {label}: {found['rps']:.1f} writes/s, "
                    f"statuses {found['statuses']}, socket errors {found['socket_errors']}, "
                    f"'database is locked' in log {found['locked_in_log']}"
                )
            server_errors = {s.name: _first_error(s.log_since(0)) for s in servers}
        finally:
            for server in servers:
                server.stop()

    for found in rounds:
        for kind in ("read", "write"):
            if found[kind].get("status_errors", 0):
                raise RuntimeError(f"{kind}: {found[kind]['status_errors']} failed responses")
    rate = {k: _pooled(rounds, k) for k in ("hello", "read", "write")}
    ratio = {
        k: statistics.median(found[k]["rps"] / found["hello"]["rps"] for found in rounds)
        for k in ("read", "write")
    }

    def failures(found: dict) -> int:
        return (
            found["statuses"].get("500", 0)
            + found["flagged_bodies"]
            + found["locked_in_log"]
            + found["socket_errors"]
        )

    metrics = [
        metric("hello GET", round(rate["hello"], 1), "req/s"),
        metric("question page GET", round(rate["read"], 1), "req/s"),
        metric("question page GET / hello", round(ratio["read"], 3), "x", READ_BUDGET, ">="),
        metric("answer POST (write)", round(rate["write"], 1), "req/s"),
        metric("answer POST / hello", round(ratio["write"], 3), "x", WRITE_BUDGET, ">="),
    ]
    for label, found in concurrency.items():
        metrics.append(
            metric(f"{WRITERS} writers, {label}: failed writes", failures(found), "", 0, "<=")
        )
    return {
        "name": "throughput",
        "metrics": metrics,
        "details": {
            "tool": tool,
            "database": database,
            "round_seconds": slice_seconds,
            "concurrency_seconds": duration,
            "connections": CONNECTIONS,
            "rounds": rounds,
            "ratio_per_round": {
                k: [round(found[k]["rps"] / found["hello"]["rps"], 3) for found in rounds]
                for k in ("read", "write")
            },
            "ratio_pooled": {k: round(rate[k] / rate["hello"], 3) for k in ("read", "write")},
            "concurrency": concurrency,
            "in_process": profile,
            "server_logs": server_errors,
            "csrf": "on (development config); one login, the session's token reused",
        },
    }


if __name__ == "__main__":
    main("throughput", run, __doc__.splitlines()[0])
