"""Log hygiene: secret tokens in request paths never reach a log line."""

from __future__ import annotations

import logging
import re

# /p/<token> (a participant's page) and /invite/<token> (an invitation) carry secrets.
_SECRET_PATHS = re.compile(r"(/(?:p|invite)/)[A-Za-z0-9_\-]{8,}")


def redact(text: str) -> str:
    return _SECRET_PATHS.sub(r"\1[redacted]", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message so access logs show /p/[redacted]."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True


def install_log_redaction() -> None:
    """On the development server's and gunicorn's access loggers, and on fieldapp's own."""
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "fieldapp"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
