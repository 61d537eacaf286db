"""Ids too large for the database in money URLs find nothing (404), never a 500."""

from __future__ import annotations

import pytest

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"/work-entries/{HUGE}/correct"),
        ("post", f"/work-entries/{HUGE}/correct"),
        ("post", f"/work-entries/{HUGE}/reject"),
        ("get", f"/batches/{HUGE}"),
        ("get", f"/batches/{HUGE}.csv"),
        ("get", f"/batches/{HUGE}/sepa.xml"),
        ("post", f"/batches/{HUGE}/approve"),
        ("post", f"/batches/{HUGE}/paid"),
        ("post", f"/batches/{HUGE}/entries/1/remove"),
        ("post", f"/batches/1/entries/{HUGE}/remove"),
        ("get", f"/people/{HUGE}/limits"),
        ("get", "/people/2147483648/limits"),
    ],
)
def test_huge_ids_are_not_found(as_admin, method, url):
    response = getattr(as_admin, method)(url, data={"reason": "x"})
    assert response.status_code in (302, 404)
