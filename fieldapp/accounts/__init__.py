"""Accounts, roles, sessions, invitations and access checks."""
