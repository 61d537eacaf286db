"""Fuzzing every form and route with Hypothesis: every route of the URL map that takes a POST
gets hostile bodies, and every GET route hostile query strings, as a role that may use it.

For every request: never a 500; a refused request (4xx) changes no table but the audit log,
failed logins and the login session; no control character is ever stored. After a form was
accepted with markup in its text fields, the pages that show that text escape it.

The run is bounded for CI (FUZZ_EXAMPLES generated requests per route, 6 by default, plus two
fixed ones per form) and reproducible (derandomized, nothing saved between runs). A deeper run:
FUZZ_EXAMPLES=60 pytest tests/fuzz/test_fuzz_routes.py.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import traceback
import uuid as uuid_module
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from fieldapp import create_app
from tests.fuzz import world as w
from tests.fuzz.known_500 import KNOWN_500

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure shows its body as is
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
STATS: Counter = Counter()
WORLD = {"changed": True}  # whether a request may have changed the world since it was restored
NOT_REACHED: list[str] = []

# ---------------------------------------------------------------- the routes


def _rules():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    cases = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static":
            continue
        for method in ("POST", "GET"):
            if method in rule.methods:
                cases.append((method, rule.rule))
    return cases


def _cases():
    for method, rule in _rules():
        case = f"{method} {rule}"
        reason = KNOWN_500.get(case)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(method, rule, marks=marks, id=case)


ANONYMOUS_FIRST = ("/p/", "/invite/", "/r/", "/a/", "/login", "/languages", "/healthz")
ADMIN_FIRST = ("/admin", "/people/")
FINANCE_FIRST = ("/batches/<int:batch_id>/paid", "/batches/<int:batch_id>.csv", "/sepa.xml")
CO_RESEARCHER_FIRST = (
    "/interviews/<uuid>/page",
    "/interviews/<uuid>/submit",
    "/interviews/<uuid>/done",
    "/interviews/<uuid>/thank-you",
    "/participants/",
    "/observations/new",
    "/observations/<uuid>/edit",
    "/money",
    "/my-work",
    "/profile",
    "/reauthenticate",
)


def role_order(rule: str) -> list[str]:
    if rule == "/" or rule.startswith(ANONYMOUS_FIRST):
        first = "anonymous"
    elif rule.startswith(ADMIN_FIRST):
        first = "admin"
    elif any(part in rule for part in FINANCE_FIRST):
        first = "finance"
    elif any(part in rule for part in CO_RESEARCHER_FIRST) or rule.startswith("/participants"):
        first = "samira"
    else:
        first = "coordinator"
    return [first, *(r for r in w.ROLES if r != first)]


def _made_up_url(rule: str) -> str:
    url = re.sub(r"<int:[^>]+>", "1", rule)
    url = re.sub(r"<uuid>", str(uuid_module.UUID(int=1)), url)
    return re.sub(r"<[^>]+>", "x", url)


def target_for(world, method: str, rule: str):
    """The role, URL and form fields to attack a route with: found by the crawl when a page
    links to it or holds its form, made up otherwise."""
    for role in role_order(rule):
        if method == "POST" and (role, rule) in world.forms:
            return role, world.urls[(role, rule)], world.forms[(role, rule)], True
    for role in role_order(rule):
        if (role, rule) in world.urls:
            return role, world.urls[(role, rule)], [], True
    return role_order(rule)[0], _made_up_url(rule), [], False


# ---------------------------------------------------------------- what is sent

MARKUP = '<script>fz(1)</script>" onmouseover="fz(2)'
MARKUP_RUNS = ("<script>fz(1)", 'onmouseover="fz(2)')
LONG = {n: "x" * n for n in (10_000, 100_000, 1_000_000)}
TEXT_KINDS = ("text", "textarea", "search")

control_text = st.sampled_from(
    ["a\x00b", "\x1b[31mred\x1b[0m", "bell\x07", "del\x7f", "x\x0cy", "\x1b]0;t\x07", "\x9bc"]
)
bidi_text = st.sampled_from(["\u202eevil.exe", "abc\u202dxyz", "\u2066iso\u2069", "سلام\u202b"])
numbers = st.sampled_from(
    [
        "99999999999999999999",
        "-1",
        "-99999999999999999999",
        "0",
        "1e309",
        "NaN",
        "inf",
        "12,50",
        "-0,01",
        "9223372036854775808",
        "1.5",
        "\uff11",
    ]
)
odd_text = st.sampled_from(
    [
        "",
        " ",
        "\r\n",
        "%00",
        "../../etc/passwd",
        "{{7*7}}",
        "' OR '1'='1",
        "2027-02-30",
        "0000-00-00",
        "null",
        "[]",
        MARKUP,
        "<b>vet</b>",
    ]
)
long_text = st.sampled_from(sorted(LONG)).map(LONG.__getitem__)
short_hostile = st.one_of(control_text, bidi_text, numbers, odd_text, st.text(max_size=30))
hostile = st.one_of(short_hostile, long_text)
wrong_types = st.one_of(
    hostile,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
junk_files = st.tuples(
    st.sampled_from(
        [
            b"",
            b"\x00" * 100,
            b"GIF89a\x01\x00\x01\x00" + b"\xff" * 50,
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40,
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="fz(3)"/>',
            b"PK\x03\x04" + b"junk" * 20,
            b"<html><script>fz(4)</script></html>",
        ]
    ),
    st.sampled_from(["photo.jpg", "../../evil.jpg", "a\x1b.png", "x" * 300 + ".png", "بيت.svg"]),
)
EXTRA_NAMES = ["id", "user_id", "study_id", "state", "role", "finance", "amount_cents", "uuid"]


@st.composite
def bodies(draw, fields):
    """A hostile body built on the form as its page fills it in."""
    kind = draw(st.sampled_from(["form", "form", "form", "json", "multipart", "empty", "plain"]))
    pairs = [(name, value) for name, k, value in fields if k != "file"]
    files = [name for name, k, _ in fields if k == "file"]
    if kind == "empty":
        return ("form", [], [])
    if kind == "plain":
        return ("plain", draw(hostile), [])
    if pairs:
        for index in draw(st.lists(st.integers(0, len(pairs) - 1), max_size=3, unique=True)):
            pairs[index] = (pairs[index][0], draw(hostile))
        if draw(st.booleans()):
            name = pairs[draw(st.integers(0, len(pairs) - 1))][0]
            pairs.append((name, draw(short_hostile)))
        if draw(st.booleans()):
            del pairs[draw(st.integers(0, len(pairs) - 1))]
    if draw(st.booleans()):
        pairs.append((draw(st.sampled_from(EXTRA_NAMES)), draw(short_hostile)))
    if kind == "json":
        if draw(st.booleans()):
            return ("json", draw(st.sampled_from([[1, 2], "x", None, 5, {"a": {"b": []}}])), [])
        obj = {}
        for name, value in pairs:
            obj[name] = draw(wrong_types) if draw(st.booleans()) else value
        return ("json", obj, [])
    if kind == "multipart" or files:
        names = files or [draw(st.sampled_from(["photo", "photos", "file", "q_photo"]))]
        return ("multipart", pairs, [(name, *draw(junk_files)) for name in names])
    return ("form", pairs, [])


QUERY_NAMES = ("lang", "page", "year", "group", "in", "values", "next", "state", "study")
query_strings = st.lists(
    st.tuples(
        st.sampled_from(QUERY_NAMES) | st.text(max_size=5),
        short_hostile,
    ),
    max_size=4,
)


# Each field of each form gets each of these once, the rest of the form as filled in.
SWEEP = ("99999999999999999999", "a\x00\x1b[2Jb", "-1", LONG[100_000])


def sweep_bodies(fields):
    for index, (name, kind, _) in enumerate(fields):
        if kind in ("file", "submit") or name == "csrf_token":
            continue
        for value in SWEEP:
            pairs = [(n, v) for n, k, v in fields if k != "file"]
            pairs[[n for n, _ in pairs].index(name)] = (name, value)
            yield ("form", pairs, [])
        del index


def form_body(fields):
    return ("form", [(n, v) for n, k, v in fields if k != "file"], [])


def markup_body(fields):
    """The form as filled in, with markup in every text field."""
    pairs = [(n, f"Fuzz {MARKUP}" if k in TEXT_KINDS else v) for n, k, v in fields if k != "file"]
    return ("form", pairs, [])


# ---------------------------------------------------------------- sending and checking


def _describe(body) -> str:
    return repr(body)[:300]


class _LastError(logging.Handler):
    """The exception behind the last 500: its type and the deepest line of fieldapp."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.where = ""

    def emit(self, record):
        if not record.exc_info:
            return
        error = record.exc_info[1]
        frames = [
            f"{Path(f.filename).relative_to(ROOT)}:{f.lineno}"
            for f in traceback.extract_tb(record.exc_info[2])
            if f.filename.startswith(str(ROOT / "fieldapp"))
        ]
        self.where = f"{type(error).__name__} at {frames[-1] if frames else '?'}"


ROOT = Path(__file__).resolve().parents[2]


class Attack:
    def __init__(self, app, client, method, url):
        self.app, self.client, self.method, self.url = app, client, method, url
        # The tables as they were before the next post (GETs are not compared: they may audit
        # or make the agenda's codes, and they store nothing that was sent).
        self.last = w.snapshot(app)[0] if method == "POST" else None
        self.errors = _LastError()
        self.shown_at: set[str] = set()
        self.markup_accepted = False

    def send(self, body) -> None:
        kind, payload, files = body
        logger = logging.getLogger("fieldapp.errors")
        logger.addHandler(self.errors)
        try:
            response = self._request(kind, payload, files)
        finally:
            logger.removeHandler(self.errors)
        # The test client spools a large body to a temporary file: close it now.
        stream = response.request.environ.get("wsgi.input")
        if stream is not None:
            stream.close()
        STATS["requests"] += 1
        self._check(response, body)

    def _request(self, kind, payload, files):
        url = self.url
        if self.method == "GET":
            return self.client.get(url.split("?")[0], query_string=payload)
        elif kind == "json":
            return self.client.post(url, data=json.dumps(payload), content_type="application/json")
        elif kind == "plain":
            return self.client.post(
                url, data=payload.encode("utf-8", "surrogatepass"), content_type="text/plain"
            )
        else:
            data = MultiDict(payload)
            for name, content, filename in files:
                data.add(name, (io.BytesIO(content), filename))
        return self.client.post(
            url, data=data, content_type="multipart/form-data" if files else None
        )

    def _check(self, response, body) -> None:
        kind, payload, _ = body
        status = response.status_code
        if status >= 500:
            STATS["500s"] += 1
        assert status < 500, (
            f"{status} on {self.method} {self.url} with {_describe(body)}: {self.errors.where}"
        )
        if status < 400 and self.method == "POST":
            WORLD["changed"] = True
        if self.method == "POST":
            after, controls = w.snapshot(self.app)
            if status >= 400:
                changed = [
                    t
                    for t in after
                    if t not in w.MAY_CHANGE_ON_REFUSAL and after[t] != self.last[t]
                ]
                assert not changed, f"refused ({status}) but {changed} changed: {_describe(body)}"
            assert not controls, f"control characters stored in {controls}: {_describe(body)}"
            self.last = after
        if "html" in (response.content_type or ""):
            html = response.get_data(as_text=True)
            for runs in MARKUP_RUNS:
                assert runs not in html, f"{runs!r} runs in the answer to {_describe(body)}"
        sent_markup = kind in ("form", "multipart") and any(MARKUP in v for _, v in payload)
        if status < 400 and sent_markup:
            self.markup_accepted = True
            if status in (301, 302, 303) and response.location:
                self.shown_at.add(response.location)

    def check_markup_is_escaped(self, world) -> None:
        """The pages that show what was stored escape the markup sent in text fields."""
        if not self.markup_accepted:
            return
        STATS["markup checks"] += 1
        pages = set(self.shown_at)
        if self.method == "POST":
            pages.add(self.url)
        for (role, rule), url in world.urls.items():
            if role in ("coordinator", "anonymous") and rule in SHOWN_AT:
                pages.add(url)
        for role in ("coordinator", "anonymous", "samira"):
            client = _client(self.app, role)
            for url in sorted(pages):
                response = client.get(url)
                if "html" not in (response.content_type or ""):
                    continue
                html = response.get_data(as_text=True)
                for runs in MARKUP_RUNS:
                    assert runs not in html, f"{runs!r} runs on {url} as {role}"


# Pages that show free text people typed in forms.
SHOWN_AT = {
    "/home",
    "/studies/<int:study_id>",
    "/studies/<int:study_id>/report",
    "/studies/<int:study_id>/codes",
    "/studies/<int:study_id>/coding",
    "/studies/<int:study_id>/money",
    "/studies/<int:study_id>/consent",
    "/studies/<int:study_id>/instruments",
    "/studies/<int:study_id>/review",
    "/r/<slug>",
    "/a/<slug>",
    "/admin/areas/",
    "/admin/accounts",
    "/invitations",
    "/batches/<int:batch_id>",
}


# ---------------------------------------------------------------- the tests


@pytest.fixture(autouse=True)
def _clean_database():
    """The world stays between routes that did not change it (fuzz_world empties it after)."""
    return


CLIENTS: dict[str, object] = {}


def _fresh(app, world) -> None:
    if WORLD["changed"]:
        w.restore_world(app, world)
        WORLD["changed"] = False
        CLIENTS.clear()  # their login sessions are gone


def _client(app, role: str):
    """A logged-in client per role, kept while the world (and so its session) stays."""
    if role not in CLIENTS:
        CLIENTS[role] = w.log_in(app, role)
    return CLIENTS[role]


@pytest.fixture(scope="module")
def fuzz_world(app, tmp_path_factory):
    w.empty_tables(app)
    world = w.build_world(app, tmp_path_factory.mktemp("fuzz"))
    w.restore_world(app, world)
    w.crawl(app, world, world.start)
    WORLD["changed"] = True
    yield world
    w.empty_tables(app)
    print(  # noqa: T201 (the figures of the run, shown with -s)
        f"\nfuzz: {STATS['routes']} route cases ({STATS['reached']} reached through a page), "
        f"{STATS['requests']} requests, {STATS['500s']} answered 500, "
        f"{STATS['markup checks']} markup checks; made-up URLs for: {', '.join(NOT_REACHED)}"
    )


@pytest.mark.parametrize(("method", "rule"), list(_cases()))
def test_route_survives_hostile_input(app, fuzz_world, method, rule):
    _fresh(app, fuzz_world)
    role, url, fields, reached = target_for(fuzz_world, method, rule)
    STATS["routes"] += 1
    STATS["reached"] += reached
    if not reached:
        NOT_REACHED.append(f"{method} {rule}")
    attack = Attack(app, _client(app, role), method, url)
    if method == "POST":
        attack.send(form_body(fields))
        if any(k in TEXT_KINDS for _, k, _ in fields):
            attack.send(markup_body(fields))
        for body in sweep_bodies(fields):
            attack.send(body)
    else:
        for value in SWEEP[:3]:
            attack.send(("query", [(name, value) for name in QUERY_NAMES], []))

    @FUZZ_SETTINGS
    @given(data=st.data())
    def hostile_requests(data):
        if method == "POST":
            attack.send(data.draw(bodies(fields)))
        else:
            attack.send(("query", data.draw(query_strings), []))

    hostile_requests()
    attack.check_markup_is_escaped(fuzz_world)


PATH_VALUES = {
    "int": ("99999999999999999999", "0"),
    "default": ("a%00b", "%1B%5B2J", "x" * 5000, "%E2%80%AE" + "gnp.exe"),
}


def _path_cases():
    for method, rule in _rules():
        if "<" not in rule:
            continue
        for argument in re.findall(r"<([^>]+)>", rule):
            converter = "int" if argument.startswith("int:") else "default"
            for value in PATH_VALUES[converter]:
                label = value if len(value) < 20 else f"{value[:8]}...{len(value)}"
                case = f"{method} {rule} {argument.split(':')[-1]}={label}"
                reason = KNOWN_500.get(case)
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(method, rule, argument, value, marks=marks, id=case)


@pytest.mark.parametrize(("method", "rule", "argument", "value"), list(_path_cases()))
def test_hostile_values_in_the_path(app, fuzz_world, method, rule, argument, value):
    """Huge numbers, NUL, ESC, a bidi override and long names in each part of each URL."""
    role, url, fields, _ = target_for(fuzz_world, method, rule)
    _fresh(app, fuzz_world)
    attack = Attack(app, _client(app, role), method, url)
    pattern = re.escape(rule)
    for arg in re.findall(r"<[^>]+>", rule):
        pattern = pattern.replace(
            re.escape(arg), "([^/?]+)" if arg != f"<{argument}>" else "(?P<x>[^/?]+)"
        )
    path = urlsplit(url).path
    found = re.fullmatch(pattern, path)
    if found is None:
        path = _made_up_url(rule)
        found = re.fullmatch(pattern, path)
    attack.url = path[: found.start("x")] + value + path[found.end("x") :]
    attack.send(form_body(fields) if method == "POST" else ("query", [], []))


def test_the_checks_see_a_500_a_half_written_record_and_a_stored_control_character(app, fuzz_world):
    """The fuzz checks can fail: a 500, a refused request that wrote, a control character."""
    _fresh(app, fuzz_world)
    boom = Attack(app, _client(app, "anonymous"), "GET", "/_test/boom")
    with pytest.raises(AssertionError, match="RuntimeError at"):
        boom.send(("query", [], []))
    before, _ = w.snapshot(app)
    with app.app_context():
        from sqlalchemy import update

        from fieldapp.analysis.models import Code
        from fieldapp.extensions import db

        db.session.execute(update(Code).where(Code.id == 1).values(description="a\x1bb"))
        db.session.commit()
    after, controls = w.snapshot(app)
    WORLD["changed"] = True
    assert after["codes"] != before["codes"]
    assert after["studies"] == before["studies"]
    assert controls == ["codes"]
