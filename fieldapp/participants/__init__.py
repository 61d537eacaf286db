"""Participants: pseudonymous codes, contact details kept apart, tombstones after withdrawal."""
