"""The world the fuzz tests attack: the demo study with every kind of record, a copy of every
table to put it back between routes, and a crawl that finds each route's URL and form."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import uuid as uuid_module
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sqlalchemy import func, select, text
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from fieldapp.extensions import db

PASSWORD = "fuzz-password-2026"
ROLES = ("coordinator", "samira", "admin", "finance", "anonymous")
USERNAMES = {"coordinator": "coordinator", "samira": "samira", "admin": "admin", "finance": "fina"}
# Tables a refused request may still write: who tried what (audit, failed logins) and the
# login session's "last seen".
MAY_CHANGE_ON_REFUSAL = {"audit_entries", "login_attempts", "user_sessions"}
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NOT_CRAWLED = (".pdf", ".csv", ".xlsx", ".xml", ".qdpx", ".qdc", ".geojson")


# ---------------------------------------------------------------- building and restoring


@dataclass
class World:
    rows: dict[str, list[dict]]
    media: Path
    participant_token: str
    invitation_token: str
    start: dict[str, list[str]] = field(default_factory=dict)  # role -> where the crawl starts
    urls: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, rule) -> URL
    forms: dict[tuple[str, str], list] = field(default_factory=dict)  # (role, rule) -> fields


def build_world(app, tmp: Path) -> World:
    """Seed the demo and what it lacks (a finance person, an open interview, an invitation,
    a participant's link), then copy every table and the media folder."""
    from fieldapp.accounts.models import User
    from fieldapp.accounts.passwords import hash_password
    from fieldapp.accounts.services import create_invitation
    from fieldapp.demo import seed_demo
    from fieldapp.fieldwork.interviews import start_interview
    from fieldapp.instruments.models import InstrumentVersion
    from fieldapp.participants.models import Participant
    from fieldapp.participants.services import issue_token
    from fieldapp.studies.models import Study

    with app.app_context():
        seed_demo()
        for user in db.session.scalars(select(User)):
            user.password_hash = hash_password(PASSWORD)
        db.session.add(
            User(
                username="fina",
                display_name="Fien Financiën",
                role="coordinator",
                finance=True,
                locale="nl",
                languages_spoken=["nl"],
                password_hash=hash_password(PASSWORD),
            )
        )
        study = db.session.scalar(select(Study))
        coordinator = db.session.scalar(select(User).where(User.username == "coordinator"))
        samira = db.session.scalar(select(User).where(User.username == "samira"))
        participant = db.session.scalar(select(Participant).order_by(Participant.id))
        version = db.session.scalar(
            select(InstrumentVersion)
            .where(InstrumentVersion.published_at.is_not(None))
            .order_by(InstrumentVersion.id)
        )
        if version is not None:
            start_interview(samira, participant, version, uuid=str(uuid_module.uuid4()))
        _, invitation_token = create_invitation(
            coordinator,
            role="co_researcher",
            username="nieuw1",
            display_name="Nieuwe Onderzoeker",
            study=study,
        )
        participant_token = issue_token(participant)
        start = _drafts_and_pages(study, coordinator, samira)
        db.session.commit()
        rows = {
            table.name: [dict(row) for row in db.session.execute(select(table)).mappings()]
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    media = tmp / "media-copy"
    source = Path(app.config["MEDIA_ROOT"])
    if source.exists():
        shutil.copytree(source, media)
    world = World(rows, media, participant_token, invitation_token)
    start["anonymous"] = [
        "/login",
        "/languages",
        "/healthz",
        f"/p/{participant_token}",
        f"/invite/{invitation_token}",
        "/a/heerlen-noord",
    ]
    start["all"] = ["/", "/home", "/studies", "/money", "/profile", "/admin/accounts"]
    world.start = start
    return world


def _drafts_and_pages(study, coordinator, samira) -> dict[str, list[str]]:
    """Drafts whose forms only show while something is a draft (an instrument version, a
    consent version, a payment batch), a participant not yet consented, and the pages no
    link leads to from the start."""
    from fieldapp.compensation import services as money
    from fieldapp.consent.services import start_new_version
    from fieldapp.fieldwork.models import Interview, Observation
    from fieldapp.instruments.models import Instrument
    from fieldapp.instruments.services import draft_for_editing
    from fieldapp.participants.services import add_participant, check_new_participant

    instrument = db.session.scalar(select(Instrument).order_by(Instrument.id))
    draft_for_editing(coordinator, instrument)
    consent = start_new_version(coordinator, study)
    # A participant row without consent: what an older version left, or one asked again.
    newcomer = add_participant(
        samira, study, check_new_participant(samira, study, language="nl", age_band="25_44")
    )
    batch = money.draft_batch(coordinator, study)
    db.session.flush()
    own = db.session.scalar(
        select(Interview)
        .where(Interview.co_researcher_id == samira.id, Interview.state == "draft")
        .order_by(Interview.id.desc())
    )
    approved = db.session.scalar(select(Interview).where(Interview.state == "approved"))
    observation = db.session.scalar(
        select(Observation).where(Observation.co_researcher_id == samira.id)
    )
    samira_pages = [
        f"/participants/{newcomer.id}/consent",
        f"/money/statement/{dt.date.today().year}.pdf",
        "/reauthenticate",
    ]
    if own is not None:
        samira_pages += [f"/interviews/{own.uuid}/page/0", f"/interviews/{own.uuid}/submit"]
    if observation is not None:
        samira_pages.append(f"/observations/{observation.uuid}/edit")
    coordinator_pages = [
        f"/studies/{study.id}/invite",
        f"/studies/{study.id}/consent/{consent.id}/items",
        f"/studies/{study.id}/consent/{consent.id}/text/nl",
        f"/batches/{batch.id}",
        f"/instruments/{instrument.id}",
        "/reauthenticate",
    ]
    if approved is not None:
        coordinator_pages.append(f"/interviews/{approved.uuid}/thank-you")
    return {"samira": samira_pages, "coordinator": coordinator_pages}


def empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())
    media = Path(app.config["MEDIA_ROOT"])
    if media.exists():
        shutil.rmtree(media)


def restore_world(app, world: World) -> None:
    """Every table back as it was when the world was built (same ids), and the media files."""
    with app.app_context(), db.engine.begin() as conn:
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):  # DELETE: quicker than TRUNCATE here
            conn.execute(table.delete())
        for table in db.metadata.sorted_tables:
            if world.rows[table.name]:
                conn.execute(table.insert(), world.rows[table.name])
        if db.engine.dialect.name == "postgresql":
            for table in db.metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement is not False:
                    top = conn.scalar(select(func.max(table.c.id))) or 0
                    sequence = func.pg_get_serial_sequence(table.name, "id")
                    if conn.scalar(select(sequence)) is not None:
                        conn.execute(select(func.setval(sequence, top + 1, False)))
    media = Path(app.config["MEDIA_ROOT"])
    if media.exists():
        shutil.rmtree(media)
    if world.media.exists():
        shutil.copytree(world.media, media)


def snapshot(app) -> tuple[dict[str, object], list[str]]:
    """Every table's content (as its rows, or on PostgreSQL a digest of them, in one query),
    and the tables where a control character is stored."""
    with app.app_context():
        try:
            if db.engine.dialect.name == "postgresql":
                return _digests()
            found, controls = {}, []
            for table in db.metadata.sorted_tables:
                rows = sorted(_row_text(row) for row in db.session.execute(select(table)))
                found[table.name] = rows
                if any(CONTROL.search(value) for row in rows for value in row):
                    controls.append(table.name)
            return found, controls
        finally:
            db.session.remove()


def _digests() -> tuple[dict[str, object], list[str]]:
    digest = "md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))"
    flags = "coalesce(bool_or(r::text ~ '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]'), false)"
    # Table names come from our own metadata, not from input.
    parts = [
        f"SELECT '{t.name}', {digest}, {flags} FROM \"{t.name}\" r"  # noqa: S608
        for t in db.metadata.sorted_tables
    ]
    rows = db.session.execute(text(" UNION ALL ".join(parts))).all()
    return {name: digest for name, digest, _ in rows}, [name for name, _, bad in rows if bad]


def _row_text(row) -> tuple[str, ...]:
    values = []
    for value in row:
        if isinstance(value, bytes | bytearray | memoryview):
            values.append(f"<{len(value)} bytes>")
        elif isinstance(value, dict | list):
            values.append(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
        elif isinstance(value, dt.datetime | dt.date):
            values.append(value.isoformat())
        else:
            values.append(str(value))
    return tuple(values)


# ---------------------------------------------------------------- logging in


def log_in(app, role: str):
    client = app.test_client()
    if role == "anonymous":
        return client
    response = client.post("/login", data={"username": USERNAMES[role], "password": PASSWORD})
    assert response.status_code == 302, (role, response.status_code)
    return client


# ---------------------------------------------------------------- the crawl


class _Page(HTMLParser):
    """Links and post forms of a page, with each form's fields and their first values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, list]] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.links.append(a["src"])
        elif tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = (a.get("action") or "", [])
                self.forms.append(self._form)
            else:
                self._form = None
        elif self._form is None:
            return
        elif tag in ("input", "button") and a.get("name"):
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("checkbox", "radio") and any(
                f[0] == a["name"] and f[1] == kind for f in self._form[1]
            ):
                return
            self._form[1].append((a["name"], kind, a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], "select", ""]
            self._form[1].append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if value and (not self._select[2] or "selected" in a):
                self._select[2] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], "textarea", ""]
            self._form[1].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def rule_of(app, path: str, method: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        rule, _ = adapter.match(path, method=method, return_rule=True)
    except RequestRedirect:
        return None
    except HTTPException:
        return None
    return rule.rule


def crawl(app, world: World, start: dict[str, list[str]]) -> None:
    """Visit one URL of each GET route per role, breadth first, and note every URL and post
    form found, by route."""
    for role in ROLES:
        client = log_in(app, role)
        queue = list(start.get(role, [])) + list(start.get("all", []))
        seen_rules: set[str] = set()
        while queue:
            url = queue.pop(0)
            path = urlsplit(url).path
            rule = rule_of(app, path, "GET")
            if rule is None or rule in seen_rules or rule.startswith("/static"):
                continue
            if rule in ("/logout",):
                continue
            seen_rules.add(rule)
            world.urls.setdefault((role, rule), url)
            if path.endswith(NOT_CRAWLED) or rule.startswith("/media"):
                continue
            response = client.get(url)
            if response.status_code != 200 or "html" not in (response.content_type or ""):
                continue
            page = _Page()
            page.feed(response.get_data(as_text=True))
            for href in page.links:
                target = urljoin(url, href)
                if urlsplit(target).netloc not in ("", "localhost"):
                    continue
                target = urlsplit(target)._replace(scheme="", netloc="", fragment="").geturl()
                queue.append(target)
            for action, fields in page.forms:
                target = urlsplit(urljoin(url, action or url))._replace(
                    scheme="", netloc="", fragment=""
                )
                post_rule = rule_of(app, target.path, "POST")
                if post_rule is None:
                    continue
                world.urls.setdefault((role, post_rule), target.geturl())
                world.forms.setdefault(
                    (role, post_rule), [(n, k, v) for n, k, v in map(tuple, fields)]
                )
        empty_session(app)


def empty_session(app) -> None:
    with app.app_context():
        db.session.remove()
