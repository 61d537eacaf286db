"""Every route of the URL map as every kind of visitor, against a table of what each may get.

The table below is data: one entry per endpoint, with the expected answer for GET and POST for
each role in `ROLES`. A route without an entry fails the suite and is named, so a new page
cannot ship without someone deciding who may open it (rule 4). No answer is ever a 500 (rule
10). Tokens in the table:

- a number: that status code exactly;
- ``L``: a redirect to the login page (a visitor who must log in first);
- ``R``: a redirect to somewhere else (302/303), e.g. back to a page with a message;
- ``ok`` (POST only): this role may do it; an empty form may answer anything but a 5xx.

A POST by a role that may not do it is sent with an empty body, after every GET, and must be
refused with the status in the table. POSTs by roles that may do it come last (they change
things: a new version, a withdrawal, a logout) and are checked for "no 5xx" only.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.routing import Rule

from tests.security.world import ROLES, build_world, empty_database

# Roles: anonymous, the participant holding their /p/ token (no account), co-researcher A (in
# the study, did the fieldwork), co-researcher B (in another study only), the coordinator of
# another study in another area, the study's coordinator, an admin, and finance staff (a
# coordinator account with the finance duty and no study).
#
#                      anon  ptok  coA   coB   coordX coord admin finance
EXPECTED: dict[str, dict[str, str]] = {
    "accounts.accept_invitation": {
        "GET": "200   200   200   200   200   200   200   200",
        "POST": "ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "accounts.admin_accounts": {"GET": "L     L     403   403   403   403   200   403"},
    "accounts.change_password": {"POST": "L     L     ok    ok    ok    ok    ok    ok"},
    "accounts.invitations": {
        "GET": "L     L     403   403   200   200   200   200",
        "POST": "L     L     403   403   ok    ok    ok    ok",
    },
    "accounts.login": {
        "GET": "200   200   R     R     R     R     R     R",
        "POST": "ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "accounts.logout": {"POST": "L     L     ok    ok    ok    ok    ok    ok"},
    "accounts.profile": {
        "GET": "L     L     200   200   200   200   200   200",
        "POST": "L     L     ok    ok    ok    ok    ok    ok",
    },
    "accounts.reauthenticate": {
        "GET": "L     L     200   200   200   200   200   200",
        "POST": "L     L     ok    ok    ok    ok    ok    ok",
    },
    "accounts.revoke_invitation": {"POST": "L     L     403   403   404   ok    ok    404"},
    "accounts.toggle_account": {"POST": "L     L     403   403   403   403   ok    403"},
    "analysis.code_passages": {"GET": "404   404   403   404   404   200   403   404"},
    "analysis.codebook": {
        "GET": "404   404   403   404   404   200   403   404",
        "POST": "404   404   403   404   404   ok    403   404",
    },
    "analysis.coding": {
        "GET": "404   404   403   404   404   200   403   404",
        "POST": "404   404   403   404   404   ok    403   404",
    },
    "analysis.export_qdc": {"GET": "404   404   403   404   404   200   200   404"},
    "analysis.export_qdpx": {"GET": "404   404   403   404   404   200   200   404"},
    "analysis.invite_coder": {"POST": "404   404   403   404   404   404   404   404"},
    "analysis.mark_quote": {"POST": "L     L     404   404   404   ok    404   404"},
    "analysis.remove_coding": {"POST": "L     L     404   404   404   ok    404   404"},
    "areas.create": {
        "GET": "L     L     403   403   403   403   200   403",
        "POST": "L     L     403   403   403   403   ok    403",
    },
    "areas.edit": {
        "GET": "L     L     403   403   403   403   200   403",
        "POST": "L     L     403   403   403   403   ok    403",
    },
    "areas.index": {"GET": "L     L     403   403   403   403   200   403"},
    "audit.index": {"GET": "L     L     403   403   403   403   200   403"},
    "common.healthz": {"GET": "200   200   200   200   200   200   200   200"},
    "common.index": {"GET": "L     L     R     R     R     R     R     R"},
    "common.languages": {"GET": "200   200   200   200   200   200   200   200"},
    "compensation.add_thank_you_type": {"POST": "404   404   403   404   404   ok    ok    404"},
    "compensation.add_work": {"POST": "404   404   403   404   404   ok    ok    404"},
    "compensation.admin_limits": {
        "GET": "L     L     403   403   403   403   200   403",
        "POST": "L     L     403   403   403   403   ok    403",
    },
    "compensation.approve": {"POST": "404   404   403   404   404   ok    ok    404"},
    "compensation.approve_batch": {"POST": "L     L     404   404   404   ok    ok    R"},
    "compensation.bank": {
        "GET": "L     L     200   200   200   200   200   200",
        "POST": "L     L     ok    ok    ok    ok    ok    ok",
    },
    "compensation.batch": {"GET": "L     L     404   404   404   200   200   200"},
    "compensation.batch_csv": {"GET": "L     L     404   404   404   403   403   409"},
    "compensation.batch_sepa": {"GET": "L     L     404   404   404   403   403   409"},
    "compensation.correct": {
        "GET": "L     L     404   404   404   200   404   404",
        "POST": "L     L     404   404   404   ok    404   404",
    },
    "compensation.draft_batch": {"POST": "404   404   403   404   404   ok    ok    404"},
    "compensation.limits_overview": {"GET": "L     L     403   403   200   200   200   200"},
    "compensation.log_hours": {
        "GET": "L     L     200   200   200   200   200   200",
        "POST": "L     L     ok    ok    ok    ok    ok    ok",
    },
    "compensation.mark_paid": {"POST": "L     L     404   404   404   ok    ok    ok"},
    "compensation.mine": {"GET": "L     L     200   200   200   200   200   200"},
    "compensation.person_limits": {
        "GET": "L     L     403   403   404   200   200   404",
        "POST": "L     L     403   403   404   ok    ok    404",
    },
    "compensation.reject": {"POST": "L     L     404   404   404   ok    404   404"},
    "compensation.remove_entry": {"POST": "L     L     404   404   404   ok    ok    R"},
    "compensation.save_rates": {"POST": "404   404   403   404   404   ok    ok    404"},
    "compensation.statement": {"GET": "L     L     200   200   200   200   200   200"},
    "compensation.study_money": {"GET": "404   404   403   404   404   200   200   404"},
    "compensation.thank_you": {
        "GET": "L     L     200   404   404   200   404   404",
        "POST": "L     L     ok    404   404   ok    404   404",
    },
    "consent.items": {
        "GET": "404   404   403   404   404   R     R     404",
        "POST": "404   404   403   404   404   ok    ok    404",
    },
    "consent.new_card": {"POST": "L     L     ok    404   404   ok    404   404"},
    "consent.new_version": {"POST": "404   404   403   404   404   ok    ok    404"},
    "consent.publish": {"POST": "404   404   403   404   404   ok    ok    404"},
    "consent.receipt": {"GET": "L     L     200   404   404   200   404   404"},
    "consent.receipt_pdf": {"POST": "L     L     ok    404   404   404   404   404"},
    "consent.record_pdf": {"GET": "L     L     403   404   404   200   404   404"},
    "consent.register": {"GET": "404   404   403   404   404   200   200   404"},
    "consent.register_csv": {"GET": "404   404   403   404   404   200   200   404"},
    "consent.take": {
        "GET": "L     L     R     404   404   R     404   404",
        "POST": "L     L     ok    404   404   ok    404   404",
    },
    "consent.take_new": {
        "GET": "L     L     R     404   404   R     403   404",
        "POST": "L     L     ok    404   404   ok    403   404",
    },
    "consent.text": {
        "GET": "404   404   403   404   404   R     R     404",
        "POST": "404   404   403   404   404   ok    ok    404",
    },
    "consent.versions": {"GET": "404   404   403   404   404   200   200   404"},
    "consent.withdraw_on_request": {
        "GET": "L     L     403   404   404   200   404   404",
        "POST": "L     L     403   404   404   ok    404   404",
    },
    "exports.codebook_csv": {"GET": "L     L     403   404   404   200   200   404"},
    "exports.index": {"GET": "L     L     403   404   404   200   200   404"},
    "exports.observations_csv": {"GET": "L     L     403   404   404   200   200   404"},
    "exports.observations_geojson": {"GET": "L     L     403   404   404   200   200   404"},
    "exports.responses_csv": {"GET": "L     L     403   404   404   200   200   404"},
    "exports.responses_xlsx": {"GET": "L     L     403   404   404   200   200   404"},
    "fieldwork.done": {"GET": "L     L     200   404   404   200   404   404"},
    "fieldwork.edit_observation": {
        "GET": "L     L     403   404   404   403   404   404",
        "POST": "L     L     403   404   404   403   404   404",
    },
    "fieldwork.interviews_of": {"GET": "L     L     200   404   404   200   404   404"},
    "fieldwork.media": {"GET": "L     L     200   404   404   200   404   404"},
    "fieldwork.my_work": {"GET": "L     L     200   404   404   200   200   404"},
    "fieldwork.new_observation": {
        "GET": "L     L     200   404   404   200   403   404",
        "POST": "L     L     ok    404   404   ok    403   404",
    },
    "fieldwork.page": {
        "GET": "L     L     R     404   404   R     404   404",
        "POST": "L     L     ok    404   404   ok    404   404",
    },
    "fieldwork.review_list": {"GET": "404   404   403   404   404   200   200   404"},
    "fieldwork.show": {
        "GET": "L     L     200   404   404   200   404   404",
        "POST": "L     L     200   404   404   ok    404   404",
    },
    "fieldwork.show_observation": {
        "GET": "L     L     200   404   404   200   404   404",
        "POST": "L     L     200   404   404   ok    404   404",
    },
    "fieldwork.start": {"POST": "L     L     ok    404   404   ok    404   404"},
    "fieldwork.submit": {
        "GET": "L     L     R     404   404   R     404   404",
        "POST": "L     L     ok    404   404   ok    404   404",
    },
    "instruments.choice_list": {
        "GET": "L     L     403   404   404   R     404   404",
        "POST": "L     L     403   404   404   ok    404   404",
    },
    "instruments.export_xlsform": {"GET": "L     L     403   404   404   200   404   404"},
    "instruments.group": {
        "GET": "L     L     403   404   404   R     404   404",
        "POST": "L     L     403   404   404   ok    404   404",
    },
    "instruments.import_xlsform": {"POST": "404   404   403   404   404   ok    ok    404"},
    "instruments.index": {
        "GET": "404   404   403   404   404   200   200   404",
        "POST": "404   404   403   404   404   ok    ok    404",
    },
    "instruments.item_action": {"POST": "L     L     403   404   404   ok    404   404"},
    "instruments.new_version": {"POST": "L     L     403   404   404   ok    404   404"},
    "instruments.preview": {"GET": "L     L     403   404   404   200   404   404"},
    "instruments.publish": {"POST": "L     L     403   404   404   ok    404   404"},
    "instruments.question": {
        "GET": "L     L     403   404   404   R     404   404",
        "POST": "L     L     403   404   404   ok    404   404",
    },
    "instruments.show": {
        "GET": "L     L     403   404   404   200   404   404",
        "POST": "L     L     403   404   404   ok    404   404",
    },
    "participant_page.show": {"GET": "404   200   404   404   404   404   404   404"},
    "participant_page.withdraw": {
        "GET": "404   200   404   404   404   404   404   404",
        "POST": "404   ok    404   404   404   404   404   404",
    },
    "participant_page.withdraw_item": {
        "GET": "404   200   404   404   404   404   404   404",
        "POST": "404   ok    404   404   404   404   404   404",
    },
    "participants.find": {
        "GET": "L     L     200   404   404   200   200   404",
        "POST": "L     L     ok    404   404   ok    ok    404",
    },
    "participants.index": {"GET": "L     L     200   404   404   200   200   404"},
    "participants.new": {
        "GET": "L     L     200   404   404   200   403   404",
        "POST": "L     L     ok    404   404   ok    403   404",
    },
    "participants.show": {"GET": "L     L     200   404   404   200   404   404"},
    "reports.action_titles": {"POST": "404   404   404   404   404   ok    404   404"},
    "reports.add_action": {"POST": "404   404   403   404   404   ok    ok    404"},
    "reports.area": {"GET": "200   200   200   200   200   200   200   200"},
    "reports.builder": {
        "GET": "404   404   403   404   404   200   200   404",
        "POST": "404   404   403   404   404   ok    ok    404",
    },
    "reports.figures_csv": {"GET": "200   200   200   200   200   200   200   200"},
    "reports.flyer_pdf": {"GET": "200   200   200   200   200   200   200   200"},
    "reports.poster_pdf": {"GET": "200   200   200   200   200   200   200   200"},
    "reports.public": {"GET": "200   200   200   200   200   200   200   200"},
    "reports.preview": {"GET": "404   404   403   404   404   200   404   404"},
    "reports.preview_figures": {"GET": "404   404   403   404   404   200   404   404"},
    "reports.preview_flyer": {"GET": "404   404   403   404   404   200   404   404"},
    "reports.preview_poster": {"GET": "404   404   403   404   404   200   404   404"},
    "reports.preview_report": {"GET": "404   404   403   404   404   200   404   404"},
    "reports.publish": {"POST": "404   404   403   404   404   ok    ok    404"},
    "reports.report_pdf": {"GET": "200   200   200   200   200   200   200   200"},
    "reports.update_action": {"POST": "404   404   404   404   404   ok    404   404"},
    "static": {"GET": "200   200   200   200   200   200   200   200"},
    "studies.add_member": {"POST": "404   404   403   404   404   ok    ok    404"},
    "studies.change_state": {"POST": "404   404   403   404   404   ok    ok    404"},
    "studies.create": {
        "GET": "L     L     403   403   200   200   200   R",
        "POST": "L     L     403   403   ok    ok    ok    R",
    },
    "studies.edit": {
        "GET": "404   404   403   404   404   200   200   404",
        "POST": "404   404   403   404   404   ok    ok    404",
    },
    "studies.home": {"GET": "L     L     200   200   200   200   200   200"},
    "studies.index": {"GET": "L     L     403   403   200   200   200   200"},
    "studies.invite": {"GET": "404   404   403   404   404   R     R     404"},
    "studies.remove_member": {"POST": "404   404   403   404   404   ok    ok    404"},
    "studies.show": {"GET": "404   404   200   404   404   200   200   404"},
}

# Endpoints whose POST for an allowed role would spoil later requests: sent last, in this order.
LAST = (
    "consent.new_card",
    "participant_page.withdraw_item",
    "participant_page.withdraw",
    "consent.withdraw_on_request",
    "accounts.logout",
)


# Endpoints that end the session they are sent in (a login, a logout, opening an invitation
# link): sent from a client of their own, so the role's session lives on for the rest.
OWN_CLIENT = {"accounts.login", "accounts.logout", "accounts.accept_invitation"}


@pytest.fixture(autouse=True)
def _clean_database():
    """The world of this module is built once and emptied at its end (see `world`)."""
    return


@pytest.fixture(scope="module")
def world(app):
    built = build_world(app)
    yield built
    empty_database(app)


# Routes that tests/conftest.py adds to the test app only.
TEST_ONLY = {"sensitive_probe", "boom_probe"}


def _rules(app) -> list[Rule]:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in TEST_ONLY]
    return sorted(rules, key=lambda r: (r.endpoint, r.rule))


def _methods(rule: Rule) -> list[str]:
    return [m for m in ("GET", "POST") if m in rule.methods]


def _value(endpoint: str, argument: str, ids, role: str):
    mine = ids.mine
    by_endpoint = {
        ("uuid", "fieldwork.show_observation"): mine.observation_uuid,
        ("uuid", "fieldwork.edit_observation"): mine.observation_uuid,
        ("uuid", "fieldwork.media"): mine.media_uuid,
        ("name", "instruments.question"): "age",
        ("name", "instruments.group"): "meeting",
        ("name", "instruments.choice_list"): "tenure",
        ("name", "instruments.item_action"): "age",
        ("entry_id", "compensation.remove_entry"): ids.money.batch_entry_id,
        ("slug", "reports.area"): ids.area_slug,
        ("token", "accounts.accept_invitation"): ids.invitation_token,
    }
    if (argument, endpoint) in by_endpoint:
        return by_endpoint[(argument, endpoint)]
    if argument == "token":
        # Only the participant holds their token; anyone else tries one of their own.
        return mine.token if role == "ptok" else "Zm9vYmFyLW5vdC1hLXJlYWwtdG9rZW4tYXQtYWxsLTEyMzQ1"
    return {
        "study_id": ids.study,
        "area_id": ids.area,
        "instrument_id": ids.instrument_id,
        "version_id": ids.version_id,
        "form_id": ids.form_id,
        "participant_id": mine.participant_id,
        "uuid": mine.interview_uuid,
        "index": 1,
        "action": "up",
        "language": "nl",
        "code_id": mine.code_id,
        "coding_id": mine.coding_id,
        "quote_id": mine.quote_id,
        "action_id": ids.action_id,
        "batch_id": ids.money.batch_id,
        "entry_id": ids.money.open_entry_id,
        "record_id": mine.record_id,
        "user_id": ids.co_a,
        "flag": "finance",
        "year": dt.date.today().year,
        "slug": ids.report_slug,
        "key": "audio",
        "filename": "css/app.css",
        "invitation_id": ids.invitation_id,
    }[argument]


def _url(rule: Rule, ids, role: str) -> str:
    values = {arg: _value(rule.endpoint, arg, ids, role) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _observed(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers.get("Location", "")).path
        return "L" if target == "/login" else "R"
    return str(status)


def _expected(endpoint: str, method: str) -> list[str]:
    tokens = EXPECTED[endpoint][method].split()
    assert len(tokens) == len(ROLES), (endpoint, method, tokens)
    return tokens


def _missing_entries(app) -> list[str]:
    return [
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule in _rules(app)
        for method in _methods(rule)
        if method not in EXPECTED.get(rule.endpoint, {})
    ]


def test_every_route_has_an_entry_in_the_table(app):
    missing = _missing_entries(app)
    assert not missing, "routes without an expected status per role:\n" + "\n".join(missing)
    endpoints = {rule.endpoint for rule in _rules(app)}
    stale = sorted(set(EXPECTED) - endpoints)
    assert not stale, f"entries for endpoints that no longer exist: {stale}"


def _plan(app, world, roles, method: str, *, allowed: bool):
    """The requests to send: (rule, role, expected token), those that spoil others last."""
    plan = []
    for rule in _rules(app):
        if method not in _methods(rule) or rule.endpoint not in EXPECTED:
            continue
        for role in roles:
            want = _expected(rule.endpoint, method)[ROLES.index(role)]
            if (want == "ok") == allowed:
                plan.append((rule, role, want))
    plan.sort(key=lambda item: LAST.index(item[0].endpoint) + 1 if item[0].endpoint in LAST else 0)
    return plan


def _walk(app, world, roles, method: str, *, allowed: bool) -> tuple[int, list[str]]:
    """Send the planned requests; return how many were sent and what differs from the table."""
    sent, wrong = 0, []
    for rule, role, want in _plan(app, world, roles, method, allowed=allowed):
        url = _url(rule, world.ids, role)
        client = world.new_client(role) if rule.endpoint in OWN_CLIENT else world.clients[role]
        response = client.open(url, method=method, data={})
        sent += 1
        got = _observed(response)
        response.close()
        if response.status_code >= 500 or (want != "ok" and got != want):
            wrong.append(f"{method} {url} ({rule.endpoint}) as {role}: {got}, expected {want}")
    return sent, wrong


@pytest.mark.parametrize("role", ROLES)
def test_get_every_route(app, world, role):
    sent, wrong = _walk(app, world, [role], "GET", allowed=False)
    assert sent > 0
    assert not wrong, "\n".join(wrong)


# Tables a refused request may still write to: the audit log, session stamps, login attempts.
BOOKKEEPING = {"audit_entries", "user_sessions", "login_attempts"}


def _fingerprint(app) -> dict[str, list]:
    """Every row of every table except the bookkeeping ones, to compare before and after."""
    from fieldapp.extensions import db

    with app.app_context():
        found = {}
        for table in db.metadata.sorted_tables:
            if table.name not in BOOKKEEPING:
                rows = db.session.execute(table.select()).all()
                found[table.name] = sorted(repr(tuple(row)) for row in rows)
        db.session.rollback()
        return found


@pytest.mark.parametrize("role", ROLES)
def test_post_is_refused_to_roles_that_may_not(app, world, role):
    before = _fingerprint(app)
    _sent, wrong = _walk(app, world, [role], "POST", allowed=False)
    assert not wrong, "\n".join(wrong)
    after = _fingerprint(app)
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"refused POSTs as {role} changed the tables {changed}"


def test_another_studys_objects_cannot_be_reached_through_this_study(app, world):
    """The study's own coordinator, with ids of the other study's objects in its URLs and
    forms: not found, and nothing stored."""
    ids, theirs = world.ids, world.ids.theirs
    client = world.clients["coord"]
    sid = ids.study
    for url in (
        f"/studies/{sid}/codes/{theirs.code_id}",
        f"/studies/{sid}/consent/{ids.other_form_id}/items",
        f"/studies/{sid}/consent/{ids.other_form_id}/text/nl",
        f"/studies/{sid}/exports/responses/{ids.other_version_id}.csv",
        f"/studies/{sid}/exports/responses/{ids.other_version_id}.xlsx",
        f"/studies/{sid}/exports/codebook/{ids.other_version_id}.csv",
        f"/instruments/{ids.other_instrument_id}",
        f"/participants/{theirs.participant_id}",
        f"/interviews/{theirs.interview_uuid}",
        f"/observations/{theirs.observation_uuid}",
        f"/media/{theirs.media_uuid}",
        f"/consent-records/{theirs.record_id}.pdf",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        response.close()
    before = _fingerprint(app)
    for url, data in (
        (f"/studies/{sid}/consent/{ids.other_form_id}/publish", {}),
        (f"/studies/{sid}/codes", {"name": "Geleend", "parent_id": theirs.code_id}),
        (f"/studies/{sid}/coding", {"code_id": theirs.code_id, "answer_id": ids.mine.answer_id}),
        (f"/studies/{sid}/coding", {"code_id": ids.mine.code_id, "answer_id": theirs.answer_id}),
        (
            f"/studies/{sid}/coding",
            {"action": "quote", "answer_id": theirs.answer_id, "passage": "Het park"},
        ),
        (f"/studies/{sid}/coders", {"user_id": ids.co_b}),
        (f"/studies/{sid}/members/remove", {"user_id": ids.co_b}),
        (f"/codings/{theirs.coding_id}/remove", {}),
        (f"/quotes/{theirs.quote_id}/report", {"in_report": "1"}),
    ):
        response = client.post(url, data=data)
        assert response.status_code < 500, url
    after = _fingerprint(app)
    changed = {
        name: sorted(set(after[name]) - set(before[name]))
        for name in before
        if before[name] != after[name]
    }
    # The one thing that may appear is a new top-level code of this study's own.
    from fieldapp.analysis.models import Code
    from fieldapp.extensions import db

    with app.app_context():
        made = db.session.scalar(select(Code).where(Code.name == "Geleend"))
        assert made is None or (made.study_id == sid and made.parent_id is None)
    changed.pop("codes", None)
    assert not changed, changed


def test_a_route_without_an_entry_is_named(app):
    """What a newcomer sees when they add a page and forget the table."""
    from fieldapp import create_app

    fresh = create_app({**app.config, "TESTING": True})
    fresh.add_url_rule("/studies/<int:study_id>/secret", "studies.secret", lambda study_id: "")
    missing = [line for line in _missing_entries(fresh) if "studies.secret" in line]
    assert missing == ["GET /studies/<int:study_id>/secret (studies.secret)"]


def test_post_by_roles_that_may_never_fails(app, world):
    _sent, wrong = _walk(app, world, ROLES, "POST", allowed=True)
    assert not wrong, "\n".join(wrong)
