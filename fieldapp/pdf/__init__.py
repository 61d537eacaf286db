"""Printable PDFs (participant cards) in every interface language, including Arabic."""
