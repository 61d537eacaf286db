"""Random tokens and keyed hashes: secrets are stored hashed, identifiers only as HMACs."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token (32 bytes = 256 bits by default)."""
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """How a token is stored: it cannot be turned back into the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(purpose: str, value: str) -> str:
    """An HMAC of a value for one purpose, to count or match it without keeping it."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()
