"""Participant codes: unambiguous characters and a check character that catches typos."""

from __future__ import annotations

import pytest

from fieldapp.participants.codes import ALPHABET, CodeInvalid, new_code, normalise_code


def test_codes_use_only_unambiguous_characters():
    for _ in range(200):
        code = new_code()
        assert len(code) == 8
        assert code[3] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)
    for confusing in "0O1IL2Z5S8B6GUVQ":
        assert confusing not in ALPHABET


def test_typed_codes_are_normalised():
    code = new_code()
    assert normalise_code(code.lower()) == code
    assert normalise_code(" " + code.replace("-", " ") + " ") == code


def test_every_single_wrong_character_is_caught():
    for _ in range(50):
        raw = new_code().replace("-", "")
        for position in range(len(raw)):
            for replacement in ALPHABET:
                if replacement == raw[position]:
                    continue
                typo = raw[:position] + replacement + raw[position + 1 :]
                with pytest.raises(CodeInvalid):
                    normalise_code(typo)


def test_swapped_neighbours_are_caught_except_one_pair():
    """Luhn mod N misses only a swap of the alphabet's first and last character."""
    from itertools import permutations

    from fieldapp.participants.codes import check_character

    missed = set()
    for a, b in permutations(ALPHABET, 2):
        for position in range(5):
            payload = list("ACDEFH")
            payload[position], payload[position + 1] = a, b
            raw = "".join(payload)
            raw = raw + check_character(raw)
            swapped = raw[:position] + raw[position + 1] + raw[position] + raw[position + 2 :]
            try:
                normalise_code(swapped)
            except CodeInvalid:
                continue
            missed.add(frozenset((raw[position], raw[position + 1])))
    assert missed <= {frozenset((ALPHABET[0], ALPHABET[-1]))}


@pytest.mark.parametrize("typed", ["", "K7Q", "K7Q-3MXA-9", "OOO-OOOO", "K7Q-3MX!", "x" * 200])
def test_garbage_is_refused(typed):
    with pytest.raises(CodeInvalid):
        normalise_code(typed)


def test_mistyped_code_on_the_find_page(app, as_co_researcher, consent_study, make_participant):
    participant = make_participant(consent_study)
    raw = participant.code.replace("-", "")
    wrong = ALPHABET[(ALPHABET.index(raw[2]) + 1) % len(ALPHABET)]
    typo = raw[:2] + wrong + raw[3:]
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/participants/find?lang=en", data={"code": typo}
    )
    assert response.status_code == 400
    assert "one character is wrong" in response.get_data(as_text=True)
    found = as_co_researcher.post(
        f"/studies/{consent_study.id}/participants/find", data={"code": participant.code.lower()}
    )
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/participants/{participant.id}")
