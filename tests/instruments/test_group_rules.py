"""A group's relevance rule is checked when the group is saved, like a question's rule."""

from __future__ import annotations

import re

import pytest

from fieldapp.instruments.definition import Group
from tests.instruments.test_builder import _definition, _new, _question


def _group(client, instrument_id, edit=None, lang="en", **data):
    base = {"name": "meeting", "label_nl": "Ontmoeten", "label_ar": "اللقاء", "relevant": ""}
    base.update(data)
    url = f"/instruments/{instrument_id}/groups/" + (edit or "new") + f"?lang={lang}"
    return client.post(url, data=base)


def _relevant_field_errors(html: str) -> str:
    """The error text shown with the relevance field (linked to it by aria-describedby)."""
    field = re.search(r'<input[^>]*name="relevant"[^>]*>', html)
    assert field is not None
    described = re.search(r'aria-describedby="([^"]+)"', field.group(0))
    assert described is not None, field.group(0)
    return " ".join(
        re.search(rf'id="{re.escape(i)}"[^>]*>(.*?)</', html, re.S).group(1)
        for i in described.group(1).split()
    )


@pytest.mark.parametrize(
    "rule", ["${age >= 18", "${nope} = 1", "__import__('os')", "${age} >>> 3", "${meeting} = 1x"]
)
def test_a_broken_group_rule_is_refused_when_saved(app, as_coordinator, consent_study, rule):
    iid = _new(as_coordinator, consent_study.id)
    _question(as_coordinator, iid, name="age", type="integer")
    response = _group(as_coordinator, iid, relevant=rule)
    assert response.status_code == 400
    assert "cannot be read" in _relevant_field_errors(response.get_data(as_text=True))
    assert not [i for i in _definition(app, iid).items if isinstance(i, Group)]


def test_editing_a_group_checks_its_rule_too(app, as_coordinator, consent_study):
    iid = _new(as_coordinator, consent_study.id)
    _question(as_coordinator, iid, name="age", type="integer")
    assert _group(as_coordinator, iid, relevant="${age} >= 18").status_code == 302
    response = _group(as_coordinator, iid, edit="meeting", relevant="${age} >=")
    assert response.status_code == 400
    group = next(i for i in _definition(app, iid).items if isinstance(i, Group))
    assert group.relevant == "${age} >= 18"


def test_the_group_rule_message_is_translated(as_coordinator, consent_study):
    iid = _new(as_coordinator, consent_study.id)
    response = _group(as_coordinator, iid, lang="nl", relevant="${nope} = 1")
    assert response.status_code == 400
    errors = _relevant_field_errors(response.get_data(as_text=True))
    assert "cannot be read" not in errors
    assert errors.strip()
