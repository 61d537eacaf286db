"""Fieldwork: interviews and observations on the phone, their review and exports."""
