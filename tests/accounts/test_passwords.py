"""Password rules and hashing."""

from __future__ import annotations

import pytest

from fieldapp.accounts import passwords


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1!", "too_short"),
        ("123456789", "too_short"),
        ("1234567890", "common"),
        ("qwertyuiop", "common"),
        ("Password123", "common"),
        ("aaaaaaaaaaaa", "common"),
        ("x" * 300, "too_long"),
        ("samira-is-great-42", "contains_username"),
        ("fietsenstalling bij de markt", None),
    ],
)
def test_password_rules(password, problem):
    assert passwords.password_problem(password, "samira") == problem


def test_hash_is_argon2id_and_verifies(ctx):
    hashed = passwords.hash_password("fietsenstalling bij de markt")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "fietsenstalling bij de markt")
    assert not passwords.verify_password(hashed, "fietsenstalling bij de mark")
    assert not passwords.verify_password("not a hash", "anything")
