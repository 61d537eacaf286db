"""Hostile input in URLs and forms: huge and negative ids, header injection, pages that need a
login. Every answer is a 4xx or a redirect, never a 500 (rule 10)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fieldapp.analysis.models import Code, Coding
from fieldapp.extensions import db

# Too large for a PostgreSQL INTEGER (32-bit), for a 64-bit integer, and for anything.
HUGE = ["2147483648", "9223372036854775807", "9223372036854775808", "99999999999999999999"]


@pytest.mark.parametrize("number", HUGE)
def test_huge_ids_in_urls_are_not_found(app, client, as_coordinator, study, number):
    for path in (
        f"/studies/{number}",
        f"/studies/{number}/codes",
        f"/instruments/{number}",
        f"/participants/{number}",
        f"/batches/{number}",
        f"/studies/{study.id}/codes/{number}",
    ):
        assert as_coordinator.get(path).status_code == 404, path
    # Anonymous: the id does not match any route, so nothing is looked up.
    assert client.get(f"/instruments/{number}").status_code == 404


def test_negative_and_signed_ids_in_urls_are_not_found(as_coordinator, study):
    for path in ("/studies/-1", "/studies/+1", "/instruments/-5", f"/studies/{study.id}/codes/-1"):
        assert as_coordinator.get(path).status_code == 404, path


def test_largest_postgresql_integer_is_still_looked_up(as_coordinator):
    assert as_coordinator.get("/studies/2147483647").status_code == 404


@pytest.mark.parametrize("number", [*HUGE, "-1", "-99999999999999999999", "1e9", "0x10", ""])
def test_huge_ids_in_analysis_forms_change_nothing(
    app, as_coordinator, consent_study, make_user, number
):
    sid = consent_study.id
    assert as_coordinator.get(f"/studies/{sid}/codes").status_code == 200
    response = as_coordinator.post(
        f"/studies/{sid}/codes", data={"name": "Parkeren", "parent_id": number}
    )
    assert response.status_code == 302
    with app.app_context():
        added = db.session.scalar(select(Code).where(Code.name == "Parkeren"))
        # An unknown parent is no parent: the code is made at the top level.
        assert added is not None
        assert added.parent_id is None
    assert as_coordinator.post(f"/studies/{sid}/coders", data={"user_id": number}).status_code in (
        400,
        404,
    )
    for data in (
        {"code_id": number, "answer_id": "1"},
        {"code_id": "1", "answer_id": number},
        {"code_id": "1", "observation_id": number},
        {"code_id": number, "answer_id": number, "action": "quote", "passage": "x"},
    ):
        response = as_coordinator.post(f"/studies/{sid}/coding", data=data)
        assert response.status_code == 302, data
    with app.app_context():
        assert db.session.scalar(select(func.count(Coding.id))) == 0


@pytest.mark.parametrize("number", HUGE)
def test_huge_ids_in_study_forms(app, as_coordinator, study, number):
    response = as_coordinator.post(f"/studies/{study.id}/members/remove", data={"user_id": number})
    assert response.status_code == 404
    response = as_coordinator.post(f"/studies/{study.id}/members", data={"user_id": number})
    assert response.status_code == 303


@pytest.mark.parametrize(
    "anchor", ["\r\n", "%0d%0a", "\r\nSet-Cookie: x=1", "#x\ny", "x" * (1024 * 1024), "#../x"]
)
def test_coding_anchor_cannot_reach_the_location_header(as_coordinator, consent_study, anchor):
    response = as_coordinator.post(
        f"/studies/{consent_study.id}/coding", data={"code_id": "0", "anchor": anchor}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(f"/studies/{consent_study.id}/coding")
    assert all("x=1" not in value for _name, value in response.headers.items())


def test_coding_keeps_a_safe_anchor(as_coordinator, consent_study):
    response = as_coordinator.post(
        f"/studies/{consent_study.id}/coding", data={"code_id": "0", "anchor": "#answer-12"}
    )
    assert response.headers["Location"].endswith(f"/studies/{consent_study.id}/coding#answer-12")


def test_instrument_pages_ask_anonymous_visitors_to_log_in(client, questionnaire):
    iid = questionnaire.id
    for method, path in (
        ("get", f"/instruments/{iid}"),
        ("post", f"/instruments/{iid}"),
        ("get", f"/instruments/{iid}/preview"),
        ("get", f"/instruments/{iid}/xlsform.xlsx"),
        ("post", f"/instruments/{iid}/new-version"),
        ("post", f"/instruments/{iid}/publish"),
        ("get", f"/instruments/{iid}/questions/new"),
        ("get", f"/instruments/{iid}/questions/age"),
        ("get", f"/instruments/{iid}/groups/new"),
        ("get", f"/instruments/{iid}/lists/new"),
        ("post", f"/instruments/{iid}/items/age/up"),
    ):
        response = getattr(client, method)(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path


@pytest.mark.parametrize("page", [*HUGE, "-1", "0", "x", "2147483647"])
def test_audit_log_page_number_out_of_range(as_admin, page):
    response = as_admin.get(f"/admin/audit/?page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["0", "1", "9999", "10000", "2147483647"])
def test_statement_of_a_year_out_of_range_is_not_found(as_co_researcher, year):
    response = as_co_researcher.get(f"/money/statement/{year}.pdf")
    assert response.status_code == 404
