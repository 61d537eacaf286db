"""Fuzz cases that still answer 500, each outside money and forms: the test id, and why (the
exception on SQLite and the deepest line of fieldapp; PostgreSQL fails at the same line with a
DataError). The marks are strict: once a cause is fixed its case passes, the suite fails, and
its line here goes."""

KNOWN_500: dict[str, str] = {}
