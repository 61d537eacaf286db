"""Rows to write at each migration revision; see tests/migrations/rows.py."""
