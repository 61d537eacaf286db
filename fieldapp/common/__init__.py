"""Pieces every domain uses: errors, security headers, tokens, template helpers."""
