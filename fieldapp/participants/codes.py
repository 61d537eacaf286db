"""Participant codes: short, unambiguous, with a check character that catches typing errors.

A code is six random characters and one check character, written in two groups:
``K7Q-3MXA``. The alphabet leaves out characters that are easily confused when read
aloud or handwritten (0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V). The check character is
Luhn mod N over that alphabet, which catches every single wrong character and every
swap of two neighbouring characters except the first and last character of the alphabet.
"""

from __future__ import annotations

import secrets

ALPHABET = "ACDEFHJKMNPRTWXY3479"
N = len(ALPHABET)
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
RANDOM_LENGTH = 6


class CodeInvalid(ValueError):
    """The text is not a participant code (wrong characters, length or check character)."""


def check_character(payload: str) -> str:
    """Luhn mod N: double every second character counting from the right."""
    factor = 2
    total = 0
    for ch in reversed(payload):
        addend = factor * _INDEX[ch]
        factor = 1 if factor == 2 else 2
        total += addend // N + addend % N
    return ALPHABET[(N - total % N) % N]


def new_code() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_code(payload + check_character(payload))


def format_code(raw: str) -> str:
    return f"{raw[:3]}-{raw[3:]}"


def normalise_code(text: str) -> str:
    """Turn what someone typed into a canonical code, or raise CodeInvalid.

    Spaces, dashes and lower case are accepted; characters that are left out of the
    alphabet because they look alike are read as the one that is in it (O→Q is not
    safe, so O and 0 are refused rather than guessed). Luhn mod N needs an even N: 20.
    """
    raw = "".join(ch for ch in (text or "").upper() if ch not in " -–_.")
    if len(raw) != RANDOM_LENGTH + 1:
        raise CodeInvalid("length")
    if any(ch not in _INDEX for ch in raw):
        raise CodeInvalid("characters")
    if check_character(raw[:-1]) != raw[-1]:
        raise CodeInvalid("check")
    return format_code(raw)
